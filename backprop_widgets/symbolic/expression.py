"""∂E/∂θ as a SymPy expression: the chain rule's sum over paths, in the lecture's symbols.

The expression is built from the paths (``paths``), not by differentiating a fully expanded E:
one product −(y_k − a^L_k) g'(z^L_k) θ^(L-1)_km … g'(z^(l+1)_i) a^l_j per path, or, beyond
``PATH_LIMIT`` paths, the same product inside a ``sympy.Sum`` over the node indices of the
layers of several nodes (a layer of one node is written with its node, never summed 1 … 1).
With the cross-entropy the first factors are its own: −y_k / a^L_k + (1 − y_k) / (1 − a^L_k)
before g'(z^L_k) (sigmoid), or, through the softmax's Jacobian, ∂E/∂z^L_i =
Σ_k (−y_k / a^L_k) a^L_k (1[k = i] − a^L_i) = −y_i + a^L_i Σ_k y_k with no g'(z^L) (softmax);
these hold for any y, before Σ_k y_k = 1 simplifies them. ``lambdified`` compiles it with
``sympy.lambdify`` (``compiled`` feeds it a call's numbers) and ``mathml`` prints it as
presentation MathML.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import sympy
from sympy.printing.mathml import MathMLPresentationPrinter
from sympy.printing.precedence import PRECEDENCE

from ..notation.address import BIAS
from ..notation.formulas import indices
from .paths import SIGMOID, SOFTMAX, Paths


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
        return self.theta[layer][i + 1, 0 if j == BIAS else j + 1]

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


def chain_rule(paths: Paths, s: Symbols) -> sympy.Expr:
    """∂E/∂θ as the chain-rule product-sum: listed paths, or a Σ over node indices."""
    layer, _, j = paths.parameter
    layers = paths.path_layers
    sign = sympy.S.NegativeOne if paths.error not in (SOFTMAX, SIGMOID) else sympy.S.One

    def product(nodes: list) -> list:
        factors = [_head(paths, s, nodes[0])]
        for c, q in enumerate(layers):
            if c or not paths.jacobian:
                factors.append(s.g_prime(s.z[q][nodes[c]]))
            if c + 1 < len(layers):
                factors.append(s.theta[layers[c + 1]][nodes[c], nodes[c + 1]])
        factors.append(sympy.Integer(1) if j == BIAS else s.a_of(layer, j))
        return factors

    if paths.enumerated:
        products = [product([int(n) + 1 for n in row]) for row in paths.path_nodes]
        return sympy.Add(*[sympy.Mul(sign, *factors) for factors in products])
    # Indices as shown: 1-based nodes; a letter for each layer summed over, and no Σ over a
    # layer of one node (its node is written instead), as in the LaTeX.
    index = {
        q: sympy.Symbol(letter, integer=True, positive=True) for q, letter in paths.letters.items()
    }
    shown = zip(layers, paths.sum_nodes(), strict=True)
    nodes = [index[q] if q in index else n + 1 for q, n in shown]
    limits = [(index[q], 1, paths.sizes[q]) for q in reversed(paths.letters)]
    return sympy.Mul(sign, sympy.Sum(sympy.Mul(*product(nodes)), *limits))


def _head(paths: Paths, s: Symbols, k) -> sympy.Expr:
    """A path's first factor at output node k (shown, 1-based, or a letter): y_k − a^L_k (the
    lecture's, its − in front of the sum), ∂E/∂a^L_k of the sigmoid's cross-entropy, or ∂E/∂z^L_k
    through the softmax's Jacobian, Σ_m (−y_m / a^L_m) a^L_m (1[m = k] − a^L_k), its sum over m
    done: −y_k + a^L_k Σ_m y_m, the outputs' targets written out (k may be a letter)."""
    a, y = s.a[paths.output], s.y
    if paths.error == SIGMOID:
        return -y[k] / a[k] + (1 - y[k]) / (1 - a[k])
    if paths.error == SOFTMAX:
        return -y[k] + a[k] * sympy.Add(*[y[m] for m in range(1, paths.sizes[-1] + 1)])
    return y[k] - a[k]


def substitutions(s: Symbols, values) -> dict:
    """Every symbol of the network (and g'(z) of every node) mapped to its number in
    ``values`` (``values.Numbers``)."""
    numbers: dict = {}
    for k, v in enumerate(values.y):
        numbers[s.y_of(k)] = sympy.Float(float(v))
    for q, a in enumerate(values.a):
        for m, v in enumerate(a):
            numbers[s.a_of(q, m)] = sympy.Float(float(v))
            if q:
                numbers[s.z_of(q, m)] = sympy.Float(float(values.z[q][m]))
                numbers[s.g_prime(s.z_of(q, m))] = sympy.Float(float(values.g_prime[q][m]))
    for layer, (W, b) in enumerate(zip(values.weights, values.biases, strict=True)):
        for (i, j), v in np.ndenumerate(W):
            numbers[s.theta_of(layer, i, j)] = sympy.Float(float(v))
        for i, v in enumerate(b):
            numbers[s.theta_of(layer, i, BIAS)] = sympy.Float(float(v))
    return numbers


# -- compiling the expression to Python ---------------------------------------------------------

Address = tuple
"""Where an argument of a compiled expression comes from: ``(kind, layer, indices)``.

``kind`` is "theta", "a", "z", "y" or "gp" (g'(z) of a node); ``layer`` is Python's 0-based
layer (``None`` for y); ``indices`` are as shown, 1-based with 0 for the bias unit, or the letter
of a Σ (a ``str``): ``("theta", 1, (1, 2))`` is θ^2_12, ``("gp", 2, ("k",))`` is g'(z^3_k).
"""


@dataclass(frozen=True)
class Part:
    """A piece of ∂E/∂θ compiled by ``sympy.lambdify``, with where each argument comes from.

    Attributes
    ----------
    function : callable
        Takes one number per address (NumPy arrays for a Σ's summand), then, for the whole
        expression, the value of each Σ in ``Lambdified.sums``.
    addresses : tuple of Address
    limits : tuple of (str, int, int)
        For a Σ's summand, each letter with its first and last value as ``sympy.Sum`` lists
        them (innermost first); ``()`` for the whole expression.
    """

    function: Callable
    addresses: tuple
    limits: tuple = ()


@dataclass(frozen=True)
class Lambdified:
    """∂E/∂θ as Python functions: the whole expression with each Σ an argument, and the Σ's
    summands, to be summed over their letters."""

    whole: Part
    sums: tuple


def lambdified(expr: sympy.Expr, s: Symbols) -> Lambdified:
    """``expr`` (written in the symbols ``s``) compiled with ``sympy.lambdify``.

    Each application g'(z^q_m) and each Indexed symbol becomes a plain argument; each
    ``sympy.Sum`` becomes one more argument of the whole, its summand a function of NumPy arrays
    evaluated over every value of its letters at once.
    """
    bases = _bases(s)
    sums = tuple(expr.atoms(sympy.Sum))
    totals = [sympy.Dummy(f"sum{n}") for n in range(len(sums))]
    whole = _part(expr.xreplace(dict(zip(sums, totals, strict=True))), s, bases, "math", totals)
    # NumPy itself, not "numpy": lambdify then takes its namespace as it is, where the name
    # would star-import it and wake NumPy's lazily loaded submodules (0.1 s, once).
    parts = tuple(_part(term.function, s, bases, np, limits=_limits(term)) for term in sums)
    return Lambdified(whole, parts)


def _bases(s: Symbols) -> dict:
    """Each IndexedBase of ``s`` with its kind and layer."""
    bases: dict = {s.y: ("y", None)}
    for layer, base in enumerate(s.theta):
        bases[base] = ("theta", layer)
    for q, (a, z) in enumerate(zip(s.a, s.z, strict=True)):
        bases[a], bases[z] = ("a", q), ("z", q)
    return bases


def _limits(term: sympy.Sum) -> tuple:
    return tuple((str(letter), int(first), int(last)) for letter, first, last in term.limits)


def _part(expr, s: Symbols, bases: dict, module, totals=(), limits=()) -> Part:
    """``expr`` with g'(z) and the Indexed symbols made plain arguments, lambdified for
    ``module`` ("math" for numbers, NumPy for arrays), the ``totals`` (Σs) last."""
    arguments: dict = {}
    for application in expr.atoms(sympy.core.function.AppliedUndef):
        if application.func == s.g_prime:
            (z,) = application.args
            kind, q = bases[z.base]
            if kind != "z":
                raise ValueError(f"g' must be applied to a node's z; got {application}")
            arguments[application] = ("gp", q, _shown(z))
    plain = {symbol: sympy.Dummy() for symbol in arguments}
    expr = expr.xreplace(plain)
    for indexed in expr.atoms(sympy.Indexed):
        if indexed.base not in bases:
            raise ValueError(f"{indexed} is not a symbol of the network")
        arguments[indexed] = (*bases[indexed.base], _shown(indexed))
        plain[indexed] = sympy.Dummy()
    expr = expr.xreplace(plain)
    arguments_last = [plain[symbol] for symbol in arguments] + list(totals)
    unknown = expr.free_symbols - set(arguments_last)
    if unknown:
        raise ValueError(f"the expression has symbols with no number: {sorted(map(str, unknown))}")
    # Plain names for lambdify: given a Dummy, it renames every argument, one pass each.
    named = {x: sympy.Symbol(f"x{n}") for n, x in enumerate(arguments_last)}
    function = sympy.lambdify(
        [named[x] for x in arguments_last], expr.xreplace(named), module, docstring_limit=0
    )
    return Part(function, tuple(arguments.values()), limits)


def _shown(indexed: sympy.Indexed) -> tuple:
    """The indices of an Indexed symbol: ints, or the letters of a Σ."""
    return tuple(int(k) if k.is_Integer else str(k) for k in indexed.indices)


# -- MathML ---------------------------------------------------------------------------------


MATHML_NAMESPACE = "http://www.w3.org/1998/Math/MathML"
_SHOWN = {"theta": "θ", "a": "a", "z": "z", "y": "y"}


def mathml(expr: sympy.Expr, s: Symbols) -> str:
    """``expr`` as a complete presentation-MathML element, ``<math display="block">``, in the
    lecture's symbols (θ^l_ij, a^q_m, z^q_m, y_k, g′); ASCII, characters as references."""
    inner = _LecturePrinter(s).doprint(expr).replace("<mo>-</mo>", "<mo>&#x2212;</mo>")
    return f'<math xmlns="{MATHML_NAMESPACE}" display="block">{inner}</math>'


class _LecturePrinter(MathMLPresentationPrinter):
    """SymPy's presentation-MathML printer, writing the network's symbols as the lecture does."""

    def __init__(self, s: Symbols) -> None:
        super().__init__({"mul_symbol": "&#x2062;"})  # invisible times, valid in XML too
        self.g_prime = s.g_prime
        self.names = {
            base: (_SHOWN[kind], None if q is None else q + 1)
            for base, (kind, q) in _bases(s).items()
        }

    def _element(self, tag: str, *children):
        """A MathML element around ``children``: elements, or a ``str`` for an ``<mi>``."""
        element = self.dom.createElement(tag)
        for child in children:
            if isinstance(child, str):
                child = self._element("mi", self.dom.createTextNode(child))
            element.appendChild(child)
        return element

    def _operator(self, text: str):
        return self._element("mo", self.dom.createTextNode(text))

    def _print_Indexed(self, e):
        """θ^2_11: the layer above, the node indices below, side by side as in ``indices``."""
        if e.base not in self.names:
            return super()._print_Indexed(e)
        name, layer = self.names[e.base]
        below = [self._print(k) for k in e.indices]
        if "," in indices(*e.indices):
            below = _joined(below, self._comma)
        below = self._element("mrow", *below)
        if layer is None:
            return self._element("msub", name, below)
        above = self._element("mn", self.dom.createTextNode(str(layer)))
        return self._element("msubsup", name, below, above)

    def _print_AppliedUndef(self, e):
        """g′(z^3_1) for g'; any other undefined function as SymPy writes it."""
        if e.func != self.g_prime:
            return self._print_Function(e)
        g_prime = self._element("mrow", "g", self._operator("′"))  # g italic, ′ a postfix
        return self._element("mrow", g_prime, self._paren_comma_separated(*e.args))

    def _print_Sum(self, e):
        """One Σ per letter, the outermost first (SymPy lists the limits innermost first)."""
        row = self._element("mrow")
        for letter, first, last in reversed(e.limits):
            start = self._element("mrow", self._print(letter), self._operator("="))
            start.appendChild(self._print(first))
            row.appendChild(
                self._element("munderover", self._operator("∑"), start, self._print(last))
            )
        row.appendChild(self.parenthesize(e.function, PRECEDENCE["Mul"], strict=True))
        return row


def _joined(items: list, separator) -> list:
    """``items`` with ``separator()`` between each two."""
    joined = items[:1]
    for item in items[1:]:
        joined += [separator(), item]
    return joined
