"""JupyterLab and Notebook 7 show the live widget when its model exists, the picture when not.

A view is displayed as two outputs, its picture (``.bw-fallback``) and then the widget
(``widgets/fallback.py``). Here the notebook was executed headless (unsigned, so untrusted when
opened); ``test_reopen.py`` saves one from JupyterLab itself.
"""

import nbclient
import nbformat
import pytest
from playwright.sync_api import expect

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PICTURED_WIDGET = "from backprop_widgets import exercises as ex\nex.diagram()"
LIVE = ".bw-exercise-network"
PICTURE = ".bw-fallback img"
# What the outputs show a reader: the text of every visible output.
VISIBLE_TEXT_JS = """() => [...document.querySelectorAll('.jp-OutputArea-output')]
  .filter(output => output.checkVisibility()).map(output => output.innerText).join('\\n')"""
OUTPUTS_JS = """() => window.jupyterapp.shell.currentWidget.content.model.cells.get(0)
  .toJSON().outputs.map(output => Object.keys(output.data))"""

SERVERS = pytest.mark.parametrize("server_name", ["lab_server", "notebook_server"])


@SERVERS
def test_running_notebook_shows_the_live_widget_not_the_picture(
    request, browser, open_notebook, screenshot, server_name
):
    server = request.getfixturevalue(server_name)
    path = server.write_notebook(f"pictured-{server_name}.ipynb", PICTURED_WIDGET)
    with open_notebook(browser, server, path) as view:
        view.run_all()
        outputs = view.page.locator(".jp-OutputArea")
        expect(outputs.locator(LIVE)).to_be_visible()
        expect(outputs.locator(PICTURE)).to_be_hidden()
        picture, widget = view.page.evaluate(OUTPUTS_JS)  # what the saved file will hold
        assert "text/html" in picture and WIDGET_VIEW in widget
        screenshot(view, outputs)


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
        outputs = view.page.locator(".jp-OutputArea")
        expect(outputs.locator(PICTURE)).to_be_visible()
        shown = view.page.evaluate(VISIBLE_TEXT_JS)
        assert "Error displaying widget" not in shown and "NetworkView" not in shown, shown
        screenshot(view, outputs)
        view.run_all()
        expect(outputs.locator(LIVE)).to_be_visible()
        expect(outputs.locator(PICTURE)).to_be_hidden()
