// The live loss curve: training and test loss E against epochs, linear or log scale.
// Python sends each curve as float64 pairs (epoch, E) in binary buffers, a head and the tail
// added since, up to 60 times a second while training plays: a frame redraws the two paths
// and, only when the axes' range changed, the ticks.

const W = 480;
const H = 260;

// Loss axes keep their own style: e-notation with no more decimals than the ticks need, ticks at
// most 1e-12 past the end.
const lossTick = (v) => tickText(v, 0);
const LOSS_SLACK = () => 1e-12;
// Epochs are whole numbers: written out (15000) below a million.
const EPOCH_TICKS = { slack: LOSS_SLACK, label: (ticks) => ticks.map((t) => (t < 1e6 ? String(t) : tickText(t, 1))) };

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

  // The axes and their texts, laid out for the text's size on screen (plotBox) with the ticks.
  const ticks = make("g", { class: "bw-ticks" }, svg);
  const empty = make("text", { x: W / 2, y: H / 2, class: "bw-axis-label" }, svg);
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

  // The plot's box for the y ticks of this range and text u units high.
  function layout(ymin, ymax, log, u) {
    const yticks = log ? Array.from({ length: ymax - ymin + 1 }, (_, k) => ymin + k) : niceTicks(ymin, ymax, 5, LOSS_SLACK);
    const labels = log ? yticks.map((t) => `1e${t}`) : tickLabels(yticks, 0);
    return { yticks, labels, ...plotBox(W, H, u, labels, { named: false, right: 16, top: 16 }) };
  }

  function drawTicks(xmin, xmax, ymin, ymax, plot, sx, sy, u) {
    const range = `${xmin} ${xmax} ${ymin} ${ymax} ${plot.labels} ${u.toFixed(1)}`;
    if (range === axes) return;
    axes = range;
    ticks.replaceChildren();
    const xticks = fittedTicks(xmin, xmax, plot.x1 - plot.x0, u, EPOCH_TICKS);
    drawAxes(ticks, plot, sx, sy, { xticks, yticks: plot.yticks, ylabels: plot.labels, names: ["epoch", null], grid: true });
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
    const u = svgTextSize(svg);
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
    const plot = layout(ymin, ymax, log, u);
    const { x0, x1, y0, y1 } = plot;
    const sx = (x) => x0 + ((x - xmin) / (xmax - xmin)) * (x1 - x0);
    const sy = (y) => y0 - ((y - ymin) / (ymax - ymin)) * (y0 - y1);
    drawTicks(xmin, xmax, ymin, ymax, plot, sx, sy, u);
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
  box.addEventListener("change", () => {
    model.set("log_scale", box.checked);
    model.save_changes();
  });
  const changes = [...names.flatMap((name) => [`${name}_head`, `${name}_tail`]), "log_scale", "title", "accuracy", "accuracy_text"];
  return drawOnChange(model, draw, { changes, watch: () => svg });
}

export default { render };
