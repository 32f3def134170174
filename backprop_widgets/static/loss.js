// The live loss curve: training and test loss E against epochs, linear or log scale.
// Python sends each curve as float64 pairs (epoch, E) in binary buffers, a head and the tail
// added since, up to 60 times a second while training plays: a frame redraws the two paths
// and, only when the axes' range changed, the ticks.

const W = 480;
const H = 260;
const PAD = { left: 62, right: 16, top: 16, bottom: 40 };

// Loss axes keep their own style: e-notation without decimals, ticks at most 1e-12 past the end.
const lossTick = (v) => tickText(v, 0);
const lossTicks = (lo, hi) => niceTicks(lo, hi, 5, () => 1e-12);

// A curve as one flat Float64Array [epoch0, E0, epoch1, E1, …]: the head Python sent whole,
// then the tail of points added since (binary buffers of float64 pairs).
function curve(head, tail) {
  const values = (buffer) =>
    buffer && buffer.byteLength ? new Float64Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength)) : new Float64Array(0);
  const [a, b] = [values(head), values(tail)];
  if (!b.length) return a;
  const both = new Float64Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  return both;
}

function render({ model, el }) {
  const root = html("div", "bw-loss", el);
  const header = html("div", "bw-loss-header", root);
  const title = html("span", "bw-loss-title", header);
  // The share classified right, written by Python (classes only): beside the title.
  const accuracy = html("span", "bw-accuracy", header);
  // The legend stands in the header, above the plot, so the curves never run through it.
  const legend = html("span", "bw-loss-legend", header);
  const toggle = html("label", "bw-log-toggle", header);
  const box = html("input", "bw-log", toggle);
  box.type = "checkbox";
  toggle.append(" log scale");
  const svg = make("svg", { viewBox: `0 0 ${W} ${H}`, class: "bw-loss-svg", role: "img" });
  root.appendChild(svg);

  const x0 = PAD.left;
  const x1 = W - PAD.right;
  const y0 = H - PAD.bottom;
  const y1 = PAD.top;
  const ticks = make("g", { class: "bw-ticks" }, svg);
  make("line", { x1: x0, y1: y0, x2: x1, y2: y0, class: "bw-axis" }, svg);
  make("line", { x1: x0, y1: y0, x2: x0, y2: y1, class: "bw-axis" }, svg);
  make("text", { x: (x0 + x1) / 2, y: H - 6, class: "bw-axis-label" }, svg).textContent = "epoch";
  const empty = make("text", { x: (x0 + x1) / 2, y: (y0 + y1) / 2, class: "bw-axis-label" }, svg);
  empty.textContent = "Press play or step to start training";
  const names = ["train", "test"];
  const paths = names.map((name) => make("path", { class: `bw-curve bw-curve-${name}` }, svg));
  const dots = names.map((name) => make("circle", { r: 3.5, class: `bw-curve-dot bw-curve-${name}` }, svg));
  const keys = names.map((name) => {
    const key = html("span", `bw-legend-key bw-legend-${name}`, legend);
    html("span", `bw-legend-swatch bw-curve-${name}`, key);
    return [key, html("span", "bw-legend-text", key)];
  });
  let axes = ""; // the range the ticks were drawn for

  function drawTicks(xmin, xmax, ymin, ymax, log, sx, sy) {
    const range = `${xmin} ${xmax} ${ymin} ${ymax} ${log}`;
    if (range === axes) return;
    axes = range;
    ticks.replaceChildren();
    for (const t of lossTicks(xmin, xmax)) {
      make("line", { x1: sx(t), y1: y0, x2: sx(t), y2: y0 + 5, class: "bw-axis" }, ticks);
      make("text", { x: sx(t), y: y0 + 18, class: "bw-tick" }, ticks).textContent = lossTick(t);
    }
    const yticks = log ? Array.from({ length: ymax - ymin + 1 }, (_, k) => ymin + k) : lossTicks(ymin, ymax);
    for (const t of yticks) {
      make("line", { x1: x0, y1: sy(t), x2: x1, y2: sy(t), class: "bw-grid" }, ticks);
      const label = make("text", { x: x0 - 6, y: sy(t) + 4, class: "bw-tick bw-tick-y" }, ticks);
      label.textContent = log ? `1e${t}` : lossTick(t);
    }
  }

  function draw() {
    title.textContent = model.get("title");
    accuracy.textContent = model.get("accuracy_text");
    accuracy.style.display = model.get("accuracy_text") ? "" : "none";
    const [trainAccuracy, testAccuracy] = model.get("accuracy");
    accuracy.dataset.train = trainAccuracy ?? "";
    accuracy.dataset.test = testAccuracy ?? "";
    const log = model.get("log_scale");
    box.checked = log;
    const series = names.map((name) => curve(model.get(`${name}_head`), model.get(`${name}_tail`)));
    root.dataset.points = String(series[0].length / 2);
    // What is drawn of each curve: finite points (and positive ones on a log scale).
    const kept = (v) => Number.isFinite(v) && (!log || v > 0);
    let [xmin, xmax, ymin, ymax, count] = [0, -Infinity, Infinity, -Infinity, 0];
    for (const s of series) {
      for (let k = 0; k < s.length; k += 2) {
        if (!kept(s[k + 1])) continue;
        const y = log ? Math.log10(s[k + 1]) : s[k + 1];
        xmin = Math.min(xmin, s[k]);
        xmax = Math.max(xmax, s[k]);
        ymin = Math.min(ymin, y);
        ymax = Math.max(ymax, y);
        count++;
      }
    }
    svg.setAttribute("aria-label", count ? "Loss curve" : "Loss curve: no epochs yet");
    empty.style.display = count ? "none" : "";
    ticks.style.display = count ? "" : "none";
    legend.style.visibility = count ? "" : "hidden";
    if (!count) {
      paths.forEach((path) => path.removeAttribute("d"));
      dots.forEach((dot) => (dot.style.display = "none"));
      return;
    }
    xmax = Math.max(xmax, xmin + 1);
    ymin = log ? Math.floor(ymin) : 0;
    ymax = log ? Math.ceil(ymax) : ymax;
    if (ymax - ymin < 1e-12) {
      ymin -= log ? 1 : 0;
      ymax += log ? 1 : Math.abs(ymax) * 0.1 + 1e-3;
    }
    const sx = (x) => x0 + ((x - xmin) / (xmax - xmin)) * (x1 - x0);
    const sy = (y) => y0 - ((y - ymin) / (ymax - ymin)) * (y0 - y1);
    drawTicks(xmin, xmax, ymin, ymax, log, sx, sy);
    series.forEach((s, n) => {
      const parts = [];
      let last = -1;
      for (let k = 0; k < s.length; k += 2) {
        if (!kept(s[k + 1])) continue;
        parts.push(`${parts.length ? "L" : "M"}${sx(s[k]).toFixed(1)} ${sy(log ? Math.log10(s[k + 1]) : s[k + 1]).toFixed(1)}`);
        last = k;
      }
      const [key, text] = keys[n];
      key.style.display = s.length ? "" : "none";
      if (last < 0) {
        paths[n].removeAttribute("d");
        dots[n].style.display = "none";
        return;
      }
      paths[n].setAttribute("d", parts.join(""));
      dots[n].style.display = "";
      dots[n].setAttribute("cx", sx(s[last]));
      dots[n].setAttribute("cy", sy(log ? Math.log10(s[last + 1]) : s[last + 1]));
      text.textContent = `${names[n]} ${lossTick(s[s.length - 1])}`;
    });
  }
  const { schedule, cancel } = frameScheduler(draw);
  box.addEventListener("change", () => {
    model.set("log_scale", box.checked);
    model.save_changes();
  });
  for (const name of names) {
    model.on(`change:${name}_head`, schedule);
    model.on(`change:${name}_tail`, schedule);
  }
  model.on("change:log_scale", schedule);
  for (const name of ["title", "accuracy", "accuracy_text"]) model.on(`change:${name}`, schedule);
  draw();
  return cancel;
}

export default { render };
