"""The derivation panel: ∂E/∂θ of the selected weight by the chain rule, drawn as MathML.

``derivation_state`` writes what the panel shows: the derivation (``symbolic.derive``) as rows
of MathML aligned on their relation signs, the instance it is for, and the three-way check
(the SymPy expression evaluated, backpropagation and a finite difference, each value in a
``data-`` attribute of ``.bw-check``). ``DerivationView`` shows it, copies its LaTeX for slides
and shows the SymPy expression on request.
"""

from __future__ import annotations

import html

import anywidget
import numpy as np
import traitlets

from ..engine.mlp import MLP
from ..engine.probes import gradient_check
from ..notation import key_of, mathml
from ..notation.numbers import exact, values_text
from .fallback import Pictured, derivation_picture
from .views import STATIC, esm

INVITATION = (
    '<div class="bw-derivation-body bw-derivation-empty">'
    "<b>Click a weight</b> (an edge of the network, or focus the diagram and use the arrow keys "
    "and Enter) to see how the chain rule builds ∂E/∂θ for it, with today's numbers.</div>"
)


class DerivationView(Pictured, anywidget.AnyWidget):
    """The panel (``.bw-derivation``): ``value`` is its HTML with MathML; ``latex`` the same
    derivation in LaTeX (the Copy LaTeX button); ``sympy`` the SymPy expression as MathML,
    filled while ``show_sympy`` (the toggle) is on."""

    _esm = esm("derivation")
    _css = STATIC / "widgets.css"

    value = traitlets.Unicode(INVITATION).tag(sync=True)
    latex = traitlets.Unicode("").tag(sync=True)
    weight = traitlets.Unicode("").tag(sync=True)
    show_sympy = traitlets.Bool(False).tag(sync=True)
    sympy = traitlets.Unicode("").tag(sync=True)
    # The instance the derivation is for (``data-instance`` on ``.bw-derivation``); -1: none.
    instance = traitlets.Int(-1).tag(sync=True)

    _fallback_picture_ = derivation_picture  # shown where no kernel runs (fallback.Pictured)


def derivation_state(
    net: MLP,
    selected,
    x: np.ndarray,
    y: np.ndarray,
    n: int,
    learning_rate: float,
    sympy: bool = False,
    update: str = "the next online update",
    batch: tuple[str, float] | None = None,
) -> dict:
    """The traits of ``DerivationView`` for ``selected`` on instance ``n`` = (x, y): the
    derivation as MathML, its LaTeX, the three-way check, and the SymPy expression as MathML
    when ``sympy``. ``update`` names the step Δθ = −η ∂E/∂θ belongs to. ``batch`` =
    (its words, ∂E/∂θ over it) when the next update is on a batch that instance n begins:
    the panel then says what that update does with θ."""
    if selected is None:
        return {"value": INVITATION, "latex": "", "weight": "", "sympy": ""}
    from ..symbolic import derive

    d = derive(net, *selected, x=x, y=y, learning_rate=learning_rate)
    check = gradient_check(net, selected, x, y, d.symbolic_value)
    key = key_of(selected)
    instance = html.escape(f"instance n = {n}: x = {values_text(x)}, y = {values_text(y)}")
    sections = "".join(
        f'<div class="bw-section" data-section="{name}">'
        f"{mathml.rows(mathml.strip_aligned(latex))}</div>"
        for name, latex in d.sections.items()
    )
    mark = "✓ all three agree" if check.agree else "✗ they disagree"
    values = (
        f'data-symbolic="{check.symbolic!r}" data-backprop="{check.backprop!r}" '
        f'data-finite-difference="{check.finite_difference!r}"'
    )
    body = (
        f'<div class="bw-derivation-body" data-weight="{key}" data-instance="{n}">'
        f'<div class="bw-derivation-instance">{instance}</div>{sections}'
        f'<div class="bw-check" data-agree="{str(check.agree).lower()}" {values}>'
        f"symbolic (the SymPy expression evaluated) {exact(check.symbolic)} = backprop "
        f"{exact(check.backprop)} = finite difference {exact(check.finite_difference)} "
        f"&nbsp; <b>{mark}</b>; {html.escape(update)}: Δθ = −η ∂E/∂θ = "
        f"{exact(-learning_rate * check.backprop)} (η = {learning_rate:.3g})</div>"
        f"{_batch_note(batch, learning_rate)}</div>"
    )
    return {
        "value": body,
        "latex": d.latex,
        "weight": key,
        "sympy": d.expr_mathml if sympy else "",
    }


def _batch_note(batch: tuple[str, float] | None, learning_rate: float) -> str:
    """What the next update, on a batch, does with θ: its ∂E/∂θ is the mean of its instances'."""
    if batch is None:
        return ""
    words, gradient = batch
    return (
        f'<div class="bw-derivation-batch" data-batch-gradient="{gradient!r}">'
        f"The next update is on {html.escape(words)}: its ∂E/∂θ, the mean over its instances, "
        f"is {exact(gradient)}, so Δθ = −η ∂E/∂θ = {exact(-learning_rate * gradient)}.</div>"
    )
