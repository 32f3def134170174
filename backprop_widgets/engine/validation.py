"""Checks for arguments at the public boundary.

Every public call converts and checks its arguments here before it touches any state, so a bad
argument raises ``ValueError``/``TypeError`` naming the argument and what was expected, and
nothing has changed. Inner loops trust what these functions return.
"""

from __future__ import annotations

import json
import numbers
import os

import numpy as np

from ..notation.address import Parameter


class DivergenceError(FloatingPointError):
    """Training produced a non-finite value; the parameters were kept at their last finite
    values.

    Attributes
    ----------
    history : list of float
        From ``MLP.fit``: the loss after each epoch completed before the one that diverged.
    updates : int
        From ``MLP.fit``: the updates kept in the epoch that diverged.
    """

    def __init__(self, message: str, history: list | None = None, updates: int = 0) -> None:
        super().__init__(message)
        self.history = [] if history is None else list(history)
        self.updates = updates


def _is_integer(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def integer(value: object, name: str, minimum: int | None = None) -> int:
    """An ``int`` (NumPy integers allowed, ``bool`` refused) not below ``minimum``."""
    if not _is_integer(value):
        raise TypeError(f"{name} must be an integer; got {value!r} ({type(value).__name__})")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value}")
    return value


def real(
    value: object, name: str, *, positive: bool = False, minimum: float | None = None
) -> float:
    """A finite real number; ``positive`` refuses 0 and below, ``minimum`` sets a bound."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r} ({type(value).__name__})")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {value}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be a number > 0; got {value}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be a number >= {minimum}; got {value}")
    return value


def learning_rate(value: object, name: str = "learning_rate") -> float:
    """The learning rate η: a finite number > 0."""
    return real(value, name, positive=True)


def sizes(value: object, name: str = "sizes") -> list[int]:
    """Layer sizes: a sequence of at least two positive integers."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(
            f"{name} must be a list of layer sizes such as [2, 2, 1]; got {type(value).__name__}"
        )
    items = list(value)
    if len(items) < 2:
        raise ValueError(
            f"{name} must list at least 2 layers (input and output), such as [2, 1]; got {items}"
        )
    result = []
    for k, item in enumerate(items):
        if not _is_integer(item):
            raise TypeError(f"{name}[{k}] must be an integer number of neurons; got {item!r}")
        if item < 1:
            raise ValueError(f"{name}[{k}] must be at least 1 neuron; got {item}")
        result.append(int(item))
    return result


def numeric_array(value: object, name: str) -> np.ndarray:
    """``value`` as a float64 array of real numbers (not complex, not strings)."""
    try:
        raw = np.asarray(value)
        if np.iscomplexobj(raw):
            raise TypeError(f"{name} must be an array of real numbers; got complex numbers")
        if raw.dtype.kind in "US":
            raise TypeError(f"{name} must be an array of numbers; got text")
        return np.asarray(raw, dtype=float)
    except ValueError:
        raise TypeError(
            f"{name} must be an array of numbers with rectangular shape; got {type(value).__name__}"
        ) from None
    except TypeError as error:
        if str(error).startswith(name):
            raise
        raise TypeError(f"{name} must be an array of numbers; got {type(value).__name__}") from None


def fit_options(n: int, eta, epochs, batch_size, shuffle, shuffle_seed, target_loss) -> tuple:
    """``MLP.fit``'s options for N = ``n`` instances, checked: (η, epochs, batch size (N for
    None, full batch), shuffle, shuffle seed, target loss)."""
    eta = learning_rate(eta)
    epochs = integer(epochs, "epochs", minimum=0)
    batch_size = integer(n if batch_size is None else batch_size, "batch_size", minimum=1)
    shuffle = boolean(shuffle, "shuffle")
    if shuffle_seed is not None:
        shuffle_seed = integer(shuffle_seed, "shuffle_seed", minimum=0)
    if target_loss is not None:
        target_loss = real(target_loss, "target_loss", minimum=0.0)
    return eta, epochs, batch_size, shuffle, shuffle_seed, target_loss


def path(value: object, name: str = "path") -> object:
    """A file path: ``str`` or ``os.PathLike``."""
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a str or os.PathLike file path; got {value!r}")
    return value


def _finite(array: np.ndarray, name: str) -> None:
    """Refuse NaN and inf, naming the first one's row and column (counted from 0)."""
    if not np.all(np.isfinite(array)):
        at = tuple(int(k) for k in np.argwhere(~np.isfinite(array))[0])
        where = ", ".join(map(str, at))
        raise ValueError(
            f"{name} must contain only finite numbers; {name}[{where}] is {array[at]}"
            + (f" (row {at[0]}, column {at[1]}, counting from 0)" if len(at) == 2 else "")
        )


def inputs(X: object, n_inputs: int, name: str = "X") -> tuple[np.ndarray, bool]:
    """Inputs as a float64 array of shape (N, n_inputs), N >= 1.

    Returns the array and whether one instance of shape (n_inputs,) was given.
    """
    array = numeric_array(X, name)
    single = array.ndim == 1
    if single:
        array = array[None, :]
    if array.ndim != 2 or array.shape[1] != n_inputs:
        raise ValueError(
            f"{name} must have shape (N, {n_inputs}) or ({n_inputs},); got shape {np.shape(X)}"
        )
    if array.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one instance; got an empty batch")
    _finite(array, name)
    return array, single


def targets(Y: object, n_instances: int, n_outputs: int, name: str = "Y") -> np.ndarray:
    """Targets as a float64 array of shape (N, n_outputs).

    Accepts (N, n_outputs); (N,) when n_outputs is 1; (n_outputs,) for one instance.
    """
    array = numeric_array(Y, name)
    if array.ndim == 1 and n_outputs == 1 and array.shape[0] == n_instances:
        array = array[:, None]
    elif array.ndim == 1 and n_instances == 1 and array.shape[0] == n_outputs:
        array = array[None, :]
    if array.shape != (n_instances, n_outputs):
        raise ValueError(
            f"{name} must have shape ({n_instances}, {n_outputs}), one row of {n_outputs} "
            f"target(s) for each of the {n_instances} instance(s); got shape {np.shape(Y)}"
        )
    _finite(array, name)
    return array


def one_hot(labels: object, n_classes: int, name: str = "Y") -> np.ndarray:
    """Class labels 0 … K−1 (shape (N,)) as one-hot rows (N, K)."""
    array = numeric_array(labels, name)
    _finite(array, name)
    bad = np.flatnonzero((array != np.round(array)) | (array < 0) | (array >= n_classes))
    if len(bad):
        raise ValueError(
            f"{name} as class labels must be whole numbers 0 … {n_classes - 1}; "
            f"{name}[{bad[0]}] is {array[bad[0]]:g}"
        )
    return np.eye(n_classes)[array.astype(int)]


def one_hot_rows(Y: np.ndarray, name: str = "Y") -> None:
    """Rows of a softmax's targets: one 1 and the rest 0 (one class per instance)."""
    values = np.flatnonzero(~np.isin(Y, (0.0, 1.0)).all(axis=1))
    sums = np.flatnonzero(Y.sum(axis=1) != 1.0)
    if len(values) or len(sums):
        row = int(min(np.r_[values, sums]))
        raise ValueError(
            f"{name} for a softmax output must be one-hot rows (one 1, the rest 0) or class "
            f"labels 0 … {Y.shape[1] - 1}; row {row} is {Y[row].tolist()}"
        )


def probabilities(Y: np.ndarray, name: str = "Y") -> None:
    """Targets of cross-entropy on a sigmoid output: probabilities, in [0, 1]."""
    outside = np.argwhere((Y < 0) | (Y > 1))
    if len(outside):
        row, column = (int(k) for k in outside[0])
        raise ValueError(
            f"{name} for cross-entropy on a sigmoid output must lie in [0, 1] (probabilities); "
            f"{name}[{row}, {column}] is {Y[row, column]:g}"
        )


def instance(x: object, y: object, sizes: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """One instance as arrays of shape (1, sizes[0]) and (1, sizes[-1]); ``y`` may be a number
    when there is one output."""
    X, single = inputs(x, sizes[0], "x")
    if not single:
        raise ValueError(f"x must be one instance of shape ({sizes[0]},); got shape {np.shape(x)}")
    return X, targets(np.atleast_1d(numeric_array(y, "y")), 1, sizes[-1], "y")


def boolean(value: object, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def read_json(value: object, name: str = "path") -> object:
    """The JSON in the UTF-8 file at ``value``; a file that is not UTF-8 JSON raises
    ``ValueError`` naming it."""
    path(value, name)
    try:
        with open(value, encoding="utf-8") as f:
            return json.load(f)
    except UnicodeDecodeError:
        raise ValueError(f"{name} {str(value)!r} is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{name} {str(value)!r} is not valid JSON: {error}") from None


def parameter(sizes: list[int], bias: bool, l, i, j) -> Parameter:
    """A parameter address checked against a network's ``sizes`` and ``bias``: (l, i, j) for
    weights[l][i, j], or (l, i, "bias") for biases[l][i]."""
    n_weights = len(sizes) - 1
    l = integer(l, "l")
    if not 0 <= l < n_weights:
        raise ValueError(
            f"l must be a weight layer 0 … {n_weights - 1} (weights[l] connects layer l to "
            f"l+1); got {l}"
        )
    i = integer(i, "i")
    if not 0 <= i < sizes[l + 1]:
        raise ValueError(
            f"i must be a node index 0 … {sizes[l + 1] - 1} of the layer weights[{l}] "
            f"leads to (layer {l + 2} as the lecture counts); got {i}"
        )
    if isinstance(j, str):
        if j != "bias":
            raise ValueError(f'j must be a node index or "bias"; got {j!r}')
        if not bias:
            raise ValueError('j="bias" names a bias weight, but this network has bias=False')
        return Parameter(l, i, "bias")
    j = integer(j, "j")
    if not 0 <= j < sizes[l]:
        raise ValueError(
            f"j must be a node index 0 … {sizes[l] - 1} of the layer weights[{l}] "
            f'comes from (layer {l + 1} as the lecture counts), or "bias"; got {j}'
        )
    return Parameter(l, i, j)
