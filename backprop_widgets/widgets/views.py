"""The browser-drawn views: thin anywidget classes whose traitlets are the synced state.

Python sets the numbers; the ES modules in ``static/`` draw them and report gestures back as
messages (``{"type": "select", "weight": "l,i,j"}``, ``{"type": "resize", ...}``), which the
playground validates before anything changes.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import numpy as np
import traitlets

from .fallback import Pictured, diagram_picture

STATIC = Path(__file__).parent.parent / "static"


def esm(name: str) -> str:
    """The ES module of the view ``static/<name>.js``, with ``static/helpers.js`` in front.

    The helpers (SVG and HTML element makers, number and tick formatting, a frame scheduler)
    are written once and shared this way, with no bundler: the two texts make one module.
    """
    helpers = (STATIC / "helpers.js").read_text(encoding="utf-8")
    view = (STATIC / f"{name}.js").read_text(encoding="utf-8")
    return f"{helpers}\n{view}"


class NetworkView(Pictured, anywidget.AnyWidget):
    """The network diagram (SVG): nodes with their activation, edges coloured by sign.

    Traits are layer-aligned like ``MLP.trace``: ``a[l]`` for layer l, ``z[l]`` with ``z[0]``
    empty; ``weights``/``biases``/``grad_weights``/``grad_biases`` like ``MLP.weights``.
    """

    _esm = esm("network")
    _css = STATIC / "widgets.css"

    sizes = traitlets.List(traitlets.Int(), [2, 2, 1]).tag(sync=True)
    bias = traitlets.Bool(True).tag(sync=True)
    weights = traitlets.List([]).tag(sync=True)
    biases = traitlets.List([]).tag(sync=True)
    grad_weights = traitlets.List([]).tag(sync=True)
    grad_biases = traitlets.List([]).tag(sync=True)
    a = traitlets.List([]).tag(sync=True)
    z = traitlets.List([]).tag(sync=True)
    instance_label = traitlets.Unicode("").tag(sync=True)
    # The instance (or the batch's first) whose a and z are drawn, as ``data-instance``; -1: none.
    instance = traitlets.Int(-1).tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    epoch = traitlets.Int(0).tag(sync=True)
    loss = traitlets.Float(0.0).tag(sync=True)
    editable = traitlets.Bool(True).tag(sync=True)
    max_neurons = traitlets.Int(8).tag(sync=True)
    # The step-through demo's notes: δ beside nodes (layer-aligned, [] where not shown yet),
    # Δθ (like weights/biases) in tables beside the diagram, the output's y, ŷ and E, the layer
    # being computed and the phase.
    root_class = traitlets.Unicode("bw-network").tag(sync=True)
    annotated = traitlets.Bool(False).tag(sync=True)
    delta = traitlets.List([]).tag(sync=True)
    dtheta = traitlets.List([]).tag(sync=True)
    dbias = traitlets.List([]).tag(sync=True)
    output_note = traitlets.Unicode("").tag(sync=True)
    focus_layer = traitlets.Int(-1).tag(sync=True)
    phase = traitlets.Unicode("").tag(sync=True)  # the demo's phase key ("dtheta", "update", …)
    # Seconds the edges take to move from the weights shown to new ones (0: at once), flashing
    # each edge by how much it changed: Step animates its update, slow play each of its own.
    tween = traitlets.Float(0.0).tag(sync=True)

    _fallback_picture_ = diagram_picture  # shown where no kernel runs (fallback.Pictured)


TAIL = 100  # points a curve grows by before it is sent again whole


def points_to_bytes(points: list) -> bytes:
    """``[[epoch, loss], …]`` as little-endian float64 pairs: a binary buffer, with no JSON to
    encode or walk (the curve is sent up to 60 times a second while training plays)."""
    return np.asarray(points, dtype="<f8").reshape(-1, 2).tobytes()


class LossView(anywidget.AnyWidget):
    """The live loss curve (SVG): training and test loss against epochs.

    ``train`` and ``test`` are lists of ``[epoch, loss]`` pairs, kept short by
    ``history.LossHistory``; ``log_scale`` is two-way (a checkbox in the view). ``title`` names
    the loss ("cross-entropy E over epochs"); ``accuracy`` is the share classified right,
    ``[train, test]`` (None where there is none), written out in ``accuracy_text`` beside the
    title (``.bw-accuracy``).

    Each curve reaches the page in two binary buffers of float64 pairs, ``<name>_head`` and
    ``<name>_tail``, drawn one after the other: while a curve only grows, only its new points
    (the tail, at most ``TAIL``) are sent; when it changes otherwise (thinned out, restarted, a
    point replaced) or the tail is full, it is sent whole as the head.
    """

    _esm = esm("loss")
    _css = STATIC / "widgets.css"

    train = traitlets.List([])
    test = traitlets.List([])
    train_head = traitlets.Bytes(b"").tag(sync=True)
    train_tail = traitlets.Bytes(b"").tag(sync=True)
    test_head = traitlets.Bytes(b"").tag(sync=True)
    test_tail = traitlets.Bytes(b"").tag(sync=True)
    log_scale = traitlets.Bool(False).tag(sync=True)
    title = traitlets.Unicode("squared error E over epochs").tag(sync=True)
    accuracy = traitlets.List([]).tag(sync=True)
    accuracy_text = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs) -> None:
        self._heads: dict[str, list] = {"train": [], "test": []}
        super().__init__(**kwargs)

    @traitlets.observe("train", "test")
    def _send_curve(self, change) -> None:
        name, points = change["name"], change["new"]
        head = self._heads[name]
        grows = len(head) <= len(points) <= len(head) + TAIL and points[: len(head)] == head
        if grows:
            setattr(self, f"{name}_tail", points_to_bytes(points[len(head) :]))
            return
        self._heads[name] = [list(point) for point in points]
        with self.hold_sync():
            setattr(self, f"{name}_head", points_to_bytes(points))
            setattr(self, f"{name}_tail", b"")
