"""The paths from a parameter θ to the error E, and the chain rule along them.

A path starts at an output node and walks back one node per layer to node i of layer l+1, the
node θ^l_ij feeds. Along it the chain rule multiplies ∂E/∂a^L_k, then ∂a/∂z = g'(z) and
∂z/∂a = θ for each layer it passes, and finally ∂z^(l+1)_i/∂θ^l_ij = a^l_j; ∂E/∂θ is the sum of
these products over all paths. Which paths there are depends only on the layer sizes and the
parameter, so ``Paths`` is built once per structure; ``products`` and ``total`` put numbers in.

Factors are named by keys: ``("dEda", k)`` for ∂E/∂a^L_k, ``("gp", q, m)`` for g'(z^q_m),
``("theta", q, m, n)`` for θ^q_mn (0-based) and ``("a", l, j)`` for a^l_j.

Beyond the lecture, with a softmax output and the cross-entropy (``SOFTMAX``), every output a^L_k
depends on every z^L_i, so a path starts at z^L_i with the factor ``("dEdz", i)``, ∂E/∂z^L_i =
Σ_k ∂E/∂a^L_k ∂a^L_k/∂z^L_i (the softmax's Jacobian, summed: −(y_i − a^L_i)), and has no g'(z^L).
With a sigmoid output and the cross-entropy (``SIGMOID``) the paths are the lecture's, only
∂E/∂a^L_k differs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..notation.address import Parameter

PATH_LIMIT = 4
"""Up to this many paths are listed one by one; beyond it the derivation sums them with Σ
(a handful of rows a reader can follow: [3, 4, 4, 4, 1] would list 16 paths, three rows each)."""

GATHER_LIMIT = 1 << 16  # paths multiplied out one by one in NumPy; beyond, summed layer by layer
LETTERS = ("k", "m", "n", "p", "r", "s", "t", "u", "v", "w")  # path indices, output first

SQUARED = "squared"  # the lecture's E = ½ Σ_k (y_k − ŷ_k)², any output
SOFTMAX = "softmax cross-entropy"  # E = −Σ_k y_k log ŷ_k, softmax output
SIGMOID = "sigmoid cross-entropy"  # E = −Σ_k [y_k log ŷ_k + (1 − y_k) log(1 − ŷ_k)]
ERRORS = (SQUARED, SOFTMAX, SIGMOID)

Key = tuple  # names one number of a derivation, e.g. ("gp", q, m) for g'(z) of node m of layer q


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


class Paths:
    """Every path from θ to E in a network of the given layer sizes.

    Parameters
    ----------
    sizes : tuple of int
        Nodes per layer, input first.
    parameter : Parameter
        θ, already checked against ``sizes``.
    error : str
        Which E: ``SQUARED`` (the lecture's), ``SOFTMAX`` or ``SIGMOID`` (cross-entropy).

    Attributes
    ----------
    output : int
        The output layer, 0-based.
    jacobian : bool
        Whether the paths start at z^L through the softmax's Jacobian (``("dEdz", k)``, no
        g'(z^L)) rather than at a^L.
    path_layers : tuple of int
        The node layers a path visits, from the output back to layer l+1 (0-based).
    free_layers : tuple of int
        Those where a path may pass any node (all but the last, where it reaches node i).
    letters : dict
        The index letter of each layer the Σ form sums over: the free layers with more than one
        node, lettered by position (k for the output, then m, n, …). A free layer of one node
        has no letter and no Σ: its one node is written instead (k = 1).
    n_paths : int
    enumerated : bool
        Whether there are few enough paths (``PATH_LIMIT``) to list them one by one.
    path_nodes : ndarray of int, shape (n_paths, len(path_layers)), or None
        Every path as a row of node indices; None beyond ``GATHER_LIMIT`` paths.
    chain : tuple of tuple of Key
        The factors at each position of the chain rule, from ∂E/∂a^L to ∂z^(l+1)_i/∂θ^l_ij.
    """

    def __init__(self, sizes: tuple, parameter: Parameter, error: str = SQUARED) -> None:
        self.sizes, self.parameter, self.error = sizes, parameter, error
        self.output = len(sizes) - 1
        self.jacobian = error == SOFTMAX
        self.path_layers = tuple(range(self.output, parameter.l, -1))
        self.free_layers = self.path_layers[:-1]
        self.letters = {q: _letter(c) for c, q in enumerate(self.free_layers) if sizes[q] > 1}
        self.n_paths = math.prod(sizes[q] for q in self.free_layers)
        self.enumerated = self.n_paths <= PATH_LIMIT
        self.path_nodes = self._path_nodes() if self.n_paths <= GATHER_LIMIT else None
        self.chain = self._chain()

    def nodes(self, q: int) -> tuple:
        """Nodes of layer q on some path: all of them, or only node i in layer l+1."""
        return (self.parameter.i,) if q == self.path_layers[-1] else tuple(range(self.sizes[q]))

    def _path_nodes(self) -> np.ndarray:
        grids = [self.sizes[q] for q in self.free_layers]
        free = np.indices(grids).reshape(len(grids), -1).T if grids else np.zeros((1, 0), int)
        return np.hstack([free, np.full((len(free), 1), self.parameter.i)])

    def _chain(self) -> tuple:
        layers = self.path_layers
        chain = [tuple((self.head, k) for k in self.nodes(layers[0]))]
        for c, q in enumerate(layers):
            if c or not self.jacobian:
                chain.append(tuple(("gp", q, m) for m in self.nodes(q)))
            if c + 1 < len(layers):
                below = layers[c + 1]
                chain.append(
                    tuple(("theta", below, m, n) for m in self.nodes(q) for n in self.nodes(below))
                )
        chain.append((("a", self.parameter.l, self.parameter.j),))
        return tuple(chain)

    @property
    def head(self) -> str:
        """The kind of a path's first factor: "dEdz" (∂E/∂z^L, softmax) or "dEda" (∂E/∂a^L)."""
        return "dEdz" if self.jacobian else "dEda"

    def path_keys(self, nodes) -> list:
        """The factor keys of the path through ``nodes``: a row of ``path_nodes``, or index
        letters for the factors of the Σ form."""
        layers = self.path_layers
        keys = [(self.head, _node(nodes[0]))]
        for c, q in enumerate(layers):
            if c or not self.jacobian:
                keys.append(("gp", q, _node(nodes[c])))
            if c + 1 < len(layers):
                keys.append(("theta", layers[c + 1], _node(nodes[c]), _node(nodes[c + 1])))
        keys.append(("a", self.parameter.l, self.parameter.j))
        return keys

    def sum_nodes(self) -> list:
        """The nodes of the Σ form by path layer: a letter for each layer summed over, else
        the one node there (node i in layer l+1, node 0 in a layer of one node)."""
        return [self.letters.get(q, self.nodes(q)[0]) for q in self.path_layers]

    def sum_keys(self) -> list:
        """The factor keys of the Σ form (``sum_nodes``)."""
        return self.path_keys(self.sum_nodes())

    def products(self, values) -> np.ndarray | None:
        """The product of the factors along each path, shape (n_paths,), or None if too many.

        ``values`` holds this call's numbers (``values.Numbers``).
        """
        if self.path_nodes is None:
            return None
        P, layers = self.path_nodes, self.path_layers
        product = values.d_error_z[P[:, 0]]  # ∂E/∂z^L: ∂E/∂a^L g'(z^L), or through the softmax
        for c in range(1, len(layers)):
            q = layers[c]
            product = product * values.weights[q][P[:, c - 1], P[:, c]]
            product = product * values.g_prime[q][P[:, c]]
        return product * values.a_in

    def total(self, values, products: np.ndarray | None) -> float:
        """∂E/∂θ as the sum over paths of the products of their factors.

        Beyond ``GATHER_LIMIT`` paths the sum is taken layer by layer (Σ_k then Σ_m …),
        which is the same sum with the common factors pulled out.
        """
        if products is not None:
            return float(products.sum())
        layers = self.path_layers
        partial = values.d_error_z
        for q in layers[1:]:
            partial = (partial @ values.weights[q]) * values.g_prime[q]
        return float(partial[self.parameter.i] * values.a_in)


def _letter(position: int) -> str:
    """The index letter of the free layer at ``position`` (0 for the output): k, m, n, …, then
    w10, w11, … for networks deeper than there are letters."""
    return LETTERS[position] if position < len(LETTERS) else f"{LETTERS[-1]}{position}"


def _node(index) -> int | str:
    """A node index as a key holds it: a Python int, a letter, or "bias"."""
    return index if isinstance(index, str) else int(index)
