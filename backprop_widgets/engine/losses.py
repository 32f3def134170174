"""The error E a network is trained to make small, and the error term δ it gives at the output.

- ``squared`` (the lecture's): E = 1/(2N) Σ_n Σ_k (y_nk − ŷ_nk)², δ = (y − ŷ) g′(z);
- ``cross_entropy`` with a softmax output (several classes): E = −1/N Σ_n Σ_k y_nk log ŷ_nk,
  and with a sigmoid output (two classes, or independent yes/no outputs):
  E = −1/N Σ_n Σ_k [y_nk log ŷ_nk + (1 − y_nk) log(1 − ŷ_nk)]. For both the output's δ is
  simply y − ŷ: g′ cancels against ∂E/∂ŷ (the symbolic layer derives it step by step).

Both δ keep the lecture's sign, δ = −∂E/∂z. Cross-entropy is computed from the logits z with
log-sum-exp and softplus, so logits of ±1,000 give finite numbers and no warnings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import validation as check

NAMES = ("squared", "cross_entropy")
CROSS_ENTROPY_OUTPUTS = ("softmax", "sigmoid")


def squared_error(Y: np.ndarray, Y_hat: np.ndarray, out: np.ndarray | None = None):
    """The lecture's error E = 1/(2N) Σ_n Σ_k (y_nk − ŷ_nk)² of targets Y (N, K) and outputs
    Y_hat (N, K); for one instance (N = 1) it is E = ½ Σ_k (y_k − ŷ_k)². Outputs of shape
    (T, N, K) give the T errors, an array of shape (T,). ``out`` (shaped like Y_hat, and it
    may be Y_hat) takes the squared residuals instead of a new array."""
    residual = np.subtract(Y, Y_hat, out=out)
    E = 0.5 * np.sum(np.square(residual, out=residual), axis=(-2, -1)) / Y_hat.shape[-2]
    return float(E) if np.ndim(E) == 0 else E


def softplus(t: np.ndarray) -> np.ndarray:
    """log(1 + eᵗ), finite for any finite t."""
    return np.maximum(t, 0.0) + np.log1p(np.exp(-np.abs(t)))


def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """log softmax(z) along ``axis``: z − log Σ e^z, with the largest z taken out first."""
    top = np.max(z, axis=axis, keepdims=True)
    return z - top - np.log(np.sum(np.exp(z - top), axis=axis, keepdims=True))


@dataclass(frozen=True)
class Loss:
    """One error function. ``name`` as in the API; ``title`` as a title says it."""

    name: str
    title: str

    def error(self, Y: np.ndarray, Z: np.ndarray, A: np.ndarray, output: str) -> float | np.ndarray:
        """E of targets Y (N, K) for output logits Z and outputs A = g(Z) of the same shape
        (or (T, N, K): then the T errors). ``output`` names g."""
        if self.name == "squared":
            return squared_error(Y, A)
        if output == "softmax":
            terms = -Y * log_softmax(Z)
        else:  # sigmoid: −[y log σ(z) + (1 − y) log(1 − σ(z))]
            terms = Y * softplus(-Z) + (1.0 - Y) * softplus(Z)
        E = np.sum(terms, axis=(-2, -1)) / Z.shape[-2]
        return float(E) if np.ndim(E) == 0 else E

    def output_delta(self, Y: np.ndarray, z: np.ndarray, a: np.ndarray, g) -> np.ndarray:
        """δ = −∂E/∂z at the output, the lecture's sign: (y − ŷ) g′(z), or y − ŷ for
        cross-entropy."""
        if self.name == "squared":
            return (Y - a) * g.g_prime(z, a)
        return Y - a

    def __repr__(self) -> str:
        return f"Loss({self.name!r})"


LOSSES = {
    "squared": Loss("squared", "squared error"),
    "cross_entropy": Loss("cross_entropy", "cross-entropy"),
}


def class_labels(Y: np.ndarray) -> np.ndarray | None:
    """The class of each row of targets Y (N, K), or None when Y are not classes: one-hot rows
    (K ≥ 2) give the column of their 1; a single column of 0s and 1s gives those."""
    Y = np.asarray(Y)
    if Y.ndim != 2 or len(Y) == 0:
        return None
    if Y.shape[1] == 1:
        return Y[:, 0].astype(int) if np.isin(Y, (0.0, 1.0)).all() else None
    one_hot = np.isin(Y, (0.0, 1.0)).all() and np.all(Y.sum(axis=1) == 1.0)
    return Y.argmax(axis=1) if one_hot else None


def predicted_classes(Y_hat: np.ndarray) -> np.ndarray:
    """The class a network's outputs Y_hat (N, K) choose: the largest output (K ≥ 2), or
    ŷ ≥ ½ for a single output."""
    if Y_hat.shape[1] == 1:
        return (Y_hat[:, 0] >= 0.5).astype(int)
    return Y_hat.argmax(axis=1)


def accuracy(Y: np.ndarray, Y_hat: np.ndarray) -> float | None:
    """The share of rows whose predicted class (``predicted_classes``) is the target's class;
    None when the targets are not classes (a regression)."""
    labels = class_labels(Y)
    if labels is None:
        return None
    return float(np.mean(predicted_classes(np.asarray(Y_hat)) == labels))


def get_loss(name: object, output_activation: str, n_outputs: int) -> Loss:
    """The loss ``name`` checked against the output it trains: cross-entropy needs a softmax or
    sigmoid output (ŷ a probability), and a softmax output needs cross-entropy and at least two
    outputs."""
    if not isinstance(name, str) or name not in LOSSES:
        raise ValueError(f"loss must be one of {list(NAMES)}; got {name!r}")
    if name == "cross_entropy" and output_activation not in CROSS_ENTROPY_OUTPUTS:
        raise ValueError(
            f"loss='cross_entropy' needs output_activation 'softmax' or 'sigmoid' (ŷ a "
            f"probability, whose log it takes); got {output_activation!r}"
        )
    if output_activation == "softmax":
        if name != "cross_entropy":
            raise ValueError(
                "output_activation='softmax' is trained with loss='cross_entropy' "
                f"(the error of a probability over classes); got loss={name!r}"
            )
        if n_outputs < 2:
            raise ValueError(
                f"output_activation='softmax' needs at least 2 outputs, one per class; the "
                f"network has {n_outputs} (one class: use a sigmoid output)"
            )
    return LOSSES[name]


def checked_targets(Y, n: int, n_outputs: int, output: str, loss: str, name: str = "Y"):
    """Targets for a network with ``n_outputs`` outputs of activation ``output`` trained on
    ``loss``, shape (n, n_outputs): with a softmax output class labels (shape (n,), 0 … K−1)
    become one-hot rows, and rows must be one-hot; with cross-entropy on a sigmoid output
    every target lies in [0, 1]."""
    if output == "softmax" and np.ndim(Y) == 1 and np.shape(Y)[0] == n:
        return check.one_hot(Y, n_outputs, name)
    Y = check.targets(Y, n, n_outputs, name)
    if output == "softmax":
        check.one_hot_rows(Y, name)
    elif loss == "cross_entropy":
        check.probabilities(Y, name)
    return Y
