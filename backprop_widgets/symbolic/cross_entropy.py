"""The section "output" of a derivation under the cross-entropy: ∂E/∂z^L, then δ^L = y − ŷ.

Beyond the lecture, done its way. With a softmax output every a^L_k depends on every z^L_i, so the
chain rule goes through the softmax's Jacobian,

    ∂E/∂z^L_i = Σ_k ∂E/∂a^L_k ∂a^L_k/∂z^L_i = Σ_k (−y_k / a^L_k) a^L_k (1[k = i] − a^L_i)
              = −y_i + a^L_i Σ_k y_k = −(y_i − a^L_i)      (y one-hot: Σ_k y_k = 1),

and with a sigmoid output ∂E/∂a^L_k = −(y_k / a^L_k − (1 − y_k) / (1 − a^L_k)) times
g'(z^L_k) = a^L_k (1 − a^L_k) is −(y_k − a^L_k). Either way δ^L = −∂E/∂z^L = y − ŷ in the
lecture's sign: g' has cancelled. Each step is a visible row; then the numbers of the output
nodes the paths start from.
"""

from __future__ import annotations

from ..notation import formulas, numbers, tex
from .paths import SOFTMAX, Paths
from .template import Template

_LISTED = 4  # output nodes written one by one with their numbers; beyond, ∂E/∂z^L as a vector


def title(paths: Paths) -> str:
    """The derivation's title row, naming the loss: ∂E/∂θ²₁₂ for the cross-entropy E."""
    theta = tex.theta(*paths.parameter)
    return (
        rf"&\text{{Derivation of }} {tex.partial('E', theta)} "
        rf"\text{{ for the {formulas.LOSS_TITLES['cross_entropy']} }} E"
    )


def slope(paths: Paths) -> formulas.Formula:
    """∂E/∂a^L_k of the cross-entropy on this output."""
    output = "softmax" if paths.error == SOFTMAX else "sigmoid"
    return formulas.cross_entropy_slope(paths.output + 1, output)


def output(paths: Paths) -> Template:
    """The template of the section "output": the Jacobian (softmax) or g' (sigmoid) step, its
    simplification to δ^L = y − ŷ, and the numbers of the output nodes on the paths."""
    if paths.error == SOFTMAX:
        return _softmax(paths)
    return _sigmoid(paths)


def _softmax(paths: Paths) -> Template:
    L = paths.output + 1
    a_k, a_i, z_i = f"a^{{{L}}}_k", f"a^{{{L}}}_i", f"z^{{{L}}}_i"
    t = Template()
    t.text(
        rf"&\text{{Through the softmax: every }} {a_k} \text{{ depends on every }} {z_i} "
        r"\text{ (its Jacobian)}"
    ).row()
    t.text(tex.align(formulas.through_softmax(L).latex)).row()
    t.text(
        rf"&= \sum_k \Bigl(-\frac{{y_k}}{{{a_k}}}\Bigr)\, {a_k}\,({{1[k = i]}} - {a_i}) \quad "
        rf"{tex.words('with ')} {formulas.softmax_jacobian(L).latex}"
    ).row()
    t.text(rf"&= -y_i + {a_i} \sum_k y_k").row()
    t.text(rf"&= -(y_i - {a_i}) \quad {tex.words('(y is one-hot: ')} \sum_k y_k = 1")
    t.text(tex.words(")")).row()
    _delta(t, L, "i", "the softmax's slope has cancelled")
    outputs = paths.nodes(paths.output)
    if len(outputs) > 1:
        t.row().text(
            rf"&\text{{Every output's }} \delta^{{{L}}}_i \text{{ feeds each path: the paths "
            rf"from }} {tex.theta(*paths.parameter)} \text{{ reach E through all "
            rf"{len(outputs)} outputs}}"
        )
    if len(outputs) > _LISTED:
        t.row().text(rf"{tex.partial('E', f'z^{{{L}}}')} &= ")
        return t.slot(("vector", "dEdz"), numbers.latex_vector)
    t.row().text(r"&\text{With numbers: of the sum only the class with } y_k = 1 \text{ is left}")
    for i in outputs:
        t.row().text(rf"{tex.partial('E', tex.z(paths.output, i))} &= ")
        t.slot(("jacobian", i), _jacobian_numbers).text(" = ").slot(("dEdz", i))
    return t


def _jacobian_numbers(term: tuple) -> str:
    """(−1 / a_k) · a_k · (1[k = i] − a_i) with numbers, for the class k with y_k = 1."""
    _, a_k, a_i, same = term
    shown = numbers.latex(a_k)
    return (
        rf"\Bigl(-\frac{{1}}{{{shown}}}\Bigr) \cdot {shown} \cdot "
        rf"({1 if same else 0} - {numbers.latex(a_i)})"
    )


def _sigmoid(paths: Paths) -> Template:
    L = paths.output + 1
    a, z = f"a^{{{L}}}_k", f"z^{{{L}}}_k"
    t = Template()
    t.text(
        rf"&\text{{Through the sigmoid output: }} g'({z}) = {a}\,(1 - {a}) \text{{ cancels}}"
    ).row()
    t.text(rf"{tex.partial('E', z)} &= {tex.partial('E', a)}\, {tex.partial(a, z)}").row()
    t.text(
        rf"&= -\Bigl(\frac{{y_k}}{{{a}}} - \frac{{1 - y_k}}{{1 - {a}}}\Bigr)\, {a}\,(1 - {a})"
    ).row()
    t.text(rf"&= -\bigl(y_k\,(1 - {a}) - (1 - y_k)\, {a}\bigr)").row()
    t.text(rf"&= -(y_k - {a})").row()
    _delta(t, L, "k", "the sigmoid's slope has cancelled")
    outputs = paths.nodes(paths.output)
    if len(outputs) > _LISTED:
        t.row().text(rf"{tex.partial('E', f'z^{{{L}}}')} &= ")
        return t.slot(("vector", "dEdz"), numbers.latex_vector)
    for k in outputs:
        t.row().text(rf"{tex.partial('E', tex.z(paths.output, k))} &= ")
        t.slot(("dEda", k), numbers.latex_factor).text(r" \cdot ")
        t.slot(("gp", paths.output, k), numbers.latex_factor).text(" = ").slot(("dEdz", k))
    return t


def _delta(t: Template, L: int, i: str, why: str) -> None:
    """δ^L_i = −∂E/∂z^L_i = y_i − a^L_i, in the lecture's sign, and why no g' is left."""
    t.text(
        rf"\delta^{{{L}}}_{i} &= -{tex.partial('E', f'z^{{{L}}}_{i}')} = y_{i} - a^{{{L}}}_{i}"
        rf" \quad \text{{(the lecture's sign, }} {formulas.DELTA_SIGN.latex}\text{{; no }} g'"
        rf"\text{{: {why})}}"
    )
