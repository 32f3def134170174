"""JupyterLab and Notebook 7 show the live widget when its model exists, the picture when not.

An output of the playground carries both the widget mimetype and an image/png of the network.
"""

import nbclient
import nbformat
import pytest
from playwright.sync_api import expect

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PICTURED_WIDGET = """\
import ipywidgets as w
import backprop_widgets as bw
from backprop_widgets.widgets.static_image import mimebundle_with_image, network_png

class Pictured(w.VBox):
    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        return mimebundle_with_image(bundle, network_png(bw.MLP([2, 2, 1])))

Pictured([w.Label("live widget")])"""

OUTPUT_DATA_JS = """() => window.jupyterapp.shell.currentWidget.content.model.cells.get(0)
  .toJSON().outputs[0].data"""

SERVERS = pytest.mark.parametrize("server_name", ["lab_server", "notebook_server"])


@SERVERS
def test_running_notebook_shows_the_live_widget_not_the_picture(
    request, browser, open_notebook, screenshot, server_name
):
    server = request.getfixturevalue(server_name)
    path = server.write_notebook(f"pictured-{server_name}.ipynb", PICTURED_WIDGET)
    with open_notebook(browser, server, path) as view:
        view.run_all()
        output = view.page.locator(".jp-OutputArea-output").first
        expect(output.locator(".widget-label")).to_have_text("live widget")
        expect(view.page.locator(".jp-OutputArea-output img")).to_have_count(0)
        data = view.page.evaluate(OUTPUT_DATA_JS)  # what the saved file will hold
        assert {"image/png", WIDGET_VIEW} <= set(data)
        screenshot(view, output)


@SERVERS
def test_reopened_notebook_shows_the_picture_until_it_is_run(
    request, browser, open_notebook, screenshot, server_name
):
    server = request.getfixturevalue(server_name)
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(PICTURED_WIDGET)],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    notebook.metadata.pop("widgets", None)  # as JupyterLab saves by default
    path = f"executed-{server_name}.ipynb"
    nbformat.write(notebook, server.root_dir / path)
    with open_notebook(browser, server, path) as view:
        output = view.page.locator(".jp-OutputArea-output").first
        expect(output.locator("img")).to_have_count(1)
        expect(output).not_to_contain_text("Error displaying widget")
        screenshot(view, output)
        view.run_all()
        expect(output.locator(".widget-label")).to_have_text("live widget")
        expect(output.locator("img")).to_have_count(0)
