"""The derivation panel in a real JupyterLab: MathML drawn by the package (no MathJax), rows that
fit the panel, the three-way check with its values, Copy LaTeX and the SymPy expression."""

import pytest
from conftest import OVERFLOW_JS
from playwright.sync_api import expect


@pytest.fixture(scope="module")
def wide(browser, lab_server, open_notebook):
    """Two playgrounds whose derivations are long: [2, 4, 4, 1] and [2, 8, 8, 1]."""
    cells = [
        "import backprop_widgets as bw",
        "small = bw.Playground(hidden=[4, 4])\nsmall",
        "big = bw.Playground(hidden=[8, 8], activation='tanh')\nbig",
    ]
    path = lab_server.write_notebook("derivation.ipynb", *cells)
    with open_notebook(browser, lab_server, path, workspace="derivation") as view:
        view.page.set_viewport_size({"width": 900, "height": 900})
        view.run_all()
        view.page.locator(".bw-network [data-weight]").first.wait_for(state="attached")
        yield view


@pytest.mark.parametrize(("name", "index", "key"), [("small", 0, "0,1,0"), ("big", 1, "0,2,1")])
def test_a_long_derivation_is_mathml_that_fits_the_panel(wide, name, index, key, screenshot):
    page, kernel = wide.page, wide.kernel
    kernel.run(f"{name}.selected = {tuple(int(k) for k in key.split(','))}")
    panel = page.locator(".bw-derivation").nth(index)
    body = panel.locator(f'.bw-derivation-body[data-weight="{key}"]')
    body.locator("math").first.wait_for()
    expect(panel.locator("mjx-container")).to_have_count(0)
    assert body.locator("math").count() > 20
    assert panel.evaluate(OVERFLOW_JS) <= 1
    screenshot(wide, panel, suffix=name)


def test_the_check_names_its_three_values_and_they_agree(wide):
    page, kernel = wide.page, wide.kernel
    kernel.run("small.selected = (1, 2, 'bias')")
    # The check of the weight just selected: until the panel has redrawn, the old weight's
    # check (from the test before) is on the page and agrees too.
    panel = page.locator('.bw-derivation[data-instance="3"]').first
    body = panel.locator('[data-weight="1,2,bias"]')
    check = body.locator(".bw-check")
    expect(check).to_have_attribute("data-agree", "true")
    expected = kernel.eval("float(small.net.gradients(small.X[3:4], small.Y[3:4])[1][1][2])")
    for name in ("data-symbolic", "data-backprop", "data-finite-difference"):
        assert float(check.get_attribute(name)) == pytest.approx(expected, rel=1e-6, abs=1e-12)
    assert float(check.get_attribute("data-backprop")) == expected
    expect(check).to_contain_text("SymPy expression")


def test_copy_latex_and_the_sympy_toggle(wide):
    page, kernel = wide.page, wide.kernel
    kernel.run("small.selected = (2, 0, 1)")
    panel = page.locator(".bw-derivation").first
    panel.locator('.bw-derivation-body[data-weight="2,0,1"] math').first.wait_for()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    panel.locator(".bw-copy-latex").click()
    expect(panel.locator(".bw-copy-latex")).to_have_attribute("data-copied", "true")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == kernel.eval("small.derivation.latex") and r"\frac{\partial E}" in copied
    toggle = panel.locator(".bw-sympy")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    panel.locator(".bw-sympy-expr math").first.wait_for()
    assert kernel.eval("small.derivation.show_sympy") is True
    toggle.click()
    expect(panel.locator(".bw-sympy-expr")).to_be_hidden()


def test_an_exported_notebook_opened_from_a_file_shows_the_picture_and_the_mathml(
    browser, tmp_path
):
    import nbclient
    import nbformat
    from nbconvert import HTMLExporter

    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import backprop_widgets as bw\npg = bw.Playground()\npg.selected = (1, 0, 1)\npg"
            )
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    notebook.metadata.pop("widgets", None)  # as JupyterLab saves by default
    page_html, _ = HTMLExporter().from_notebook_node(notebook)
    path = tmp_path / "exported.html"
    path.write_text(page_html, encoding="utf-8")
    context = browser.new_context(offline=True)  # no server, no network
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        fallback = page.locator(".bw-fallback")
        expect(fallback.locator("img")).to_be_visible()
        expect(fallback.locator('.bw-derivation-body[data-weight="1,0,1"]')).to_be_visible()
        assert fallback.locator("math").count() > 20
        expect(fallback.locator(".bw-check")).to_have_attribute("data-agree", "true")
    finally:
        context.close()
