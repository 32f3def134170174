// The network diagram: draws what Python sends, reports clicks and keys back as messages.
// Python owns the numbers and validates every message; nothing here changes the network.

const SUB = "₀₁₂₃₄₅₆₇₈₉";
const SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹";

const digits = (n, table) => String(n).replace(/\d/g, (d) => table[d]);

// Lecture labels, 1-based: weights[l][i][j] is θ^(l+1)_(i+1)(j+1); a bias is θ^(l+1)_(i+1)0.
export function thetaLabel(l, i, j) {
  const col = j === "bias" ? 0 : Number(j) + 1;
  return `θ${digits(l + 1, SUP)}${digits(i + 1, SUB)}${digits(col, SUB)}`;
}

const NODE_R = 22;
const COL_W = 190;
const ROW_H_PLAIN = 64;
const ROW_H_ANNOTATED = 80;
const TOP = 56;
const HIT = 7; // half-width of an edge's clickable band
const NOTE_LINE = 24; // a line of the demo's δ lists, in the diagram's units
const OUTPUT_LINES = 3; // the demo's note on the output: y, ŷ and E
const OUTPUT_LINE = 22;
const NOTE_PAD = 6;

// Annotated (the step-through demo): under the nodes, where no edge runs, each layer's column
// ends in the list of its δ, the output's after its y, ŷ and E.
function layout(sizes, bias, annotated) {
  const ROW_H = annotated ? ROW_H_ANNOTATED : ROW_H_PLAIN;
  const rows = Math.max(...sizes.map((n, l) => n + (bias && l < sizes.length - 1 ? 1 : 0)));
  const width = Math.max(2, sizes.length) * COL_W;
  const listTop = TOP + rows * ROW_H + 8;
  const outputTop = listTop + OUTPUT_LINES * OUTPUT_LINE + 8;
  const listBottom = (l) => (l === sizes.length - 1 ? outputTop : listTop) + sizes[l] * NOTE_LINE + 2 * NOTE_PAD;
  const height = annotated ? Math.max(...sizes.slice(1).map((_, k) => listBottom(k + 1))) + 12 : TOP + rows * ROW_H + 64;
  const columns = sizes.map((n, l) => {
    const x = COL_W / 2 + l * COL_W;
    const hasBias = bias && l < sizes.length - 1;
    const count = n + (hasBias ? 1 : 0);
    const y0 = TOP + ((rows - count) * ROW_H) / 2 + ROW_H / 2;
    const nodes = Array.from({ length: n }, (_, i) => ({ x, y: y0 + (i + (hasBias ? 1 : 0)) * ROW_H }));
    return { x, nodes, bias: hasBias ? { x, y: y0 } : null };
  });
  return { width, height, columns, listTop, outputTop };
}

// ---- the step-through demo's notes -------------------------------------------------------
// δ in a list under each layer, where no edge runs; Δθ in tables beside the diagram (drawTables).
// Sizes are in the diagram's units (the SVG scales them).

const NOTE_FONT = 18; // .bw-node-note's and .bw-output-note's font-size in widgets.css

let measureContext = null;
// The width of a line of text in the diagram's font, measured even while the view is hidden.
function textWidth(text, svg, size) {
  measureContext ??= document.createElement("canvas").getContext("2d");
  const family = (svg.isConnected && getComputedStyle(svg).fontFamily) || "sans-serif";
  measureContext.font = `${size}px ${family}`;
  return measureContext.measureText(text).width * 1.04;
}

// Layer l's δ list under its column: a box, and a line of text per node (empty until shown).
function deltaList(parent, x, top, l, count) {
  const list = make("g", { class: "bw-delta-list", "data-layer": l }, parent);
  make("rect", { class: "bw-note-box", rx: 6 }, list);
  const lines = Array.from({ length: count }, (_, i) => {
    const y = top + NOTE_PAD + (i + 0.75) * NOTE_LINE;
    return make("text", { x, y, class: "bw-node-note", "data-note": `${l},${i}` }, list);
  });
  return { list, lines, x, top };
}

// The δ of each layer reached, as a list under the layer, "δ²₁ = −0.03912" a line in the order
// of the nodes: nothing is drawn below the lowest node, so no edge runs through them. A list's
// box is as wide as its widest line; the viewBox widens if a list or the output's note (centred
// under the output) would stick out on the right.
function drawDeltaLists(svg, lists, geometry, outputNote, delta) {
  let right = geometry.width;
  const outputLines = [...outputNote.children].map((span) => span.textContent);
  if (outputLines.length) {
    const w = Math.max(...outputLines.map((line) => textWidth(line, svg, NOTE_FONT)));
    right = Math.max(right, Number(outputNote.getAttribute("x")) + w / 2 + 8);
  }
  for (const [l, { list, lines, x, top }] of lists) {
    const texts = lines.map((line, i) => {
      const d = delta[l]?.[i];
      line.textContent = Number.isFinite(d) ? `δ${digits(l + 1, SUP)}${digits(i + 1, SUB)} = ${numberText(d)}` : "";
      return line.textContent;
    });
    list.style.display = texts.some(Boolean) ? "" : "none";
    const w = Math.max(...texts.map((text) => textWidth(text, svg, NOTE_FONT))) + 2 * NOTE_PAD;
    const box = { x: x - w / 2, y: top, width: w, height: lines.length * NOTE_LINE + 2 * NOTE_PAD };
    for (const [key, value] of Object.entries(box)) list.firstChild.setAttribute(key, value);
    for (const line of lines) line.setAttribute("x", box.x + NOTE_PAD);
    if (texts.some(Boolean)) right = Math.max(right, box.x + w + 8);
  }
  svg.setAttribute("viewBox", `0 0 ${right} ${geometry.height}`);
}

// A symbol with a superscript layer and a subscript index, as HTML: θ¹ᵢⱼ is indexed(p, "θ", 1, "ij").
function indexed(parent, symbol, layer, index) {
  const span = html("span", "bw-indexed", parent, symbol);
  html("sup", "", span, String(layer));
  html("sub", "", span, String(index));
  return span;
}

// One table per layer of weights θˡ, beside the diagram: a row for each node j of layer l (the
// "+1" first, as drawn), a column for each node i of layer l+1, so that cell (j, i) is
// Δθˡᵢⱼ = η δˡ⁺¹ᵢ aˡⱼ with aˡⱼ at the row's head and δˡ⁺¹ᵢ at the column's. At "Update weights"
// the cells hold the new θˡᵢⱼ. Empty, and hidden, before "Calculate Δθ".
function drawTables(panel, model, selected) {
  const { sizes, bias, a, delta, dtheta, dbias, weights, biases, phase } = traits(
    model, "sizes", "bias", "a", "delta", "dtheta", "dbias", "weights", "biases", "phase",
  );
  panel.replaceChildren();
  const known = dtheta.length > 0;
  panel.dataset.shown = String(known);
  if (!known) return;
  const update = phase === "update";
  for (let l = 0; l < sizes.length - 1; l++) {
    const table = html("table", "bw-dtheta-table", panel);
    table.dataset.layer = String(l);
    const caption = html("caption", "", table);
    if (update) {
      indexed(caption, "θ", l + 1, "ij");
      caption.append(" ← ");
      indexed(caption, "θ", l + 1, "ij");
      caption.append(" + ");
      indexed(caption, "Δθ", l + 1, "ij");
    } else {
      indexed(caption, "Δθ", l + 1, "ij");
      caption.append(" = η ");
      indexed(caption, "δ", l + 2, "i");
      caption.append(" ");
      indexed(caption, "a", l + 1, "j");
    }
    const head = html("tr", "", html("thead", "", table));
    html("th", "", head);
    for (let i = 0; i < sizes[l + 1]; i++) {
      const th = html("th", "", head);
      th.scope = "col";
      indexed(th, "δ", l + 2, i + 1);
      th.append(" =", html("br"), numberText(delta[l + 1][i]));
    }
    const body = html("tbody", "", table);
    const sources = [...(bias ? ["bias"] : []), ...Array.from({ length: sizes[l] }, (_, j) => j)];
    for (const j of sources) {
      const row = html("tr", "", body);
      const th = html("th", "", row);
      th.scope = "row";
      indexed(th, "a", l + 1, j === "bias" ? 0 : j + 1);
      th.append(` = ${j === "bias" ? "1" : numberText(a[l][j])}`);
      for (let i = 0; i < sizes[l + 1]; i++) {
        const step = j === "bias" ? dbias[l][i] : dtheta[l][i][j];
        const theta = j === "bias" ? biases[l][i] : weights[l][i][j];
        const name = thetaLabel(l, i, j);
        const cell = html("td", "", row, numberText(update ? theta : step));
        cell.dataset.cell = `${l},${i},${j}`;
        cell.dataset.value = String(update ? theta : step);
        cell.tabIndex = 0;
        cell.title = update
          ? `${name} = ${numberText(theta)}, after Δ${name} = ${numberText(step)} was added`
          : `Δ${name} = ${numberText(step)}`;
        cell.classList.toggle("bw-selected", cell.dataset.cell === selected);
      }
    }
  }
}

function render({ model, el }) {
  const root = document.createElement("div");
  // .bw-network is the playground's diagram (a test hook); the demo's is .bw-demo-network.
  root.className = `bw-diagram ${model.get("root_class")}`;
  const svg = make("svg", { class: "bw-network-svg", tabindex: "0", role: "group" });
  // The demo's drawing keeps its place when the Δθ tables appear beside it.
  if (model.get("annotated")) svg.setAttribute("preserveAspectRatio", "xMinYMin meet");
  svg.setAttribute("aria-label", "Network diagram: arrow keys move between weights, Enter selects one");
  root.appendChild(svg);
  el.appendChild(root);

  let edges = []; // {key, group, line, pulse, ends, title, l, i, j}
  let outputNote = null;
  let nodes = []; // {key, group, circle, text, title, l, i}
  let geometry = null; // the layout's width and height (the δ lists may widen the viewBox)
  let deltaLists = new Map(); // layer → its δ list (the demo's)
  let focus = -1;
  // The demo's Δθ tables stand beside the diagram, in HTML: no edge runs through them.
  const tables = model.get("annotated") ? html("div", "bw-demo-tables", root) : null;

  function build() {
    const sizes = model.get("sizes");
    const bias = model.get("bias");
    const annotated = model.get("annotated");
    const { width, height, columns, listTop, outputTop } = layout(sizes, bias, annotated);
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.replaceChildren();
    edges = [];
    nodes = [];
    geometry = { width, height };
    deltaLists = new Map();
    const edgeLayer = make("g", { class: "bw-edges" }, svg);
    const nodeLayer = make("g", { class: "bw-nodes" }, svg);
    const noteLayer = make("g", { class: "bw-notes" }, svg);
    outputNote = make("text", { x: columns[columns.length - 1].x, y: 0, class: "bw-output-note" }, noteLayer);
    outputNote.dataset.y = String(listTop + OUTPUT_LINE - 4);
    const L = sizes.length;
    for (let l = 0; l < L - 1; l++) {
      const from = columns[l];
      const to = columns[l + 1];
      to.nodes.forEach((target, i) => {
        const sources = from.nodes.map((p, j) => [p, j]);
        if (from.bias) sources.unshift([from.bias, "bias"]);
        sources.forEach(([source, j]) => {
          const key = `${l},${i},${j}`;
          const group = make("g", { class: "bw-edge", "data-weight": key }, edgeLayer);
          const [x1, y1, x2, y2] = [source.x + NODE_R, source.y, target.x - NODE_R, target.y];
          const pulse = make("path", { d: `M ${x1} ${y1} L ${x2} ${y2}`, class: "bw-edge-pulse" }, group);
          const line = make("path", { d: `M ${x1} ${y1} L ${x2} ${y2}`, class: "bw-edge-line" }, group);
          // A filled band around the line: easy to hit, and never a zero-height box.
          const length = Math.hypot(x2 - x1, y2 - y1) || 1;
          const [nx, ny] = [(-(y2 - y1) / length) * HIT, ((x2 - x1) / length) * HIT];
          const band = [[x1 + nx, y1 + ny], [x2 + nx, y2 + ny], [x2 - nx, y2 - ny], [x1 - nx, y1 - ny]];
          make("polygon", { points: band.map((p) => p.join(",")).join(" "), class: "bw-edge-hit" }, group);
          const title = make("title", {}, group);
          edges.push({ key, group, line, pulse, ends: [x1, y1, x2, y2], title, l, i, j });
        });
      });
    }
    columns.forEach((column, l) => {
      const role = l === 0 ? "input" : l === L - 1 ? "output" : "hidden";
      const label = make("text", { x: column.x, y: 22, class: "bw-layer-label" }, nodeLayer);
      label.textContent = `Layer ${l + 1} (${role})`;
      if (column.bias) {
        const g = make("g", { class: "bw-node bw-bias-node", "data-node": `${l},bias` }, nodeLayer);
        make("circle", { cx: column.x, cy: column.bias.y, r: NODE_R * 0.8 }, g);
        const t = make("text", { x: column.x, y: column.bias.y + 5 }, g);
        t.textContent = "+1";
        make("title", {}, g).textContent = `bias unit a${digits(l + 1, SUP)}${SUB[0]} = 1`;
      }
      if (annotated && l > 0) {
        const top = l === L - 1 ? outputTop : listTop;
        deltaLists.set(l, deltaList(noteLayer, column.x, top, l, column.nodes.length));
      }
      column.nodes.forEach((p, i) => {
        const g = make("g", { class: `bw-node bw-${role}-node`, "data-node": `${l},${i}` }, nodeLayer);
        const circle = make("circle", { cx: p.x, cy: p.y, r: NODE_R }, g);
        const text = make("text", { x: p.x, y: p.y + 5 }, g);
        const title = make("title", {}, g);
        nodes.push({ key: `${l},${i}`, group: g, circle, text, title, l, i });
      });
      if (role === "hidden" && model.get("editable")) {
        const y = column.nodes[column.nodes.length - 1].y + NODE_R + 26;
        for (const [dx, delta, symbol] of [[-18, -1, "−"], [18, 1, "+"]]) {
          const b = make("g", { class: "bw-resize", role: "button", tabindex: "0", "data-layer": l, "data-delta": delta }, nodeLayer);
          // At the limits the button is shown disabled (Python would refuse the message anyway).
          const count = column.nodes.length;
          if (delta > 0 ? count >= model.get("max_neurons") : count <= 1) {
            b.classList.add("bw-disabled");
            b.setAttribute("aria-disabled", "true");
          }
          make("rect", { x: column.x + dx - 13, y: y - 13, width: 26, height: 26, rx: 6 }, b);
          make("text", { x: column.x + dx, y: y + 6 }, b).textContent = symbol;
          make("title", {}, b).textContent = `${delta > 0 ? "Add a neuron to" : "Remove a neuron from"} layer ${l + 1}`;
        }
      }
    });
    focus = Math.min(focus, edges.length - 1);
    shown = new Map();
    tween = null;
  }

  // New weights move in over model.get("tween") seconds (Step, slow play), each edge flashing
  // by how much it changed; 0 (training as fast as it goes, a drag) draws them at once.
  const still = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
  let shown = new Map(); // key → the θ an edge is drawn with now
  let tween = null; // { from, to, biggest, start, duration } while edges move
  const theta = (e, weights, biases) => (e.j === "bias" ? biases[e.l]?.[e.i] : weights[e.l]?.[e.i]?.[e.j]);

  // Read when the weights arrive: a later message may set the tween back to 0 before the draw.
  function startTween() {
    const duration = still ? 0 : 1000 * model.get("tween");
    tween = null;
    if (!duration || !shown.size) return;
    const { weights, biases } = traits(model, "weights", "biases");
    const from = new Map();
    const to = new Map();
    let biggest = 0;
    for (const e of edges) {
      const [a, b] = [shown.get(e.key), theta(e, weights, biases)];
      if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
      from.set(e.key, a);
      to.set(e.key, b);
      biggest = Math.max(biggest, Math.abs(b - a));
    }
    if (biggest > 0) tween = { from, to, biggest, start: performance.now(), duration };
  }

  // The edges' width (by |θ|) and colour (by sign) as drawn now, and the flash of a tween.
  function drawEdges() {
    const { weights, biases } = traits(model, "weights", "biases");
    const t = tween ? Math.min(1, (performance.now() - tween.start) / tween.duration) : 1;
    const eased = 1 - (1 - t) ** 3;
    const values = edges.map((e) => {
      const target = theta(e, weights, biases);
      if (!tween || !tween.to.has(e.key)) return target;
      const [a, b] = [tween.from.get(e.key), tween.to.get(e.key)];
      return a + (b - a) * eased;
    });
    let biggest = 1e-12;
    for (const v of values) if (Number.isFinite(v)) biggest = Math.max(biggest, Math.abs(v));
    edges.forEach((e, k) => {
      const v = values[k];
      const width = 1 + 9 * Math.min(1, Math.abs(v ?? 0) / biggest);
      e.line.style.strokeWidth = `${width}`;
      e.group.classList.toggle("bw-positive", v >= 0);
      e.group.classList.toggle("bw-negative", v < 0);
      shown.set(e.key, v);
      const flash = tween && tween.to.has(e.key) ? Math.abs(tween.to.get(e.key) - tween.from.get(e.key)) / tween.biggest : 0;
      const opacity = flash ? (0.85 * flash * (1 - t)).toFixed(3) : "0";
      if (e.pulse.style.strokeOpacity !== opacity) e.pulse.style.strokeOpacity = opacity;
      if (flash) e.pulse.style.strokeWidth = `${width + 8}`;
    });
    if (tween && t >= 1) tween = null;
    if (tween) animate.schedule();
  }
  const animate = frameScheduler(drawEdges);

  function update() {
    const { weights, biases, grad_weights: gw, grad_biases: gb, a, z, selected, instance_label: instance } =
      traits(model, "weights", "biases", "grad_weights", "grad_biases", "a", "z", "selected", "instance_label");
    drawEdges();
    edges.forEach((e, index) => {
      const v = theta(e, weights, biases);
      const g = theta(e, gw, gb);
      e.group.classList.toggle("bw-selected", e.key === selected);
      e.group.classList.toggle("bw-focused", index === focus);
      // A line of a tooltip only for a number that was sent ([] in the demo before its phase).
      const name = thetaLabel(e.l, e.i, e.j);
      const slope = g === undefined ? "" : `\n∂E/∂${name} = ${fixedText(g)}${instance ? ` (${instance})` : ""}`;
      e.title.textContent = `${name} = ${fixedText(v)}${slope}`;
    });
    for (const n of nodes) {
      const value = a[n.l]?.[n.i];
      n.text.textContent = Number.isFinite(value) ? value.toFixed(2) : "";
      const name = `${digits(n.l + 1, SUP)}${digits(n.i + 1, SUB)}`;
      const zValue = z[n.l]?.[n.i];
      const lines = [
        ...(value === undefined ? [] : [`a${name} = ${fixedText(value)}`]),
        ...(n.l > 0 && zValue !== undefined ? [`z${name} = ${fixedText(zValue)}`] : []),
      ];
      n.title.textContent = lines.length ? lines.join("\n") : `a${name}: not computed yet`;
    }
    const delta = model.get("delta");
    const dtheta = model.get("dtheta");
    const dbias = model.get("dbias");
    const focusLayer = model.get("focus_layer");
    for (const n of nodes) {
      const d = delta[n.l]?.[n.i];
      if (Number.isFinite(d)) n.group.dataset.delta = String(d);
      else delete n.group.dataset.delta;
      const value = a[n.l]?.[n.i];
      if (Number.isFinite(value)) n.group.dataset.a = String(value);
      else delete n.group.dataset.a;
      n.group.classList.toggle("bw-focus-layer", n.l === focusLayer);
    }
    for (const e of edges) {
      const d = e.j === "bias" ? dbias[e.l]?.[e.i] : dtheta[e.l]?.[e.i]?.[e.j];
      if (Number.isFinite(d)) e.group.dataset.dtheta = String(d);
      else delete e.group.dataset.dtheta;
    }
    const lines = model.get("output_note") ? model.get("output_note").split("\n") : [];
    outputNote.replaceChildren();
    lines.forEach((line, k) => {
      const span = make("tspan", { x: outputNote.getAttribute("x"), y: Number(outputNote.dataset.y) + k * OUTPUT_LINE }, outputNote);
      span.textContent = line;
    });
    if (model.get("annotated")) {
      root.dataset.phase = model.get("phase");
      root.dataset.focusLayer = String(model.get("focus_layer"));
      drawDeltaLists(svg, deltaLists, geometry, outputNote, delta);
      drawTables(tables, model, selected);
    }
    root.dataset.epoch = String(model.get("epoch"));
    root.dataset.loss = String(model.get("loss"));
    const instanceShown = model.get("instance");
    if (instanceShown >= 0) root.dataset.instance = String(instanceShown);
    else delete root.dataset.instance;
  }

  const { schedule, cancel: cancelUpdate } = frameScheduler(update);
  const cancel = () => {
    cancelUpdate();
    animate.cancel();
  };
  const rebuild = () => {
    build();
    update();
  };

  const select = (key) => model.send({ type: "select", weight: key });
  tables?.addEventListener("click", (event) => {
    const cell = event.target.closest("[data-cell]");
    if (cell) select(cell.dataset.cell);
  });
  tables?.addEventListener("keydown", (event) => {
    const cell = event.target.closest("[data-cell]");
    if (cell && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(cell.dataset.cell);
    }
  });
  svg.addEventListener("click", (event) => {
    const resize = event.target.closest(".bw-resize");
    if (resize) {
      if (resize.classList.contains("bw-disabled")) return;
      model.send({ type: "resize", layer: Number(resize.dataset.layer), delta: Number(resize.dataset.delta) });
      return;
    }
    const edge = event.target.closest("[data-weight]");
    if (edge) {
      focus = edges.findIndex((e) => e.key === edge.dataset.weight);
      select(edge.dataset.weight);
    }
  });
  svg.addEventListener("keydown", (event) => {
    const resize = event.target.closest?.(".bw-resize");
    if (resize && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      if (resize.classList.contains("bw-disabled")) return;
      model.send({ type: "resize", layer: Number(resize.dataset.layer), delta: Number(resize.dataset.delta) });
      return;
    }
    if (!edges.length) return;
    const current = edges[Math.max(focus, 0)];
    let next = focus;
    if (focus < 0 && event.key.startsWith("Arrow")) {
      next = 0; // the first arrow key lands on the first edge
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const step = event.key === "ArrowDown" ? 1 : -1;
      const same = edges.map((e, k) => [e, k]).filter(([e]) => e.l === current.l).map(([, k]) => k);
      const at = same.indexOf(focus);
      next = same[(at + step + same.length) % same.length];
    } else if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      const layers = Math.max(...edges.map((e) => e.l)) + 1;
      const l = (current.l + (event.key === "ArrowRight" ? 1 : -1) + layers) % layers;
      next = edges.findIndex((e) => e.l === l);
    } else if ((event.key === "Enter" || event.key === " ") && focus >= 0) {
      event.preventDefault();
      select(edges[focus].key);
      return;
    } else {
      return;
    }
    event.preventDefault();
    focus = next;
    schedule();
  });

  model.on("change:sizes", rebuild);
  model.on("change:bias", rebuild);
  model.on("change:editable", rebuild);
  model.on("change:annotated", rebuild);
  model.on("change:weights", startTween);
  model.on("change:biases", startTween);
  for (const name of ["weights", "biases", "grad_weights", "grad_biases", "a", "z", "selected", "epoch", "loss", "instance", "instance_label", "delta", "dtheta", "dbias", "focus_layer", "output_note", "phase"]) {
    model.on(`change:${name}`, schedule);
  }
  rebuild();
  return cancel;
}

export default { render };
