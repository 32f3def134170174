"""∂E/∂θ as a SymPy expression: the chain rule's sum over paths, in the lecture's symbols.

The expression is built from the paths (``paths``), not by differentiating a fully expanded E:
one product −(y_k − a^L_k) g'(z^L_k) θ^(L-1)_km … g'(z^(l+1)_i) a^l_j per path, or, beyond
``PATH_LIMIT`` paths, the same product inside a ``sympy.Sum`` over the node indices.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import sympy

from ..notation.address import BIAS
from .paths import Paths


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
    layer, i, j = paths.parameter
    layers = paths.path_layers

    def product(nodes: list) -> list:
        factors = [s.y[nodes[0]] - s.a[layers[0]][nodes[0]]]
        for c, q in enumerate(layers):
            factors.append(s.g_prime(s.z[q][nodes[c]]))
            if c + 1 < len(layers):
                factors.append(s.theta[layers[c + 1]][nodes[c], nodes[c + 1]])
        factors.append(sympy.Integer(1) if j == BIAS else s.a_of(layer, j))
        return factors

    if paths.enumerated:
        products = [product([int(n) + 1 for n in row]) for row in paths.path_nodes]
        return sympy.Add(*[sympy.Mul(sympy.S.NegativeOne, *factors) for factors in products])
    # Indices as shown: 1-based nodes; a letter for each layer summed over.
    index = {
        q: sympy.Symbol(letter, integer=True, positive=True) for q, letter in paths.letters.items()
    }
    nodes = [index[q] for q in paths.free_layers] + [i + 1]
    limits = [(index[q], 1, paths.sizes[q]) for q in reversed(paths.free_layers)]
    return sympy.Mul(sympy.S.NegativeOne, sympy.Sum(sympy.Mul(*product(nodes)), *limits))


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
