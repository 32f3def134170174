"""A notebook saved in JupyterLab and reopened without running it shows a picture of every view.

JupyterLab saves no widget state by default and prefers the widget mimetype of a trusted
output, so without the models each view's own output says "Error displaying widget: model not
found". Every view is therefore displayed after its picture (``widgets/fallback.py``): while the
view is live the picture is hidden, once the model is gone the error output is.
"""

import nbformat
from playwright.sync_api import expect

VIEWS = {
    "playground": "import backprop_widgets as bw\n"
    "from backprop_widgets import exercises as ex\n"
    "pg = bw.Playground()\n"
    "pg.selected = (0, 1, 0)\n"
    "pg",
    "demo": "pg.demo.next()\npg.demo.next()\npg.demo",
    "quiz": "ex.delta_quiz()",
    "diagram": "ex.diagram()",
    "derivation": "pg.derivation",
    "slice": "bw.ErrorSlice(pg.net, pg.X, pg.Y, (0, 1, 0))",
    "surface": "bw.DecisionSurface(pg.net, pg.X, pg.Y)",
    # A box of one's own shown with bw.show: its picture holds the slice's (controls have none).
    "box": "import ipywidgets as w\n"
    "bw.show(w.VBox([w.HBox([w.Button(description='Step')]), "
    "bw.ErrorSlice(pg.net, pg.X, pg.Y, (1, 0, 0))]))",
}
LIVE = {
    "playground": ".bw-network",
    "demo": ".bw-demo-network",
    "quiz": ".bw-quiz-network",
    "diagram": ".bw-exercise-network",
    "derivation": ".bw-derivation",
    "slice": ".bw-slice",
    "surface": ".bw-surface",
    "box": ".bw-slice",
}
ERRORS = ("Error displaying widget", "model not found", "Loading widget")
# What the outputs show a reader: the text of every visible output.
VISIBLE_TEXT_JS = """() => [...document.querySelectorAll('.jp-OutputArea-output')]
  .filter(output => output.checkVisibility()).map(output => output.innerText).join('\\n')"""
SAVE_JS = "() => window.jupyterapp.commands.execute('docmanager:save')"


def cell(page, n: int):
    return page.locator(".jp-Notebook .jp-CodeCell").nth(n)


def test_reopened_notebook_shows_each_views_picture_and_no_error(
    lab_server, browser, open_notebook, screenshot
):
    path = lab_server.write_notebook("reopen.ipynb", *VIEWS.values())
    with open_notebook(browser, lab_server, path, workspace="run") as view:
        view.run_all()
        for n, name in enumerate(VIEWS):
            outputs = cell(view.page, n).locator(".jp-OutputArea-output")
            expect(outputs.locator(LIVE[name]).first).to_be_visible()
            expect(outputs.locator(".bw-fallback")).to_have_count(1)
            expect(outputs.locator(".bw-fallback")).to_be_hidden()  # the live view only
        view.page.evaluate(SAVE_JS)
        expect(view.page.locator(".jp-mod-dirty")).to_have_count(0)

    saved = nbformat.read(lab_server.root_dir / path, as_version=4)
    assert "widgets" not in saved.metadata  # JupyterLab's default: no widget state
    for source_cell in saved.cells:
        picture, widget = source_cell.outputs
        assert "bw-fallback" in picture.data["text/html"]
        assert "application/vnd.jupyter.widget-view+json" in widget.data

    # Reopened: a new kernel, which holds none of the models.
    with open_notebook(browser, lab_server, path, workspace="reopen") as view:
        page = view.page
        # The widget manager has looked for every model in the new kernel and given up.
        expect(page.locator(".jp-OutputArea-output.jupyter-widgets")).to_have_count(len(VIEWS))
        for n, name in enumerate(VIEWS):
            outputs = cell(page, n).locator(".jp-OutputArea-output")
            picture = outputs.locator(".bw-fallback")
            expect(picture).to_be_visible()
            if name != "derivation":
                expect(picture.locator("img")).to_have_js_property("complete", True)
                assert picture.locator("img").evaluate("img => img.naturalWidth") > 400
            expect(outputs.locator(LIVE[name])).to_have_count(0)
        shown = page.evaluate(VISIBLE_TEXT_JS)
        assert not [text for text in ERRORS if text in shown], shown
        derivation = cell(page, list(VIEWS).index("derivation")).locator(".bw-fallback")
        expect(derivation.locator("math").first).to_be_visible()
        expect(derivation.locator(".bw-derivation-body")).to_have_attribute("data-weight", "0,1,0")
        for n, name in enumerate(VIEWS):
            screenshot(view, cell(page, n).locator(".jp-OutputArea"), suffix=name)

        # Run again: the live views come back and the pictures step aside.
        view.run_all()
        for n, name in enumerate(VIEWS):
            outputs = cell(page, n).locator(".jp-OutputArea-output")
            expect(outputs.locator(LIVE[name]).first).to_be_visible()
            expect(outputs.locator(".bw-fallback")).to_be_hidden()
