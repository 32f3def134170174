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
const ROW_H_ANNOTATED = 100;
const OUTPUT_NOTE_W = 150;
const NOTE_LINE = 12;
const TOP = 56;
const HIT = 7; // half-width of an edge's clickable band

// Annotated (the step-through demo): taller rows leave room for two lines of notes under each
// node (δ, …), and a margin on the right holds the output's y, ŷ and E.
function layout(sizes, bias, annotated) {
  const ROW_H = annotated ? ROW_H_ANNOTATED : ROW_H_PLAIN;
  const rows = Math.max(...sizes.map((n, l) => n + (bias && l < sizes.length - 1 ? 1 : 0)));
  const width = Math.max(2, sizes.length) * COL_W + (annotated ? OUTPUT_NOTE_W : 0);
  const height = TOP + rows * ROW_H + 64;
  const columns = sizes.map((n, l) => {
    const x = COL_W / 2 + l * COL_W;
    const hasBias = bias && l < sizes.length - 1;
    const count = n + (hasBias ? 1 : 0);
    const y0 = TOP + ((rows - count) * ROW_H) / 2 + ROW_H / 2;
    const nodes = Array.from({ length: n }, (_, i) => ({ x, y: y0 + (i + (hasBias ? 1 : 0)) * ROW_H }));
    return { x, nodes, bias: hasBias ? { x, y: y0 } : null };
  });
  return { width, height, columns };
}

function render({ model, el }) {
  const root = document.createElement("div");
  // .bw-network is the playground's diagram (a test hook); the demo's is .bw-demo-network.
  root.className = `bw-diagram ${model.get("root_class")}`;
  const svg = make("svg", { class: "bw-network-svg", tabindex: "0", role: "group" });
  svg.setAttribute("aria-label", "Network diagram: arrow keys move between weights, Enter selects one");
  root.appendChild(svg);
  el.appendChild(root);

  let edges = []; // {key, group, line, pulse, title, note, l, i, j}
  let outputNote = null;
  let nodes = []; // {key, group, circle, text, title, l, i}
  let focus = -1;

  function build() {
    const sizes = model.get("sizes");
    const bias = model.get("bias");
    const annotated = model.get("annotated");
    const { width, height, columns } = layout(sizes, bias, annotated);
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.replaceChildren();
    edges = [];
    nodes = [];
    const edgeLayer = make("g", { class: "bw-edges" }, svg);
    const nodeLayer = make("g", { class: "bw-nodes" }, svg);
    const noteLayer = make("g", { class: "bw-notes" }, svg);
    outputNote = make("text", { x: columns[columns.length - 1].x + NODE_R + 16, y: 0, class: "bw-output-note" }, noteLayer);
    outputNote.dataset.y = String(columns[columns.length - 1].nodes[0].y - 24);
    const L = sizes.length;
    for (let l = 0; l < L - 1; l++) {
      const from = columns[l];
      const to = columns[l + 1];
      to.nodes.forEach((target, i) => {
        const sources = from.nodes.map((p, j) => [p, j]);
        if (from.bias) sources.unshift([from.bias, "bias"]);
        sources.forEach(([source, j], k) => {
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
          // Δθ notes stand in a column left of the node the edges lead to, one line per edge in
          // the order of its sources and named after the weight, so none cover each other.
          const line_y = target.y + (k - (sources.length - 1) / 2) * NOTE_LINE + 4;
          const note = make("text", { x: x2 - 6, y: line_y, class: "bw-edge-note" }, noteLayer);
          edges.push({ key, group, line, pulse, title, note, l, i, j });
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
      column.nodes.forEach((p, i) => {
        const g = make("g", { class: `bw-node bw-${role}-node`, "data-node": `${l},${i}` }, nodeLayer);
        const circle = make("circle", { cx: p.x, cy: p.y, r: NODE_R }, g);
        const text = make("text", { x: p.x, y: p.y + 5 }, g);
        const title = make("title", {}, g);
        const note = make("text", { x: p.x, y: p.y + NODE_R + 17, class: "bw-node-note" }, noteLayer);
        nodes.push({ key: `${l},${i}`, group: g, circle, text, title, note, l, i });
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
      e.title.textContent = `${thetaLabel(e.l, e.i, e.j)} = ${fixedText(v)}\n∂E/∂${thetaLabel(e.l, e.i, e.j)} = ${fixedText(g)}${instance ? ` (${instance})` : ""}`;
    });
    for (const n of nodes) {
      const value = a[n.l]?.[n.i];
      n.text.textContent = Number.isFinite(value) ? value.toFixed(2) : "";
      const name = `${digits(n.l + 1, SUP)}${digits(n.i + 1, SUB)}`;
      const zText = n.l > 0 ? `\nz${name} = ${fixedText(z[n.l]?.[n.i])}` : "";
      n.title.textContent = `a${name} = ${fixedText(value)}${zText}`;
    }
    const delta = model.get("delta");
    const dtheta = model.get("dtheta");
    const dbias = model.get("dbias");
    const focusLayer = model.get("focus_layer");
    for (const n of nodes) {
      const d = delta[n.l]?.[n.i];
      n.note.textContent = Number.isFinite(d) ? `δ = ${fixedText(d)}` : "";
      if (Number.isFinite(d)) n.group.dataset.delta = String(d);
      else delete n.group.dataset.delta;
      const value = a[n.l]?.[n.i];
      if (Number.isFinite(value)) n.group.dataset.a = String(value);
      else delete n.group.dataset.a;
      n.group.classList.toggle("bw-focus-layer", n.l === focusLayer);
    }
    for (const e of edges) {
      const d = e.j === "bias" ? dbias[e.l]?.[e.i] : dtheta[e.l]?.[e.i]?.[e.j];
      e.note.textContent = Number.isFinite(d) ? `Δ${thetaLabel(e.l, e.i, e.j)} = ${fixedText(d)}` : "";
      if (Number.isFinite(d)) e.group.dataset.dtheta = String(d);
      else delete e.group.dataset.dtheta;
    }
    const lines = model.get("output_note") ? model.get("output_note").split("\n") : [];
    outputNote.replaceChildren();
    lines.forEach((line, k) => {
      const span = make("tspan", { x: outputNote.getAttribute("x"), y: Number(outputNote.dataset.y) + k * 18 }, outputNote);
      span.textContent = line;
    });
    root.dataset.epoch = String(model.get("epoch"));
    root.dataset.loss = String(model.get("loss"));
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
  for (const name of ["weights", "biases", "grad_weights", "grad_biases", "a", "z", "selected", "epoch", "loss", "instance_label", "delta", "dtheta", "dbias", "focus_layer", "output_note"]) {
    model.on(`change:${name}`, schedule);
  }
  rebuild();
  return cancel;
}

export default { render };
