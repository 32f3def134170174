"""Your own data: arrays, a pandas DataFrame or a CSV file, checked into ``(X, Y)``.

Every reader returns float64 arrays, X of shape (N, n_inputs) and Y of shape (N, n_outputs),
or raises ``ValueError``/``TypeError`` naming what is wrong: the argument, the row and column
of a NaN, the column that is not numeric. pandas is not a dependency: a DataFrame is read
through its ``columns`` and ``to_numpy``, whatever made it.
"""

from __future__ import annotations

import math
from os import PathLike

import numpy as np

from . import validation as check

Data = tuple[np.ndarray, np.ndarray]

# What each output activation can reach, and how the lecture writes it: a target outside can
# never be matched, so the loss can never reach 0 and training pushes z towards ±∞.
REACHABLE = {
    "sigmoid": (0.0, 1.0, "a sigmoid output ŷ = 1/(1 + e^(−z))"),
    "tanh": (-1.0, 1.0, "a tanh output ŷ = tanh z"),
    "relu": (0.0, math.inf, "a relu output ŷ = max(0, z)"),
}


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


def is_frame(value: object) -> bool:
    """Whether ``value`` looks like a pandas DataFrame (named columns, ``to_numpy``)."""
    return hasattr(value, "columns") and hasattr(value, "to_numpy") and hasattr(value, "dtypes")


def from_frame(frame, target) -> Data:
    """X from a DataFrame's columns but ``target`` (a column name, or a list of them), Y from
    the ``target`` column(s); every column must be numeric."""
    if not is_frame(frame):
        raise TypeError(
            f"target names columns of a pandas DataFrame X; X is a {type(frame).__name__}"
        )
    columns = list(frame.columns)
    targets = [target] if isinstance(target, str) else target
    if not isinstance(targets, (list, tuple)) or not targets:
        raise TypeError(f"target must be a column name or a list of them; got {target!r}")
    missing = [name for name in targets if name not in columns]
    if missing:
        raise ValueError(f"target: no column {missing[0]!r} in X; its columns are {columns}")
    inputs = [name for name in columns if name not in targets]
    if not inputs:
        raise ValueError(f"X has no input column left once the target {targets} is taken out")
    return from_arrays(_numeric_columns(frame, inputs, "X"), _numeric_columns(frame, targets, "Y"))


def _numeric_columns(frame, names: list, argument: str) -> np.ndarray:
    for name in names:
        try:
            np.asarray(frame[name].to_numpy(), dtype=float)
        except (TypeError, ValueError):
            raise ValueError(
                f"{argument}: column {name!r} is not numeric (dtype {frame[name].dtype}); "
                "convert it to numbers or drop it"
            ) from None
    return np.asarray(frame[names].to_numpy(), dtype=float)


def from_csv(path: str | PathLike, n_outputs: int = 1, delimiter: str = ",") -> Data:
    """Read a CSV file of numbers: inputs first, the last ``n_outputs`` columns are targets.

    A first line that is not all numbers is taken as a header and skipped.
    """
    n_outputs = check.integer(n_outputs, "n_outputs", minimum=1)
    check.path(path)
    _check_delimiter(delimiter)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except UnicodeDecodeError:
        raise ValueError(f"path {str(path)!r} is not UTF-8 text") from None
    return from_csv_text(text, n_outputs, delimiter, where=f"path {str(path)!r}")


def from_csv_text(
    text: str, n_outputs: int = 1, delimiter: str = ",", where: str = "the CSV text"
) -> Data:
    """The same as ``from_csv`` for the text of a file (an upload); ``where`` names it in
    the messages."""
    n_outputs = check.integer(n_outputs, "n_outputs", minimum=1)
    _check_delimiter(delimiter)
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}")
    lines = [line for line in text.splitlines() if line.strip()]
    header = None
    if lines and not _all_numbers(lines[0], delimiter):
        header = [cell.strip() for cell in lines[0].split(delimiter)]
        lines = lines[1:]
    if not lines:
        raise ValueError(f"{where} holds no rows of numbers")
    rows = []
    for number, line in enumerate(lines, start=1):
        cells = [cell.strip() for cell in line.split(delimiter)]
        try:
            rows.append([float(cell) for cell in cells])
        except ValueError:
            column = next(c for c, cell in enumerate(cells) if not _is_number(cell))
            name = header[column] if header and column < len(header) else f"{column + 1}"
            held = f"holds {cells[column]!r}" if cells[column] else "is empty"
            raise ValueError(
                f"{where}: data row {number} is not all numbers: column {name!r} {held}"
            ) from None
    widths = {len(row) for row in rows}
    if len(widths) != 1:
        raise ValueError(f"{where}: rows have different numbers of columns {sorted(widths)}")
    width = widths.pop()
    if width <= n_outputs:
        raise ValueError(
            f"{where} has {width} column(s); with n_outputs={n_outputs} at least "
            f"{n_outputs + 1} are needed (inputs, then targets)"
        )
    data = np.array(rows)
    return from_arrays(data[:, :-n_outputs], data[:, -n_outputs:])


def check_reachable(Y: np.ndarray, output_activation: str, name: str = "Y") -> None:
    """Refuse targets the output activation can never produce (y = 2 for a sigmoid output),
    naming the first such row and saying why."""
    if output_activation not in REACHABLE:
        return
    low, high, output = REACHABLE[output_activation]
    outside = np.argwhere((Y < low) | (Y > high))
    if not len(outside):
        return
    row, column = (int(k) for k in outside[0])
    bounds = f"[{low:g}, {high:g}]" if math.isfinite(high) else f"[{low:g}, ∞)"
    raise ValueError(
        f"{name}[{row}, {column}] = {Y[row, column]:g} lies outside {bounds}: {output} can "
        f"never reach it. Scale the targets into {bounds} or choose output_activation='linear'"
    )


def _check_delimiter(delimiter: object) -> None:
    if not isinstance(delimiter, str) or not delimiter:
        raise TypeError(f"delimiter must be a non-empty string such as ','; got {delimiter!r}")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _all_numbers(line: str, delimiter: str) -> bool:
    return all(_is_number(cell) for cell in line.split(delimiter))


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
