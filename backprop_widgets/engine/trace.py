"""What one online update computes for one instance, layer by layer: the lecture's demo."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Trace:
    """Everything one online update computes for one instance, layer by layer.

    Lists are indexed by layer (0 = input). ``z[0]`` and ``delta[0]`` are ``None``: the input
    layer has no net input and no error term. ``dtheta[l]`` and ``dbias[l]`` are indexed like
    ``weights[l]`` and ``biases[l]``.

    Attributes
    ----------
    x : ndarray, shape (sizes[0],)
    y : ndarray, shape (sizes[-1],)
    z : list of ndarray, ``z[l].shape == (sizes[l],)`` for l >= 1
    a : list of ndarray, ``a[l].shape == (sizes[l],)``; ``a[0]`` is ``x``, ``a[-1]`` is ŷ
    delta : list of ndarray, lecture sign (δ = −∂E/∂z), for l >= 1
    error : float, E = ½ Σ_k (y_k − ŷ_k)² (or this instance's cross-entropy)
    learning_rate : float or None, the η used for ``dtheta``
    dtheta, dbias : list of ndarray or None, Δθ = η δ a (None when no η was given)
    """

    x: np.ndarray
    y: np.ndarray
    z: list
    a: list
    delta: list
    error: float
    learning_rate: float | None
    dtheta: list | None
    dbias: list | None

    @property
    def y_hat(self) -> np.ndarray:
        """The network's output ŷ = a[L-1], shape (sizes[-1],)."""
        return self.a[-1]

    def gradients(self, bias: bool = True) -> tuple[list, list]:
        """∂E/∂θ of this instance from its error terms: ∂E/∂θ^l_ij = −δ^(l+1)_i a^l_j, and
        −δ^(l+1)_i for the biases (zeros when ``bias`` is False). Shaped like the weights and
        biases."""
        L = len(self.a)
        dW = [-np.outer(self.delta[l + 1], self.a[l]) for l in range(L - 1)]
        db = [-self.delta[l + 1] * bias for l in range(L - 1)]
        return dW, db

    def __repr__(self) -> str:
        return (
            f"Trace(x={self.x.tolist()}, y={self.y.tolist()}, y_hat={self.y_hat.tolist()}, "
            f"error={self.error:.6g}, learning_rate={self.learning_rate})"
        )


def trace_of(net, X: np.ndarray, Y: np.ndarray, learning_rate: float | None) -> Trace:
    """``MLP.trace`` on checked arguments: one instance X of shape (1, sizes[0]) with its
    targets Y of shape (1, sizes[-1]); Δθ = η δ a when ``learning_rate`` is given."""
    with np.errstate(over="ignore", invalid="ignore"):
        z, a = net._forward(X)
        delta = net._backward(z, a, Y)
    z = [None] + [v[0] for v in z[1:]]
    a = [v[0] for v in a]
    delta = [None] + [v[0] for v in delta[1:]]
    dtheta = dbias = None
    if learning_rate is not None:
        dtheta = [learning_rate * np.outer(delta[l + 1], a[l]) for l in range(len(net.weights))]
        dbias = [
            learning_rate * delta[l + 1] if net.bias else np.zeros(net.sizes[l + 1])
            for l in range(len(net.weights))
        ]
    error = net.error(z[-1][None], a[-1][None], Y)
    return Trace(X[0], Y[0], z, a, delta, error, learning_rate, dtheta, dbias)
