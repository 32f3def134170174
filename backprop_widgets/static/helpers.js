// Helpers every view shares. This file is no module of its own: Python puts its text in front
// of each view's module (views.esm), so a view uses these names as if it had declared them.
// A view must not declare any of them again.

const SVG = "http://www.w3.org/2000/svg";

// An SVG element with attributes, appended to parent when one is given.
const make = (tag, attrs = {}, parent = null) => {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
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

// An axis label: three significant digits, or e-notation with `decimals` digits after the point.
const tickText = (v, decimals = 1) =>
  !Number.isFinite(v) ? "—" : v === 0 ? "0" : Math.abs(v) < 1e-2 || Math.abs(v) >= 1e4 ? scientific(v, decimals) : String(+v.toPrecision(3));

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
  copying.then(
    () => {
      button.textContent = "Copied";
      button.dataset.copied = "true";
    },
    () => {
      button.textContent = refused();
    },
  );
  setTimeout(() => {
    button.textContent = label;
  }, 2000);
}

// draw() now and on the next animation frame after any change of the model's traits; returns
// the view's clean-up (for ``render``'s return value).
function drawOnChange(model, draw) {
  const frames = frameScheduler(draw);
  model.on("change", frames.schedule);
  draw();
  return () => {
    frames.cancel();
    model.off("change", frames.schedule);
  };
}
