"""The derivation panel's content: derive() typeset, and the three-way check beside it."""

from __future__ import annotations

import html

import numpy as np

from ..engine.mlp import MLP
from ..engine.probes import gradient_check
from ..notation import key_of
from ..notation.numbers import exact

INVITATION = (
    '<div class="bw-derivation-body bw-derivation-empty">'
    "<b>Click a weight</b> (an edge of the network, or focus the diagram and use the arrow keys "
    "and Enter) to see how the chain rule builds ∂E/∂θ for it, with today's numbers.</div>"
)


def derivation_html(
    net: MLP, selected, x: np.ndarray, y: np.ndarray, n: int, learning_rate: float
) -> str:
    """HTML with display math for ``HTMLMath``: the derivation of ∂E/∂θ for ``selected`` on
    instance ``n`` = (x, y), and symbolic = backprop = finite difference."""
    if selected is None:
        return INVITATION
    from ..symbolic import derive

    d = derive(net, *selected, x=x, y=y, learning_rate=learning_rate)
    check = gradient_check(net, selected, x, y, d.value)
    mark = "✓ all three agree" if check.agree else "✗ they disagree"
    key = key_of(selected)
    instance = html.escape(
        f"instance n = {n}: x = {np.round(x, 4).tolist()}, y = {np.round(y, 4).tolist()}"
    )
    return (
        f'<div class="bw-derivation-body" data-weight="{key}">'
        f"<div>{instance}</div>"
        f"$$\n{d.latex}\n$$"
        f'<div class="bw-check" data-agree="{str(check.agree).lower()}">'
        f"symbolic {exact(check.symbolic)} = backprop {exact(check.backprop)} = "
        f"finite difference {exact(check.finite_difference)} &nbsp; <b>{mark}</b>; "
        f"the next online update: Δθ = −η ∂E/∂θ = {exact(-learning_rate * d.value)} "
        f"(η = {learning_rate:.3g})</div></div>"
    )
