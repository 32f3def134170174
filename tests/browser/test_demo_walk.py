"""The step-through demo in a real JupyterLab: all six phases, with net.trace's numbers."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

DEMO_CELL = """import backprop_widgets as bw
pg = bw.Playground(hidden=[3])
pg.selected = (0, 1, 0)
pg.panels.selected_index = 0
pg"""

# What the kernel's trace says, for the instance the demo shows.
TRACE = """
t = pg.demo.trace
trace = {"a": [v.tolist() for v in t.a], "delta": [None] + [v.tolist() for v in t.delta[1:]],
         "dtheta": [v.tolist() for v in t.dtheta]}
"""

SHOWN_JS = """() => {
  const nodes = {};
  for (const g of document.querySelectorAll('.bw-demo-network [data-node]')) {
    nodes[g.dataset.node] = { a: g.dataset.a ?? null, delta: g.dataset.delta ?? null };
  }
  const edges = {};
  for (const g of document.querySelectorAll('.bw-demo-network [data-weight]')) {
    edges[g.dataset.weight] = g.dataset.dtheta ?? null;
  }
  return { nodes, edges };
}"""


@pytest.fixture(scope="module")
def demo(browser, lab_server, open_running):
    with open_running(
        browser, lab_server, "demo", DEMO_CELL, ready=".bw-demo-network [data-weight]"
    ) as view:
        yield view


def test_the_demo_walks_all_six_phases_with_the_trace_numbers(demo, screenshot):
    page, kernel = demo.page, demo.kernel
    kernel.run(TRACE)
    trace = kernel.eval("trace")
    phase = page.locator(".bw-phase")
    expected = [
        ("Receive input", None),
        ("Forward pass", "layer 2"),
        ("Forward pass", "layer 3"),
        ("Compute error", None),
        ("Backward pass", "layer 3"),
        ("Backward pass", "layer 2"),
        ("Calculate Δθ", None),
        ("Update weights", None),
    ]
    steps = kernel.eval("[list(step) for step in pg.demo.steps]")
    diagram = page.locator(".bw-demo-network")
    for k, (name, where) in enumerate(expected):
        expect(phase).to_contain_text(f"{name}")
        if where:
            expect(phase).to_contain_text(where)
        expect(phase).to_contain_text(f"step {k + 1} of 8")
        # The diagram redraws on its next frame: read it once it shows this step.
        key, layer = steps[k]
        expect(diagram).to_have_attribute("data-phase", key)
        focus = layer if key in ("forward", "backward", "error") else -1
        expect(diagram).to_have_attribute("data-focus-layer", str(focus))
        shown = page.evaluate(SHOWN_JS)
        if name == "Compute error":
            # Every activation is on its node, exactly the trace's.
            for l, layer in enumerate(trace["a"]):
                for i, value in enumerate(layer):
                    assert float(shown["nodes"][f"{l},{i}"]["a"]) == value
            expect(page.locator(".bw-demo-network .bw-output-note")).to_contain_text("ŷ")
        if name == "Calculate Δθ":
            for l, layer in enumerate(trace["delta"][1:], start=1):
                for i, value in enumerate(layer):
                    assert float(shown["nodes"][f"{l},{i}"]["delta"]) == value
            for l, matrix in enumerate(trace["dtheta"]):
                for i, row in enumerate(matrix):
                    for j, value in enumerate(row):
                        assert float(shown["edges"][f"{l},{i},{j}"]) == value
            screenshot(demo, page.locator(".bw-demo"), suffix="dtheta")
        if name == "Receive input":
            assert all(
                node["a"] is None
                for key, node in shown["nodes"].items()
                if not key.startswith("0,")
            )
        current = page.locator(".bw-demo-derivation .bw-current")
        expect(current.first).to_be_attached()
        if name != "Update weights":
            page.locator(".bw-next").click()
    # The update moved the weights by Δθ, in the kernel.
    assert kernel.eval(
        "all(float(abs(pg.net.weights[l] - pg.demo._saved[l] - pg.demo.trace.dtheta[l]).max())"
        " < 1e-15 for l in range(2))"
    )
    page.locator(".bw-prev").click()
    expect(phase).to_contain_text("Calculate Δθ")
    assert kernel.eval("pg.demo._saved is None")


# ---- legible and in order: every label clear of edges and of each other, nothing early --------

# The diagram's labels (boxes in the SVG's units), its edges (segments, stroke widths) and node
# discs, the rendered size of its text, and what each node, edge, table and tooltip shows.
LOOK_JS = (Path(__file__).parent / "demo_look.js").read_text(encoding="utf-8")


def _meet(a: dict, b: dict) -> bool:
    return a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]


def _segment_meets_box(ends: list, box: dict) -> bool:
    """Whether the segment enters the box (Liang–Barsky clipping)."""
    x1, y1, x2, y2 = ends
    dx, dy = x2 - x1, y2 - y1
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x1 - box["x0"]), (dx, box["x1"] - x1), (-dy, y1 - box["y0"]),
                 (dy, box["y1"] - y1)):  # fmt: skip
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            t0 = max(t0, q / p)
        else:
            t1 = min(t1, q / p)
        if t0 > t1:
            return False
    return True


def _grown(box: dict, by: float) -> dict:
    return {"x0": box["x0"] - by, "y0": box["y0"] - by, "x1": box["x1"] + by, "y1": box["y1"] + by}


def _assert_legible(look: dict, where: str) -> None:
    labels = look["labels"]
    for k, (name, box) in enumerate(labels):
        for other, other_box in labels[k + 1 :]:
            assert not _meet(box, other_box), f"{where}: {name!r} overlaps {other!r}"
        for edge in look["edges"]:
            assert not _segment_meets_box(edge["ends"], _grown(box, edge["width"] / 2)), (
                f"{where}: {name!r} crosses the edge {edge['key']}"
            )
        for cx, cy, r in look["discs"]:
            disc = {"x0": cx - r, "y0": cy - r, "x1": cx + r, "y1": cy + r}
            assert not _meet(box, disc), f"{where}: {name!r} covers a node"
    small = [(text, round(px, 1)) for text, px in look["px"] if px < 14]
    assert not small, f"{where}: text under 14 px: {small}"
    if look["tables"]["shown"] == "true":
        assert look["tables"]["px"] >= 14
        assert not _meet(look["tables"]["rect"], look["svgRect"]), f"{where}: tables on the diagram"


def _assert_nothing_early(look: dict, trace: dict, phase: str, layer: int, where: str) -> None:
    """Numbers (values, notes, tooltips, tables, derivation rows) of later steps are not there."""
    order = ["input", "forward", "error", "backward", "dtheta", "update"]
    reached = order.index(phase)
    n_layers = len(trace["a"])
    for l in range(n_layers):
        a_known = l == 0 or reached >= 2 or (phase == "forward" and l <= layer)
        delta_known = l > 0 and (reached >= 4 or (phase == "backward" and l >= layer))
        for i in range(len(trace["a"][l])):
            node = look["nodes"][f"{l},{i}"]
            assert (node["a"] is not None) == a_known, f"{where}: a of node {l},{i}"
            assert ("z" in node["title"]) == (l > 0 and a_known), f"{where}: z in the tooltip"
            assert ("=" in node["title"]) == a_known, f"{where}: a in the tooltip"
            assert (node["delta"] is not None) == delta_known, f"{where}: δ of node {l},{i}"
            assert bool(node["note"]) == delta_known, f"{where}: δ note of node {l},{i}"
    dtheta_known = reached >= 4
    for key, edge in look["edgeState"].items():
        assert (edge["dtheta"] is not None) == dtheta_known, f"{where}: Δθ of {key}"
        assert "∂E" not in edge["title"], f"{where}: a gradient in the tooltip of {key}"
    assert (look["tables"]["shown"] == "true") == dtheta_known, f"{where}: the Δθ tables"
    assert bool(look["output"]) == (reached >= 2), f"{where}: y, ŷ and E"
    sections = {"instance": 0, "forward": 1, "error": 2, "chain": 3, "delta": 3}
    assert look["sections"] == [s for s, at in sections.items() if reached >= at], where
    rows = "\n".join(look["rows"])
    assert ("z^{3}" in rows) == (reached >= 2 or (phase == "forward" and layer >= 2)), where
    assert ("\\delta^{3}_{1} &=" in rows) == (reached >= 3), where
    assert ("\\delta^{2}_{2} &=" in rows) == (reached >= 4 or (phase, layer) == ("backward", 1))
    assert ("\\Delta\\theta^{1}_{21} &=" in rows) == (reached >= 4), where
    assert ("\\leftarrow" in rows) == (reached >= 5), where


def test_every_phase_is_legible_and_shows_nothing_before_its_time(demo, screenshot):
    page, kernel = demo.page, demo.kernel
    page.set_viewport_size({"width": 1280, "height": 800})
    try:
        kernel.run("pg.demo.restart(2)")
        phase = page.locator(".bw-phase")
        expect(phase).to_contain_text("step 1 of 8 · instance n = 2")
        kernel.run(TRACE)
        trace = kernel.eval("trace")
        steps = kernel.eval("pg.demo.steps")
        for k, (key, layer) in enumerate(steps):
            expect(phase).to_contain_text(f"step {k + 1} of 8")
            focus = layer if key in ("forward", "error", "backward") else -1
            drawn = f'.bw-demo-network[data-phase="{key}"][data-focus-layer="{focus}"]'
            page.locator(drawn).wait_for(state="attached")
            look = page.evaluate(LOOK_JS)
            where = f"step {k + 1} ({key}, layer {layer})"
            _assert_legible(look, where)
            _assert_nothing_early(look, trace, key, layer, where)
            if key in ("dtheta", "update"):
                screenshot(demo, page.locator(".bw-demo"), suffix=key)
                assert look["tables"]["cells"] == 3 * 3 + 4 * 1  # θ¹ is 3×3, θ² is 1×4
            if key == "dtheta":
                for l, matrix in enumerate(trace["dtheta"]):
                    for i, row in enumerate(matrix):
                        for j, value in enumerate(row):
                            assert look["tables"]["values"][f"{l},{i},{j}"] == value
            if k + 1 < len(steps):
                assert look["next"].startswith("Next: ")
                page.locator(".bw-next").click()
        # After the last phase, Next says what it will do, then does it.
        expected = "Next: the next update starts with instance n = 3, x = (1, 1), y = 0"
        expect(page.locator(".bw-demo-next")).to_contain_text(expected)
        page.locator(".bw-next").click()
        expect(phase).to_contain_text("step 1 of 8 · instance n = 3")
        expect(page.locator(".bw-demo-next")).to_contain_text("A new update")
        assert kernel.eval("pg.demo.instance") == 3
    finally:
        page.set_viewport_size({"width": 1400, "height": 1000})
