"""The quantities a derivation shows, each with its symbol, its meaning and its phase.

A ``Term`` is one of them with its number, for a step-through view to show and highlight. What
a Term says (everything but the number) depends only on the structure; ``Terms`` works it out
once per structure, one ``Spec`` each, and a derivation fills in the numbers of its call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ..notation import formulas, tex
from .paths import SIGMOID, SOFTMAX, SQUARED, Key, Paths


@dataclass(frozen=True)
class Term:
    """One quantity of a derivation, for a step-through view to show and highlight.

    Attributes
    ----------
    symbol : str
        LaTeX of what it is: a partial derivative of the chain rule such as
        ``\\frac{\\partial E}{\\partial a^{3}_{1}}``, or a node's ``z^{2}_{1}`` or
        ``\\delta^{3}_{1}``.
    meaning : str
        LaTeX of what it equals in the lecture's symbols: ``-(y_{1} - a^{3}_{1})``,
        ``g'(z^{3}_{1})``, ``\\theta^{2}_{11}``, ``a^{2}_{1}``.
    value : float
        Its number for this instance and these weights.
    phase : str
        The step of the lecture's demo that computes it, a key of ``PHASES``.
    element : tuple or None
        Where it lives in the network, 0-based as Python stores it: ``("node", layer, node)``
        for a node (node ``"bias"`` for a bias unit), or ``("weight", l, i, j)`` for the
        parameter ``Parameter(l, i, j)`` (j ``"bias"`` for a bias weight); None for E itself,
        which belongs to the whole network.
    """

    symbol: str
    meaning: str
    value: float
    phase: str
    element: tuple | None

    def __repr__(self) -> str:
        return f"Term({self.symbol} = {self.meaning} = {self.value:.6g}, phase={self.phase!r})"


class Spec(NamedTuple):
    """How to make one Term: everything but its value, which ``key`` looks up."""

    symbol: str
    meaning: str
    phase: str
    element: tuple | None
    key: Key
    factor: bool = False


def _from_formula(formula: formulas.Formula, phase: str, element: tuple, key: Key) -> Spec:
    """A Term that is one of the lecture's formulas: its left side is what it equals."""
    symbol, meaning = tex.sides(formula.latex)[:2]
    return Spec(symbol, meaning, phase, element, key)


class Terms:
    """The Specs of one structure: the chain rule's factors and everything else shown.

    Parameters
    ----------
    paths : Paths
    bias : bool
        Whether the layers have bias units.

    Attributes
    ----------
    factors : dict
        Key → Spec of every chain-rule factor (``paths.chain`` flattened).
    in_order : list of Spec
        Every quantity shown, in the order the lecture's demo computes it.
    """

    def __init__(self, paths: Paths, bias: bool) -> None:
        self.paths, self.bias = paths, bias
        output = "softmax" if paths.error == SOFTMAX else "sigmoid"
        loss = "squared" if paths.error == SQUARED else "cross_entropy"
        self.error = formulas.error_of(loss, output)  # E of one instance
        self.factors = {key: self.factor(key) for position in paths.chain for key in position}
        self.in_order = self._in_order()

    def factor(self, key: Key) -> Spec:
        """The chain-rule factor named by ``key``; letters stand for nodes summed over."""
        kind = key[0]
        if kind == "dEda":
            k, out = key[1], self.paths.output
            y, a = tex.y(k), tex.a(out, k)
            meaning = rf"-({y} - {a})"
            if self.paths.error == SIGMOID:
                meaning = rf"-\Bigl(\frac{{{y}}}{{{a}}} - \frac{{1 - {y}}}{{1 - {a}}}\Bigr)"
            return Spec(tex.partial("E", a), meaning, "error", ("node", out, k), key, True)
        if kind == "dEdz":  # through the softmax's Jacobian: the section "output" derives it
            k, out = key[1], self.paths.output
            meaning = rf"-({tex.y(k)} - {tex.a(out, k)})"
            symbol = tex.partial("E", tex.z(out, k))
            return Spec(symbol, meaning, "backward", ("node", out, k), key, True)
        if kind == "gp":
            q, m = key[1:]
            symbol = tex.partial(tex.a(q, m), tex.z(q, m))
            return Spec(symbol, tex.g_prime(q, m), "backward", ("node", q, m), key, True)
        if kind == "theta":
            below, m, n = key[1:]
            return Spec(
                tex.partial(tex.z(below + 1, m), tex.a(below, n)),
                tex.theta(below, m, n),
                "backward",
                ("weight", below, m, n),
                key,
                True,
            )
        layer, i, j = self.paths.parameter
        return Spec(
            tex.partial(tex.z(layer + 1, i), tex.theta(layer, i, j)),
            tex.a(layer, j),
            "input" if layer == 0 else "forward",
            ("node", layer, j),
            key,
            True,
        )

    def z_meaning(self, q: int, m: int) -> str:
        """z^q_m = Σ_j θ_mj a_j (+ θ_m0), written out for up to 4 inputs."""
        n_in = self.paths.sizes[q - 1]
        if n_in <= 4:
            meaning = " + ".join(
                rf"{tex.theta(q - 1, m, n)}\, {tex.a(q - 1, n)}" for n in range(n_in)
            )
        else:
            meaning = rf"\textstyle\sum_{{j}} {tex.theta(q - 1, m, 'j')}\, {tex.a(q - 1, 'j')}"
        return meaning + (f" + {tex.theta(q - 1, m, 'bias')}" if self.bias else "")

    def delta_meaning(self, q: int, m: int | str) -> str:
        """δ^q_m in the symbols of the nodes on the paths: the lecture's output or hidden δ.

        The hidden δ's sum over the layer above (listed, or a Σ in the Σ form) stands in
        parentheses before g'(z) when it has several terms; a layer above of one node gives one
        term, written without parentheses and without a Σ: θ^q_1m δ^(q+1)_1 g'(z^q_m).
        """
        paths = self.paths
        if q == paths.output and paths.error != SQUARED:  # g' has cancelled (section "output")
            return rf"{tex.y(m)} - {tex.a(q, m)}"
        if q == paths.output:
            return rf"({tex.y(m)} - {tex.a(q, m)})\, {tex.g_prime(q, m)}"
        below = paths.nodes(q + 1)
        if len(below) == 1 or paths.enumerated:
            inner = " + ".join(rf"{tex.theta(q, k, m)}\, {tex.delta(q + 1, k)}" for k in below)
        else:
            k = paths.letters[q + 1]
            inner = rf"{tex.sigma(k, len(below))} {tex.theta(q, k, m)}\, {tex.delta(q + 1, k)}"
        if len(below) > 1:
            inner = rf"\Bigl({inner}\Bigr)"
        return rf"{inner}\, {tex.g_prime(q, m)}"

    def _in_order(self) -> list:
        paths = self.paths
        sizes = paths.sizes
        layer, i, j = paths.parameter
        specs = [
            Spec(tex.a(0, m), f"x_{{{tex.sub(m)}}}", "input", ("node", 0, m), ("a", 0, m))
            for m in range(sizes[0])
        ]
        for q in range(1, len(sizes)):
            if q - 1 == layer:  # ∂z^(l+1)_i/∂θ^l_ij = a^l_j, known once layer l is computed
                specs.append(self.factors[("a", layer, j)])
            for m in range(sizes[q]):
                node = ("node", q, m)
                specs.append(Spec(tex.z(q, m), self.z_meaning(q, m), "forward", node, ("z", q, m)))
                specs.append(Spec(tex.a(q, m), f"g({tex.z(q, m)})", "forward", node, ("a", q, m)))
        specs.append(_from_formula(self.error, "error", None, ("E",)))
        for position in paths.chain[:-1]:
            specs += [self.factors[key] for key in position]
            if position[0][0] in ("gp", "dEdz"):  # the δ of that layer follow
                q = paths.output if position[0][0] == "dEdz" else position[0][1]
                specs += [
                    Spec(
                        tex.delta(q, m),
                        self.delta_meaning(q, m),
                        "backward",
                        ("node", q, m),
                        ("delta", q, m),
                    )
                    for m in paths.nodes(q)
                ]
        weight = ("weight", layer, i, j)
        shown = (layer + 1, tex.shown(i), tex.shown(j))
        specs.append(_from_formula(formulas.gradient(*shown), "dtheta", weight, ("value",)))
        specs.append(_from_formula(formulas.delta_theta(*shown), "dtheta", weight, ("dtheta",)))
        specs.append(_from_formula(formulas.update(*shown), "update", weight, ("updated",)))
        return specs
