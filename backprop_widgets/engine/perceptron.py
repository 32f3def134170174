"""The perceptron of the lecture's recap slides: ŷ = f(θᵀx) with a step function f.

Learning rule, for each instance: θ_i ← θ_i + η (y − ŷ) x_i, with x_0 = 1 for the bias θ_0.
It finds a separating line whenever the data are linearly separable (AND, OR, NAND) and never
on XOR, which is why the lecture moves on to hidden layers and backpropagation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import validation as check


@dataclass
class PerceptronHistory:
    """Misclassified instances after each epoch, and whether an epoch made no mistake."""

    errors: list[int] = field(default_factory=list)
    converged: bool = False


class Perceptron:
    """A single neuron with a step activation, trained by the perceptron rule.

    Parameters
    ----------
    n_inputs : int
        Number of inputs (without the bias input x_0 = 1).
    seed : int or None
        Seed of the initial θ, uniform in [−0.5, 0.5]; ``None`` starts at θ = 0.

    Attributes
    ----------
    theta : ndarray, shape (n_inputs + 1,)
        θ_0 (the bias) first, then θ_1 … θ_n.
    """

    def __init__(self, n_inputs: int, seed: int | None = 0) -> None:
        self.n_inputs = check.integer(n_inputs, "n_inputs", minimum=1)
        if seed is None:
            self.theta = np.zeros(self.n_inputs + 1)
        else:
            seed = check.integer(seed, "seed", minimum=0)
            self.theta = np.random.default_rng(seed).uniform(-0.5, 0.5, self.n_inputs + 1)
        self.seed = seed

    def __repr__(self) -> str:
        return f"Perceptron(n_inputs={self.n_inputs}, theta={np.round(self.theta, 4).tolist()})"

    def predict(self, X) -> np.ndarray:
        """ŷ = 1 if θ_0 + Σ θ_i x_i ≥ 0 else 0; shape (N,), or a 0-d array for one instance."""
        X, single = check.inputs(X, self.n_inputs, "X")
        y_hat = (self.theta[0] + X @ self.theta[1:] >= 0).astype(float)
        return y_hat[0] if single else y_hat

    def fit(self, X, y, learning_rate: float = 1.0, epochs: int = 100) -> PerceptronHistory:
        """Apply the perceptron rule instance by instance; stop after an epoch with no mistakes.

        Raises ``DivergenceError`` (θ kept at its last finite value) if θ overflows.

        Parameters
        ----------
        X : array, shape (N, n_inputs)
        y : array of 0/1, shape (N,) or (N, 1)
        """
        X, _ = check.inputs(X, self.n_inputs, "X")
        y = check.targets(y, X.shape[0], 1, "y")[:, 0]
        if not np.all((y == 0) | (y == 1)):
            raise ValueError("y must hold class labels 0 or 1")
        learning_rate = check.learning_rate(learning_rate)
        epochs = check.integer(epochs, "epochs", minimum=0)
        history = PerceptronHistory()
        for _ in range(epochs):
            mistakes = 0
            for x_n, y_n in zip(X, y):
                y_hat = float(self.theta[0] + x_n @ self.theta[1:] >= 0)
                if y_hat != y_n:
                    mistakes += 1
                    with np.errstate(over="ignore", invalid="ignore"):
                        theta = self.theta + learning_rate * (y_n - y_hat) * np.r_[1.0, x_n]
                    if not np.all(np.isfinite(theta)):
                        raise check.DivergenceError(
                            f"training diverged: with learning_rate={learning_rate} θ would "
                            "become non-finite; it was kept at its last finite value"
                        )
                    self.theta = theta
            history.errors.append(mistakes)
            if mistakes == 0:
                history.converged = True
                break
        return history
