"""The chain rule for one parameter, written out as the lecture's "Derivation" slides do.

``derive(net, l, i, j, x=x, y=y)`` explains ∂E/∂θ for the weight ``net.weights[l][i, j]``, shown
as θ^(l+1)_(i+1)(j+1), or for the bias ``net.biases[l][i]`` (``j="bias"``), shown as
θ^(l+1)_(i+1)0, the weight of the bias unit a^(l+1)_0 = 1. It writes

- the chain rule along every path from θ to E, ∂E/∂a^L_k · ∂a^L_k/∂z^L_k · ∂z^L_k/∂a^(L-1)_m ·
  … · ∂z^(l+1)_i/∂θ^l_ij, summed over the paths;
- each factor evaluated: −(y_k − a^L_k), g'(z), θ, a;
- the same with the error terms of the backward pass: δ^L_k = (y_k − a^L_k) g'(z^L_k) at the
  output, δ^l_j = (Σ_i θ^l_ij δ^(l+1)_i) g'(z^l_j) below it, ∂E/∂θ^l_ij = −δ^(l+1)_i a^l_j and
  Δθ^l_ij = η δ^(l+1)_i a^l_j;
- today's weights and instance substituted, and the resulting number.

The structure of a derivation (its paths, its SymPy expression, its LaTeX with slots for the
numbers) depends only on the architecture, the activations, the bias flag and the parameter. It
is built once and cached, so a later call with other weights or another instance only fills in
numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from typing import Any, NamedTuple

import numpy as np
import sympy

from ..engine import validation as check
from ..engine.activations import ACTIVATIONS
from ..engine.mlp import MLP, Trace
from ..notation import PHASES

__all__ = [
    "PATH_LIMIT",
    "PHASES",
    "Derivation",
    "Path",
    "Symbols",
    "Term",
    "cache_info",
    "clear_cache",
    "derive",
    "symbols",
]

PATH_LIMIT = 16
"""Up to this many paths are listed one by one; beyond it the derivation sums them with Σ."""

# PHASES (from notation): the steps of the lecture's "Backpropagation: Demo", in order; the
# ``phase`` of every Term.

_GATHER_LIMIT = 1 << 16  # paths multiplied out one by one in NumPy; beyond, summed layer by layer
_LETTERS = ("k", "m", "n", "p", "r", "s", "t", "u", "v", "w")  # path indices, output first
_VECTOR_LIMIT = 8  # entries shown in full before a vector is abbreviated with …
_PER_LINE = 4  # path values per line of a sum

_G_PRIME_LATEX = {
    "sigmoid": r"g(z)\,\bigl(1 - g(z)\bigr)",
    "tanh": r"1 - g(z)^{2}",
    "relu": r"\begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}",
    "linear": "1",
}

Key = tuple  # names one number of a derivation, e.g. ("gp", q, m) for g'(z) of node m of layer q


# -- what a derivation hands to a widget -------------------------------------------------------


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
        What to highlight in the diagram, 0-based like the front-end's ``data-node`` and
        ``data-weight`` hooks: ``("node", layer, node)`` (node ``"bias"`` for a bias unit) or
        ``("weight", l, i, j)`` (j ``"bias"`` for a bias weight); None for E itself.
    """

    symbol: str
    meaning: str
    value: float
    phase: str
    element: tuple | None

    def __repr__(self) -> str:
        return f"Term({self.symbol} = {self.meaning} = {self.value:.6g}, phase={self.phase!r})"


@dataclass(frozen=True)
class Path:
    """One path from the parameter θ to the error E.

    Attributes
    ----------
    nodes : tuple of (int, int)
        The (layer, node) pairs it passes, 0-based, from the output back to the node θ feeds.
    factors : tuple of Term
        Its chain-rule factors in order: ∂E/∂a^L_k, ∂a^L_k/∂z^L_k, ∂z^L_k/∂a^(L-1)_m, …,
        ∂z^(l+1)_i/∂θ^l_ij.
    value : float
        Their product; the paths' values sum to ∂E/∂θ.
    """

    nodes: tuple
    factors: tuple
    value: float

    def __repr__(self) -> str:
        shown = "".join(f" ← a^{q + 1}_{m + 1}" for q, m in self.nodes)
        return f"Path(E{shown} ← θ, value={self.value:.6g})"


@dataclass(frozen=True)
class Symbols:
    """The SymPy symbols of a network, named as the lecture writes them.

    Indexed objects carry the indices people see: 1-based nodes, 0 for the bias unit.
    The methods take Python's 0-based addresses, like the rest of the package.

    Attributes
    ----------
    theta : tuple of IndexedBase
        ``theta[l]`` is θ^(l+1), the weights from layer l+1 to layer l+2 (shown).
    a, z : tuple of IndexedBase
        ``a[q]``, ``z[q]`` are a^(q+1), z^(q+1) (``z[0]`` is unused: the input has no z).
    y : IndexedBase
        The targets y_k.
    g_prime : sympy Function
        g', applied to a node's z: ``g_prime(z[q][m])`` is ∂a/∂z of that node.
    """

    theta: tuple
    a: tuple
    z: tuple
    y: Any
    g_prime: Any

    def theta_of(self, layer: int, i: int, j: int | str) -> sympy.Indexed:
        """θ of ``weights[l][i, j]``, or of ``biases[l][i]`` when ``j == "bias"``."""
        return self.theta[layer][i + 1, 0 if j == "bias" else j + 1]

    def a_of(self, q: int, m: int) -> sympy.Indexed:
        """a of node m of layer q (0-based)."""
        return self.a[q][m + 1]

    def z_of(self, q: int, m: int) -> sympy.Indexed:
        """z of node m of layer q (0-based, q >= 1)."""
        return self.z[q][m + 1]

    def y_of(self, k: int) -> sympy.Indexed:
        """The target of output node k (0-based)."""
        return self.y[k + 1]


@cache
def symbols(n_layers: int) -> Symbols:
    """The symbols of a network with ``n_layers`` layers (input and output included)."""
    return Symbols(
        theta=tuple(sympy.IndexedBase(rf"\theta^{{{layer + 1}}}") for layer in range(n_layers - 1)),
        a=tuple(sympy.IndexedBase(f"a^{{{q + 1}}}") for q in range(n_layers)),
        z=tuple(sympy.IndexedBase(f"z^{{{q + 1}}}") for q in range(n_layers)),
        y=sympy.IndexedBase("y"),
        g_prime=sympy.Function("g'"),
    )


# -- LaTeX in the lecture's notation -----------------------------------------------------------


def _shown(index: int | str) -> str:
    """A node index as people see it: 1-based, 0 for the bias unit; a letter stays a letter."""
    if index == "bias":
        return "0"
    if isinstance(index, str):
        return index
    return str(index + 1)


def _sub(*indices: int | str) -> str:
    shown = [_shown(k) for k in indices]
    return ("," if any(len(s) > 1 for s in shown) else "").join(shown)


def _theta(layer: int, i: int | str, j: int | str) -> str:
    return rf"\theta^{{{layer + 1}}}_{{{_sub(i, j)}}}"


def _a(q: int, m: int | str) -> str:
    return f"a^{{{q + 1}}}_{{{_sub(m)}}}"


def _z(q: int, m: int | str) -> str:
    return f"z^{{{q + 1}}}_{{{_sub(m)}}}"


def _delta(q: int, m: int | str) -> str:
    return rf"\delta^{{{q + 1}}}_{{{_sub(m)}}}"


def _y(k: int | str) -> str:
    return f"y_{{{_sub(k)}}}"


def _g_prime(q: int, m: int | str) -> str:
    return f"g'({_z(q, m)})"


def _partial(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


def _sum(letter: str, size: int) -> str:
    return rf"\sum_{{{letter}=1}}^{{{size}}}"


def _text(words: str) -> str:
    return rf"\text{{{words}}}"


def _number(value: float) -> str:
    """About 4 significant digits, with a LaTeX power of ten where needed."""
    if value == 0:
        return "0"
    if math.isnan(value):
        return _text("NaN")
    if math.isinf(value):
        return r"\infty" if value > 0 else r"-\infty"
    shown = f"{value:.4g}"
    if "e" in shown:
        mantissa, exponent = shown.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return shown


def _factor(value: float) -> str:
    """A number as a factor of a product: negative numbers in parentheses."""
    shown = _number(value)
    return f"({shown})" if shown.startswith("-") else shown


def _signed(value: float) -> str:
    """A number as a later term of a sum: ``+ 0.1`` or ``- 0.1``."""
    shown = _number(value)
    return f"- {shown[1:]}" if shown.startswith("-") else f"+ {shown}"


def _vector(values: np.ndarray) -> str:
    shown = [_number(float(v)) for v in values]
    if len(shown) > _VECTOR_LIMIT:
        shown = shown[:3] + [r"\ldots"] + shown[-1:]
    return r"\left(" + r",\; ".join(shown) + r"\right)"


def _carries_note(q: int) -> str:
    """A row noting which θ carries δ back to layer q (the slide writes θ^1 for θ^2)."""
    return (
        rf" \\"
        "\n"
        rf"&\quad \text{{(}}\theta^{{{q + 1}}}\text{{ carries }}\delta"
        rf"\text{{ back from layer {q + 2} to layer {q + 1})}}"
    )


def _raw(text: str) -> str:
    return text


class _Template:
    """LaTeX with slots for numbers: built once per structure, filled in on every call."""

    def __init__(self) -> None:
        self.parts: list = []

    def text(self, latex: str) -> _Template:
        if self.parts and isinstance(self.parts[-1], str):
            self.parts[-1] += latex
        else:
            self.parts.append(latex)
        return self

    def slot(self, key: Key, style: Callable[[Any], str] = _number) -> _Template:
        self.parts.append((style, key))
        return self

    def row(self) -> _Template:
        return self.text(" \\\\\n")

    def fill(self, numbers: _Numbers) -> str:
        get = numbers.get
        return "".join(p if isinstance(p, str) else p[0](get(p[1])) for p in self.parts)


def _aligned(body: str) -> str:
    return "\\begin{aligned}\n" + body + "\n\\end{aligned}"


# -- the structure of a derivation: built once per architecture and parameter ------------------


class _Spec(NamedTuple):
    """How to make one Term: everything but its value, which ``key`` looks up."""

    symbol: str
    meaning: str
    phase: str
    element: tuple | None
    key: Key
    factor: bool = False


class _Structure:
    """Paths, chain-rule factors, SymPy expression and LaTeX template of one derivation.

    Nothing here depends on the weights or the instance.

    Parameters
    ----------
    sizes : tuple of int
    activations : tuple of str
        Names of g in layers 1 … L-1 (0-based).
    bias : bool
    parameter : tuple
        ``(l, i, j)`` or ``(l, i, "bias")``, already checked.
    """

    def __init__(self, sizes: tuple, activations: tuple, bias: bool, parameter: tuple) -> None:
        self.sizes, self.activations, self.bias, self.parameter = (
            sizes,
            activations,
            bias,
            parameter,
        )
        layer, i, j = parameter
        self.output = len(sizes) - 1
        # Node layers a path visits, from the output back to layer l+1 where it reaches node i.
        self.path_layers = tuple(range(self.output, layer, -1))
        self.free_layers = self.path_layers[:-1]
        self.letters = dict(zip(self.free_layers, _LETTERS, strict=False))
        self.n_paths = math.prod(sizes[q] for q in self.free_layers)
        self.enumerated = self.n_paths <= PATH_LIMIT
        self.path_nodes = self._path_nodes() if self.n_paths <= _GATHER_LIMIT else None
        self.chain = self._chain()
        self.factor_specs = {key: self._factor_spec(key) for pos in self.chain for key in pos}
        self.term_specs = self._term_specs()
        self.templates = {
            "instance": self._instance_latex(),
            "forward": self._forward_latex(),
            "error": self._error_latex(),
            "chain": self._chain_latex() if self.enumerated else self._chain_sum_latex(),
            "delta": self._delta_latex() if self.enumerated else self._delta_sum_latex(),
        }

    # paths and factors

    def nodes(self, q: int) -> tuple:
        """Nodes of layer q on some path: all of them, or only node i in layer l+1."""
        return (self.parameter[1],) if q == self.path_layers[-1] else tuple(range(self.sizes[q]))

    def _path_nodes(self) -> np.ndarray:
        """Every path as a row of node indices, one column per layer of ``path_layers``."""
        grids = [self.sizes[q] for q in self.free_layers]
        free = np.indices(grids).reshape(len(grids), -1).T if grids else np.zeros((1, 0), int)
        return np.hstack([free, np.full((len(free), 1), self.parameter[1])])

    def _chain(self) -> tuple:
        """Factor keys per position of the chain rule, from ∂E/∂a^L to ∂z^(l+1)_i/∂θ^l_ij."""
        layer, _, j = self.parameter
        layers = self.path_layers
        chain = [tuple(("dEda", k) for k in self.nodes(layers[0]))]
        for c, q in enumerate(layers):
            chain.append(tuple(("gp", q, m) for m in self.nodes(q)))
            if c + 1 < len(layers):
                below = layers[c + 1]
                chain.append(
                    tuple(("theta", below, m, n) for m in self.nodes(q) for n in self.nodes(below))
                )
        chain.append((("a", layer, j),))
        return tuple(chain)

    def path_keys(self, nodes: np.ndarray) -> list:
        """The factor keys of the path through ``nodes`` (one row of ``path_nodes``)."""
        layer, _, j = self.parameter
        layers = self.path_layers
        keys = [("dEda", int(nodes[0]))]
        for c, q in enumerate(layers):
            keys.append(("gp", q, int(nodes[c])))
            if c + 1 < len(layers):
                keys.append(("theta", layers[c + 1], int(nodes[c]), int(nodes[c + 1])))
        keys.append(("a", layer, j))
        return keys

    def _factor_spec(self, key: Key) -> _Spec:
        kind = key[0]
        if kind == "dEda":
            k = key[1]
            out = self.output
            return _Spec(
                _partial("E", _a(out, k)),
                rf"-({_y(k)} - {_a(out, k)})",
                "error",
                ("node", out, k),
                key,
                True,
            )
        if kind == "gp":
            q, m = key[1:]
            return _Spec(
                _partial(_a(q, m), _z(q, m)), _g_prime(q, m), "backward", ("node", q, m), key, True
            )
        if kind == "theta":
            below, m, n = key[1:]
            return _Spec(
                _partial(_z(below + 1, m), _a(below, n)),
                _theta(below, m, n),
                "backward",
                ("weight", below, m, n),
                key,
                True,
            )
        layer, i, j = self.parameter
        return _Spec(
            _partial(_z(layer + 1, i), _theta(layer, i, j)),
            _a(layer, j),
            "input" if layer == 0 else "forward",
            ("node", layer, j),
            key,
            True,
        )

    def _z_meaning(self, q: int, m: int) -> str:
        """z^q_m = Σ_j θ_mj a_j (+ θ_m0), written out for up to 4 inputs."""
        n_in = self.sizes[q - 1]
        if n_in <= 4:
            terms = [rf"{_theta(q - 1, m, n)}\, {_a(q - 1, n)}" for n in range(n_in)]
            meaning = " + ".join(terms)
        else:
            meaning = rf"\textstyle\sum_{{j}} {_theta(q - 1, m, 'j')}\, {_a(q - 1, 'j')}"
        return meaning + (f" + {_theta(q - 1, m, 'bias')}" if self.bias else "")

    def _delta_meaning(self, q: int, m: int) -> str:
        if q == self.output:
            return rf"({_y(m)} - {_a(q, m)})\, {_g_prime(q, m)}"
        below = self.nodes(q + 1)
        if self.enumerated:
            inner = " + ".join(rf"{_theta(q, k, m)}\, {_delta(q + 1, k)}" for k in below)
        else:
            k = self.letters[q + 1]
            inner = rf"{_sum(k, len(below))} {_theta(q, k, m)}\, {_delta(q + 1, k)}"
        if len(below) > 1:
            inner = rf"\Bigl({inner}\Bigr)"
        return rf"{inner}\, {_g_prime(q, m)}"

    def _term_specs(self) -> list:
        """Every quantity of the derivation in the order the lecture's demo computes it."""
        sizes, out = self.sizes, self.output
        layer, i, j = self.parameter
        specs = [
            _Spec(_a(0, m), f"x_{{{_sub(m)}}}", "input", ("node", 0, m), ("a", 0, m))
            for m in range(sizes[0])
        ]
        for q in range(len(sizes)):
            for m in range(sizes[q] if q else 0):
                specs.append(
                    _Spec(_z(q, m), self._z_meaning(q, m), "forward", ("node", q, m), ("z", q, m))
                )
                specs.append(
                    _Spec(_a(q, m), f"g({_z(q, m)})", "forward", ("node", q, m), ("a", q, m))
                )
            if q == layer:  # ∂z^(l+1)_i/∂θ^l_ij = a^l_j, known once layer l is computed
                specs.append(self.factor_specs[("a", layer, j)])
        error = rf"\tfrac{{1}}{{2}} \textstyle\sum_{{k}} ({_y('k')} - {_a(out, 'k')})^{{2}}"
        specs.append(_Spec("E", error, "error", None, ("E",)))
        specs += [self.factor_specs[key] for key in self.chain[0]]
        for position in self.chain[1:-1]:
            specs += [self.factor_specs[key] for key in position]
            if position[0][0] == "gp":
                q = position[0][1]
                specs += [
                    _Spec(
                        _delta(q, m),
                        self._delta_meaning(q, m),
                        "backward",
                        ("node", q, m),
                        ("delta", q, m),
                    )
                    for m in self.nodes(q)
                ]
        weight = ("weight", layer, i, j)
        d_theta = _partial("E", _theta(layer, i, j))
        specs.append(
            _Spec(
                d_theta,
                rf"-{_delta(layer + 1, i)}\, {_a(layer, j)}",
                "dtheta",
                weight,
                ("value",),
            )
        )
        specs.append(
            _Spec(
                rf"\Delta{_theta(layer, i, j)}",
                rf"\eta\, {_delta(layer + 1, i)}\, {_a(layer, j)}",
                "dtheta",
                weight,
                ("dtheta",),
            )
        )
        specs.append(
            _Spec(
                _theta(layer, i, j),
                rf"{_theta(layer, i, j)} + \Delta{_theta(layer, i, j)}",
                "update",
                weight,
                ("updated",),
            )
        )
        return specs

    # numbers

    def path_products(self, numbers: _Numbers) -> np.ndarray | None:
        """The product of the factors along each path, shape (n_paths,), or None if too many."""
        if self.path_nodes is None:
            return None
        P, layers = self.path_nodes, self.path_layers
        product = numbers.d_error[P[:, 0]] * numbers.g_prime[layers[0]][P[:, 0]]
        for c in range(1, len(layers)):
            q = layers[c]
            product = product * numbers.weights[q][P[:, c - 1], P[:, c]]
            product = product * numbers.g_prime[q][P[:, c]]
        return product * numbers.a_in

    def path_sum(self, numbers: _Numbers, products: np.ndarray | None) -> float:
        """∂E/∂θ as the sum over paths of the products of their factors.

        Beyond ``_GATHER_LIMIT`` paths the sum is taken layer by layer (Σ_k then Σ_m …),
        which is the same sum with the common factors pulled out.
        """
        if products is not None:
            return float(products.sum())
        layers = self.path_layers
        partial = numbers.d_error * numbers.g_prime[layers[0]]
        for q in layers[1:]:
            partial = (partial @ numbers.weights[q]) * numbers.g_prime[q]
        return float(partial[self.parameter[1]] * numbers.a_in)

    # LaTeX

    def _instance_latex(self) -> _Template:
        out = self.output
        t = _Template()
        t.text(r"&\text{Instance: } x = a^{1} = ").slot(("vector", "x"), _vector)
        t.text(r", \quad y = ").slot(("vector", "y"), _vector).slot(("eta clause",), _raw).row()
        t.text(rf"&E = \tfrac{{1}}{{2}} \textstyle\sum_{{k}} ({_y('k')} - {_a(out, 'k')})^{{2}}")
        if self.bias:
            t.text(r", \quad a^{l}_{0} = 1 \text{ (bias unit)}")
        t.row()
        hidden, output = self.activations[0], self.activations[-1]
        if hidden == output:
            t.text(f"&{self._g_latex(output)}")
        else:
            t.text(f"&{self._g_latex(hidden)} {_text(f' in layers 2 to {out}')}").row()
            t.text(f"&{self._g_latex(output)} {_text(f' in layer {out + 1}')}")
        return t

    @staticmethod
    def _g_latex(name: str) -> str:
        g = ACTIVATIONS[name].latex if name in ACTIVATIONS else r"\mathrm{" + name + "}(z)"
        g_prime = _G_PRIME_LATEX.get(name, "g'(z)")
        return rf"g(z) = {g}, \quad g'(z) = {g_prime}"

    def _forward_latex(self) -> _Template:
        t = _Template().text(r"&\text{Forward pass}")
        for q in range(1, len(self.sizes)):
            t.row()
            meaning = rf"\textstyle\sum_{{j}} {_theta(q - 1, 'i', 'j')}\, {_a(q - 1, 'j')}"
            if self.bias:
                meaning += f" + {_theta(q - 1, 'i', 'bias')}"
            t.text(rf"{_z(q, 'i')} &= {meaning}").row()
            t.text(rf"z^{{{q + 1}}} &= ").slot(("vector", "z", q), _vector)
            t.text(rf", \quad a^{{{q + 1}}} = g(z^{{{q + 1}}}) = ").slot(
                ("vector", "a", q), _vector
            )
        return t

    def _error_latex(self) -> _Template:
        out = self.output
        t = _Template().text(r"&\text{Compute error}").row()
        t.text(rf"E &= \tfrac{{1}}{{2}} \textstyle\sum_{{k}} ({_y('k')} - {_a(out, 'k')})^{{2}} = ")
        t.slot(("E",)).row()
        t.text(rf"{_partial('E', _a(out, 'k'))} &= -({_y('k')} - {_a(out, 'k')}): \quad ")
        return t.slot(("vector", "dEda"), _vector)

    def _path_latex(self, keys: list, part: str) -> str:
        """One path's factors as partial derivatives (``part="symbol"``) or symbols."""
        separator = " " if part == "symbol" else r"\, "
        return separator.join(getattr(self.factor_specs[key], part) for key in keys)

    def _numbers_of_path(self, t: _Template, keys: list) -> None:
        """A path's factors with numbers: -(y - a) · g'(z) · θ · … · a."""
        k = keys[0][1]
        t.text("-(").slot(("y", k)).text(" - ").slot(("a", self.output, k), _factor).text(")")
        for key in keys[1:]:
            t.text(r" \cdot ").slot(key, _factor)

    def _chain_latex(self) -> _Template:
        layer, i, j = self.parameter
        paths = [self.path_keys(row) for row in self.path_nodes]
        d_theta = _partial("E", _theta(layer, i, j))
        t = _Template()
        if self.n_paths == 1:
            t.text(
                rf"&\text{{Chain rule along the path from }} {_theta(layer, i, j)} "
                r"\text{ to } E"
            ).row()
        else:
            t.text(
                rf"&\text{{Chain rule along each of the {self.n_paths} paths from }} "
                rf"{_theta(layer, i, j)} \text{{ to }} E\text{{, summed}}"
            ).row()
        for p, keys in enumerate(paths):
            t.text(f"{d_theta} &= " if p == 0 else r"&\quad + ")
            t.text(self._path_latex(keys, "symbol")).row()
        for p, keys in enumerate(paths):
            t.text("&= " if p == 0 else r"&\quad ").text(self._path_latex(keys, "meaning")).row()
        for p, keys in enumerate(paths):
            t.text("&= " if p == 0 else r"&\quad ")
            self._numbers_of_path(t, keys)
            t.row()
        if self.n_paths > 1:
            for p in range(self.n_paths):
                if p == 0:
                    t.text("&= ").slot(("path", 0))
                else:
                    t.text(r" \\" + "\n" + r"&\quad " if p % _PER_LINE == 0 else " ")
                    t.slot(("path", p), _signed)
            t.row()
        return t.text("&= ").slot(("value",))

    def _chain_sum_latex(self) -> _Template:
        layer, i, j = self.parameter
        sums = " ".join(_sum(self.letters[q], self.sizes[q]) for q in self.free_layers)
        nodes = [self.letters.get(q, i) for q in self.path_layers]
        keys = [("dEda", nodes[0])]
        for c, q in enumerate(self.path_layers):
            keys.append(("gp", q, nodes[c]))
            if c + 1 < len(nodes):
                keys.append(("theta", self.path_layers[c + 1], nodes[c], nodes[c + 1]))
        keys.append(("a", layer, j))
        specs = [self._factor_spec(key) for key in keys]
        meaning = r"\, ".join(s.meaning for s in specs)
        t = _Template()
        t.text(
            rf"&\text{{Chain rule: a sum over all paths from }} {_theta(layer, i, j)} "
            r"\text{ to } E"
        ).row()
        t.text(f"{_partial('E', _theta(layer, i, j))} &= {sums} ")
        t.text(" ".join(s.symbol for s in specs)).row()
        t.text(f"&= -{sums} {meaning[1:]}")
        t.text(rf" \quad {_text(f'(a sum over {self.n_paths} paths)')}").row()
        t.text("&= ").slot(("value",))
        t.text(rf" \quad {_text(f'(the {self.n_paths} path products, summed)')}").row()
        return t.text(
            r"&\text{Too many paths to list: the backward pass sums them layer by "
            r"layer.}"
        )

    def _delta_heading(self) -> _Template:
        return (
            _Template()
            .text(
                r"&\text{The same with the error terms } \delta = -\partial E / \partial z "
                r"\text{ of the backward pass}"
            )
            .row()
        )

    def _delta_result(self, t: _Template) -> _Template:
        """−δ a and Δθ = η δ a, the rows every δ form ends with."""
        layer, i, j = self.parameter
        theta, delta, a = _theta(layer, i, j), _delta(layer + 1, i), _a(layer, j)
        t.text(rf"{_partial('E', theta)} &= -{delta}\, {a} = -")
        t.slot(("delta", layer + 1, i), _factor).text(r" \cdot ").slot(("a", layer, j), _factor)
        t.text(" = ").slot(("delta value",)).row()
        t.text(rf"\Delta{theta} &= \eta\, {delta}\, {a} = -\eta\, {_partial('E', theta)}")
        t.slot(("dtheta clause",), _raw).row()
        return t.text(rf"{theta} &\leftarrow {theta} + \Delta{theta}").slot(
            ("update clause",), _raw
        )

    def _delta_latex(self) -> _Template:
        t = self._delta_heading()
        for q in self.path_layers:
            for m in self.nodes(q):
                t.text(rf"{_delta(q, m)} &= {self._delta_meaning(q, m)} = ")
                if q == self.output:
                    t.text("(").slot(("y", m)).text(" - ").slot(("a", q, m), _factor).text(")")
                else:
                    below = self.nodes(q + 1)
                    t.text(r"\bigl(" if len(below) > 1 else "")
                    for n, k in enumerate(below):
                        t.text(" + " if n else "").slot(("theta", q, k, m), _factor)
                        t.text(r" \cdot ").slot(("delta", q + 1, k), _factor)
                    t.text(r"\bigr)" if len(below) > 1 else "")
                t.text(r" \cdot ").slot(("gp", q, m), _factor).text(" = ").slot(("delta", q, m))
                if q == self.output - 1 and m == self.nodes(q)[0]:
                    t.text(_carries_note(q))
                t.row()
        return self._delta_result(t)

    def _delta_sum_latex(self) -> _Template:
        t = self._delta_heading()
        layer, i, _ = self.parameter
        for q in self.free_layers:
            m = self.letters[q]
            t.text(rf"{_delta(q, m)} &= {self._delta_meaning(q, m)}: \quad \delta^{{{q + 1}}} = ")
            t.slot(("vector", "delta", q), _vector)
            if q == self.output - 1:
                t.text(_carries_note(q))
            t.row()
        q = layer + 1
        t.text(rf"{_delta(q, i)} &= {self._delta_meaning(q, i)} = ")
        t.slot(("dsum", q, i), _factor).text(r" \cdot ").slot(("gp", q, i), _factor)
        t.text(" = ").slot(("delta", q, i))
        if q == self.output - 1:
            t.text(_carries_note(q))
        return self._delta_result(t.row())

    # SymPy

    @cached_property
    def symbols(self) -> Symbols:
        return symbols(len(self.sizes))

    @cached_property
    def expr(self) -> sympy.Expr:
        """∂E/∂θ as the chain-rule product-sum: listed paths, or a Σ over node indices."""
        s = self.symbols
        layer, i, j = self.parameter
        layers = self.path_layers
        # Indices as shown: 1-based nodes; a letter for each layer summed over.
        index = {
            q: sympy.Symbol(letter, integer=True, positive=True)
            for q, letter in self.letters.items()
        }

        def product(nodes: list) -> list:
            factors = [s.y[nodes[0]] - s.a[layers[0]][nodes[0]]]
            for c, q in enumerate(layers):
                factors.append(s.g_prime(s.z[q][nodes[c]]))
                if c + 1 < len(layers):
                    factors.append(s.theta[layers[c + 1]][nodes[c], nodes[c + 1]])
            factors.append(sympy.Integer(1) if j == "bias" else s.a_of(layer, j))
            return factors

        if self.enumerated:
            paths = [product([int(n) + 1 for n in row]) for row in self.path_nodes]
            return sympy.Add(*[sympy.Mul(sympy.S.NegativeOne, *factors) for factors in paths])
        nodes = [index[q] for q in self.free_layers] + [i + 1]
        limits = [(index[q], 1, self.sizes[q]) for q in reversed(self.free_layers)]
        return sympy.Mul(sympy.S.NegativeOne, sympy.Sum(sympy.Mul(*product(nodes)), *limits))


@lru_cache(maxsize=4096)
def _structure(sizes: tuple, activations: tuple, bias: bool, parameter: tuple) -> _Structure:
    return _Structure(sizes, activations, bias, parameter)


def cache_info() -> tuple:
    """Hits and misses of the cache of derivation structures (``functools.lru_cache`` info)."""
    return _structure.cache_info()


def clear_cache() -> None:
    """Forget every cached derivation structure."""
    _structure.cache_clear()


# -- the numbers of one call ---------------------------------------------------------------------


class _Numbers:
    """The instance's trace and the weights at the time of the call: every number shown.

    Parameters
    ----------
    net : MLP
    trace : Trace
        ``net.trace(x, y)`` of the instance.
    structure : _Structure
    learning_rate : float or None
    """

    def __init__(
        self, net: MLP, trace: Trace, structure: _Structure, learning_rate: float | None
    ) -> None:
        layer, i, j = structure.parameter
        self.weights = [W.copy() for W in net.weights]
        self.biases = [b.copy() for b in net.biases]
        self.x, self.y = trace.x, trace.y
        self.z, self.a, self.delta = trace.z, trace.a, trace.delta
        self.error = trace.error
        self.learning_rate = learning_rate
        self.g_prime = [None] + [
            net.activation_of(q).g_prime(trace.z[q], trace.a[q]) for q in range(1, len(self.a))
        ]
        self.d_error = -(trace.y - trace.a[-1])  # ∂E/∂a^L = −(y − a^L)
        self.a_in = 1.0 if j == "bias" else float(trace.a[layer][j])
        self.path_values = structure.path_products(self)
        self.value = structure.path_sum(self, self.path_values)
        self.value_from_delta = float(-trace.delta[layer + 1][i] * self.a_in)
        self.theta = float(self.biases[layer][i] if j == "bias" else self.weights[layer][i, j])
        self.dtheta = None
        if learning_rate is not None:
            self.dtheta = float(learning_rate * trace.delta[layer + 1][i] * self.a_in)

    def get(self, key: Key) -> Any:
        """The number (or vector, or clause of LaTeX) a template slot or Term names."""
        kind = key[0]
        if kind == "a":
            q, m = key[1:]
            return 1.0 if m == "bias" else float(self.a[q][m])
        if kind == "z":
            return float(self.z[key[1]][key[2]])
        if kind == "gp":
            return float(self.g_prime[key[1]][key[2]])
        if kind == "theta":
            layer, i, j = key[1:]
            return float(self.biases[layer][i] if j == "bias" else self.weights[layer][i, j])
        if kind == "delta":
            return float(self.delta[key[1]][key[2]])
        if kind == "dEda":
            return float(self.d_error[key[1]])
        if kind == "y":
            return float(self.y[key[1]])
        if kind == "dsum":
            q, m = key[1:]
            return float(self.weights[q][:, m] @ self.delta[q + 1])
        if kind == "path":
            return float(self.path_values[key[1]])
        if kind == "vector":
            return self._vector(key[1:])
        return self._scalar(key[0])

    def _vector(self, key: tuple) -> np.ndarray:
        kind = key[0]
        if kind == "x":
            return self.x
        if kind == "y":
            return self.y
        if kind == "dEda":
            return self.d_error
        return {"z": self.z, "a": self.a, "delta": self.delta}[kind][key[1]]

    def _scalar(self, kind: str) -> Any:
        eta = self.learning_rate
        if kind == "value":
            return self.value
        if kind == "delta value":
            return self.value_from_delta
        if kind == "E":
            return self.error
        if kind == "dtheta":
            return self.dtheta
        if kind == "updated":
            return None if eta is None else self.theta + self.dtheta
        if eta is None:
            return ""
        if kind == "eta clause":
            return rf", \quad \eta = {_number(eta)}"
        if kind == "dtheta clause":
            return f" = {_number(eta)} \\cdot {_factor(-self.value_from_delta)} = " + _number(
                self.dtheta
            )
        if kind == "update clause":
            return rf" = {_number(self.theta)} {_signed(self.dtheta)} = " + _number(
                self.theta + self.dtheta
            )
        raise KeyError(kind)

    def sympy_values(self, s: Symbols) -> dict:
        """Every symbol of the network (and g'(z) of every node) mapped to its number."""
        values: dict = {}
        for k, v in enumerate(self.y):
            values[s.y_of(k)] = sympy.Float(float(v))
        for q, a in enumerate(self.a):
            for m, v in enumerate(a):
                values[s.a_of(q, m)] = sympy.Float(float(v))
                if q:
                    values[s.z_of(q, m)] = sympy.Float(float(self.z[q][m]))
                    values[s.g_prime(s.z_of(q, m))] = sympy.Float(float(self.g_prime[q][m]))
        for layer, (W, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            for (i, j), v in np.ndenumerate(W):
                values[s.theta_of(layer, i, j)] = sympy.Float(float(v))
            for i, v in enumerate(b):
                values[s.theta_of(layer, i, "bias")] = sympy.Float(float(v))
        return values


# -- the derivation ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class Derivation:
    """∂E/∂θ for one parameter and one instance, written out with the chain rule.

    Attributes
    ----------
    parameter : tuple
        ``(l, i, j)`` for ``weights[l][i, j]`` or ``(l, i, "bias")`` for ``biases[l][i]``.
    value : float
        ∂E/∂θ, E = ½ Σ_k (y_k − ŷ_k)², summed over the paths from θ to E.
    value_from_delta : float
        The same by the backward pass, −δ^(l+1)_i a^l_j; equal to ``value`` up to rounding.
    n_paths : int
        How many paths lead from θ to E.
    latex : str
        The whole derivation, one ``aligned`` environment (no ``$`` delimiters).
    sections : dict of str
        Its parts, each an ``aligned`` environment: "instance", "forward", "error", "chain"
        (the paths, or their Σ when there are more than ``PATH_LIMIT``) and "delta".
    learning_rate : float or None
        η, if one was given; then Δθ is shown as a number too.
    """

    parameter: tuple
    value: float
    value_from_delta: float
    n_paths: int
    latex: str
    sections: dict
    learning_rate: float | None
    _structure: _Structure = field(repr=False)
    _numbers: _Numbers = field(repr=False)

    @property
    def name(self) -> str:
        """The parameter in the lecture's notation, LaTeX: ``\\theta^{2}_{11}``."""
        return _theta(*self.parameter)

    @property
    def enumerated(self) -> bool:
        """Whether the paths are listed one by one (at most ``PATH_LIMIT`` of them)."""
        return self._structure.enumerated

    @property
    def delta_theta(self) -> float | None:
        """Δθ = η δ^(l+1)_i a^l_j = −η ∂E/∂θ, or None without a learning rate."""
        return self._numbers.dtheta

    @property
    def symbols(self) -> Symbols:
        """The SymPy symbols ``expr`` is written in."""
        return self._structure.symbols

    @property
    def parameter_symbol(self) -> sympy.Indexed:
        """θ as a SymPy symbol, to differentiate by."""
        return self.symbols.theta_of(*self.parameter)

    @property
    def expr(self) -> sympy.Expr:
        """∂E/∂θ as the chain-rule product-sum in symbols (cached; no numbers).

        With at most ``PATH_LIMIT`` paths it is the sum of one product per path,
        −(y_k − a^L_k) g'(z^L_k) θ^(L-1)_km … g'(z^(l+1)_i) a^l_j; beyond, the same as a
        ``sympy.Sum`` over the node indices, which ``.doit()`` writes out path by path.
        """
        return self._structure.expr

    def substituted(self) -> sympy.Float:
        """``expr`` with this call's numbers put in for every symbol: ∂E/∂θ as a SymPy number."""
        expr = self.expr if self.enumerated else self.expr.doit()
        return expr.xreplace(self._numbers.sympy_values(self.symbols))

    @cached_property
    def _factor_terms(self) -> dict:
        get = self._numbers.get
        return {
            key: Term(s.symbol, s.meaning, get(key), s.phase, s.element)
            for key, s in self._structure.factor_specs.items()
        }

    @cached_property
    def chain(self) -> tuple:
        """The chain rule's factors by position, from ∂E/∂a^L to ∂z^(l+1)_i/∂θ^l_ij.

        Each position is a tuple of Terms, one per node or weight the paths pass there.
        """
        return tuple(tuple(self._factor_terms[key] for key in pos) for pos in self._structure.chain)

    @property
    def factors(self) -> tuple:
        """Every distinct chain-rule factor, in chain order (``chain`` flattened)."""
        return tuple(term for position in self.chain for term in position)

    @cached_property
    def paths(self) -> tuple:
        """The paths from θ to E with their factors, or ``()`` when there are more than
        ``PATH_LIMIT``."""
        structure = self._structure
        if not structure.enumerated:
            return ()
        return tuple(
            Path(
                tuple((q, int(n)) for q, n in zip(structure.path_layers, row, strict=True)),
                tuple(self._factor_terms[key] for key in structure.path_keys(row)),
                float(self._numbers.path_values[p]),
            )
            for p, row in enumerate(structure.path_nodes)
        )

    @cached_property
    def terms(self) -> tuple:
        """Every quantity shown, in the order of the lecture's demo (see ``PHASES``).

        Δθ and the updated θ are there only when a learning rate was given.
        """
        get = self._numbers.get
        terms = []
        for s in self._structure.term_specs:
            if s.key in {("dtheta",), ("updated",)} and self.learning_rate is None:
                continue
            if s.factor:
                terms.append(self._factor_terms[s.key])
            else:
                terms.append(Term(s.symbol, s.meaning, get(s.key), s.phase, s.element))
        return tuple(terms)

    def phase(self, name: str) -> tuple:
        """The Terms one phase of the demo computes: a key of ``PHASES`` such as "backward"."""
        if name not in PHASES:
            raise ValueError(f"name must be one of {list(PHASES)}; got {name!r}")
        return tuple(t for t in self.terms if t.phase == name)

    def __repr__(self) -> str:
        layer, i, j = self.parameter
        shown = f"theta^{layer + 1}_{_sub(i, j)}"
        paths = f"{self.n_paths} path" + ("" if self.n_paths == 1 else "s")
        return f"Derivation(∂E/∂{shown} = {self.value:.6g}, parameter={self.parameter}, {paths})"

    def _repr_latex_(self) -> str:
        return f"$${self.latex}$$"


def _instance(value: object, size: int, name: str, scalar: bool = False) -> np.ndarray:
    """One instance as a float64 array of shape (size,): a copy, checked."""
    try:
        array = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be an array of {size} numbers; got {type(value).__name__}"
        ) from None
    if scalar and size == 1 and array.shape == ():
        array = array.reshape(1)
    if array.shape != (size,):
        expected = f"shape ({size},)" + (" or a number" if scalar and size == 1 else "")
        raise ValueError(f"{name} must be one instance of {expected}; got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite numbers; it contains NaN or inf")
    return array


def derive(
    net: MLP,
    l: int,
    i: int,
    j: int | str,
    x,
    y,
    learning_rate: float | None = None,
) -> Derivation:
    """Write out ∂E/∂θ for one parameter of ``net`` and one instance, by the chain rule.

    Parameters
    ----------
    net : MLP
        The network; it is not changed.
    l, i, j : int, int, int or "bias"
        The parameter ``net.weights[l][i, j]`` (θ^(l+1)_(i+1)(j+1) as shown), or the bias
        ``net.biases[l][i]`` with ``j="bias"`` (θ^(l+1)_(i+1)0).
    x : array, shape (sizes[0],)
        The instance's input.
    y : array, shape (sizes[-1],), or a number when there is one output
        Its target.
    learning_rate : float, optional
        η > 0: show Δθ = η δ a and the updated θ as numbers too.

    Returns
    -------
    Derivation
        ``.latex``, ``.expr``, ``.value`` (∂E/∂θ of E = ½ Σ_k (y_k − ŷ_k)², equal to
        ``net.gradients(x[None], y[None])`` at that entry), and the paths, factors and terms
        a widget can highlight.

    Raises
    ------
    TypeError, ValueError
        For a bad argument, with a message that names it.

    Examples
    --------
    >>> net = MLP([2, 2, 1], seed=0)
    >>> d = derive(net, 1, 0, 0, x=[1.0, 0.0], y=1.0)  # θ^2_11
    >>> d.n_paths
    1
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a backprop_widgets.MLP; got {type(net).__name__}")
    parameter = net.check_parameter(l, i, j)
    x = _instance(x, net.sizes[0], "x")
    y = _instance(y, net.sizes[-1], "y", scalar=True)
    if learning_rate is not None:
        learning_rate = check.learning_rate(learning_rate)
    activations = tuple(net.activation_of(q).name for q in range(1, net.n_layers))
    structure = _structure(tuple(net.sizes), activations, net.bias, parameter)
    numbers = _Numbers(net, net.trace(x, y), structure, learning_rate)
    sections = {name: t.fill(numbers) for name, t in structure.templates.items()}
    latex = _aligned(" \\\\[1ex]\n".join(sections.values()))
    return Derivation(
        parameter=parameter,
        value=numbers.value,
        value_from_delta=numbers.value_from_delta,
        n_paths=structure.n_paths,
        latex=latex,
        sections={name: _aligned(body) for name, body in sections.items()},
        learning_rate=learning_rate,
        _structure=structure,
        _numbers=numbers,
    )
