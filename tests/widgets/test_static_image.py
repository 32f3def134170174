"""The still picture of the network, shown where no kernel runs (GitHub, nbviewer).

The picture is checked by its pixels: the sign colours of static/widgets.css appear exactly when
weights of that sign exist, the selected edge is highlighted, and the picture grows with the
network. A notebook executed headless keeps the picture beside the widget in its output, and
nbconvert (what nbviewer runs) shows the picture when the notebook holds no widget state.
"""

import base64
import io
import json
import re
import subprocess
import sys
import textwrap

import nbclient
import nbformat
import numpy as np
import pytest

from backprop_widgets import MLP, datasets
from backprop_widgets.widgets.static_image import (
    ACCENT,
    NEGATIVE,
    POSITIVE,
    mimebundle_with_image,
    network_png,
    playground_png,
)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
X_XOR, Y_XOR = datasets.xor()


def pixels(png: bytes) -> np.ndarray:
    """The picture as an (height, width, 3) array of 0 … 255 integers."""
    from matplotlib.image import imread

    return np.rint(imread(io.BytesIO(png), format="png")[..., :3] * 255).astype(int)


def diagram(png: bytes) -> np.ndarray:
    """The pixels above the key to the colours and the note (which show both colours)."""
    return pixels(png)[:-60]


def rgb(colour: str, alpha: float = 1.0) -> np.ndarray:
    """A #rrggbb colour, blended with ``alpha`` over white paper."""
    full = np.array([int(colour[k : k + 2], 16) for k in (1, 3, 5)])
    return np.rint(255 - alpha * (255 - full)).astype(int)


def count(image: np.ndarray, colour: np.ndarray, tolerance: int = 3) -> int:
    """How many pixels have ``colour`` (each channel within ``tolerance``)."""
    return int(np.all(np.abs(image - colour) <= tolerance, axis=-1).sum())


def lecture_net(sign: float = 0.0) -> MLP:
    """The lecture's [2, 2, 1] network; with ``sign`` ±1, every parameter of that sign."""
    net = MLP([2, 2, 1], seed=0)
    if sign:
        for p in net.weights + net.biases:
            p[...] = sign * (np.abs(p) + 0.1)
    return net


def test_picture_is_a_png_sized_to_the_network():
    small = network_png(lecture_net())
    assert small.startswith(b"\x89PNG\r\n\x1a\n")
    wide = network_png(MLP([2, 3, 3, 3, 1]))
    tall = network_png(MLP([2, 8, 1]))
    (h_small, w_small), (h_wide, w_wide), (h_tall, w_tall) = (
        pixels(png).shape[:2] for png in (small, wide, tall)
    )
    assert w_wide > w_small and h_tall > h_small
    assert w_small == w_tall  # one column per layer


def test_edges_take_the_colours_of_their_sign():
    mixed = diagram(network_png(lecture_net()))
    assert count(mixed, rgb(POSITIVE)) > 100 and count(mixed, rgb(NEGATIVE)) > 100
    positive = diagram(network_png(lecture_net(+1)))
    assert count(positive, rgb(POSITIVE)) > 100 and count(positive, rgb(NEGATIVE)) == 0
    negative = diagram(network_png(lecture_net(-1)))
    assert count(negative, rgb(NEGATIVE)) > 100 and count(negative, rgb(POSITIVE)) == 0


def test_larger_weights_draw_wider_edges():
    net = lecture_net(+1)
    thin = count(diagram(network_png(net)), rgb(POSITIVE))
    net.weights[1][0, 0] = 10 * np.abs(net.weights[1]).max()  # one weight dwarfs the rest
    after = count(diagram(network_png(net)), rgb(POSITIVE))
    assert after < thin  # every other edge is drawn thinner, relative to the largest


def test_selected_edge_is_highlighted():
    net = lecture_net()
    plain = pixels(network_png(net))
    selected = pixels(network_png(net, selected=(0, 1, "bias")))
    highlight = rgb(ACCENT, alpha=0.4)
    assert count(plain, highlight) == 0
    assert count(selected, highlight) > 50


def test_activations_and_a_caption_change_the_picture_but_not_its_width():
    net = lecture_net()
    a = net.trace(X_XOR[1], Y_XOR[1]).a
    bare = pixels(network_png(net))
    with_values = pixels(network_png(net, a=a, title="XOR", caption="epoch 0 · E = 0.13"))
    assert with_values.shape[1] == bare.shape[1]
    assert with_values.shape[0] > bare.shape[0]  # a title line above and a caption line below


def test_network_without_bias_units_is_drawn():
    assert network_png(MLP([2, 2, 1], bias=False), selected=(1, 0, 1)).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"net": "net"}, TypeError, "net must be an MLP"),
        ({"selected": (0, 5, 0)}, ValueError, "i must be a node index 0 … 1"),
        ({"selected": "0,1,1"}, TypeError, r"selected must be None, \(l, i, j\)"),
        ({"a": [[0, 1], [0.5, 0.5]]}, ValueError, r"a must hold one array .* per layer \(3\)"),
        ({"a": [[0, 1], [0.5], [0.5]]}, ValueError, r"a\[1\] must hold 2 activations"),
    ],
)
def test_bad_arguments_are_refused_by_name(kwargs, error, match):
    kwargs = {"net": lecture_net(), **kwargs}
    with pytest.raises(error, match=match):
        network_png(**kwargs)


def test_playground_picture_shows_its_network():
    from backprop_widgets.widgets.playground import Playground

    pg = Playground()
    pg.selected = (0, 0, 1)
    assert pixels(playground_png(pg)).shape[1] == pixels(network_png(pg.net)).shape[1]


def test_drawing_leaves_pyplot_and_the_backend_alone():
    """No pyplot: the notebook's backend (inline, widget, ...) and its figures stay as they are.
    The backend setting is read raw, as reading ``rcParams["backend"]`` resolves it."""
    code = textwrap.dedent(
        """
        import sys, matplotlib
        raw = lambda: dict.__getitem__(matplotlib.rcParams, "backend")
        before = raw()
        import backprop_widgets as bw
        from backprop_widgets.widgets.static_image import network_png
        network_png(bw.MLP([2, 2, 1]))
        print("matplotlib.pyplot" in sys.modules, raw() == before)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


# -------------------------------------------------------------------------- mimebundles


def test_image_is_added_beside_the_widget_mimetype():
    png = network_png(lecture_net())
    bundle = {"text/plain": "VBox()", WIDGET_VIEW: {"model_id": "abc"}}
    result = mimebundle_with_image(bundle, png)
    assert result[WIDGET_VIEW] == {"model_id": "abc"} and result["text/plain"] == "VBox()"
    assert base64.b64decode(result["image/png"]) == png
    assert "image/png" not in bundle  # the widget's own bundle is not changed


def test_data_and_metadata_pair_keeps_its_shape():
    png = network_png(lecture_net())
    data, metadata = mimebundle_with_image(({WIDGET_VIEW: {}}, {"foo": 1}), png)
    assert set(data) == {WIDGET_VIEW, "image/png"} and metadata == {"foo": 1}


def test_closed_widget_stays_without_a_bundle():
    assert mimebundle_with_image(None, network_png(lecture_net())) is None


def test_bytes_that_are_not_a_png_are_refused():
    with pytest.raises(ValueError, match="png must be the bytes of a PNG image"):
        mimebundle_with_image({}, b"GIF89a")


# -------------------------------------------------------------------------- notebooks

PICTURED_WIDGET = """\
import ipywidgets as w
import backprop_widgets as bw
from backprop_widgets.widgets.static_image import mimebundle_with_image, network_png

class Pictured(w.VBox):
    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        return mimebundle_with_image(bundle, network_png(bw.MLP([2, 2, 1])))

Pictured([w.Label("live")])"""


def executed(source: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source)],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    return notebook


@pytest.fixture(scope="module")
def pictured_notebook():
    return executed(PICTURED_WIDGET)


def test_executed_notebook_keeps_the_image_beside_the_widget(pictured_notebook):
    (output,) = pictured_notebook.cells[0].outputs
    assert output.output_type == "execute_result"
    assert {WIDGET_VIEW, "image/png", "text/plain"} <= set(output.data)
    assert base64.b64decode(output.data["image/png"]) == network_png(MLP([2, 2, 1]))


def rendered_images(notebook: nbformat.NotebookNode) -> list[str]:
    from nbconvert import HTMLExporter

    html, _ = HTMLExporter().from_notebook_node(notebook)
    return re.findall(r'<img[^>]* src="data:image/png;base64,([^"]+)"', html)


def test_nbconvert_shows_the_image_when_no_widget_state_was_saved(pictured_notebook):
    """As nbviewer shows a notebook saved by JupyterLab or Notebook 7, which do not save widget
    state unless asked to."""
    notebook = nbformat.from_dict(json.loads(json.dumps(pictured_notebook)))
    notebook.metadata.pop("widgets", None)
    (image,) = rendered_images(notebook)
    assert image == pictured_notebook.cells[0].outputs[0].data["image/png"]


def test_nbconvert_renders_the_saved_widget_state_instead_of_the_image(pictured_notebook):
    """With the widget state saved in the notebook, nbconvert embeds the widget (its JavaScript
    comes from a CDN in the reader's browser) and leaves the picture out."""
    assert "widgets" in pictured_notebook.metadata  # nbclient saves the state by default
    assert rendered_images(pictured_notebook) == []


def test_playground_output_carries_the_image():
    from backprop_widgets.widgets.playground import Playground

    if "_repr_mimebundle_" not in vars(Playground):
        pytest.skip("Playground._repr_mimebundle_ does not add the picture yet")
    notebook = executed("import backprop_widgets as bw\nbw.Playground()")
    (output,) = notebook.cells[0].outputs
    assert {WIDGET_VIEW, "image/png"} <= set(output.data)
    notebook.metadata.pop("widgets", None)
    assert len(rendered_images(notebook)) == 1
