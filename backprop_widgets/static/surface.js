// What the network computes over its input space: the output ŷ as a heat map over the plane
// (two inputs) or as a curve over the data (one input), and a thumbnail of every hidden unit.
// Python computes every value; this module maps them to colours and draws them.

const THUMB_1D = { w: 90, h: 60 };

// A diverging, colour-blind-safe map: orange (low ŷ, class 0) – light grey – blue (class 1),
// the network diagram's colours for negative and positive weights.
const STOPS = [
  [0, [230, 97, 1]],
  [0.25, [253, 184, 99]],
  [0.5, [247, 247, 247]],
  [0.75, [146, 197, 222]],
  [1, [33, 102, 172]],
];
const LUT = Array.from({ length: 256 }, (_, k) => {
  const t = k / 255;
  const n = STOPS.findIndex(([s]) => s >= t);
  if (n <= 0) return STOPS[0][1];
  const [s0, c0] = STOPS[n - 1];
  const [s1, c1] = STOPS[n];
  const f = (t - s0) / (s1 - s0);
  return c0.map((v, i) => Math.round(v + f * (c1[i] - v)));
});
const GRADIENT = `linear-gradient(to right, ${STOPS.map(([s, c]) => `rgb(${c}) ${s * 100}%`).join(", ")})`;

const shade = (value, [lo, hi]) => {
  const k = Math.max(0, Math.min(255, Math.round(((value - lo) / (hi - lo)) * 255)));
  return `rgb(${LUT[Number.isFinite(k) ? k : 128]})`;
};

const bytesOf = (view) => (view && view.byteLength ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength) : new Uint8Array(0));

// A grid of bytes (rows from the top) as a colour image, returned as a canvas.
function paint(bytes, size, offset = 0) {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  const context = canvas.getContext("2d");
  const image = context.createImageData(size, size);
  for (let p = 0; p < size * size; p++) {
    const [r, g, b] = LUT[bytes[offset + p]];
    image.data.set([r, g, b, 255], 4 * p);
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

// Axes of a plot area: ticks and labels in data units.
function axes(svg, box, sx, sy, [xlo, xhi], [ylo, yhi], [xlabel, ylabel], H) {
  const { x0, x1, y0, y1 } = box;
  for (const t of niceTicks(xlo, xhi)) {
    make("line", { x1: sx(t), y1: y0, x2: sx(t), y2: y0 + 5, class: "bw-axis" }, svg);
    make("text", { x: sx(t), y: y0 + 18, class: "bw-tick" }, svg).textContent = tickText(t);
  }
  for (const t of niceTicks(ylo, yhi)) {
    make("line", { x1: x0 - 5, y1: sy(t), x2: x0, y2: sy(t), class: "bw-axis" }, svg);
    make("text", { x: x0 - 8, y: sy(t) + 4, class: "bw-tick bw-tick-y" }, svg).textContent = tickText(t);
  }
  make("line", { x1: x0, y1: y0, x2: x1, y2: y0, class: "bw-axis" }, svg);
  make("line", { x1: x0, y1: y0, x2: x0, y2: y1, class: "bw-axis" }, svg);
  make("text", { x: (x0 + x1) / 2, y: H - 4, class: "bw-axis-label" }, svg).textContent = xlabel;
  make("text", { x: 12, y: (y0 + y1) / 2 + 4, class: "bw-axis-label" }, svg).textContent = ylabel;
}

function drawPlane(model, svg) {
  const W = 400;
  const H = 390;
  const box = { x0: 54, x1: W - 12, y0: H - 44, y1: 12 };
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const [ax, bx, ay, by] = model.get("extent");
  const sx = (x) => box.x0 + ((x - ax) / (bx - ax)) * (box.x1 - box.x0);
  const sy = (y) => box.y0 - ((y - ay) / (by - ay)) * (box.y0 - box.y1);
  const size = model.get("grid_size");
  const range = model.get("value_range");
  const bytes = bytesOf(model.get("image"));
  if (bytes.length === size * size) {
    make("image", {
      href: paint(bytes, size).toDataURL(),
      x: box.x0,
      y: box.y1,
      width: box.x1 - box.x0,
      height: box.y0 - box.y1,
      preserveAspectRatio: "none",
      class: "bw-surface-image",
    }, svg);
  }
  const d = model.get("contour").map(([xa, ya, xb, yb]) => `M${sx(xa).toFixed(1)} ${sy(ya).toFixed(1)}L${sx(xb).toFixed(1)} ${sy(yb).toFixed(1)}`).join("");
  if (d) {
    make("path", { d, class: "bw-surface-contour-halo" }, svg);
    make("path", { d, class: "bw-surface-contour" }, svg);
  }
  const points = make("g", { class: "bw-surface-points" }, svg);
  const few = model.get("train").length + model.get("test").length <= 40;
  const r = few ? 7 : 4.5;
  for (const [set, hollow] of [["train", false], ["test", true]]) {
    for (const [x, y, target] of model.get(set)) {
      const colour = shade(target, range);
      if (hollow) {
        make("circle", { cx: sx(x), cy: sy(y), r, class: "bw-point-test-edge" }, points);
        make("circle", { cx: sx(x), cy: sy(y), r, class: "bw-point-test", style: `stroke: ${colour}` }, points);
      } else {
        make("circle", { cx: sx(x), cy: sy(y), r: r + 1.2, class: "bw-point-train-edge" }, points);
        make("circle", { cx: sx(x), cy: sy(y), r, class: "bw-point-train", style: `fill: ${colour}` }, points);
      }
    }
  }
  axes(svg, box, sx, sy, [ax, bx], [ay, by], model.get("input_labels"), H);
}

function drawLine(model, svg) {
  const W = 480;
  const H = 300;
  const box = { x0: 54, x1: W - 14, y0: H - 44, y1: 12 };
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const [ax, bx] = model.get("extent");
  const curve = model.get("curve");
  const train = model.get("train");
  const test = model.get("test");
  const ys = [...curve.map(([, y]) => y), ...train.map(([, y]) => y), ...test.map(([, y]) => y)].filter(finite);
  let [ay, by] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  const pad = Math.max((by - ay) * 0.08, 1e-3);
  [ay, by] = [ay - pad, by + pad];
  const sx = (x) => box.x0 + ((x - ax) / (bx - ax)) * (box.x1 - box.x0);
  const sy = (y) => box.y0 - ((y - ay) / (by - ay)) * (box.y0 - box.y1);
  for (const t of niceTicks(ay, by)) {
    make("line", { x1: box.x0, y1: sy(t), x2: box.x1, y2: sy(t), class: "bw-grid" }, svg);
  }
  axes(svg, box, sx, sy, [ax, bx], [ay, by], [model.get("input_labels")[0], "y"], H);
  const points = make("g", { class: "bw-surface-points" }, svg);
  for (const [x, y] of train) make("circle", { cx: sx(x), cy: sy(y), r: 4, class: "bw-point-1d-train" }, points);
  for (const [x, y] of test) make("circle", { cx: sx(x), cy: sy(y), r: 4, class: "bw-point-1d-test" }, points);
  make("path", { d: pathOf(curve, sx, sy), class: "bw-surface-fit" }, svg);
}

function pathOf(pairs, sx, sy) {
  let d = "";
  let pen = false;
  for (const [x, y] of pairs) {
    if (!finite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${sx(x).toFixed(1)} ${sy(y).toFixed(1)}`;
    pen = true;
  }
  return d;
}

function legend(model, parent) {
  const row = html("div", "bw-surface-legend", parent);
  const kind = model.get("kind");
  const label = model.get("output_label");
  const [lo, hi] = model.get("value_range");
  if (kind === "2d") {
    const scale = html("span", "bw-surface-scale", row);
    html("span", "bw-surface-scale-text", scale, `${label} = ${tickText(lo)}`);
    html("span", "bw-surface-colourbar", scale).style.background = GRADIENT;
    html("span", "bw-surface-scale-text", scale, tickText(hi));
    html("span", "bw-key bw-key-train", row, "train");
    if (model.get("test").length) html("span", "bw-key bw-key-test", row, "test");
    if (model.get("contour").length) html("span", "bw-key bw-key-contour", row, `${label} = ${tickText(model.get("level"))}`);
  } else {
    html("span", "bw-key bw-key-fit", row, `${label}(x), the network's output`);
    html("span", "bw-key bw-key-1d-train", row, "training data");
    if (model.get("test").length) html("span", "bw-key bw-key-1d-test", row, "test data");
  }
}

function thumbnails(model, parent) {
  const hidden = model.get("hidden");
  const section = html("div", "bw-surface-hidden", parent);
  if (!hidden.length) {
    html("div", "bw-surface-hidden-title", section, "No hidden neurons: the output is a function of the inputs alone.");
    return;
  }
  html("div", "bw-surface-hidden-title", section, "What each hidden neuron computes (hover or focus to enlarge)");
  const kind = model.get("kind");
  const size = model.get("grid_size");
  const bytes = bytesOf(model.get("hidden_images"));
  const layers = [...new Set(hidden.map((h) => h.layer))];
  hidden.forEach((entry, n) => {
    let row = section.querySelector(`[data-layer="${entry.layer}"] .bw-thumb-list`);
    if (!row) {
      const line = html("div", "bw-thumb-row", section);
      line.dataset.layer = String(entry.layer);
      html("span", "bw-thumb-row-label", line, `layer ${entry.layer + 1}`);
      row = html("div", "bw-thumb-list", line);
    }
    const figure = html("figure", "bw-thumb", row);
    figure.tabIndex = 0;
    figure.dataset.neuron = `${entry.layer},${entry.index}`;
    const [lo, hi] = entry.range;
    figure.title = `${entry.label}: hidden neuron ${entry.index + 1} of layer ${entry.layer + 1}, colours from ${tickText(lo)} to ${tickText(hi)}`;
    const siblings = hidden.filter((h) => h.layer === entry.layer).length;
    figure.classList.add(entry.index < siblings / 2 ? "bw-thumb-left" : "bw-thumb-right");
    if (kind === "2d" && bytes.length >= (n + 1) * size * size) {
      const canvas = paint(bytes, size, n * size * size);
      canvas.className = "bw-thumb-image";
      figure.appendChild(canvas);
    } else if (kind === "1d") {
      const svg = make("svg", { viewBox: `0 0 ${THUMB_1D.w} ${THUMB_1D.h}`, class: "bw-thumb-image bw-thumb-curve" });
      const xs = model.get("curve").map(([x]) => x);
      const sx = (x) => 3 + ((x - xs[0]) / (xs[xs.length - 1] - xs[0])) * (THUMB_1D.w - 6);
      const sy = (y) => THUMB_1D.h - 3 - ((y - lo) / (hi - lo)) * (THUMB_1D.h - 6);
      make("rect", { x: 0.5, y: 0.5, width: THUMB_1D.w - 1, height: THUMB_1D.h - 1, class: "bw-thumb-frame" }, svg);
      make("path", { d: pathOf(xs.map((x, k) => [x, entry.values[k]]), sx, sy), class: "bw-thumb-line" }, svg);
      figure.appendChild(svg);
    }
    html("figcaption", "", figure, entry.label);
  });
  section.dataset.layers = String(layers.length);
}

function render({ model, el }) {
  const root = html("div", "bw-surface", el);
  function draw() {
    root.replaceChildren();
    const kind = model.get("kind");
    root.dataset.kind = kind;
    root.dataset.updates = String(model.get("updates"));
    const titles = {
      "2d": `Network output ${model.get("output_label")} over the input plane`,
      "1d": `Fitted curve ${model.get("output_label")}(x) over the data`,
      none: "Decision surface",
    };
    html("div", "bw-surface-title", root, titles[kind] ?? "");
    if (kind === "none") {
      html("div", "bw-surface-message", root, model.get("message"));
      return;
    }
    const svg = make("svg", { class: `bw-surface-svg bw-surface-svg-${kind}`, role: "img" });
    svg.setAttribute(
      "aria-label",
      `${titles[kind]}: ${model.get("train").length} training and ${model.get("test").length} test instances`,
    );
    root.appendChild(svg);
    (kind === "2d" ? drawPlane : drawLine)(model, svg);
    legend(model, root);
    thumbnails(model, root);
  }
  const { schedule, cancel } = frameScheduler(draw);
  model.on("change:updates", schedule);
  draw();
  return cancel;
}

export default { render };
