"""Every notebook in notebooks/ runs top to bottom without an error, shows a picture before each
widget for when it is reopened without a kernel, and is stored clean."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_without_errors(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    errors = [o for cell in nb.cells for o in cell.get("outputs", []) if o.output_type == "error"]
    assert not errors
    # Each widget right after its picture (widgets/fallback.py): reopened without running it,
    # the notebook shows the picture, not "Error displaying widget".
    bare = [
        n
        for n, cell in enumerate(nb.cells)
        for k, output in enumerate(cell.get("outputs", []))
        if WIDGET in output.get("data", {})
        and not (k and "bw-fallback" in cell.outputs[k - 1].get("data", {}).get("text/html", ""))
    ]
    assert not bare, f"cells {bare} show a widget without a picture (use bw.show)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_the_first_code_cell_installs_the_package_in_jupyterlite_only(path):
    first = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    assert 'if sys.platform == "emscripten":\n    %pip install backprop_widgets' in first.source
