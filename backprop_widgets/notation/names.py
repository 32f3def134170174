"""The lecture's labels, as plain text: layers and nodes counted from 1, the bias unit as 0."""

from __future__ import annotations

SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def superscript(n: int) -> str:
    """``n`` in superscript digits: ² for 2."""
    return str(n).translate(SUPERSCRIPTS)


def subscript(*indices: int) -> str:
    """The indices side by side in subscript digits: ₂₁ for (2, 1)."""
    return "".join(str(k) for k in indices).translate(SUBSCRIPTS)


def theta_name(l: int, i: int, j) -> str:
    """Label of ``weights[l][i, j]``: θ^(l+1)_(i+1)(j+1); of ``biases[l][i]``: θ^(l+1)_(i+1)0."""
    return f"θ{superscript(l + 1)}{subscript(i + 1, 0 if j == 'bias' else j + 1)}"


def node_name(symbol: str, layer: int, i: int) -> str:
    """The label of node i of Python layer ``layer``: a²₁ for ``node_name("a", 1, 0)``."""
    return f"{symbol}{superscript(layer + 1)}{subscript(i + 1)}"


# The lecture's "Backpropagation: Demo" phases, in its words.
PHASES: dict[str, str] = {
    "input": "Receive input",
    "forward": "Forward pass",
    "error": "Compute error",
    "backward": "Backward pass",
    "dtheta": "Calculate Δθ",
    "update": "Update weights",
}
