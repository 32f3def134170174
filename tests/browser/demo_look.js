// What the step-through demo's diagram shows, for tests/browser/test_demo_walk.py: its labels'
// boxes (SVG units), edges (segments and stroke widths) and node discs, the rendered size of its
// text in CSS pixels, each node's and edge's values and tooltip, the Δθ tables, the derivation's
// sections and rows, and the note on what Next does.
() => {
  const root = document.querySelector(".bw-demo-network");
  const svg = root.querySelector("svg");
  const scale = svg.getScreenCTM().a;
  const box = (b) => ({ x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height });
  const rect = (e) => {
    const b = e.getBoundingClientRect();
    return { x0: b.left, y0: b.top, x1: b.right, y1: b.bottom };
  };
  const labels = [];
  for (const list of svg.querySelectorAll(".bw-delta-list")) {
    if (list.style.display !== "none") labels.push([list.textContent, box(list.querySelector("rect").getBBox())]);
  }
  const out = svg.querySelector(".bw-output-note");
  if (out.textContent) labels.push([out.textContent, box(out.getBBox())]);
  for (const t of svg.querySelectorAll(".bw-layer-label")) labels.push([t.textContent, box(t.getBBox())]);
  const edges = [...svg.querySelectorAll("[data-weight]")].map((g) => {
    const line = g.querySelector(".bw-edge-line");
    return {
      key: g.dataset.weight,
      ends: line.getAttribute("d").match(/-?[\d.]+/g).map(Number),
      width: parseFloat(getComputedStyle(line).strokeWidth),
    };
  });
  const discs = [...svg.querySelectorAll("[data-node] circle")].map((c) => ["cx", "cy", "r"].map((k) => Number(c.getAttribute(k))));
  const texts = [...svg.querySelectorAll(".bw-node-note, .bw-output-note, .bw-node text, .bw-layer-label")];
  const px = texts.filter((t) => t.textContent).map((t) => [t.textContent, parseFloat(getComputedStyle(t).fontSize) * scale]);
  const nodes = {};
  for (const g of svg.querySelectorAll("[data-node]:not(.bw-bias-node)")) {
    const note = svg.querySelector(`[data-note="${g.dataset.node}"]`);
    nodes[g.dataset.node] = {
      a: g.dataset.a ?? null,
      delta: g.dataset.delta ?? null,
      title: g.querySelector("title").textContent,
      note: note && note.parentNode.style.display !== "none" ? note.textContent : "",
    };
  }
  const edgeState = {};
  for (const g of svg.querySelectorAll("[data-weight]")) {
    edgeState[g.dataset.weight] = { dtheta: g.dataset.dtheta ?? null, title: g.querySelector("title").textContent };
  }
  const tables = root.querySelector(".bw-demo-tables");
  const cells = [...tables.querySelectorAll("td")];
  const derivation = document.querySelector(".bw-demo-derivation");
  return {
    labels,
    edges,
    discs,
    px,
    nodes,
    edgeState,
    tables: {
      shown: tables.dataset.shown,
      cells: cells.length,
      rect: rect(tables),
      px: parseFloat(getComputedStyle(tables).fontSize),
      values: Object.fromEntries(cells.map((c) => [c.dataset.cell, Number(c.dataset.value)])),
    },
    svgRect: rect(svg),
    output: out.textContent,
    sections: [...derivation.querySelectorAll("[data-section]")].map((s) => s.dataset.section),
    rows: [...derivation.querySelectorAll(".bw-math-row, .bw-math-title")].map((r) => r.dataset.latex ?? ""),
    next: document.querySelector(".bw-demo-next").textContent,
  };
}
