"""backprop_widgets: Jupyter widgets that teach how multi-layer perceptrons learn.

The engine (``MLP``, ``Perceptron``, ``datasets``) needs only NumPy and is imported here; the
widgets and the SymPy derivations are imported when first used, so ``import backprop_widgets``
stays quick.
"""

from . import datasets
from .activations import ACTIVATIONS, sigmoid
from .mlp import MLP, Trace
from .perceptron import Perceptron
from .validation import DivergenceError

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "DivergenceError",
    "Perceptron",
    "Trace",
    "datasets",
    "derive",
    "sigmoid",
]


def derive(*args, **kwargs):
    """``backprop_widgets.symbolic.derive``, imported (with SymPy) on first use."""
    from .symbolic import derive as _derive

    return _derive(*args, **kwargs)


def __getattr__(name: str):
    # Widgets pull in ipywidgets and anywidget: import them only when asked for.
    if name in {"Playground"}:
        from . import playground

        return getattr(playground, name)
    raise AttributeError(f"module 'backprop_widgets' has no attribute {name!r}")
