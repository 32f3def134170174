"""The still picture of the network, shown where no kernel runs (GitHub, nbviewer).

The picture is checked by its pixels: the sign colours of static/widgets.css appear exactly when
weights of that sign exist, the selected edge is highlighted, and the picture grows with the
network. Each view is displayed as two outputs, its picture and then the widget
(``widgets/fallback.py``), and nbconvert (what nbviewer runs) shows each picture once when the
notebook holds no widget state.
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
    network_png,
    playground_png,
    view_png,
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


# ---------------------------------------------------------------- the views' two outputs

VIEWS = {
    "playground": "pg = bw.Playground()\npg.selected = (0, 1, 0)\npg",
    "demo": "bw.Playground().demo",
    "quiz": "ex.delta_quiz()",
    "diagram": "ex.diagram()",
    "derivation": "pg.derivation",
    "slice": "bw.ErrorSlice(pg.net, pg.X, pg.Y, (0, 1, 0))",
    "surface": "bw.DecisionSurface(pg.net, pg.X, pg.Y)",
    # A box of one's own, shown with bw.show: the slice's picture; the button has none.
    "box": "import ipywidgets as w\n"
    "bw.show(w.VBox([w.Button(description='Step'), bw.ErrorSlice(pg.net, pg.X, pg.Y, (1, 0, 0))]))",
}
IMPORTS = "import backprop_widgets as bw\nfrom backprop_widgets import exercises as ex"


def executed(*sources: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in sources],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    return notebook


@pytest.fixture(scope="module")
def views_notebook():
    return executed(IMPORTS, *VIEWS.values())


def test_each_view_displays_its_picture_then_the_widget(views_notebook):
    for name, cell in zip(VIEWS, views_notebook.cells[1:]):
        picture, widget = cell.outputs
        assert picture.output_type == widget.output_type == "display_data", name
        assert set(picture.data) == {"text/html", "text/plain"}, name
        assert widget.data["text/plain"] == "", name  # an untrusted notebook shows it
        assert '<div class="bw-fallback">' in picture.data["text/html"], name
        assert WIDGET_VIEW in widget.data and "text/html" not in widget.data, name
        images = re.findall(r'src="data:image/png;base64,([^"]+)"', picture.data["text/html"])
        assert len(images) == (0 if name == "derivation" else 1), name
        if images:
            assert base64.b64decode(images[0]).startswith(b"\x89PNG"), name


def test_pictures_show_the_selected_weight_and_its_derivation(views_notebook):
    playground = views_notebook.cells[1].outputs[0].data["text/html"]
    derivation = views_notebook.cells[5].outputs[0].data["text/html"]
    for html in (playground, derivation):
        assert 'data-weight="0,1,0"' in html and "<math" in html


def test_playground_picture_is_the_network_png():
    from backprop_widgets.widgets.fallback import playground_picture
    from backprop_widgets.widgets.playground import Playground

    pg = Playground()
    pg.selected = (0, 0, 1)
    (image,) = re.findall(r'base64,([^"]+)"', playground_picture(pg))
    assert base64.b64decode(image) == playground_png(pg)


def test_view_picture_leaves_unreached_layers_unnumbered():
    """The demo at "Receive input" shows x only: the picture writes names in the other nodes,
    as at "Receive input" in the live view; after the forward pass, numbers."""
    from backprop_widgets.widgets.demo import StepThrough

    demo = StepThrough(lecture_net(), X_XOR, Y_XOR)
    start = view_png(demo.view)
    demo.next()
    demo.next()
    forward = view_png(demo.view)
    assert start != forward
    assert view_png(demo.view) == network_png(demo.net, a=[a.tolist() for a in demo.trace.a])


def rendered_images(notebook: nbformat.NotebookNode) -> list[str]:
    from nbconvert import HTMLExporter

    html, _ = HTMLExporter().from_notebook_node(notebook)
    return re.findall(r'<img[^>]* src="data:image/png;base64,([^"]+)"', html)


def test_nbconvert_shows_each_picture_once_when_no_widget_state_was_saved(views_notebook):
    """As nbviewer shows a notebook saved by JupyterLab or Notebook 7, which save no widget
    state unless asked to."""
    notebook = nbformat.from_dict(json.loads(json.dumps(views_notebook)))
    notebook.metadata.pop("widgets", None)
    assert len(rendered_images(notebook)) == len(VIEWS) - 1  # the derivation is MathML


@pytest.mark.parametrize(
    "where", ["os.environ['VSCODE_PID'] = '1'", "sys.modules['google.colab'] = type(sys)('colab')"]
)
def test_vs_code_and_colab_get_the_widget_alone(where):
    # They draw each output on its own, where the switch cannot hide the picture.
    notebook = executed(f"import os, sys\n{where}", IMPORTS, "ex.diagram()")
    (widget,) = notebook.cells[2].outputs
    assert WIDGET_VIEW in widget.data
    assert "bw-fallback" not in str(widget.data)


# ---------------------------------------------------------------- plots and boxes of one's own


def image_of(body: str) -> np.ndarray:
    (image,) = re.findall(r'src="data:image/png;base64,([^"]+)"', body)
    return pixels(base64.b64decode(image))


def test_surface_picture_colours_each_point_by_its_target():
    from backprop_widgets.widgets.fallback import picture_of
    from backprop_widgets.widgets.plot_pictures import STOPS
    from backprop_widgets.widgets.surface_view import DecisionSurface

    net = lecture_net()
    low, high = (np.array(STOPS[k][1]) for k in (0, -1))  # y = 0 orange, y = 1 blue
    mostly_0, mostly_1 = np.array([[0.0], [0], [0], [1]]), np.array([[1.0], [1], [1], [0]])
    first, second = (
        image_of(picture_of(DecisionSurface(net, X_XOR, Y))) for Y in (mostly_0, mostly_1)
    )
    # Three points of one colour and one of the other, then the other way round.
    assert count(first, low, 6) > 2 * count(second, low, 6) > 0
    assert count(second, high, 6) > 2 * count(first, high, 6) > 0
    net.weights[1][...] = -np.abs(net.weights[1]) - 5  # ŷ ≈ 0 everywhere: the plane is orange
    assert count(image_of(picture_of(DecisionSurface(net, X_XOR, Y_XOR))), low, 6) > 10_000


def test_slice_picture_draws_the_curve_and_its_tangent_or_says_what_to_do():
    from backprop_widgets.widgets.fallback import picture_of
    from backprop_widgets.widgets.slice_view import ErrorSlice

    view = ErrorSlice(lecture_net(), X_XOR, Y_XOR, (1, 0, 0))
    image = image_of(picture_of(view))
    assert count(image, rgb(NEGATIVE), tolerance=8) > 50  # the dashed tangent
    view.parameter = None
    assert picture_of(view) == f"<div>{view.message}</div>"


def test_a_box_shows_its_childrens_pictures_in_its_direction_and_leaves_controls_out():
    import ipywidgets as w

    from backprop_widgets.widgets.fallback import picture_of
    from backprop_widgets.widgets.slice_view import ErrorSlice

    view = ErrorSlice(lecture_net(), X_XOR, Y_XOR, (0, 0, 0))
    controls = w.HBox([w.Dropdown(options=["a"]), w.IntSlider(), w.Button()])
    assert picture_of(controls) is None
    row = picture_of(w.HBox([w.Label("E <of> θ"), view]))
    assert "flex-direction: row" in row
    assert row.index("E &lt;of&gt; θ") < row.index(picture_of(view))
    column = picture_of(w.VBox([controls, w.HTML("<b>slice</b>"), view]))
    assert "flex-direction: column" in column and "<b>slice</b>" in column
    assert column.count("<img") == 1


def test_an_output_shows_its_figure_and_text():
    import ipywidgets as w

    from backprop_widgets.widgets.fallback import picture_of

    png = network_png(lecture_net())
    out = w.Output()
    out.outputs = (
        {"output_type": "stream", "name": "stdout", "text": "misclassified <3>"},
        {"output_type": "display_data", "metadata": {},
         "data": {"image/png": base64.b64encode(png).decode(), "text/plain": "<Figure>"}},
    )  # fmt: skip
    body = picture_of(out)
    assert body.startswith("<pre>misclassified &lt;3&gt;</pre>")
    assert base64.b64decode(re.findall(r"base64,([^\"]+)\"", body)[0]) == png
    assert picture_of(w.Output()) is None


def test_an_image_widget_shows_its_picture():
    import ipywidgets as w

    from backprop_widgets.widgets.fallback import picture_of

    png = network_png(lecture_net())
    body = picture_of(w.Image(value=png, format="png", width=300))
    assert base64.b64decode(re.findall(r'base64,([^"]+)"', body)[0]) == png
    assert 'width="300"' in body
    url = w.Image.from_url("https://example.org/slide.png")
    assert picture_of(url) == '<img src="https://example.org/slide.png" alt="">'
    assert picture_of(w.Image()) is None


def test_show_refuses_what_is_no_widget():
    import backprop_widgets as bw

    with pytest.raises(TypeError, match="widget must be an ipywidgets widget; got int"):
        bw.show(3)


def test_html_math_in_a_box_is_drawn_as_mathml_without_mathjax():
    import ipywidgets as w

    import backprop_widgets as bw
    from backprop_widgets.widgets.fallback import picture_of

    d = bw.derive(lecture_net(), 0, 0, 0, x=X_XOR[1], y=Y_XOR[1], learning_rate=0.5)
    body = picture_of(w.VBox([w.HTMLMath(f"$${d.latex}$$"), w.HTMLMath("E is $\\frac{1}{2}$")]))
    assert "$" not in body
    rows = d.latex.count("\\\\") + 1  # each row of the aligned derivation, titles included
    assert body.count('class="bw-math-row"') + body.count('class="bw-math-title"') == rows
    assert "E is <math" in body


def test_the_plane_names_the_inputs_on_its_axes():
    from matplotlib.figure import Figure

    from backprop_widgets.widgets import plot_pictures
    from backprop_widgets.widgets.surface_view import DecisionSurface

    net = MLP([3, 2, 1], seed=0)
    X = np.random.default_rng(0).uniform(-1, 1, (20, 3))
    view = DecisionSurface(net, X, (X[:, :1] > 0).astype(float))
    view.shown_inputs = [2, 0]
    labels = []
    original = Figure.add_subplot

    def recording(fig, *args, **kwargs):
        ax = original(fig, *args, **kwargs)
        labels.append(ax)
        return ax

    Figure.add_subplot = recording
    try:
        assert plot_pictures.surface_png(view).startswith(b"\x89PNG")
    finally:
        Figure.add_subplot = original
    (ax,) = labels
    assert (ax.get_xlabel(), ax.get_ylabel()) == tuple(view.input_labels)
    assert "x₃" in view.input_labels[0] and "held at its mean" in view.held


def test_a_box_follows_its_direction_and_a_tab_shows_its_selected_child():
    import ipywidgets as w

    from backprop_widgets.widgets.fallback import picture_of

    a, b = w.HTML("<i>a</i>"), w.HTML("<i>b</i>")
    assert "flex-direction: row" in picture_of(w.Box([a, b]))
    column = w.Box([a, b], layout=w.Layout(flex_flow="column"))
    assert "flex-direction: column" in picture_of(column)
    tab = w.Tab([a, b], titles=("first", "second"), selected_index=1)
    assert picture_of(tab) == "<div><b>second</b></div><i>b</i>"


def test_a_picture_that_fails_leaves_the_widget_shown(monkeypatch):
    import ipywidgets as w

    from backprop_widgets.widgets import fallback

    shown = []
    monkeypatch.setattr(fallback, "display", lambda data, **kwargs: shown.append(data))
    with pytest.warns(UserWarning, match="no picture of VBox"):
        fallback.show(w.VBox([w.HTMLMath(r"$\frac{1}{$")]))
    (widget,) = shown
    assert WIDGET_VIEW in widget


def test_html_math_keeps_escaped_dollars_and_entities():
    import ipywidgets as w

    from backprop_widgets.widgets.fallback import picture_of

    body = picture_of(w.HTMLMath("costs \\$5: $a &lt; b$"))
    assert body.startswith("costs $5: <math") and "<mo>&#x0003C;</mo>" in body
