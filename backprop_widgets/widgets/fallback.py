"""What a view shows where no kernel runs: its picture, in an output of its own before the view.

A widget's output is only a reference to a model in a live kernel. JupyterLab 4 and Notebook 7
save no widget state by default (the widget manager's ``saveState`` setting is off), and for a
trusted output they always pick the widget mimetype (its renderer ranks -10, before text/html
at 50 and image/png at 90), so a notebook reopened without running it shows "Error displaying
widget: model not found" (a new kernel without the model) or "Loading widget..." (no kernel) in
place of every view, whatever else the output's bundle carries.

So a view is displayed as two outputs: first its picture (``.bw-fallback``, text/html), then the
widget. The picture's HTML carries a style sheet that JupyterLab, Notebook 7, Voila and
nbconvert's HTML (the same output-area classes) apply:

- while the widget output holds no live view (an error, "Loading widget...", or, untrusted,
  its text/plain), that output is hidden and the picture shows;
- once the live view is drawn, the picture is hidden.

An untrusted notebook loses the style sheet to the sanitizer, but shows no widget either: it
shows the picture and the widget output's text/plain, which is empty (the widget's own text
goes with the picture, for terminals). GitHub and nbviewer show the picture.

VS Code and Colab draw each output on its own, where these rules cannot see the widget's
output, so both would show: there the widget is displayed alone, as before (detected as
plotly does, by ``VSCODE_PID`` in the kernel's environment and ``google.colab`` imported).
"""

from __future__ import annotations

import base64
import html
import os
import re
import sys
import warnings

from IPython.display import display

from ..notation import mathml, numbers
from .static_image import fallback_html, picture_body, playground_png, view_png

HTML, TEXT = "text/html", "text/plain"

# ":has" may not nest, so each rule uses it once per compound selector. A live view is a
# Lumino widget inside the widget renderer's panel; without one, the panel holds only text.
OUTPUT = ".jp-OutputArea-child"
PICTURE = f"{OUTPUT}:has(> .jp-OutputArea-output .bw-fallback)"
LIVE = "> .jp-OutputArea-output > .lm-Widget"
SWITCH_STYLE = (
    "<style>"
    f"{PICTURE} + {OUTPUT}:not(:has({LIVE})) {{ display: none; }}"
    f"{PICTURE}:has(+ {OUTPUT} {LIVE}) {{ display: none; }}"
    "</style>"
)


def display_with_picture(widget) -> None:
    """Display the picture of ``widget`` (``picture_of``) and then ``widget``, as two outputs;
    without a picture, the widget alone. A closed widget (no view) displays nothing. The
    picture is made only where it is shown (``pictures_switch``)."""
    bundle = widget._repr_mimebundle_()
    if bundle is None:
        return
    data, metadata = bundle if isinstance(bundle, tuple) else (bundle, None)  # anywidget's pair
    try:
        body = picture_of(widget) if pictures_switch() else None
    except Exception as error:  # the view matters more than its picture: show it without one
        warnings.warn(f"no picture of {type(widget).__name__}: {error!r}", stacklevel=2)
        body = None
    if body is None:
        display(data, metadata=metadata, raw=True)
        return
    display({HTML: SWITCH_STYLE + fallback_html(None, body), TEXT: data.get(TEXT, "")}, raw=True)
    display({**data, TEXT: ""}, metadata=metadata, raw=True)


class Pictured:
    """A view displayed after its picture (``display_with_picture``): its class says what the
    picture is, ``_fallback_picture_`` being a function of the view that gives the body of a
    ``.bw-fallback`` element (or None)."""

    _fallback_picture_ = None

    def _ipython_display_(self) -> None:
        display_with_picture(self)


def show(widget) -> None:
    """Display ``widget`` (any ipywidget: a box of your own with the package's views and
    controls in it, say) after a still picture of what it shows, as the package's own views
    are: where no kernel runs (the notebook reopened without running it, nbviewer, GitHub) the
    picture is shown instead of "Error displaying widget".

    The picture holds each view's picture (``picture_of``), laid out as the boxes lay them
    out, with the HTML, labels and outputs (a matplotlib figure in an ``Output``) in them;
    controls (sliders, buttons, menus) are left out: they do nothing without a kernel.

    Examples
    --------
    >>> import ipywidgets as w, backprop_widgets as bw
    >>> net = bw.MLP([2, 2, 1], seed=0)
    >>> X, Y = bw.datasets.xor()
    >>> bw.show(w.VBox([w.HTML("<b>E of one weight</b>"), bw.ErrorSlice(net, X, Y, (0, 0, 0))]))
    """
    import ipywidgets as w

    if not isinstance(widget, w.Widget):
        raise TypeError(f"widget must be an ipywidgets widget; got {type(widget).__name__}")
    display_with_picture(widget)


def pictures_switch() -> bool:
    """Whether a picture goes before the widget: where the front-end applies the switch's
    style sheet (not VS Code or Colab), and not in JupyterLite's Pyodide kernel, where a
    picture costs seconds of matplotlib in the browser before the widget appears."""
    return (
        "VSCODE_PID" not in os.environ
        and "google.colab" not in sys.modules
        and sys.platform != "emscripten"
    )


def picture_of(widget) -> str | None:
    """What ``widget`` shows, as the body of a ``.bw-fallback`` element, or None for nothing:
    the package's views by their own pictures, a box by its children's side by side (HBox) or
    one under another, HTML and labels as they read, an ``Image`` as its image, an ``Output``
    by its outputs."""
    import ipywidgets as w

    own = getattr(widget, "_fallback_picture_", None)  # each of the package's views has one
    if callable(own):
        return own()
    if isinstance(widget, (w.Tab, w.Accordion, w.Stack)):  # the child shown, under its title
        n = widget.selected_index
        if n is None or not 0 <= n < len(widget.children):
            return None
        body = picture_of(widget.children[n])
        title = widget.titles[n] if n < len(widget.titles) else ""
        return f"<div><b>{html.escape(title)}</b></div>{body}" if body and title else body
    if isinstance(widget, w.Box):
        bodies = [body for body in map(picture_of, widget.children) if body]
        if not bodies:
            return None
        column = isinstance(widget, w.VBox) or "column" in (widget.layout.flex_flow or "")
        direction = "column" if column else "row"
        cells = "".join(f"<div>{body}</div>" for body in bodies)
        return (
            f'<div style="display: flex; flex-direction: {direction}; flex-wrap: wrap; '
            f'gap: 8px; align-items: flex-start">{cells}</div>'
        )
    if isinstance(widget, w.HTMLMath):
        return _typeset(widget.value) or None
    if isinstance(widget, w.HTML):
        return widget.value or None
    if isinstance(widget, w.Label):
        return f"<div>{html.escape(widget.value)}</div>" if widget.value else None
    if isinstance(widget, w.Image):
        return _image_html(widget)
    if isinstance(widget, w.Output):
        return "".join(map(_output_html, widget.outputs)) or None
    return None


# $$…$$ and $…$, not an escaped \$.
DISPLAYED = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$", re.S)
INLINE = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$", re.S)


def _typeset(markup: str) -> str:
    """An ``HTMLMath``'s HTML with its $$…$$ and $…$ LaTeX as MathML (no MathJax needed): an
    ``aligned`` environment as the derivation panel's rows."""

    def displayed(found: re.Match) -> str:
        latex = html.unescape(found[1]).strip()
        body = mathml.strip_aligned(latex)
        return mathml.rows(body) if body != latex else mathml.math(latex, display=True)

    markup = DISPLAYED.sub(displayed, markup)
    markup = INLINE.sub(lambda found: mathml.math(html.unescape(found[1])), markup)
    return markup.replace("\\$", "$")


def _output_html(output: dict) -> str:
    """One output of an ``Output`` widget as HTML: its PNG, its HTML, or its text."""
    if output.get("output_type") == "stream":
        return f"<pre>{html.escape(_joined(output.get('text', '')))}</pre>"
    data = {kind: _joined(value) for kind, value in output.get("data", {}).items()}
    if "image/png" in data:
        return _img(_data_url(data["image/png"], "png"))
    if HTML in data:
        return data[HTML]
    if TEXT in data:
        return f"<pre>{html.escape(data[TEXT])}</pre>"
    return ""


def _image_html(image) -> str | None:
    """An ``Image`` widget's picture: its bytes as a data URL, or its URL."""
    if not image.value:
        return None
    size = {name: value for name in ("width", "height") if (value := getattr(image, name))}
    if image.format == "url":
        return _img(bytes(image.value).decode("utf-8"), **size)
    return _img(_data_url(bytes(image.value), image.format), **size)


def _data_url(data: bytes | str, kind: str) -> str:
    """``data`` (bytes, or base64 text already, as IPython formats a PNG) as an image/``kind``
    data URL."""
    text = data.strip() if isinstance(data, str) else base64.b64encode(data).decode("ascii")
    return f"data:image/{kind};base64,{text}"


def _img(src: str, **attributes) -> str:
    """An ``<img>`` of ``src`` with the other ``attributes`` given."""
    named = "".join(f' {k}="{html.escape(str(v))}"' for k, v in {"src": src, **attributes}.items())
    return f'<img{named} alt="">'


def _joined(value):
    """An output's text, also as nbformat stores it: a list of lines."""
    return "".join(value) if isinstance(value, list) else value


def playground_picture(pg) -> str:
    """The network with the activations of the instance shown, epoch and E beneath, and the
    derivation of the selected weight (MathML)."""
    derivation = pg.derivation.value if pg.selected is not None else ""
    return picture_body(playground_png(pg), derivation)


def demo_picture(demo) -> str:
    """The demo at its phase: the numbers its diagram shows, the phase, its formula and the
    part of the derivation reached."""
    phase = html.unescape(_text(demo.phase_label.value))
    view = demo.view
    caption = view.output_note.replace("\n", " · ") or None
    png = view_png(view, title=phase, caption=caption)
    return picture_body(png, demo.formula.value + demo.derivation.value)


def quiz_picture(quiz) -> str:
    """The quiz's network with its activations, the δ checked right so far, and the task."""
    t = quiz.trace
    caption = (
        f"x = {numbers.vector_text(t.a[0])} · y = {numbers.vector_text(t.y)} · "
        f"ŷ = {numbers.vector_text(t.y_hat)}"
    )
    png = view_png(quiz.view, title="Fill in δ for every node", caption=caption)
    notes = html.escape("\n".join(quiz.inputs.notes))
    return picture_body(png, f"{quiz.children[0].value}<pre>{notes}</pre>")


def diagram_picture(view) -> str:
    """A diagram on its own (the exercise sheet's): the network and the numbers it shows."""
    return picture_body(view_png(view))


def derivation_picture(panel) -> str:
    """The derivation panel: its MathML, as the live panel shows it."""
    return picture_body(None, panel.value)


def slice_picture(view) -> str | None:
    """The error slice's curve, tangent and step; its message while no weight is selected."""
    from .plot_pictures import slice_png

    png = slice_png(view)
    return picture_body(png) if png is not None else f"<div>{html.escape(view.message)}</div>"


def surface_picture(view) -> str | None:
    """The decision surface as drawn (none before its first update)."""
    from .plot_pictures import surface_png

    png = surface_png(view)
    return picture_body(png) if png is not None else None


def _text(markup: str) -> str:
    """Markup without its tags (the phase label's bold)."""
    return re.sub(r"<[^>]+>", "", markup)
