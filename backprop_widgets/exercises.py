"""The exercise sheet, as students use it: ``from backprop_widgets import exercises as ex``.

Everything of the teaching layer's sheet (``teaching.exercises``: ``check_<name>``,
``assert_<name>``, ``hint_<name>``, ``describe``, ``network`` …), and the two exercises drawn as
widgets, ``diagram`` and ``delta_quiz``. This module sits above the layers, so it may use both;
no layer imports it.
"""

from __future__ import annotations

import numpy as np

from .engine.mlp import MLP
from .teaching.exercises import *  # noqa: F403 - the sheet's API, listed in its __all__
from .teaching.exercises import __all__ as _sheet
from .teaching.sheet import deep_instance, deep_network, instance, network

__all__ = [*_sheet, "delta_quiz", "diagram"]


def diagram(net: MLP | None = None, x=None):
    """A network drawn as in the playground (hover an edge for its θ, a node for its name),
    the sheet's with its instance by default; the input layer shows ``x``."""
    from .widgets.views import NetworkView

    if net is None:
        net = network()
        x = instance()[0] if x is None else x
    a = [np.asarray(x, dtype=float).tolist()] if x is not None else []
    return NetworkView(
        sizes=net.sizes,
        bias=net.bias,
        weights=[W.tolist() for W in net.weights],
        biases=[b.tolist() for b in net.biases],
        a=a,
        editable=False,
        root_class="bw-exercise-network",
        layout={"max_width": "640px"},
    )


def delta_quiz():
    """Exercise 11 on the diagram: a ``DeltaQuiz`` of ``deep_network()`` for
    ``deep_instance()``."""
    from .widgets.delta_quiz import DeltaQuiz

    return DeltaQuiz(deep_network(), *deep_instance())
