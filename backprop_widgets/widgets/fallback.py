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

import html
import os
import re
import sys

from IPython.display import display

from ..notation import numbers
from .static_image import fallback_html, playground_png, view_png

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


def display_with_picture(widget, picture) -> None:
    """Display the picture ``picture(widget)`` makes (a ``.bw-fallback`` element) and then
    ``widget``, as two outputs; a closed widget (no view) displays nothing. The picture is
    made only where it is shown (``pictures_switch``)."""
    bundle = widget._repr_mimebundle_()
    if bundle is None:
        return
    data, metadata = bundle if isinstance(bundle, tuple) else (bundle, None)  # anywidget's pair
    if not pictures_switch():
        display(data, metadata=metadata, raw=True)
        return
    picture_html = picture(widget)
    display({HTML: SWITCH_STYLE + picture_html, TEXT: data.get(TEXT, "")}, raw=True)
    display({**data, TEXT: ""}, metadata=metadata, raw=True)


def pictures_switch() -> bool:
    """Whether a picture goes before the widget: where the front-end applies the switch's
    style sheet (not VS Code or Colab), and not in JupyterLite's Pyodide kernel, where a
    picture costs seconds of matplotlib in the browser before the widget appears."""
    return (
        "VSCODE_PID" not in os.environ
        and "google.colab" not in sys.modules
        and sys.platform != "emscripten"
    )


def playground_picture(pg) -> str:
    """The network with the activations of the instance shown, epoch and E beneath, and the
    derivation of the selected weight (MathML)."""
    derivation = pg.derivation.value if pg.selected is not None else ""
    return fallback_html(playground_png(pg), derivation)


def demo_picture(demo) -> str:
    """The demo at its phase: the numbers its diagram shows, the phase, its formula and the
    part of the derivation reached."""
    phase = html.unescape(_text(demo.phase_label.value))
    view = demo.view
    caption = view.output_note.replace("\n", " · ") or None
    png = view_png(view, title=phase, caption=caption)
    return fallback_html(png, demo.formula.value + demo.derivation.value)


def quiz_picture(quiz) -> str:
    """The quiz's network with its activations, the δ checked right so far, and the task."""
    t = quiz.trace
    caption = (
        f"x = {numbers.vector_text(t.a[0])} · y = {numbers.vector_text(t.y)} · "
        f"ŷ = {numbers.vector_text(t.y_hat)}"
    )
    png = view_png(quiz.view, title="Fill in δ for every node", caption=caption)
    notes = html.escape("\n".join(quiz.inputs.notes))
    return fallback_html(png, f"{quiz.children[0].value}<pre>{notes}</pre>")


def diagram_picture(view) -> str:
    """A diagram on its own (the exercise sheet's): the network and the numbers it shows."""
    return fallback_html(view_png(view))


def derivation_picture(panel) -> str:
    """The derivation panel: its MathML, as the live panel shows it."""
    return fallback_html(None, panel.value)


def _text(markup: str) -> str:
    """Markup without its tags (the phase label's bold)."""
    return re.sub(r"<[^>]+>", "", markup)
