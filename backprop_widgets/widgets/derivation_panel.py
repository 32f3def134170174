"""The derivation panel's content: derive() typeset, and the three-way check beside it."""

from __future__ import annotations

import html

import numpy as np

from ..engine.mlp import MLP
from ..engine.probes import finite_difference

INVITATION = (
    '<div class="bw-derivation-body bw-derivation-empty">'
    "<b>Click a weight</b> (an edge of the network, or focus the diagram and use the arrow keys "
    "and Enter) to see how the chain rule builds ∂E/∂θ for it, with today's numbers.</div>"
)


def _number(value: float) -> str:
    return f"{value + 0.0:.10g}"  # + 0.0 turns −0 into 0


def derivation_html(
    net: MLP, selected, x: np.ndarray, y: np.ndarray, n: int, learning_rate: float
) -> str:
    """HTML with display math for ``HTMLMath``: the derivation of ∂E/∂θ for ``selected`` on
    instance ``n`` = (x, y), and symbolic = backprop = finite difference."""
    if selected is None:
        return INVITATION
    from ..symbolic import derive

    l, i, j = selected
    d = derive(net, l, i, j, x=x, y=y, learning_rate=learning_rate)
    dW, db = net.gradients(x[None], y[None])
    backprop = float(db[l][i] if j == "bias" else dW[l][i, j])
    numeric = finite_difference(net, selected, x, y)
    agree = np.isclose(d.value, backprop, rtol=1e-12, atol=1e-15) and np.isclose(
        d.value, numeric, rtol=1e-6, atol=1e-9
    )
    mark = "✓ all three agree" if agree else "✗ they disagree"
    key = ",".join(map(str, selected))
    instance = html.escape(
        f"instance n = {n}: x = {np.round(x, 4).tolist()}, y = {np.round(y, 4).tolist()}"
    )
    return (
        f'<div class="bw-derivation-body" data-weight="{key}">'
        f"<div>{instance}</div>"
        f"$$\n{d.latex}\n$$"
        f'<div class="bw-check" data-agree="{str(bool(agree)).lower()}">'
        f"symbolic {_number(d.value)} = backprop {_number(backprop)} = "
        f"finite difference {_number(numeric)} &nbsp; <b>{mark}</b>; "
        f"the next online update: Δθ = −η ∂E/∂θ = {_number(-learning_rate * d.value)} "
        f"(η = {learning_rate:.3g})</div></div>"
    )
