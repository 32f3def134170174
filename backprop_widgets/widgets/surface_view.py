"""What the network computes over its input space: the decision surface and each hidden unit.

For two inputs, ``DecisionSurface`` evaluates the network on a square grid over the data and
sends the output ŷ as an image (one byte a pixel), the level line between the two classes and
the data points; for one input it sends the fitted curve ŷ(x) over the data; for more, the
plane of two chosen inputs (``shown_inputs``) with the others held at their mean. For every
hidden neuron it sends the same picture of that neuron's activation a, drawn small and enlarged
on hover. A softmax output is shown by class (``class_surface.py``): the winning class of each
pixel, shaded by its probability, and a picture of each class's ŷ_k. Points can be drawn,
moved and removed when an owner listens (``on_draw``; the messages are checked in
``drawn_points.py``). Python computes every number; ``static/surface.js`` draws them.
"""

from __future__ import annotations

import asyncio
import time

import anywidget
import numpy as np
import traitlets

from ..engine import validation as check
from ..engine.mlp import MLP, check_data
from ..engine.probes import activations_over, level_line, line_grid, plane_grid
from ..notation import SUBSCRIPTS, node_name
from ..notation.numbers import json_number, text
from .class_surface import ClassPictures, to_bytes
from .drawn_points import check_point_message, in_inputs
from .fallback import Pictured, surface_picture
from .views import STATIC, esm

GRID = 60  # pixels a side of the 2-D images
CURVE_POINTS = 200  # points of the 1-D curves
MARGIN = 0.15  # of the data's extent, added on each side
MIN_INTERVAL = 0.2  # seconds between two updates asked for with request_update()
BOUNDED = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}  # ranges of bounded activations


def activation_name(layer: int, i: int) -> str:
    """The lecture's label of neuron i (0-based) of layer ``layer`` (0 = input): a²₁ etc."""
    return node_name("a", layer, i)


class DecisionSurface(Pictured, ClassPictures, anywidget.AnyWidget):
    """The network's output over its input space, with the data and each hidden unit's picture.

    Parameters
    ----------
    net : MLP
        The network; it is read, never changed. With 2 inputs the view is a heat map of ŷ over
        the plane, with 1 input the curve ŷ(x); other networks get a short explanation.
    X : array, shape (N, sizes[0])
        Training inputs, drawn filled.
    Y : array, shape (N, sizes[-1]) or (N,)
        Training targets: they colour the points (2-D) or place them (1-D).
    X_test, Y_test : arrays, optional
        A test set, drawn hollow; given together.
    output : int
        Which output neuron to show (0-based) when the network has several.
    min_interval : float
        Seconds between two updates asked for with ``request_update`` (training).

    Attributes
    ----------
    grid_points : ndarray, shape (GRID * GRID, 2)
        The 2-D grid, row by row from the top (largest x₂), x₁ increasing along a row.
    grid_values : ndarray, shape (GRID, GRID)
        ŷ at those points, ``grid_values.ravel()[m]`` at ``grid_points[m]``.
    hidden_values : list of ndarray
        Each hidden neuron's activation on the grid (2-D, shape (GRID, GRID)) or along
        ``curve_x`` (1-D, shape (CURVE_POINTS,)), layer by layer.
    curve_x, curve_values : ndarray, shape (CURVE_POINTS,)
        1-D: the inputs and the fitted ŷ.
    """

    _esm = esm("surface")
    _css = STATIC / "widgets.css"

    kind = traitlets.Unicode("none").tag(sync=True)  # "2d" or "1d" ("none" before the first)
    message = traitlets.Unicode("").tag(sync=True)
    output_label = traitlets.Unicode("ŷ").tag(sync=True)
    input_labels = traitlets.List(traitlets.Unicode(), ["x₁", "x₂"]).tag(sync=True)
    # 2-D: [x₁ min, x₁ max, x₂ min, x₂ max] of the grid; 1-D: [x min, x max]
    extent = traitlets.List([]).tag(sync=True)
    grid_size = traitlets.Int(GRID).tag(sync=True)
    image = traitlets.Bytes(b"").tag(sync=True)  # GRID² bytes, rows from the top
    value_range = traitlets.List([0.0, 1.0]).tag(sync=True)  # ŷ mapped to bytes 0 and 255
    level = traitlets.Float(0.5).tag(sync=True)
    contour = traitlets.List([]).tag(sync=True)  # [[x₁, x₂, x₁', x₂'], ...] where ŷ = level
    train = traitlets.List([]).tag(sync=True)  # 2-D: [[x₁, x₂, y], ...]; 1-D: [[x, y], ...]
    test = traitlets.List([]).tag(sync=True)
    curve = traitlets.List([]).tag(sync=True)  # 1-D: [[x, ŷ], ...]
    # [{"label": "a²₁", "layer": 1, "index": 0, "range": [lo, hi]}, ...]; in 1-D also
    # "values": a along the curve's x, rounded to a ten-thousandth of the range
    hidden = traitlets.List([]).tag(sync=True)
    hidden_images = traitlets.Bytes(b"").tag(sync=True)  # 2-D: GRID² bytes per hidden neuron
    updates = traitlets.Int(0).tag(sync=True)
    # More than two inputs: the two on the axes (0-based), the others held at their mean.
    n_inputs = traitlets.Int(2).tag(sync=True)
    shown_inputs = traitlets.List(traitlets.Int(), [0, 1]).tag(sync=True)
    held = traitlets.Unicode("").tag(sync=True)  # "x₃ = 0.5 held at its mean"
    # Drawing points (when an owner listens, ``on_draw``): the classes a new point may take on
    # the plane ([]: a number typed), and what the last gesture did or why it was refused.
    drawable = traitlets.Bool(False).tag(sync=True)
    draw_classes = traitlets.List([]).tag(sync=True)
    draw_message = traitlets.Unicode("").tag(sync=True)
    draw_error = traitlets.Bool(False).tag(sync=True)

    def __init__(
        self,
        net: MLP,
        X,
        Y,
        X_test=None,
        Y_test=None,
        output: int = 0,
        min_interval: float = MIN_INTERVAL,
        **kwargs,
    ) -> None:
        data = _check_data(net, X, Y, X_test, Y_test)
        output = check.integer(output, "output", minimum=0)
        if output >= net.sizes[-1]:
            raise ValueError(
                f"output must be an output neuron 0 … {net.sizes[-1] - 1}; got {output}"
            )
        min_interval = check.real(min_interval, "min_interval", minimum=0.0)
        super().__init__(**kwargs)
        self.output, self.min_interval = output, min_interval
        self._pending: asyncio.TimerHandle | None = None
        self._last_update = -np.inf
        self.grid_points = self.grid_values = self.curve_x = self.curve_values = None
        self.hidden_values: list[np.ndarray] = []
        self._on_draw = None
        self._resetting = False  # True while new data resets the shown inputs
        self._set_data(*data)
        self.update()
        self.on_msg(self._on_message)
        self.observe(lambda _: self._resetting or self.update(), "shown_inputs")

    # -- drawing ---------------------------------------------------------------------------

    _fallback_picture_ = surface_picture  # shown where no kernel runs (fallback.Pictured)

    def on_draw(self, callback, classes: list | None = None) -> None:
        """Let points be drawn: ``callback(edit: PointEdit)`` applies a checked gesture and
        returns what to say (raising ``ValueError`` to refuse it); a new point on the plane
        takes one of ``classes`` (None or []: any number)."""
        self._on_draw = callback
        self.draw_classes = [float(c) for c in classes or []]
        self.drawable = callback is not None

    def _on_message(self, _widget, msg, _buffers) -> None:
        if not isinstance(msg, dict) or msg.get("type") != "point" or self._on_draw is None:
            return
        counts = {"train": len(self.X), "test": len(self.X_test)}
        try:
            edit = check_point_message(msg, self.kind, self.extent, counts, self.draw_classes)
            if edit.x is not None and self.net.sizes[0] > 2:  # others: the mean, or as they were
                source = self.X if edit.set == "train" else self.X_test
                row = self._held if edit.action == "add" else source[edit.index]
                edit = in_inputs(edit, self.shown_inputs, row)
            said = self._on_draw(edit)
        except (TypeError, ValueError) as error:
            self.draw_message, self.draw_error = f"Refused: {error}", True
            return
        self.draw_message, self.draw_error = said or "", False

    @traitlets.validate("shown_inputs")
    def _valid_shown(self, proposal):
        pair, d = proposal["value"], self.n_inputs
        if len(pair) != 2 or pair[0] == pair[1] or not all(0 <= k < max(d, 2) for k in pair):
            raise traitlets.TraitError(
                f"shown_inputs must be two different inputs 0 … {d - 1}; got {pair!r}"
            )
        return list(pair)

    def _set_data(self, net, X, Y, X_test, Y_test) -> None:
        self.net, self.X, self.Y, self.X_test, self.Y_test = net, X, Y, X_test, Y_test
        if self.output >= net.sizes[-1]:
            self.output = 0
        d = net.sizes[0]
        if d != self.n_inputs:
            self._resetting = True
            try:
                self.n_inputs = d
                if max(self.shown_inputs) >= max(d, 2):
                    self.shown_inputs = [0, 1]
            finally:
                self._resetting = False
        targets = np.concatenate([Y[:, self.output], Y_test[:, self.output]])
        low, high = float(targets.min()), float(targets.max())
        if high - low < 1e-12:
            low, high = low - 0.5, high + 0.5
        self._range = self.class_range() if self.by_class else (low, high)
        inputs = np.concatenate([X, X_test])
        self._held = inputs.mean(axis=0)
        if d >= 2:
            self._grid = plane_grid(inputs[:, self.shown_inputs], GRID, MARGIN)
            self.grid_points = self._grid.points
        else:
            self._grid = line_grid(inputs, CURVE_POINTS, MARGIN)
            self.curve_x = self._grid.axes[0]

    # -- updates ---------------------------------------------------------------------------

    def update(self, net: MLP | None = None, X=None, Y=None, X_test=None, Y_test=None) -> None:
        """Recompute everything from the network's current weights and send it to the view.

        Given ``X`` and ``Y``, the data are replaced along with the test set (``X_test``,
        ``Y_test``; none when left out). Everything is checked before anything changes.
        """
        if X is None and Y is None:
            if X_test is not None or Y_test is not None:
                raise ValueError("X_test and Y_test can only be given with new X and Y")
            X, Y, X_test, Y_test = self.X, self.Y, self.X_test, self.Y_test
        self._set_data(*_check_data(self.net if net is None else net, X, Y, X_test, Y_test))
        self._cancel_pending()
        self._last_update = time.perf_counter()
        if self.net.sizes[0] >= 2:
            self._show_plane()
        else:
            self._show_line()

    def request_update(self) -> None:
        """Update now if the last update is at least ``min_interval`` seconds old, else once
        when it is (requests in between are merged). For calls from a training loop."""
        wait = self._last_update + self.min_interval - time.perf_counter()
        if wait <= 0:
            self.update()
            return
        if self._pending is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop to come back later: update now
            self.update()
            return
        self._pending = loop.call_later(wait, self._run_pending)

    def _run_pending(self) -> None:
        self._pending = None
        self.update()

    def _cancel_pending(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None

    # -- the pictures ----------------------------------------------------------------------

    def _hidden(self, a: list[np.ndarray]) -> tuple[list[dict], list[np.ndarray]]:
        """Each hidden neuron's activation over the grid, with its label and its colour range."""
        entries, values = [], []
        for layer in range(1, len(a) - 1):
            name = self.net.activation_of(layer).name
            for i in range(a[layer].shape[-1]):
                v = a[layer][..., i]
                low, high = BOUNDED.get(name, (float(np.nanmin(v)), float(np.nanmax(v))))
                if not high - low > 1e-12:
                    low, high = low - 0.5, high + 0.5
                entries.append(
                    {
                        "label": activation_name(layer, i),
                        "layer": layer,
                        "index": i,
                        "range": [low, high],
                    }
                )
                values.append(v)
        return entries, values

    def _points(self, X: np.ndarray, Y: np.ndarray) -> list:
        shown = self.shown_inputs if self.net.sizes[0] > 2 else slice(None)
        return np.c_[X[:, shown], self.target_values(Y, self.output)].tolist()

    def _common(self) -> None:
        self.message = ""
        self.output_label = self.output_words(self.output)
        self.value_range = list(self._range)
        self.level = (self._range[0] + self._range[1]) / 2
        self.train = self._points(self.X, self.Y)
        self.test = self._points(self.X_test, self.Y_test)
        self.updates += 1

    def _show_plane(self) -> None:
        several = self.net.sizes[0] > 2
        shown = self.shown_inputs if several else None
        a = activations_over(self.net, self._grid, shown, self._held)
        self.grid_values = a[-1][..., self.output]
        entries, self.hidden_values = self._hidden(a)
        low, high = self._range
        level = (low + high) / 2
        segments = level_line(self.grid_values, *self._grid.axes, level)
        with self.hold_sync():
            self.kind = "2d"
            self.input_labels = [_input_name(k) for k in self.shown_inputs]
            self.held = held_words(self.net.sizes[0], self.shown_inputs, self._held)
            self.extent = [float(v) for v in self._grid.box]
            self.grid_size = GRID
            self.image = to_bytes(self.grid_values, low, high)
            boundaries = self.show_classes(a[-1], *self._grid.axes)
            if boundaries is not None:
                segments = boundaries
            self.contour = np.round(segments, 5).tolist()
            self.curve = []
            self.hidden = entries
            self.hidden_images = b"".join(
                to_bytes(v, *entry["range"]) for v, entry in zip(self.hidden_values, entries)
            )
            self._common()

    def _show_line(self) -> None:
        a = activations_over(self.net, self._grid)
        self.curve_values = a[-1][..., self.output]
        entries, self.hidden_values = self._hidden(a)
        for entry, v in zip(entries, self.hidden_values):
            # A thumbnail is 60 px tall: a ten-thousandth of its range is plenty, and short.
            low, high = entry["range"]
            decimals = max(0, 4 - int(np.floor(np.log10(high - low))))
            entry["values"] = [json_number(x) for x in np.round(v, decimals)]
        self.grid_values = None
        with self.hold_sync():
            self.kind = "1d"
            self.input_labels = ["x"]
            self.held = ""
            self.extent = [float(v) for v in self._grid.box]
            self.image = b""
            self.classes = 0
            self.contour = []
            self.curve = [
                [float(x), json_number(y)] for x, y in zip(self.curve_x, self.curve_values)
            ]
            self.hidden = entries
            self.hidden_images = b""
            self._common()

    def __repr__(self) -> str:
        hidden = sum(self.net.sizes[1:-1])
        return (
            f"DecisionSurface(kind={self.kind!r}, MLP {self.net.sizes}, {len(self.X)} training "
            f"and {len(self.X_test)} test instances, {hidden} hidden neuron(s), "
            f"output={self.output})"
        )


def held_words(n_inputs: int, shown: list, held: np.ndarray) -> str:
    """Which inputs are held, and at what: "x₃ = 0.25 held at its mean"."""
    others = [k for k in range(n_inputs) if k not in shown]
    if not others:
        return ""
    values = ", ".join(f"{_input_name(k)} = {text(held[k])}" for k in others)
    return f"{values} held at {'its mean' if len(others) == 1 else 'their means'}"


def _input_name(k: int) -> str:
    """x₁, x₂, … for input k (0-based)."""
    return "x" + str(k + 1).translate(SUBSCRIPTS)


def _check_data(net, X, Y, X_test, Y_test) -> tuple:
    net, X, Y = check_data(net, X, Y)
    if (X_test is None) != (Y_test is None):
        raise ValueError("X_test and Y_test must be given together (or neither)")
    if X_test is None or (np.size(X_test) == 0 and np.size(Y_test) == 0):
        X_test, Y_test = X[:0], Y[:0]
    else:
        X_test, _ = check.inputs(X_test, net.sizes[0], "X_test")
        Y_test = check.targets(Y_test, X_test.shape[0], net.sizes[-1], "Y_test")
    return net, X, Y, X_test, Y_test
