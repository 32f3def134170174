// The live loss curve: training and test loss E against epochs, linear or log scale.

const W = 480;
const H = 260;
const PAD = { left: 62, right: 16, top: 16, bottom: 40 };

// Loss axes keep their own style: e-notation without decimals, ticks at most 1e-12 past the end.
const lossTick = (v) => tickText(v, 0);
const lossTicks = (lo, hi) => niceTicks(lo, hi, 5, () => 1e-12);

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "bw-loss";
  const header = document.createElement("div");
  header.className = "bw-loss-header";
  const title = document.createElement("span");
  title.className = "bw-loss-title";
  title.textContent = "Error E over epochs";
  const toggle = document.createElement("label");
  toggle.className = "bw-log-toggle";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.className = "bw-log";
  toggle.append(box, document.createTextNode(" log scale"));
  // The legend stands in the header, beside the title: never over the curves.
  const legend = html("span", "bw-loss-legend");
  header.append(title, legend, toggle);
  const svg = make("svg", { viewBox: `0 0 ${W} ${H}`, class: "bw-loss-svg", role: "img" });
  root.append(header, svg);
  el.appendChild(root);

  function draw() {
    const log = model.get("log_scale");
    box.checked = log;
    const series = [
      ["train", model.get("train")],
      ["test", model.get("test")],
    ];
    const points = series.flatMap(([, s]) => s).filter(([, y]) => Number.isFinite(y) && (!log || y > 0));
    svg.replaceChildren();
    legend.replaceChildren();
    root.dataset.points = String(model.get("train").length);
    svg.setAttribute("aria-label", points.length ? "Loss curve" : "Loss curve: no epochs yet");
    const x0 = PAD.left;
    const x1 = W - PAD.right;
    const y0 = H - PAD.bottom;
    const y1 = PAD.top;
    make("line", { x1: x0, y1: y0, x2: x1, y2: y0, class: "bw-axis" }, svg);
    make("line", { x1: x0, y1: y0, x2: x0, y2: y1, class: "bw-axis" }, svg);
    const xlabel = make("text", { x: (x0 + x1) / 2, y: H - 6, class: "bw-axis-label" }, svg);
    xlabel.textContent = "epoch";
    if (!points.length) {
      const t = make("text", { x: (x0 + x1) / 2, y: (y0 + y1) / 2, class: "bw-axis-label" }, svg);
      t.textContent = "Press play or step to start training";
      return;
    }
    const xs = points.map(([x]) => x);
    const ys = points.map(([, y]) => (log ? Math.log10(y) : y));
    const xmin = Math.min(...xs, 0);
    const xmax = Math.max(...xs, xmin + 1);
    let ymin = log ? Math.floor(Math.min(...ys)) : 0;
    let ymax = log ? Math.ceil(Math.max(...ys)) : Math.max(...ys);
    if (ymax - ymin < 1e-12) {
      ymin -= log ? 1 : 0;
      ymax += log ? 1 : Math.abs(ymax) * 0.1 + 1e-3;
    }
    const sx = (x) => x0 + ((x - xmin) / (xmax - xmin)) * (x1 - x0);
    const sy = (y) => y0 - ((y - ymin) / (ymax - ymin)) * (y0 - y1);
    for (const t of lossTicks(xmin, xmax)) {
      make("line", { x1: sx(t), y1: y0, x2: sx(t), y2: y0 + 5, class: "bw-axis" }, svg);
      make("text", { x: sx(t), y: y0 + 18, class: "bw-tick" }, svg).textContent = lossTick(t);
    }
    const yticks = log ? Array.from({ length: ymax - ymin + 1 }, (_, k) => ymin + k) : lossTicks(ymin, ymax);
    for (const t of yticks) {
      make("line", { x1: x0, y1: sy(t), x2: x1, y2: sy(t), class: "bw-grid" }, svg);
      const label = make("text", { x: x0 - 6, y: sy(t) + 4, class: "bw-tick bw-tick-y" }, svg);
      label.textContent = log ? `1e${t}` : lossTick(t);
    }
    for (const [name, s] of series) {
      const kept = s.filter(([, y]) => Number.isFinite(y) && (!log || y > 0));
      if (!kept.length) continue;
      const d = kept.map(([x, y], k) => `${k ? "L" : "M"} ${sx(x).toFixed(1)} ${sy(log ? Math.log10(y) : y).toFixed(1)}`).join(" ");
      make("path", { d, class: `bw-curve bw-curve-${name}` }, svg);
      const [lx, ly] = kept[kept.length - 1];
      make("circle", { cx: sx(lx), cy: sy(log ? Math.log10(ly) : ly), r: 3.5, class: `bw-curve-dot bw-curve-${name}` }, svg);
    }
    series.forEach(([name, s]) => {
      if (!s.length) return;
      const key = html("span", `bw-loss-key bw-loss-key-${name}`, legend);
      html("span", `bw-loss-swatch bw-curve-${name}`, key);
      html("span", "bw-legend-text", key, `${name} ${numberText(s[s.length - 1][1])}`);
    });
  }
  const { schedule, cancel } = frameScheduler(draw);
  box.addEventListener("change", () => {
    model.set("log_scale", box.checked);
    model.save_changes();
  });
  model.on("change:train", schedule);
  model.on("change:test", schedule);
  model.on("change:log_scale", schedule);
  draw();
  return cancel;
}

export default { render };
