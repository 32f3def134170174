"""The numbers of one call of ``derive``: the instance's trace and the weights at that time.

``Numbers.get(key)`` answers every key a template slot or a Term names (see ``paths`` for the
keys of the chain rule's factors); the templates (``latex``) write them out.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.mlp import MLP, Trace
from ..notation.address import BIAS
from .paths import SIGMOID, SOFTMAX, Key, Paths


class Numbers:
    """Every number a derivation shows, copied at the time of the call.

    Parameters
    ----------
    net : MLP
    trace : Trace
        ``net.trace(x, y)`` of the instance.
    paths : Paths
        The paths from θ to E of this structure.
    learning_rate : float or None
        η; without it Δθ and the updated θ are None.

    Attributes
    ----------
    weights, biases : list of ndarray
        Copies of the network's parameters.
    x, y, z, a, delta, error
        The trace's.
    g_prime : list of ndarray
        ``g_prime[q]`` is g'(z^q), shape (sizes[q],); ``g_prime[0]`` is None. A softmax output
        has no elementwise g' (its slope is a Jacobian): NaN there, never shown.
    d_error : ndarray, shape (sizes[-1],)
        ∂E/∂a^L: −(y − a^L) for the lecture's E; −y / a^L for the cross-entropy of a softmax;
        −(y / a^L − (1 − y) / (1 − a^L)) for that of a sigmoid (0 where y makes a term 0).
    d_error_z : ndarray, shape (sizes[-1],)
        ∂E/∂z^L, where every path starts: ∂E/∂a^L g'(z^L) for the lecture's E; through the
        softmax's Jacobian, Σ_k ∂E/∂a^L_k ∂a^L_k/∂z^L_i = −y_i + a^L_i Σ_k y_k; for a sigmoid
        with the cross-entropy, the simplified −(y − a^L) (finite where a^L is 0 or 1).
    a_in : float
        a^l_j, the input θ multiplies (1 for a bias).
    path_values : ndarray, shape (n_paths,), or None
        The product along each path (None beyond ``GATHER_LIMIT`` paths).
    value, value_from_delta : float
        ∂E/∂θ summed over the paths, and −δ^(l+1)_i a^l_j of the backward pass.
    theta, dtheta : float, float or None
        θ, and Δθ = η δ^(l+1)_i a^l_j.
    """

    def __init__(self, net: MLP, trace: Trace, paths: Paths, learning_rate: float | None) -> None:
        layer, i, j = paths.parameter
        self.weights = [W.copy() for W in net.weights]
        self.biases = [b.copy() for b in net.biases]
        self.x, self.y = trace.x, trace.y
        self.z, self.a, self.delta = trace.z, trace.a, trace.delta
        self.error = trace.error
        self.learning_rate = learning_rate
        self.g_prime = [None] + [_slope(net, q, trace) for q in range(1, len(self.a))]
        self.d_error, self.d_error_z = _output_slopes(paths.error, trace.y, trace.a[-1])
        if self.d_error_z is None:
            self.d_error_z = self.d_error * self.g_prime[-1]
        self.a_in = 1.0 if j == BIAS else float(trace.a[layer][j])
        self.path_values = paths.products(self)
        self.value = paths.total(self, self.path_values)
        self.delta_a = float(trace.delta[layer + 1][i] * self.a_in)  # δ^(l+1)_i a^l_j
        self.value_from_delta = -self.delta_a
        self.theta = float(self.biases[layer][i] if j == BIAS else self.weights[layer][i, j])
        self.dtheta = None  # η δ a, multiplied in the order Trace.dtheta multiplies it
        if learning_rate is not None:
            self.dtheta = float(learning_rate * trace.delta[layer + 1][i] * self.a_in)

    def get(self, key: Key) -> Any:
        """The number (or vector) a template slot or a Term names; None for Δθ, η and the
        updated θ when no learning rate was given."""
        kind = key[0]
        if kind == "a":
            q, m = key[1:]
            return 1.0 if m == BIAS else float(self.a[q][m])
        if kind == "z":
            return float(self.z[key[1]][key[2]])
        if kind == "gp":
            return float(self.g_prime[key[1]][key[2]])
        if kind == "theta":
            layer, i, j = key[1:]
            return float(self.biases[layer][i] if j == BIAS else self.weights[layer][i, j])
        if kind == "delta":
            return float(self.delta[key[1]][key[2]])
        if kind == "dEda":
            return float(self.d_error[key[1]])
        if kind == "dEdz":
            return float(self.d_error_z[key[1]])
        if kind == "jacobian":  # the one term of Σ_k ∂E/∂a_k ∂a_k/∂z_i a one-hot y leaves
            return self._jacobian_term(key[1])
        if kind == "y":
            return float(self.y[key[1]])
        if kind == "dsum":  # Σ_k θ^q_km δ^(q+1)_k
            q, m = key[1:]
            return float(self.weights[q][:, m] @ self.delta[q + 1])
        if kind == "path":
            return float(self.path_values[key[1]])
        if kind == "vector":
            return self._vector(key[1:])
        return self._scalar(kind)

    def _vector(self, key: tuple) -> np.ndarray:
        kind = key[0]
        if kind == "x":
            return self.x
        if kind == "y":
            return self.y
        if kind == "dEda":
            return self.d_error
        if kind == "dEdz":
            return self.d_error_z
        return {"z": self.z, "a": self.a, "delta": self.delta}[kind][key[1]]

    def _jacobian_term(self, i: int) -> tuple:
        """(k, a^L_k, a^L_i) of the class k with y_k = 1 (a softmax's one-hot target): the only
        term of ∂E/∂z^L_i = Σ_k (−y_k / a^L_k) a^L_k (1[k = i] − a^L_i) that is not 0."""
        k = int(np.argmax(self.y))
        return k, float(self.a[-1][k]), float(self.a[-1][i]), k == i

    def _scalar(self, kind: str) -> float | None:
        if kind == "value":
            return self.value
        if kind == "delta value":
            return self.value_from_delta
        if kind == "delta a":
            return self.delta_a
        if kind == "E":
            return self.error
        if kind == "eta":
            return self.learning_rate
        if kind == "dtheta":
            return self.dtheta
        if kind == "updated":
            return None if self.dtheta is None else self.theta + self.dtheta
        raise KeyError(kind)


def _slope(net: MLP, q: int, trace: Trace) -> np.ndarray:
    """g'(z^q) of layer q; NaN for a softmax, which has no elementwise slope."""
    g = net.activation_of(q)
    if g.output_only:
        return np.full(trace.z[q].shape, np.nan)
    return g.g_prime(trace.z[q], trace.a[q])


def _output_slopes(error: str, y: np.ndarray, a: np.ndarray) -> tuple:
    """∂E/∂a^L and ∂E/∂z^L (None: ∂E/∂a^L g'(z^L), for the lecture's E) for the error ``error``.

    A term whose target makes it 0 is 0, not 0/0: y_k = 0 leaves no −y_k / a_k.
    """
    if error == SOFTMAX:
        with np.errstate(divide="ignore"):
            d_error = -np.divide(y, a, out=np.zeros_like(a), where=y != 0)
        return d_error, -y + a * np.sum(y)  # Σ_k ∂E/∂a_k a_k (1[k = i] − a_i)
    if error == SIGMOID:
        with np.errstate(divide="ignore"):
            up = np.divide(y, a, out=np.zeros_like(a), where=y != 0)
            down = np.divide(1.0 - y, 1.0 - a, out=np.zeros_like(a), where=y != 1)
        return -(up - down), -(y - a)
    return -(y - a), None  # ∂E/∂a^L = −(y − a^L)
