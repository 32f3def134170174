// E as a function of one weight θ: the curve, the tangent at θ and the next gradient-descent
// step. Python samples the curve and computes every number; this module only draws them.

const W = 480;
const H = 280;
const STRIP = 24; // px above the θ axis kept free of the curve for the step arrow
const MIN_ARROW = 22; // px: a step shorter than this on screen is drawn this long, dashed
let widgets = 0; // for ids that stay unique with several views on one page

function legendRow(parent, swatch, markup, note = "") {
  const row = html("div", `bw-slice-key bw-slice-key-${swatch}`, parent);
  html("span", "bw-slice-swatch", row);
  const text = html("span", "", row);
  text.innerHTML = markup; // words and MathML written in Python from our own numbers
  if (note) text.append(note);
}

function render({ model, el }) {
  const id = `bw-slice-clip-${++widgets}`;
  const root = document.createElement("div");
  root.className = "bw-slice";
  const title = document.createElement("div");
  title.className = "bw-slice-title";
  const svg = make("svg", { viewBox: `0 0 ${W} ${H}`, class: "bw-slice-svg", role: "img" });
  const legend = document.createElement("div");
  legend.className = "bw-slice-legend";
  // With no weight selected: one line inviting a click, in place of an empty plot.
  const invitation = html("div", "bw-slice-message");
  root.append(title, invitation, svg, legend);
  el.appendChild(root);

  function draw() {
    // The plot's width, measured before the old drawing goes: laying out the half-built view
    // would shorten the scrolled tab it is in, and the tab would jump.
    const width = svg.getBoundingClientRect().width || undefined;
    svg.replaceChildren();
    legend.replaceChildren();
    const label = model.get("label");
    const thetas = model.get("thetas");
    const errors = model.get("errors");
    const instanceShown = model.get("instance");
    if (instanceShown >= 0) root.dataset.instance = String(instanceShown);
    else delete root.dataset.instance;
    const empty = !model.get("weight") || !thetas.length;
    root.classList.toggle("bw-slice-is-empty", empty);
    invitation.hidden = !empty;
    legend.hidden = empty;
    svg.style.display = empty ? "none" : ""; // an SVG element has no hidden property
    if (empty) {
      delete root.dataset.theta;
      delete root.dataset.slope;
      delete root.dataset.step;
      root.dataset.weight = "";
      title.textContent = "Error E as a function of one weight";
      invitation.textContent = model.get("message");
      return;
    }
    const { theta, error, slope, step, error_after: after } =
      traits(model, "theta", "error", "slope", "step", "error_after");
    root.dataset.weight = model.get("weight");
    root.dataset.theta = String(theta);
    root.dataset.slope = String(slope);
    root.dataset.step = String(step);
    delete root.dataset.magnified;
    const data = model.get("data_label");
    title.textContent = `${model.get("loss_title")} E${data ? ` of ${data}` : ""} as a function of ${label}, all other parameters fixed`;

    const shown = [...errors, error, after].filter(finite);
    let ymin = Math.min(...shown);
    let ymax = Math.max(...shown);
    if (!Number.isFinite(ymin)) [ymin, ymax] = [0, 1];
    if (ymax - ymin < 1e-9) {
      const pad = Math.max(Math.abs(ymax) * 0.05, 1e-3);
      [ymin, ymax] = [ymin - pad, ymax + pad];
    }
    const ypad = (ymax - ymin) * 0.08;
    ymin -= ypad;
    ymax += ypad;
    const xmin = thetas[0];
    const xmax = thetas[thetas.length - 1];
    const yticks = niceTicks(ymin, ymax, 4);
    const ylabels = tickLabels(yticks);
    const u = svgTextSize(svg, width);
    const box = plotBox(W, H, u, ylabels, { right: 18, top: 14 });
    const { x0, x1, y0, y1 } = box;
    const sx = (x) => x0 + ((x - xmin) / (xmax - xmin)) * (x1 - x0);
    const sy = (y) => y0 - STRIP - ((y - ymin) / (ymax - ymin)) * (y0 - STRIP - y1);
    svg.setAttribute(
      "aria-label",
      `E against ${label}: at ${label} = ${numberText(theta)}, E = ${numberText(error)}, slope ${numberText(slope)}, next step ${numberText(step)}`,
    );

    const clip = make("clipPath", { id }, make("defs", {}, svg));
    make("rect", { x: x0, y: y1, width: x1 - x0, height: y0 - STRIP - y1 }, clip);
    const xticks = fittedTicks(xmin, xmax, x1 - x0, u, { count: 7 });
    drawAxes(svg, box, sx, sy, {
      xticks, yticks, ylabels, names: [label, "E"], classes: ["bw-slice-axis-theta", "bw-slice-axis-e"], grid: true,
    });

    const plot = make("g", { "clip-path": `url(#${id})` }, svg);
    let d = "";
    let pen = false;
    thetas.forEach((t, k) => {
      const e = errors[k];
      if (e === null || !Number.isFinite(e)) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"} ${sx(t).toFixed(2)} ${sy(e).toFixed(2)} `;
      pen = true;
    });
    make("path", { d, class: "bw-slice-curve" }, plot);

    const marks = make("g", {}, svg);
    const haveStep = finite(step) && finite(after);
    if (finite(error)) {
      make("line", { x1: sx(theta), y1: sy(error), x2: sx(theta), y2: y0, class: "bw-slice-guide" }, marks);
      if (finite(slope)) {
        const reach = (xmax - xmin) / 4;
        const ta = theta - reach;
        const tb = theta + reach;
        make("line", { x1: sx(ta), y1: sy(error - slope * reach), x2: sx(tb), y2: sy(error + slope * reach), class: "bw-slice-tangent" }, plot);
      }
      if (haveStep && step !== 0) {
        // A step too short to see at this scale is drawn longer, dashed, and said so.
        const xa = sx(theta);
        const toScale = Math.abs(sx(theta + step) - xa) >= MIN_ARROW / 2;
        const dir = Math.sign(step);
        const xb = toScale ? sx(theta + step) : xa + dir * MIN_ARROW;
        const ya = y0 - 12;
        const head = Math.min(9, Math.abs(xb - xa));
        const arrow = make("g", { class: `bw-slice-step${toScale ? "" : " bw-slice-step-magnified"}` }, marks);
        make("line", { x1: xa, y1: ya, x2: xb - dir * head, y2: ya, class: "bw-slice-step-line" }, arrow);
        make("polygon", { points: `${xb},${ya} ${xb - dir * head},${ya - 5} ${xb - dir * head},${ya + 5}`, class: "bw-slice-step-head" }, arrow);
        if (toScale) {
          make("line", { x1: xb, y1: sy(after), x2: xb, y2: ya, class: "bw-slice-guide bw-slice-step-guide" }, arrow);
          make("circle", { cx: xb, cy: sy(after), r: 5, class: "bw-slice-next" }, arrow);
        } else {
          root.dataset.magnified = "true";
        }
      }
      make("circle", { cx: sx(theta), cy: sy(error), r: 5.5, class: "bw-slice-now" }, marks);
    }

    const scale = root.dataset.magnified ? "; too short to see here: its arrow is drawn longer, dashed" : "";
    for (const { swatch, html: markup } of model.get("legend")) {
      legendRow(legend, swatch, markup, swatch === "step" ? scale : "");
    }
  }
  const changes = ["thetas", "errors", "theta", "error", "slope", "step", "error_after", "learning_rate", "weight", "label", "message", "data_label", "step_label", "instance", "legend"];
  return drawOnChange(model, draw, { changes, watch: () => svg });
}

export default { render };
