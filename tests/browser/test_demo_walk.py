"""The step-through demo in a real JupyterLab: all six phases, with net.trace's numbers."""

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
def demo(browser, lab_server, open_notebook):
    path = lab_server.write_notebook("demo.ipynb", DEMO_CELL)
    with open_notebook(browser, lab_server, path, workspace="demo") as view:
        view.run_all()
        view.page.locator(".bw-demo-network [data-weight]").first.wait_for(state="attached")
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
    for k, (name, where) in enumerate(expected):
        expect(phase).to_contain_text(f"{name}")
        if where:
            expect(phase).to_contain_text(where)
        expect(phase).to_contain_text(f"step {k + 1} of 8")
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
