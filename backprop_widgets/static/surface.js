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

// A softmax output: one colour per class (colour-blind-safe Dark2), shaded by how sure the
// network is, from a pale tint (a tie between the classes) to the full colour (certain).
const CLASS_COLOURS = [
  [27, 158, 119],
  [217, 95, 2],
  [117, 112, 179],
  [231, 41, 138],
  [102, 166, 30],
  [230, 171, 2],
  [166, 118, 29],
  [102, 102, 102],
];
const classColour = (k) => CLASS_COLOURS[k % CLASS_COLOURS.length];
const tint = (colour, t) => colour.map((v) => Math.round(255 + (v - 255) * (0.12 + 0.73 * t)));
const classCss = (k) => `rgb(${classColour(k)})`;
const classRamp = (k) => `linear-gradient(to right, rgb(${tint(classColour(k), 0)}), rgb(${tint(classColour(k), 1)}))`;

// The winning class of every pixel, shaded by its probability (0 … 255 for 1/K … 1).
function paintClasses(winners, shading, size) {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  const context = canvas.getContext("2d");
  const image = context.createImageData(size, size);
  for (let p = 0; p < size * size; p++) {
    image.data.set([...tint(classColour(winners[p]), shading[p] / 255), 255], 4 * p);
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

// One class's probability ŷ_k (0 … 255 for 0 … 1), white to the class's colour.
function paintClass(bytes, size, offset, k) {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  const context = canvas.getContext("2d");
  const image = context.createImageData(size, size);
  const colour = classColour(k);
  for (let p = 0; p < size * size; p++) {
    const t = bytes[offset + p] / 255;
    image.data.set([...colour.map((v) => Math.round(255 + (v - 255) * t)), 255], 4 * p);
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

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

// The plot's box in an SVG of W × H units, for the y range's ticks (with it) and text drawn
// at the page's size (plotBox).
function boxFor(svg, W, H, [ylo, yhi], right, width) {
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const u = svgTextSize(svg, width);
  const yticks = niceTicks(ylo, yhi);
  const ylabels = tickLabels(yticks);
  return { u, yticks, ylabels, ...plotBox(W, H, u, ylabels, { right }) };
}

// Axes of a plot area: ticks and labels in data units (drawAxes), y ticks as grid lines or marks.
function axes(svg, box, sx, sy, [xlo, xhi], names, grid = false) {
  const xticks = fittedTicks(xlo, xhi, box.x1 - box.x0, box.u);
  drawAxes(svg, box, sx, sy, { xticks, yticks: box.yticks, ylabels: box.ylabels, names, grid });
}

function drawPlane(model, svg, width) {
  const [ax, bx, ay, by] = model.get("extent");
  const box = boxFor(svg, 400, 390, [ay, by], 12, width);
  const sx = (x) => box.x0 + ((x - ax) / (bx - ax)) * (box.x1 - box.x0);
  const sy = (y) => box.y0 - ((y - ay) / (by - ay)) * (box.y0 - box.y1);
  const size = model.get("grid_size");
  const range = model.get("value_range");
  const bytes = bytesOf(model.get("image"));
  const classes = model.get("classes");
  const winners = bytesOf(model.get("winners"));
  const byClass = classes > 0 && winners.length === size * size;
  if (bytes.length === size * size) {
    make("image", {
      href: (byClass ? paintClasses(winners, bytes, size) : paint(bytes, size)).toDataURL(),
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
    model.get(set).forEach(([x, y, target], k) => {
      const colour = classes > 0 ? classCss(target) : shade(target, range);
      const point = make("g", { class: "bw-point", "data-point": k, "data-set": set, transform: `translate(${sx(x)} ${sy(y)})` }, points);
      if (classes > 0) point.dataset.class = String(target);
      if (hollow) {
        make("circle", { r, class: "bw-point-test-edge" }, point);
        make("circle", { r, class: "bw-point-test", style: `stroke: ${colour}` }, point);
      } else {
        make("circle", { r: r + 1.2, class: "bw-point-train-edge" }, point);
        make("circle", { r, class: "bw-point-train", style: `fill: ${colour}` }, point);
      }
    });
  }
  axes(svg, box, sx, sy, [ax, bx], model.get("input_labels"));
  return plotArea(box, [ax, bx, ay, by]);
}

// The plot's box in SVG units and its data ranges: where a gesture lands, in data units.
function plotArea(box, [ax, bx, ay, by]) {
  const { x0, x1, y0, y1 } = box;
  return {
    inside: ([px, py]) => px >= x0 && px <= x1 && py >= y1 && py <= y0,
    data: ([px, py]) => [ax + ((px - x0) / (x1 - x0)) * (bx - ax), ay + ((y0 - py) / (y0 - y1)) * (by - ay)],
    clamp: ([px, py]) => [Math.min(Math.max(px, x0), x1), Math.min(Math.max(py, y1), y0)],
  };
}

function drawLine(model, svg, width) {
  const [ax, bx] = model.get("extent");
  const curve = model.get("curve");
  const train = model.get("train");
  const test = model.get("test");
  const ys = [...curve.map(([, y]) => y), ...train.map(([, y]) => y), ...test.map(([, y]) => y)].filter(finite);
  let [ay, by] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  const pad = Math.max((by - ay) * 0.08, 1e-3);
  [ay, by] = [ay - pad, by + pad];
  const box = boxFor(svg, 480, 300, [ay, by], 14, width);
  const sx = (x) => box.x0 + ((x - ax) / (bx - ax)) * (box.x1 - box.x0);
  const sy = (y) => box.y0 - ((y - ay) / (by - ay)) * (box.y0 - box.y1);
  axes(svg, box, sx, sy, [ax, bx], [model.get("input_labels")[0], "y"], true);
  make("path", { d: pathOf(curve, sx, sy), class: "bw-surface-fit" }, svg);
  const points = make("g", { class: "bw-surface-points" }, svg);
  for (const [set, data] of [["train", train], ["test", test]]) {
    data.forEach(([x, y], k) => {
      const point = make("g", { class: "bw-point", "data-point": k, "data-set": set, transform: `translate(${sx(x)} ${sy(y)})` }, points);
      make("circle", { r: 4, class: `bw-point-1d-${set}` }, point);
    });
  }
  return plotArea(box, [ax, bx, ay, by]);
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
  if (kind === "2d" && model.get("classes") > 0) {
    for (let k = 0; k < model.get("classes"); k++) {
      const key = html("span", "bw-key bw-key-class", row);
      key.dataset.class = String(k);
      html("span", "bw-draw-swatch", key).style.background = classCss(k);
      key.append(`class ${k + 1}`);
    }
    const scale = html("span", "bw-surface-scale", row);
    html("span", "bw-surface-scale-text", scale, `shade: ${label} = ${tickText(lo)}`);
    html("span", "bw-surface-colourbar", scale).style.background = classRamp(0);
    html("span", "bw-surface-scale-text", scale, tickText(hi));
    html("span", "bw-key bw-key-train", row, "train");
    if (model.get("test").length) html("span", "bw-key bw-key-test", row, "test");
    if (model.get("contour").length) html("span", "bw-key bw-key-contour", row, "where the winner changes");
  } else if (kind === "2d") {
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
  return row;
}

// A softmax output: a picture of each class's probability ŷ_k over the plane.
function classThumbnails(model, parent) {
  const classes = model.get("classes");
  const size = model.get("grid_size");
  const bytes = bytesOf(model.get("class_images"));
  if (!classes || bytes.length < classes * size * size) return;
  const section = html("div", "bw-surface-hidden bw-surface-classes", parent);
  html("div", "bw-surface-hidden-title", section, "Each class's probability ŷₖ (white 0, full colour 1)");
  const line = html("div", "bw-thumb-row", section);
  html("span", "bw-thumb-row-label", line, "output");
  const row = html("div", "bw-thumb-list", line);
  for (let k = 0; k < classes; k++) {
    const figure = html("figure", "bw-thumb bw-class-thumb", row);
    figure.tabIndex = 0;
    figure.dataset.class = String(k);
    figure.title = `ŷ${String(k + 1).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[d])}: the probability of class ${k + 1}, from 0 (white) to 1`;
    figure.classList.add(k < classes / 2 ? "bw-thumb-left" : "bw-thumb-right");
    const canvas = paintClass(bytes, size, k * size * size, k);
    canvas.className = "bw-thumb-image";
    figure.appendChild(canvas);
    html("figcaption", "", figure, `ŷ${String(k + 1).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[d])} · class ${k + 1}`);
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

// Two inputs of many on the axes: a selector for each (picking the other one swaps them).
function axisChoice(model, parent) {
  const row = html("div", "bw-surface-axes", parent);
  const n = model.get("n_inputs");
  const pair = model.get("shown_inputs");
  ["horizontal", "vertical"].forEach((name, axis) => {
    const label = html("label", "bw-surface-axis-label", row, `${name} axis `);
    const select = html("select", "bw-surface-axis", label);
    select.dataset.axis = String(axis);
    for (let k = 0; k < n; k++) {
      const option = html("option", "", select, `x${String(k + 1).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[d])}`);
      option.value = String(k);
    }
    select.value = String(pair[axis]);
    select.addEventListener("change", () => {
      const next = [...pair];
      next[axis] = Number(select.value);
      if (next[0] === next[1]) next[1 - axis] = pair[axis];
      model.set("shown_inputs", next);
      model.save_changes();
    });
  });
  html("span", "bw-surface-held", row, model.get("held"));
}

// The drawing tools: the class (or value) of a new point, erase mode, undo of all drawing.
function drawTools(model, parent, state) {
  const row = html("div", "bw-surface-draw", parent);
  const kind = model.get("kind");
  const classes = model.get("draw_classes");
  const range = model.get("value_range");
  if (kind === "1d") {
    html("span", "bw-draw-hint", row, "Click to add a point (x, y), drag to move it");
  } else if (classes.length) {
    html("span", "bw-draw-hint", row, "Click to add class");
    if (!classes.includes(state.target)) state.target = classes[classes.length - 1];
    const byClass = model.get("classes") > 0;
    for (const value of classes) {
      const button = html("button", "bw-draw-class", row, byClass ? `${value + 1}` : tickText(value));
      button.dataset.target = String(value);
      button.setAttribute("aria-pressed", String(value === state.target));
      html("span", "bw-draw-swatch", button).style.background = byClass ? classCss(value) : shade(value, range);
      button.addEventListener("click", () => {
        state.target = value;
        row.querySelectorAll(".bw-draw-class").forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
      });
    }
  } else {
    html("span", "bw-draw-hint", row, "Click to add a point with y =");
    const input = html("input", "bw-draw-value", row);
    input.type = "number";
    input.step = "any";
    input.value = String(Number.isFinite(state.target) ? state.target : (range[0] + range[1]) / 2);
    input.addEventListener("change", () => (state.target = Number(input.value)));
    state.target = Number(input.value);
  }
  const erase = html("button", "bw-draw-erase", row, "Erase");
  erase.title = "Erase mode: a click removes a point (alt-click removes one in any mode)";
  erase.setAttribute("aria-pressed", String(state.erasing));
  erase.addEventListener("click", () => {
    state.erasing = !state.erasing;
    erase.setAttribute("aria-pressed", String(state.erasing));
  });
  const clear = html("button", "bw-draw-clear", row, "Undo drawing");
  clear.title = "Back to the data as it was before points were drawn, moved or erased";
  clear.addEventListener("click", () => model.send({ type: "point", action: "clear" }));
}

// What the last gesture did, or why Python refused it.
function drawMessage(model, parent) {
  const said = html("div", "bw-draw-message", parent, model.get("draw_message"));
  said.classList.toggle("bw-error", model.get("draw_error"));
}

// Gestures on the plot: click to add, drag a point to move it, alt-click (or erase mode) to
// remove it. Python checks every message; the redraw shows what it made of it.
function drawGestures(model, svg, area, state) {
  const at = (event) => {
    const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(svg.getScreenCTM().inverse());
    return [p.x, p.y];
  };
  const kind = model.get("kind");
  const place = (svgPoint) => {
    const [x, y] = area.data(svgPoint);
    return kind === "1d" ? { x: [x], target: y } : { x: [x, y] };
  };
  svg.addEventListener("pointerdown", (event) => {
    const point = event.target.closest("[data-point]");
    const start = at(event);
    if (point && (event.altKey || state.erasing)) {
      model.send({ type: "point", action: "remove", set: point.dataset.set, index: Number(point.dataset.point) });
      return;
    }
    if (!point && !area.inside(start)) return;
    event.preventDefault();
    svg.setPointerCapture(event.pointerId);
    state.dragging = true;
    let moved = false;
    const move = (e) => {
      const now = area.clamp(at(e));
      moved = moved || Math.hypot(now[0] - start[0], now[1] - start[1]) > 3;
      if (point && moved) point.setAttribute("transform", `translate(${now[0]} ${now[1]})`);
    };
    const up = (e) => {
      svg.removeEventListener("pointermove", move);
      svg.removeEventListener("pointerup", up);
      svg.removeEventListener("pointercancel", up);
      state.dragging = false;
      if (e.type === "pointercancel") return state.redraw();
      const end = area.clamp(at(e));
      if (point && moved) {
        model.send({ type: "point", action: "move", set: point.dataset.set, index: Number(point.dataset.point), ...place(end) });
      } else if (!point && !state.erasing) {
        model.send({ type: "point", action: "add", target: state.target, ...place(end) });
      }
      state.redraw();
    };
    svg.addEventListener("pointermove", move);
    svg.addEventListener("pointerup", up);
    svg.addEventListener("pointercancel", up);
  });
}

// In a tab beside the diagram, the plane as large as the tab's height allows once the title,
// tools and legend have their room, so nothing of it needs scrolling (what each hidden neuron
// computes comes below, scrolled to): the plane's max-width, or "" outside a tab. A new width
// redraws the plane (redrawOnResize) for its text's size.
function planeFit(root, svg, legend) {
  const tab = root.closest(".bw-views .widget-tab-contents");
  if (!tab || !tab.clientHeight || !svg.classList.contains("bw-surface-svg-2d")) return "";
  const style = getComputedStyle(tab);
  const room = tab.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  const bottom = legend.getBoundingClientRect().bottom + parseFloat(getComputedStyle(legend).marginBottom);
  const others = bottom - root.getBoundingClientRect().top - svg.getBoundingClientRect().height;
  return `${Math.floor(Math.max(160, Math.min(440, ((room - others) * 400) / 390)))}px`;
}

function render({ model, el }) {
  const root = html("div", "bw-surface", el);
  const state = { target: NaN, erasing: false, dragging: false, redraw: () => {}, fit: "" };
  function draw() {
    if (state.dragging) return; // the point being dragged stays under the pointer
    // The plot's width now, measured before the old drawing goes: laying out the half-built
    // view would shorten the scrolled tab it is in, and the tab would jump.
    const kind = model.get("kind");
    const old = root.querySelector(`.bw-surface-svg-${kind}`);
    const width = old ? old.getBoundingClientRect().width : undefined;
    root.replaceChildren();
    root.dataset.kind = kind;
    root.dataset.updates = String(model.get("updates"));
    const byClass = model.get("classes") > 0;
    root.dataset.classes = String(model.get("classes"));
    const titles = {
      "2d": byClass
        ? "The winning class over the input plane, shaded by its probability max ŷₖ"
        : `Network output ${model.get("output_label")} over the input plane`,
      "1d": `Fitted curve ${model.get("output_label")}(x) over the data`,
      none: "Decision surface",
    };
    html("div", "bw-surface-title", root, titles[kind] ?? "");
    if (kind === "none") {
      html("div", "bw-surface-message", root, model.get("message"));
      return;
    }
    if (kind === "2d" && model.get("n_inputs") > 2) axisChoice(model, root);
    if (model.get("drawable")) drawTools(model, root, state);
    const svg = make("svg", { class: `bw-surface-svg bw-surface-svg-${kind}`, role: "img" });
    svg.style.maxWidth = state.fit;
    svg.setAttribute(
      "aria-label",
      `${titles[kind]}: ${model.get("train").length} training and ${model.get("test").length} test instances`,
    );
    root.appendChild(svg);
    const area = (kind === "2d" ? drawPlane : drawLine)(model, svg, width);
    if (model.get("drawable")) {
      svg.classList.add("bw-surface-drawable");
      drawGestures(model, svg, area, state);
    }
    if (model.get("drawable")) drawMessage(model, root);
    const key = legend(model, root);
    state.fit = planeFit(root, svg, key);
    svg.style.maxWidth = state.fit;
    if (kind === "2d") classThumbnails(model, root);
    thumbnails(model, root);
  }
  const cleanUp = drawOnChange(model, draw, {
    changes: ["updates", "draw_message", "draw_error", "drawable"],
    watch: () => root.querySelector(".bw-surface-svg"),
  });
  state.redraw = cleanUp.schedule;
  return cleanUp;
}

export default { render };
