"""Datasets for the lecture and the playground.

Every function returns ``(X, Y)`` as float64 arrays, X of shape (N, n_inputs) and Y of shape
(N, n_outputs), ready for ``MLP.fit``. Classification targets are 0 or 1 (a sigmoid output's
range); the sine regression's curve lies in [0.1, 0.9] for the same reason (its noise may
carry a few targets slightly beyond).
"""

from __future__ import annotations

from collections.abc import Callable
from os import PathLike

import numpy as np

from . import validation as check

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


def sine(n: int = 50, noise: float = 0.05, seed: int = 0) -> Data:
    """1-D regression: y = 0.5 + 0.4 sin(2πx) + noise for x uniform in [0, 1]."""
    n, noise, rng = _sample_args(n, noise, seed)
    x = np.sort(rng.uniform(0.0, 1.0, n))
    y = 0.5 + 0.4 * np.sin(2 * np.pi * x) + rng.normal(0, noise, n)
    return x[:, None], y[:, None]


GATES: dict[str, Callable[[], Data]] = {"and": and_, "or": or_, "nand": nand, "xor": xor}
SAMPLED: dict[str, Callable[..., Data]] = {
    "circles": circles,
    "moons": moons,
    "spiral": spiral,
    "gaussians": gaussians,
    "sine": sine,
}
NAMES: tuple[str, ...] = (*GATES, *SAMPLED)


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


def from_arrays(X, Y) -> Data:
    """The user's own data, checked: X of shape (N, d), Y of shape (N, k) or (N,), finite."""
    X_array = np.asarray(X, dtype=float) if _numeric(X) else None
    if X_array is None or X_array.ndim != 2:
        raise ValueError(f"X must be a 2-D array of numbers, shape (N, n_inputs); got {_shape(X)}")
    if X_array.shape[1] == 0:
        raise ValueError("X must have at least one input column; got shape (N, 0)")
    X_array, _ = check.inputs(X_array, X_array.shape[1], "X")
    Y_array = np.asarray(Y, dtype=float) if _numeric(Y) else None
    if Y_array is None or Y_array.ndim not in (1, 2):
        raise ValueError(
            f"Y must be an array of numbers of shape (N, n_outputs) or (N,); got {_shape(Y)}"
        )
    n_outputs = 1 if Y_array.ndim == 1 else Y_array.shape[1]
    if n_outputs == 0:
        raise ValueError("Y must have at least one target column; got shape (N, 0)")
    Y_array = check.targets(Y_array, X_array.shape[0], n_outputs, "Y")
    return X_array, Y_array


def from_csv(path: str | PathLike, n_outputs: int = 1, delimiter: str = ",") -> Data:
    """Read a CSV file of numbers: inputs first, the last ``n_outputs`` columns are targets.

    A first line that is not all numbers is taken as a header and skipped.
    """
    n_outputs = check.integer(n_outputs, "n_outputs", minimum=1)
    check.path(path)
    if not isinstance(delimiter, str) or not delimiter:
        raise TypeError(f"delimiter must be a non-empty string such as ','; got {delimiter!r}")
    try:
        with open(path, encoding="utf-8") as f:
            lines = [line for line in f.read().splitlines() if line.strip()]
    except UnicodeDecodeError:
        raise ValueError(f"path {str(path)!r} is not UTF-8 text") from None
    if lines and not _all_numbers(lines[0], delimiter):
        lines = lines[1:]
    if not lines:
        raise ValueError(f"path {str(path)!r} holds no rows of numbers")
    rows = []
    for number, line in enumerate(lines, start=1):
        cells = [cell.strip() for cell in line.split(delimiter)]
        try:
            rows.append([float(cell) for cell in cells])
        except ValueError:
            raise ValueError(
                f"path {str(path)!r}: data row {number} is not all numbers: {line!r}"
            ) from None
    widths = {len(row) for row in rows}
    if len(widths) != 1:
        raise ValueError(
            f"path {str(path)!r}: rows have different numbers of columns {sorted(widths)}"
        )
    width = widths.pop()
    if width <= n_outputs:
        raise ValueError(
            f"path {str(path)!r} has {width} column(s); with n_outputs={n_outputs} at least "
            f"{n_outputs + 1} are needed (inputs, then targets)"
        )
    data = np.array(rows)
    return from_arrays(data[:, :-n_outputs], data[:, -n_outputs:])


def _all_numbers(line: str, delimiter: str) -> bool:
    try:
        [float(cell) for cell in line.split(delimiter)]
    except ValueError:
        return False
    return True


def _numeric(value) -> bool:
    try:
        np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return True


def _shape(value) -> str:
    try:
        return f"shape {np.shape(value)}"
    except Exception:  # noqa: BLE001 - only describing a bad argument
        return type(value).__name__
