"""Datasets for the lecture and the playground.

Every function returns ``(X, Y)`` as float64 arrays, X of shape (N, n_inputs) and Y of shape
(N, n_outputs), ready for ``MLP.fit``. Two-class targets are 0 or 1 (a sigmoid output's
range); the sine regression's curve lies in [0.1, 0.9] for the same reason, its noisy targets
clipped into [0, 1]. The three-class datasets (``blobs3``, ``spiral3``) give one-hot rows, Y of
shape (N, 3), for a softmax output trained with cross-entropy (``CLASSES``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import validation as check
from .own_data import from_arrays, from_csv, from_csv_text, from_frame  # noqa: F401 - their home

Data = tuple[np.ndarray, np.ndarray]


def _truth_table(outputs: list[int]) -> Data:
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return X, np.array(outputs, dtype=float)[:, None]


def and_() -> Data:
    """AND on {0, 1}²: 4 instances, linearly separable."""
    return _truth_table([0, 0, 0, 1])


def or_() -> Data:
    """OR on {0, 1}²: 4 instances, linearly separable."""
    return _truth_table([0, 1, 1, 1])


def nand() -> Data:
    """NAND on {0, 1}²: 4 instances, linearly separable."""
    return _truth_table([1, 1, 1, 0])


def xor() -> Data:
    """XOR on {0, 1}²: 4 instances, not linearly separable (why MLPs need hidden layers)."""
    return _truth_table([0, 1, 1, 0])


def _sample_args(n, noise, seed) -> tuple[int, float, np.random.Generator]:
    n = check.integer(n, "n", minimum=2)
    noise = check.real(noise, "noise", minimum=0.0)
    seed = check.integer(seed, "seed", minimum=0)
    return n, noise, np.random.default_rng(seed)


def _labels(n: int) -> np.ndarray:
    """Half zeros then half ones (the first class gets the extra one when n is odd)."""
    return (np.arange(n) >= (n + 1) // 2).astype(float)


def circles(n: int = 200, noise: float = 0.1, seed: int = 0, factor: float = 0.5) -> Data:
    """Two concentric circles: class 0 outside (radius 1), class 1 inside (radius ``factor``)."""
    n, noise, rng = _sample_args(n, noise, seed)
    factor = check.real(factor, "factor", positive=True)
    y = _labels(n)
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = np.where(y == 1, factor, 1.0)
    X = np.c_[radius * np.cos(angle), radius * np.sin(angle)] + rng.normal(0, noise, (n, 2))
    return X, y[:, None]


def moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> Data:
    """Two interleaving half circles, centred on the origin."""
    n, noise, rng = _sample_args(n, noise, seed)
    y = _labels(n)
    t = rng.uniform(0, np.pi, n)
    upper = np.c_[np.cos(t), np.sin(t)]
    lower = np.c_[1 - np.cos(t), 0.5 - np.sin(t)]
    X = np.where(y[:, None] == 0, upper, lower) - [0.5, 0.25]
    return X + rng.normal(0, noise, (n, 2)), y[:, None]


def spiral(n: int = 200, noise: float = 0.1, seed: int = 0, turns: float = 1.0) -> Data:
    """Two interleaved spirals of ``turns`` turns each, within the unit disc."""
    n, noise, rng = _sample_args(n, noise, seed)
    turns = check.real(turns, "turns", positive=True)
    y = _labels(n)
    r = rng.uniform(0.05, 1.0, n)
    angle = 2 * np.pi * turns * r + np.pi * y
    X = np.c_[r * np.cos(angle), r * np.sin(angle)]
    return X + rng.normal(0, noise, (n, 2)), y[:, None]


def gaussians(n: int = 200, noise: float = 0.5, seed: int = 0) -> Data:
    """Two Gaussian blobs centred at (−1, −1) and (1, 1); ``noise`` is their standard deviation."""
    n, noise, rng = _sample_args(n, noise, seed)
    y = _labels(n)
    centre = np.where(y[:, None] == 0, -1.0, 1.0) * np.ones((n, 2))
    return centre + rng.normal(0, noise, (n, 2)), y[:, None]


def _three_classes(n: int) -> np.ndarray:
    """Class labels 0, 1, 2, 0, 1, 2, …: balanced, and interleaved so that online training,
    which takes the instances in order, meets every class in turn."""
    return np.arange(n) % 3


def one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Class labels 0 … K−1, shape (N,), as one-hot rows, shape (N, K)."""
    return np.eye(n_classes)[labels]


def blobs3(n: int = 300, noise: float = 0.3, seed: int = 0) -> Data:
    """Three Gaussian blobs, one per class, centred on the unit circle at 90°, 210° and 330°;
    ``noise`` is their standard deviation. Y is one-hot, shape (N, 3)."""
    n, noise, rng = _sample_args(n, noise, seed)
    labels = _three_classes(n)
    angle = np.pi / 2 + 2 * np.pi * labels / 3
    X = np.c_[np.cos(angle), np.sin(angle)] + rng.normal(0, noise, (n, 2))
    return X, one_hot(labels, 3)


def spiral3(n: int = 300, noise: float = 0.1, seed: int = 0, turns: float = 0.75) -> Data:
    """Three interleaved spiral arms of ``turns`` turns each, one per class, within the unit
    disc (the classic softmax demonstration). Y is one-hot, shape (N, 3)."""
    n, noise, rng = _sample_args(n, noise, seed)
    turns = check.real(turns, "turns", positive=True)
    labels = _three_classes(n)
    r = rng.uniform(0.05, 1.0, n)
    angle = 2 * np.pi * turns * r + 2 * np.pi * labels / 3
    X = np.c_[r * np.cos(angle), r * np.sin(angle)]
    return X + rng.normal(0, noise, (n, 2)), one_hot(labels, 3)


def sine(n: int = 50, noise: float = 0.05, seed: int = 0) -> Data:
    """1-D regression: y = 0.5 + 0.4 sin(2πx) + noise for x uniform in [0, 1], the noisy
    targets clipped into [0, 1], a sigmoid output's reach."""
    n, noise, rng = _sample_args(n, noise, seed)
    x = np.sort(rng.uniform(0.0, 1.0, n))
    y = 0.5 + 0.4 * np.sin(2 * np.pi * x) + rng.normal(0, noise, n)
    return x[:, None], np.clip(y, 0.0, 1.0)[:, None]


GATES: dict[str, Callable[[], Data]] = {"and": and_, "or": or_, "nand": nand, "xor": xor}
SAMPLED: dict[str, Callable[..., Data]] = {
    "circles": circles,
    "moons": moons,
    "spiral": spiral,
    "gaussians": gaussians,
    "sine": sine,
    "blobs3": blobs3,
    "spiral3": spiral3,
}
NAMES: tuple[str, ...] = (*GATES, *SAMPLED)
CLASSES: dict[str, int] = {"blobs3": 3, "spiral3": 3}
"""The datasets of several classes (one-hot targets) and how many; the others have one output."""


def n_outputs(name: str) -> int:
    """The number of target columns of dataset ``name`` (one of ``NAMES``)."""
    return CLASSES.get(name, 1)


def load(name: str, n: int | None = None, noise: float | None = None, seed: int = 0) -> Data:
    """Any dataset by name (one of ``NAMES``); ``n``, ``noise`` and ``seed`` apply to the sampled
    ones and must be left out for the four truth tables."""
    if not isinstance(name, str) or name not in NAMES:
        raise ValueError(f"name must be one of {list(NAMES)}; got {name!r}")
    seed = check.integer(seed, "seed", minimum=0)
    if name in GATES:
        if n is not None or noise is not None:
            raise ValueError(
                f"n and noise do not apply to the truth table {name!r}; leave them out"
            )
        return GATES[name]()
    kwargs = {"seed": seed}
    if n is not None:
        kwargs["n"] = n
    if noise is not None:
        kwargs["noise"] = noise
    return SAMPLED[name](**kwargs)


def first_informative(X: np.ndarray) -> int:
    """The first instance with no zero input (else 0), to show first: at x = 0 every
    first-layer gradient is 0, which makes a poor first derivation (XOR's first is (0, 0))."""
    nonzero = np.flatnonzero(np.all(np.asarray(X) != 0, axis=1))
    return int(nonzero[0]) if len(nonzero) else 0


def train_test_split(X, Y, test_fraction: float = 0.25, seed: int = 0) -> tuple:
    """Split instances at random into a training and a test set.

    Returns
    -------
    X_train, Y_train, X_test, Y_test
        At least one instance in each part.
    """
    X, Y = from_arrays(X, Y)
    test_fraction = check.real(test_fraction, "test_fraction")
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be strictly between 0 and 1; got {test_fraction}")
    seed = check.integer(seed, "seed", minimum=0)
    n = X.shape[0]
    if n < 2:
        raise ValueError(f"X must hold at least 2 instances to split; got {n}")
    n_test = min(max(1, round(n * test_fraction)), n - 1)
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], Y[train], X[test], Y[test]
