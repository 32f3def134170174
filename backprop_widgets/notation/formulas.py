"""Each formula of the lecture, written once, as text and as LaTeX.

The engine computes these quantities (``engine/mlp.py``); everything that writes one out (the
demo, the derivation, the δ quiz, the exercise hints and feedback) takes it from here, so the
views cannot disagree about a sign or an index.

Layers are given as people see them: 1 is the input layer, and a letter such as ``"l"`` stands
for any layer. ``θ^l_ij`` connects node j of layer l to node i of layer l+1; δ has the lecture's
sign, δ = −∂E/∂z; Δθ = η δ a = −η ∂E/∂θ.
"""

from __future__ import annotations

from typing import NamedTuple

_SUP = str.maketrans("0123456789+-lL", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ˡᴸ")
_SUB = str.maketrans("0123456789ijk", "₀₁₂₃₄₅₆₇₈₉ᵢⱼₖ")


class Formula(NamedTuple):
    """One formula: ``text`` in Unicode (hints, feedback, tooltips), ``latex`` for maths."""

    text: str
    latex: str

    def __str__(self) -> str:
        return self.text


_WRITTEN: dict[str, str] = {}  # the text of every formula written so far -> its LaTeX


def _written(text: str, latex: str) -> Formula:
    """A formula, remembered so that prose quoting its text can draw it (``written_in``)."""
    _WRITTEN[text] = latex
    return Formula(text, latex)


def written_in(prose: str) -> list[Formula]:
    """The formulas of this module whose text ``prose`` quotes, longest first (a formula
    quoted inside a longer one is found as part of the longer)."""
    found = [Formula(text, latex) for text, latex in _WRITTEN.items() if text in prose]
    return sorted(found, key=lambda formula: -len(formula.text))


def sup(index: object) -> str:
    """A layer as a Unicode superscript: ``sup(2)`` is ², ``sup("l+1")`` is ˡ⁺¹."""
    return str(index).translate(_SUP)


def sub(*indices: object) -> str:
    """Node indices as Unicode subscripts: ``sub("i", "j")`` is ᵢⱼ, ``sub(1, 0)`` is ₁₀."""
    return "".join(str(k) for k in indices).translate(_SUB)


def indices(*shown: object) -> str:
    """Node indices side by side, as a subscript reads them: ``"ij"``, ``"11"``; with commas
    once one of them has more than one character: ``"1,12"``."""
    parts = [str(k) for k in shown]
    return ("," if any(len(part) > 1 for part in parts) else "").join(parts)


def _low(*shown: object) -> str:
    """A LaTeX subscript: a lone letter bare (``i``), anything else in braces (``{11}``)."""
    joined = indices(*shown)
    return joined if len(joined) == 1 and joined.isalpha() else "{" + joined + "}"


def above(layer: object, step: int = 1) -> object:
    """The layer ``step`` above ``layer``: 3 for 2, ``"l+1"`` for ``"l"``."""
    return layer + step if isinstance(layer, int) else f"{layer}+{step}"


def below(layer: object) -> object:
    """The layer below ``layer``: 1 for 2, ``"l-1"`` for ``"l"``."""
    return layer - 1 if isinstance(layer, int) else f"{layer}-1"


# -- the forward pass ----------------------------------------------------------------------------


def net_input(layer: object, bias: bool = True) -> Formula:
    """z of node i of ``layer`` (≥ 2): z^l_i = Σ_j θ^(l−1)_ij a^(l−1)_j + θ^(l−1)_i0."""
    w = below(layer)
    text = f"z{sup(layer)}ᵢ = Σⱼ θ{sup(w)}ᵢⱼ a{sup(w)}ⱼ"
    latex = rf"z^{{{layer}}}_i = \sum_j \theta^{{{w}}}_{{ij}}\, a^{{{w}}}_j"
    if bias:
        text += f" + θ{sup(w)}ᵢ₀ · a{sup(w)}₀"
        latex += rf" + \theta^{{{w}}}_{{i0}}"
    return _written(text, latex)


def activation(layer: object) -> Formula:
    """a = g(z) in ``layer``."""
    return _written(f"a{sup(layer)} = g(z{sup(layer)})", rf"a^{{{layer}}} = g(z^{{{layer}}})")


INPUT = _written("a¹ = x", r"a^{1} = x")
"""The input layer's activations are the inputs."""

BIAS_UNIT = _written("aˡ₀ = 1", r"a^{l}_{0} = 1")
"""The bias unit of every layer but the output."""

# -- the error -----------------------------------------------------------------------------------

ERROR = _written("E = ½ Σₖ (yₖ − ŷₖ)²", r"E = \tfrac12 \sum_k (y_k - \hat y_k)^2")
"""The error of one instance."""

ERROR_MEAN = _written(
    "E = 1/(2N) Σₙ Σₖ (yₙₖ − ŷₙₖ)²", r"E = \tfrac{1}{2N} \sum_n \sum_k (y_{nk} - \hat y_{nk})^2"
)
"""The error over N instances, as ``MLP.loss`` and ``MLP.fit`` report it."""

ERROR_SLOPE = _written(
    "∂E/∂ŷₖ = −(yₖ − ŷₖ)", r"\frac{\partial E}{\partial \hat y_k} = -(y_k - \hat y_k)"
)
"""How E changes with an output: the first factor of every chain rule."""


def error_slope(layer: object = "L") -> Formula:
    """The same, as the lecture's "Derivation" slides write it, with the output layer's
    activations: ∂E/∂a^L_k = −(y_k − a^L_k)."""
    return _written(
        f"∂E/∂a{sup(layer)}ₖ = −(yₖ − a{sup(layer)}ₖ)",
        rf"\frac{{\partial E}}{{\partial a^{{{layer}}}_k}} = -(y_k - a^{{{layer}}}_k)",
    )


# -- beyond the lecture: cross-entropy ------------------------------------------------------------

CROSS_ENTROPY = _written("E = −Σₖ yₖ log ŷₖ", r"E = -\sum_k y_k \log \hat y_k")
"""The cross-entropy of one instance with a softmax output (y one-hot: one class)."""

BINARY_CROSS_ENTROPY = _written(
    "E = −Σₖ [yₖ log ŷₖ + (1 − yₖ) log(1 − ŷₖ)]",
    r"E = -\sum_k \bigl[y_k \log \hat y_k + (1 - y_k) \log(1 - \hat y_k)\bigr]",
)
"""The cross-entropy of one instance with a sigmoid output (each ŷₖ a yes/no probability)."""

LOSS_TITLES = {"squared": "squared error", "cross_entropy": "cross-entropy"}
"""How a title names each loss: "∂E/∂θ²₁₂ for the cross-entropy E"."""


def error_of(loss: str = "squared", output: str = "sigmoid") -> Formula:
    """E of one instance for ``loss`` ("squared" or "cross_entropy") on an ``output``
    activation: the lecture's ½ Σ (y − ŷ)², or a cross-entropy (softmax or sigmoid output)."""
    if loss == "squared":
        return ERROR
    return CROSS_ENTROPY if output == "softmax" else BINARY_CROSS_ENTROPY


def softmax(layer: object = "L") -> Formula:
    """The softmax output: a^L_k = e^(z^L_k) / Σ_m e^(z^L_m)."""
    return _written(
        f"a{sup(layer)}ₖ = e^(z{sup(layer)}ₖ) / Σₘ e^(z{sup(layer)}ₘ)",
        rf"a^{{{layer}}}_k = \frac{{e^{{z^{{{layer}}}_k}}}}{{\sum_m e^{{z^{{{layer}}}_m}}}}",
    )


def cross_entropy_slope(layer: object = "L", output: str = "softmax") -> Formula:
    """∂E/∂a^L_k of the cross-entropy: −y_k / a^L_k (softmax), or
    −(y_k / a^L_k − (1 − y_k) / (1 − a^L_k)) (sigmoid)."""
    a_text, a = f"a{sup(layer)}ₖ", f"a^{{{layer}}}_k"
    if output == "softmax":
        return _written(f"∂E/∂{a_text} = −yₖ / {a_text}", rf"{_d('E', a)} = -\frac{{y_k}}{{{a}}}")
    return _written(
        f"∂E/∂{a_text} = −(yₖ / {a_text} − (1 − yₖ) / (1 − {a_text}))",
        rf"{_d('E', a)} = -\Bigl(\frac{{y_k}}{{{a}}} - \frac{{1 - y_k}}{{1 - {a}}}\Bigr)",
    )


def softmax_jacobian(layer: object = "L") -> Formula:
    """The softmax's Jacobian: ∂a^L_k/∂z^L_i = a^L_k (1[k = i] − a^L_i); every output depends
    on every z of its layer."""
    a_k, a_i, z_i = f"a^{{{layer}}}_k", f"a^{{{layer}}}_i", f"z^{{{layer}}}_i"
    return _written(
        f"∂a{sup(layer)}ₖ/∂z{sup(layer)}ᵢ = a{sup(layer)}ₖ (1[k = i] − a{sup(layer)}ᵢ)",
        rf"{_d(a_k, z_i)} = {a_k}\,({{1[k = i]}} - {a_i})",
    )


def through_softmax(layer: object = "L") -> Formula:
    """The chain rule through the softmax: ∂E/∂z^L_i = Σ_k ∂E/∂a^L_k ∂a^L_k/∂z^L_i."""
    a_k, z_i = f"a^{{{layer}}}_k", f"z^{{{layer}}}_i"
    return _written(
        f"∂E/∂z{sup(layer)}ᵢ = Σₖ ∂E/∂a{sup(layer)}ₖ ∂a{sup(layer)}ₖ/∂z{sup(layer)}ᵢ",
        rf"{_d('E', z_i)} = \sum_k {_d('E', a_k)}\, {_d(a_k, z_i)}",
    )


def cross_entropy_delta(layer: object = "L") -> Formula:
    """δ at an output under cross-entropy (softmax or sigmoid): δ^L_i = y_i − ŷ_i, g′ cancelled."""
    return _written(f"δ{sup(layer)}ᵢ = yᵢ − ŷᵢ", rf"\delta^{{{layer}}}_i = y_i - \hat y_i")


def _d(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


# -- the backward pass ---------------------------------------------------------------------------


def output_delta(layer: object = "L") -> Formula:
    """δ at the output ``layer``: δ^L_i = (y_i − ŷ_i) g'(z^L_i)."""
    return _written(
        f"δ{sup(layer)}ᵢ = (yᵢ − ŷᵢ) g'(z{sup(layer)}ᵢ)",
        rf"\delta^{{{layer}}}_i = (y_i - \hat y_i)\, g'(z^{{{layer}}}_i)",
    )


def output_delta_of(loss: str, layer: object = "L") -> Formula:
    """δ at the output for a network's loss: ``output_delta`` for squared error,
    ``cross_entropy_delta`` for cross-entropy."""
    return cross_entropy_delta(layer) if loss == "cross_entropy" else output_delta(layer)


def hidden_delta(layer: object = "l") -> Formula:
    """δ of node j of a hidden ``layer``: δ^l_j = (Σ_i θ^l_ij δ^(l+1)_i) g'(z^l_j).

    The weight is θ^l, the one that carried a^l_j forward; the slide "The Generalized Delta
    Rule" writes θ^1 for the [2, 2, 1] network's θ^2, a slip.
    """
    up = above(layer)
    return _written(
        f"δ{sup(layer)}ⱼ = (Σᵢ θ{sup(layer)}ᵢⱼ δ{sup(up)}ᵢ) g'(z{sup(layer)}ⱼ)",
        rf"\delta^{{{layer}}}_j = \Bigl(\sum_i \theta^{{{layer}}}_{{ij}}\, \delta^{{{up}}}_i\Bigr)"
        rf"\, g'(z^{{{layer}}}_j)",
    )


DELTA_SIGN = _written("δ = −∂E/∂z", r"\delta = -\partial E / \partial z")
"""The lecture's sign of the error term."""

# -- the update ----------------------------------------------------------------------------------


def gradient(layer: object = "l", i: object = "i", j: object = "j") -> Formula:
    """∂E/∂θ^l_ij = −δ^(l+1)_i a^l_j.

    ``i`` and ``j`` are the indices as shown (1-based, 0 for the bias unit) or letters:
    ``gradient(2, 1, 1)`` is ∂E/∂θ²₁₁ = −δ³₁ a²₁.
    """
    up = above(layer)
    return _written(
        f"∂E/∂θ{sup(layer)}{sub(i, j)} = −δ{sup(up)}{sub(i)} a{sup(layer)}{sub(j)}",
        rf"\frac{{\partial E}}{{\partial \theta^{{{layer}}}_{_low(i, j)}}} = "
        rf"-\delta^{{{up}}}_{_low(i)}\, a^{{{layer}}}_{_low(j)}",
    )


def delta_theta(layer: object = "l", i: object = "i", j: object = "j") -> Formula:
    """The generalized delta rule, online: Δθ^l_ij = η δ^(l+1)_i a^l_j = −η ∂E/∂θ^l_ij.

    ``i`` and ``j`` as for ``gradient``.
    """
    up = above(layer)
    theta_text, theta = f"θ{sup(layer)}{sub(i, j)}", rf"\theta^{{{layer}}}_{_low(i, j)}"
    return _written(
        f"Δ{theta_text} = η δ{sup(up)}{sub(i)} a{sup(layer)}{sub(j)} = −η ∂E/∂{theta_text}",
        rf"\Delta{theta} = \eta\, \delta^{{{up}}}_{_low(i)}\, a^{{{layer}}}_{_low(j)} = "
        rf"-\eta \frac{{\partial E}}{{\partial {theta}}}",
    )


def update(layer: object = "l", i: object = "i", j: object = "j") -> Formula:
    """θ^l_ij ← θ^l_ij + Δθ^l_ij, for all parameters at once; ``i`` and ``j`` as for
    ``gradient``."""
    theta_text, theta = f"θ{sup(layer)}{sub(i, j)}", rf"\theta^{{{layer}}}_{_low(i, j)}"
    return _written(
        f"{theta_text} ← {theta_text} + Δ{theta_text}",
        rf"{theta} \leftarrow {theta} + \Delta{theta}",
    )


def carries_back(layer: object = "l") -> Formula:
    """The note beside a hidden δ: which weights carry δ back to ``layer``.

    It is θ^l, from layer l+1 back to layer l; the slide "The Generalized Delta Rule" writes
    θ^1 where the [2, 2, 1] network's θ^2 is meant.
    """
    up = above(layer)
    return _written(
        f"(θ{sup(layer)} carries δ back from layer {up} to layer {layer})",
        rf"\text{{(}}\theta^{{{layer}}}\text{{ carries }}\delta"
        rf"\text{{ back from layer {up} to layer {layer})}}",
    )


# -- the activations -----------------------------------------------------------------------------


class ActivationFormulas(NamedTuple):
    """g and g' of one activation, in words and in LaTeX."""

    name: str
    description: str  # for a sentence: "the sigmoid, g(z) = 1 / (1 + e^(−z)), g'(z) = …"
    g: str  # LaTeX of g(z)
    g_prime: str  # LaTeX of g'(z)


ACTIVATIONS: dict[str, ActivationFormulas] = {
    "sigmoid": ActivationFormulas(
        "sigmoid",
        "the sigmoid, g(z) = 1 / (1 + e^(−z)), g'(z) = g(z) (1 − g(z))",
        r"\frac{1}{1 + e^{-z}}",
        r"g(z)\,\bigl(1 - g(z)\bigr)",
    ),
    "tanh": ActivationFormulas("tanh", "tanh, g'(z) = 1 − g(z)²", r"\tanh z", r"1 - g(z)^{2}"),
    "relu": ActivationFormulas(
        "relu",
        "ReLU, g(z) = max(0, z), g'(z) = 1 for z > 0, else 0",
        r"\max(0, z)",
        r"\begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}",
    ),
    "linear": ActivationFormulas("linear", "linear, g(z) = z, g'(z) = 1", "z", "1"),
    "softmax": ActivationFormulas(
        "softmax",
        "softmax, ŷᵢ = e^(zᵢ) / Σₖ e^(zₖ) (the outputs sum to 1), whose slope is a Jacobian, "
        "∂aₖ/∂zᵢ = aₖ ([k = i] − aᵢ); with cross-entropy it cancels: δᵢ = yᵢ − ŷᵢ",
        r"\frac{e^{z_i}}{\sum_k e^{z_k}}",
        r"a_k\,\bigl([k = i] - a_i\bigr)",
    ),
}
"""g and g' of every activation the engine has (``engine/activations.py``)."""


def activation_latex(name: str) -> str:
    """``g(z) = …, \\quad g'(z) = …`` for the activation ``name``."""
    if name == "softmax":  # not elementwise: its slope is a Jacobian
        return (
            r"g(z)_k = \frac{e^{z_k}}{\sum_m e^{z_m}}, \quad "
            r"\frac{\partial g(z)_k}{\partial z_i} = g(z)_k\,({1[k = i]} - g(z)_i)"
        )
    known = ACTIVATIONS.get(name)
    if name == "softmax":
        return (
            rf"g(z)_i = {known.g}, \quad "
            rf"\frac{{\partial a_k}}{{\partial z_i}} = {known.g_prime}"
        )
    g = known.g if known else r"\mathrm{" + name + "}(z)"
    g_prime = known.g_prime if known else "g'(z)"
    return rf"g(z) = {g}, \quad g'(z) = {g_prime}"


# -- short forms, for feedback on one answer -----------------------------------------------------

GRADIENT_DESCENT = _written("Δθ = −η ∂E/∂θ", r"\Delta\theta = -\eta\, \partial E / \partial \theta")
"""The step of gradient descent, without indices."""


def one_output_delta(layer: object = "") -> Formula:
    """δ of a network's only output node, without node indices: δ^L = (y − ŷ) g'(z^L)."""
    power = f"^{{{layer}}}" if layer != "" else ""
    return _written(
        f"δ{sup(layer)} = (y − ŷ) g'(z{sup(layer)})",
        rf"\delta{power} = (y - \hat y)\, g'(z{power})",
    )


def sigmoid_slope(layer: object = "", node: object = "") -> Formula:
    """The sigmoid's g' through its activation a = g(z): g'(z^l_j) = a^l_j (1 − a^l_j)."""
    shown = f"{sup(layer)}{sub(node)}"
    power = (f"^{{{layer}}}" if layer != "" else "") + (f"_{{{node}}}" if node != "" else "")
    return _written(
        f"g'(z{shown}) = a{shown} (1 − a{shown})",
        rf"g'(z{power}) = a{power}\,(1 - a{power})",
    )
