// Helpers every view shares. This file is no module of its own: Python puts its text in front
// of each view's module (views.esm), so a view uses these names as if it had declared them.
// A view must not declare any of them again.

const SVG = "http://www.w3.org/2000/svg";

// An element's attributes set from an object; the element is returned.
const setAttributes = (node, attrs) => {
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
};

// An SVG element with attributes, appended to parent when one is given.
const make = (tag, attrs = {}, parent = null) => {
  const node = setAttributes(document.createElementNS(SVG, tag), attrs);
  if (parent) parent.appendChild(node);
  return node;
};

// An HTML element with a class and text, appended to parent when one is given.
const html = (tag, className, parent = null, text = null) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
};

// A number Python sent: JSON has no NaN or infinity, so those arrive as null.
// The model's traits named, as one object: const { theta, slope } = traits(model, "theta", "slope").
const traits = (model, ...names) => Object.fromEntries(names.map((name) => [name, model.get(name)]));

const finite = (v) => v !== null && Number.isFinite(v);

// v in e-notation as a mathematician writes it: 4.769 × 10⁻⁵, never "4.769e-5" (which reads
// as a subtraction), with a true minus sign.
const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const scientific = (v, decimals) => {
  const [mantissa, exponent] = v.toExponential(decimals).split("e");
  const power = String(Number(exponent)).replace("-", "⁻").replace(/\d/g, (d) => SUPERSCRIPT[d]);
  return `${mantissa.replace(/^-/, "−")} × 10${power}`;
};

// The network diagram's numbers: three decimals, or three significant digits in e-notation.
const fixedText = (v) =>
  Number.isFinite(v) ? (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? scientific(v, 2) : v.toFixed(3)) : "—";

// A number in a sentence: four significant digits, e-notation far from 1, a true minus sign.
const numberText = (v) => {
  if (!finite(v)) return "not finite";
  if (v === 0) return "0";
  if (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5) return scientific(v, 3);
  const text = String(+v.toPrecision(4));
  return text.replace(/^-/, "−");
};

// An axis label: three significant digits, or e-notation with `decimals` digits after the point;
// a true minus sign.
const tickText = (v, decimals = 1) =>
  !Number.isFinite(v) ? "—" : v === 0 ? "0" : Math.abs(v) < 1e-2 || Math.abs(v) >= 1e4 ? scientific(v, decimals) : String(+v.toPrecision(3)).replace(/^-/, "−");

// About `count` round values (1, 2 or 5 × a power of ten apart) from lo to hi. The last may lie
// past hi by slack(unit), which forgives rounding in the running sum.
function niceTicks(lo, hi, count = 5, slack = (unit) => unit * 1e-9) {
  const span = hi - lo || 1;
  const step = 10 ** Math.floor(Math.log10(span / count));
  const unit = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= count) ?? step * 10;
  const ticks = [];
  for (let t = Math.ceil(lo / unit) * unit; t <= hi + slack(unit); t += unit) ticks.push(+t.toPrecision(12));
  return ticks;
}

// The size, in an SVG's own units, at which its text is as large on screen as the HTML around
// it, whatever the SVG's scale: the CSS font size times the viewBox width over the width on
// screen. Set as --bw-svg-text, which tick and axis labels use (widgets.css). An SVG not shown
// (in a hidden tab) has no width yet: then the CSS size itself. `width` is the SVG's width on
// screen when the caller measured it already (before taking the old drawing down, so that no
// layout of a half-built view moves the page's scroll).
function svgTextSize(svg, width = svg.getBoundingClientRect().width) {
  const px = parseFloat(getComputedStyle(svg).fontSize) || 12;
  const view = svg.viewBox.baseVal;
  const units = width && view && view.width ? (px * view.width) / width : px;
  const size = `${units.toFixed(2)}px`; // set only when it changes: a redraw per frame while playing
  if (svg.style.getPropertyValue("--bw-svg-text") !== size) svg.style.setProperty("--bw-svg-text", size);
  if (svg.dataset.drawnWidth !== String(Math.round(width))) svg.dataset.drawnWidth = String(Math.round(width));
  return units;
}

// A plot's box in an SVG of W × H units whose text is u units high: on the left room for the
// y tick labels (and the y axis's name when `named`), below for the x tick labels and the x
// axis's name. With it, where those texts go (their baselines and the name's centre), W and u.
function plotBox(W, H, u, yLabels, { named = true, right = 14, top = 12 } = {}) {
  const chars = Math.max(1, ...yLabels.map((text) => text.length));
  const x0 = Math.ceil((named ? 1.5 * u : 0) + 0.6 * u * chars + 12);
  const y0 = H - Math.ceil(2.5 * u + 8);
  return {
    W, u, x0, x1: W - right, y0, y1: Math.max(top, Math.ceil(0.5 * u)),
    xTickY: y0 + 5 + u, xNameY: H - 0.3 * u, yTickX: x0 - 8, yNameX: 0.75 * u, lift: 0.35 * u,
  };
}

// Calls redraw() when an SVG's width on screen is no longer the one it was drawn for (which
// svgTextSize records): a tab shown, the window or the column resized. watch(svg) each SVG a
// draw makes; stop() is the view's clean-up.
function redrawOnResize(redraw) {
  const observer = new ResizeObserver((entries) => {
    for (const { target, contentRect } of entries) {
      if (Math.round(contentRect.width) !== Number(target.dataset.drawnWidth ?? -1)) redraw();
    }
  });
  let watched = null;
  return {
    watch(svg) {
      if (svg === watched) return;
      if (watched) observer.unobserve(watched);
      observer.observe(svg);
      watched = svg;
    },
    stop: () => observer.disconnect(),
  };
}

// Tick labels (tickText) with as many decimals in e-notation as it takes to tell each tick
// exactly: 1.5 × 10⁴, never 2 × 10⁴ for 15000; at least `decimals`.
function tickLabels(ticks, decimals = 1) {
  let d = decimals;
  while (d < 4 && ticks.some((t) => t !== 0 && Number(t.toExponential(d)) !== t)) d++;
  return ticks.map((t) => tickText(t, d));
}

// About `count` ticks from lo to hi (niceTicks) and their labels (`label(ticks)`, tickLabels
// by default); fewer where the labels, u units high, would not fit side by side in `width` units.
function fittedTicks(lo, hi, width, u, { count = 5, slack = undefined, label = tickLabels } = {}) {
  for (let n = count; ; n--) {
    const ticks = niceTicks(lo, hi, n, slack);
    const labels = label(ticks);
    const widest = Math.max(0, ...labels.map((label) => label.length)) * 0.6 * u;
    if (n <= 2 || ticks.length * (widest + u) <= width) return { ticks, labels };
  }
}

// A plot's axes in its box (plotBox), drawn into `parent`: the x ticks ({ ticks, labels }, as
// fittedTicks gives them) as marks below the x axis, each label kept inside the SVG (the last
// one of a loss curve's epochs sits at the right edge); the y ticks as grid lines across the
// plot (`grid`) or as marks left of it; the two axis lines; and the axes' names, each with its
// own extra class (a name that is null is not drawn).
function drawAxes(parent, box, sx, sy, { xticks, yticks, ylabels, names = [null, null], classes = ["", ""], grid = false }) {
  const { x0, x1, y0, y1 } = box;
  yticks.forEach((t, k) => {
    const line = grid ? { x1: x0, x2: x1, class: "bw-grid" } : { x1: x0 - 5, x2: x0, class: "bw-axis" };
    make("line", { ...line, y1: sy(t), y2: sy(t) }, parent);
    make("text", { x: box.yTickX, y: sy(t) + box.lift, class: "bw-tick bw-tick-y" }, parent).textContent = ylabels[k];
  });
  xticks.ticks.forEach((t, k) => {
    make("line", { x1: sx(t), y1: y0, x2: sx(t), y2: y0 + 5, class: "bw-axis" }, parent);
    const half = 0.32 * box.u * xticks.labels[k].length; // about half the label's width
    const x = Math.max(half, Math.min(sx(t), box.W - half));
    make("text", { x, y: box.xTickY, class: "bw-tick" }, parent).textContent = xticks.labels[k];
  });
  make("line", { x1: x0, y1: y0, x2: x1, y2: y0, class: "bw-axis" }, parent);
  make("line", { x1: x0, y1: y0, x2: x0, y2: y1, class: "bw-axis" }, parent);
  const places = [
    { x: (x0 + x1) / 2, y: box.xNameY },
    { x: box.yNameX, y: (y0 + y1) / 2 + box.lift },
  ];
  names.forEach((name, axis) => {
    if (name === null) return;
    const label = make("text", { ...places[axis], class: `bw-axis-label ${classes[axis]}`.trim() }, parent);
    label.textContent = name;
  });
}

// Many model changes, one redraw: schedule() asks for draw() on the next animation frame unless
// it is asked for already; cancel() drops a pending one (for the view's clean-up).
function frameScheduler(draw) {
  let frame = 0;
  const run = () => {
    frame = 0;
    draw();
  };
  return {
    schedule() {
      if (!frame) frame = requestAnimationFrame(run);
    },
    cancel() {
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
    },
  };
}

// A copy button says how its copy went for 2 s ("Copied", or what `refused()` returns and does),
// then its own `label` again.
function announceCopy(button, label, copying, refused) {
  const turn = (button.bwCopies = (button.bwCopies ?? 0) + 1); // a later click's answer wins
  copying.then(
    () => {
      if (button.bwCopies !== turn) return;
      button.textContent = "Copied";
      button.dataset.copied = "true";
    },
    () => {
      if (button.bwCopies !== turn) return;
      button.textContent = refused();
    },
  );
  // A second click within the two seconds keeps its own message for its full two seconds.
  clearTimeout(button.bwRestore);
  button.bwRestore = setTimeout(() => {
    button.textContent = label;
  }, 2000);
}

// draw() now, and on the next animation frame after a change of one of the traits named in
// `changes` (of any trait when none are named) and, with `watch` (what gives the SVG just
// drawn, or null), when that SVG's width on screen is no longer the one it was drawn for
// (redrawOnResize). Returns the view's clean-up (for ``render``'s return value); its
// `schedule` asks for a redraw.
function drawOnChange(model, draw, { changes = null, watch = null } = {}) {
  let resizes = null;
  const redraw = () => {
    draw();
    const svg = watch && watch();
    if (svg) resizes.watch(svg);
  };
  const frames = frameScheduler(redraw);
  if (watch) resizes = redrawOnResize(frames.schedule);
  const events = changes ? changes.map((name) => `change:${name}`) : ["change"];
  for (const event of events) model.on(event, frames.schedule);
  redraw();
  const cleanUp = () => {
    frames.cancel();
    resizes?.stop();
    for (const event of events) model.off(event, frames.schedule);
  };
  cleanUp.schedule = frames.schedule;
  return cleanUp;
}
