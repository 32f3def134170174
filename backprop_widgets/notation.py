"""The lecture's labels, as plain text: layers and nodes counted from 1, the bias unit as 0."""

from __future__ import annotations

SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def theta_name(l: int, i: int, j) -> str:
    """Label of ``weights[l][i, j]``: θ^(l+1)_(i+1)(j+1); of ``biases[l][i]``: θ^(l+1)_(i+1)0."""
    column = 0 if j == "bias" else j + 1
    return f"θ{str(l + 1).translate(SUPERSCRIPTS)}{f'{i + 1}{column}'.translate(SUBSCRIPTS)}"


def node_name(symbol: str, layer: int, i: int) -> str:
    """The label of node i of Python layer ``layer``: a²₁ for ``node_name("a", 1, 0)``."""
    return f"{symbol}{str(layer + 1).translate(SUPERSCRIPTS)}{str(i + 1).translate(SUBSCRIPTS)}"
