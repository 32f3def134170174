"""Activation functions g(z) and their derivatives g'(z).

Each derivative is written in terms of the activation a = g(z) where the lecture does so
(the sigmoid's g'(z) = a (1 - a)), which is also what makes backpropagation cheap: the forward
pass already computed a.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


def sigmoid(z: Array) -> Array:
    """Logistic sigmoid 1 / (1 + e^(-z)), finite and warning-free for any finite z.

    e^(-z) overflows to inf for z < -709; 1 / (1 + inf) is then exactly 0, the right limit,
    so the overflow is expected and silenced rather than avoided. The result keeps full
    relative precision for large negative z (unlike 0.5 (1 + tanh(z/2))).
    """
    with np.errstate(over="ignore"):
        return _sigmoid(z, 1.0)  # 1.0, not _ONE: a float32 z gives float32, as NumPy does


# The activations' constant 1 as a float64 0-d array: the same sums and products as 1.0, without
# converting a Python float on every call (a third of a tiny call's cost in the online loop).
_ONE = np.array(1.0)


def _sigmoid(z: Array, one=_ONE) -> Array:
    # The MLP calls this inside its own np.errstate(over="ignore"): see sigmoid.
    return one / (one + np.exp(-z))


def _sigmoid_prime(z: Array, a: Array) -> Array:
    return a * (_ONE - a)


def _tanh(z: Array) -> Array:
    return np.tanh(z)


def _tanh_prime(z: Array, a: Array) -> Array:
    return _ONE - a * a


def _relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def _relu_prime(z: Array, a: Array) -> Array:
    return (z > 0.0).astype(float)


def _linear(z: Array) -> Array:
    return np.array(z, dtype=float, copy=True)


def _linear_prime(z: Array, a: Array) -> Array:
    return np.ones_like(z, dtype=float)


# In-place forms for the batch training path: they write into ``out`` (shaped like z) and
# allocate nothing, which keeps large batches free of page faults (see MLP._gradients).


def _sigmoid_into(z: Array, out: Array) -> None:
    np.negative(z, out=out)
    np.exp(out, out=out)
    out += 1.0
    np.reciprocal(out, out=out)


def _sigmoid_prime_into(z: Array, a: Array, out: Array) -> None:
    np.subtract(1.0, a, out=out)
    out *= a


def _tanh_into(z: Array, out: Array) -> None:
    np.tanh(z, out=out)


def _tanh_prime_into(z: Array, a: Array, out: Array) -> None:
    np.multiply(a, a, out=out)
    np.subtract(1.0, out, out=out)


def _relu_into(z: Array, out: Array) -> None:
    np.maximum(z, 0.0, out=out)


def _relu_prime_into(z: Array, a: Array, out: Array) -> None:
    np.greater(z, 0.0, out=out)


def _linear_into(z: Array, out: Array) -> None:
    np.copyto(out, z)


def _linear_prime_into(z: Array, a: Array, out: Array) -> None:
    out.fill(1.0)


@dataclass(frozen=True)
class Activation:
    """An activation function g with its derivative.

    Attributes
    ----------
    name : str
        The name used in the API ("sigmoid", "tanh", "relu", "linear").
    g : callable
        ``g(z) -> a``, elementwise.
    g_prime : callable
        ``g_prime(z, a) -> g'(z)``, elementwise; ``a`` must be ``g(z)``.
    latex : str
        How the lecture writes g(z), for the symbolic panel.
    g_into, g_prime_into : callable
        The same, written into a preallocated ``out`` array.
    """

    name: str
    g: Callable[[Array], Array]
    g_prime: Callable[[Array, Array], Array]
    latex: str
    g_into: Callable[[Array, Array], None]
    g_prime_into: Callable[[Array, Array, Array], None]
    # Not elementwise (softmax): g over the columns of a features × instances array.
    g_columns_into: Callable[[Array, Array], None] | None = None
    output_only: bool = False  # softmax: an output activation, with cross-entropy

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


def _softmax(z: Array) -> Array:
    """softmax over the last axis: e^(z_i − max z) / Σ_k e^(z_k − max z), finite for any z."""
    if z.ndim == 1:  # one instance, the online loop's case: the quickest calls
        e = np.exp(z - z.max())
        e /= e.sum()
        return e
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _softmax_into(z: Array, out: Array) -> None:
    out[...] = _softmax(z)


def _softmax_columns_into(z: Array, out: Array) -> None:
    np.subtract(z, np.max(z, axis=0, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= np.sum(out, axis=0, keepdims=True)


def _softmax_prime(z: Array, a: Array) -> Array:
    raise TypeError(
        "softmax has no elementwise g′(z): its Jacobian ∂a_k/∂z_i = a_k (1[k = i] − a_i) "
        "couples the outputs; with cross-entropy the output's δ is y − ŷ"
    )


def _softmax_prime_into(z: Array, a: Array, out: Array) -> None:
    _softmax_prime(z, a)


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        "sigmoid",
        _sigmoid,
        _sigmoid_prime,
        r"\frac{1}{1 + e^{-z}}",
        _sigmoid_into,
        _sigmoid_prime_into,
    ),
    "tanh": Activation("tanh", _tanh, _tanh_prime, r"\tanh z", _tanh_into, _tanh_prime_into),
    "relu": Activation("relu", _relu, _relu_prime, r"\max(0, z)", _relu_into, _relu_prime_into),
    "linear": Activation("linear", _linear, _linear_prime, "z", _linear_into, _linear_prime_into),
    "softmax": Activation(
        "softmax",
        _softmax,
        _softmax_prime,
        r"\frac{e^{z_i}}{\sum_k e^{z_k}}",
        _softmax_into,
        _softmax_prime_into,
        _softmax_columns_into,
        output_only=True,
    ),
}


def get_activation(name: object, argument: str = "activation") -> Activation:
    """Look up an activation by name; a clear error names ``argument`` when it is unknown."""
    if not isinstance(name, str):
        raise TypeError(
            f"{argument} must be a string, one of {sorted(ACTIVATIONS)}; got {type(name).__name__}"
        )
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"{argument} must be one of {sorted(ACTIVATIONS)}; got {name!r}") from None
