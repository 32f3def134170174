"""Points drawn on the decision surface: the browser's messages, checked before anything changes.

The surface (``static/surface.js``) sends one message per gesture::

    {"type": "point", "action": "add", "x": [x₁, x₂], "target": 1}     click on the plane
    {"type": "point", "action": "add", "x": [x], "target": y}          click on the 1-D plot
    {"type": "point", "action": "move", "set": "train", "index": 3, "x": [x₁, x₂]}
    {"type": "point", "action": "move", "set": "train", "index": 3, "x": [x], "target": y}
    {"type": "point", "action": "remove", "set": "test", "index": 0}   alt-click, or erase mode
    {"type": "point", "action": "clear"}                                the clear button

``check_point_message`` turns one into a ``PointEdit`` or raises ``ValueError`` saying what is
wrong; whoever owns the data applies it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ACTIONS = ("add", "move", "remove", "clear")
SETS = ("train", "test")


@dataclass(frozen=True)
class PointEdit:
    """One checked gesture: ``x`` on the shown axes (data units), ``target`` for a new point,
    ``set`` and ``index`` of the point moved or removed."""

    action: str
    x: tuple[float, ...] | None = None
    target: float | None = None
    set: str | None = None
    index: int | None = None


def _number(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number; got {value!r}")
    return float(value)


def _place(msg: dict, kind: str, extent: list) -> tuple[float, ...]:
    """The point's coordinates, inside the plot (the message's "x")."""
    x = msg.get("x")
    width = 2 if kind == "2d" else 1
    if not isinstance(x, list) or len(x) != width:
        raise ValueError(f"a point on this plot has {width} coordinate(s); got {x!r}")
    place = tuple(_number(v, "a point's coordinate") for v in x)
    for k, v in enumerate(place):
        low, high = extent[2 * k], extent[2 * k + 1]
        if not low <= v <= high:
            raise ValueError(
                f"a drawn point must lie inside the plot: {v:.4g} is outside {low:.4g} … {high:.4g}"
            )
    return place


def check_point_message(
    msg: object, kind: str, extent: list, counts: dict, classes: list
) -> PointEdit:
    """A drawing message checked against the plot: its ``kind`` ("2d" or "1d"), ``extent``
    (as ``DecisionSurface.extent``), the points of each set (``counts``: {"train": N, "test":
    M}) and the classes a new point may take on the plane ([] when any number may)."""
    if not isinstance(msg, dict) or msg.get("action") not in ACTIONS:
        raise ValueError(f"a drawing message must have an action, one of {list(ACTIONS)}")
    if kind not in ("2d", "1d"):
        raise ValueError("points can be drawn only on a plot of one or two inputs")
    action = msg["action"]
    if action == "clear":
        return PointEdit("clear")
    if action == "add":
        x = _place(msg, kind, extent)
        target = _number(msg.get("target"), "a new point's target")
        if kind == "2d" and classes and target not in classes:
            raise ValueError(f"a new point's class must be one of {classes}; got {target:g}")
        return PointEdit("add", x=x, target=target)
    which, index = msg.get("set"), msg.get("index")
    if which not in SETS:
        raise ValueError(f"a point's set must be one of {list(SETS)}; got {which!r}")
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < counts[which]:
        raise ValueError(
            f"no {which} point {index!r}: there are {counts[which]} (0 … {counts[which] - 1})"
        )
    if action == "remove":
        return PointEdit("remove", set=which, index=index)
    # On the 1-D plot a point is (x, y): moving it moves its target too.
    target = _number(msg.get("target"), "a point's target") if kind == "1d" else None
    return PointEdit("move", x=_place(msg, kind, extent), target=target, set=which, index=index)


def in_inputs(edit: PointEdit, shown: list, row) -> PointEdit:
    """A gesture on the plane of two of many inputs with ``x`` made a whole input vector: the
    shown inputs where it was drawn, the others as in ``row`` (their mean, or the moved
    point's own values)."""
    x = [float(v) for v in row]
    for k, v in zip(shown, edit.x):
        x[k] = v
    return PointEdit(edit.action, tuple(x), edit.target, edit.set, edit.index)
