"""backprop_widgets: Jupyter widgets that teach how multi-layer perceptrons learn.

The engine (``MLP``, ``Perceptron``, ``datasets``) needs only NumPy and is imported here; the
widgets and the SymPy derivations are imported when first used, so ``import backprop_widgets``
stays quick.
"""

from .engine import (
    ACTIVATIONS,
    MLP,
    DivergenceError,
    Perceptron,
    Trace,
    datasets,
    sigmoid,
)

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "DecisionSurface",
    "DeltaQuiz",
    "ErrorSlice",
    "Playground",
    "StepThrough",
    "MLP",
    "DivergenceError",
    "Perceptron",
    "Trace",
    "datasets",
    "derive",
    "show",
    "sigmoid",
]


def show(widget) -> None:
    """``backprop_widgets.widgets.fallback.show``: display any widget (a box of your own with
    views in it) after a picture of it for where no kernel runs."""
    from .widgets.fallback import show as _show

    _show(widget)


def derive(*args, **kwargs):
    """``backprop_widgets.symbolic.derive``, imported (with SymPy) on first use."""
    from .symbolic import derive as _derive

    return _derive(*args, **kwargs)


# Widgets pull in ipywidgets and anywidget (and sometimes matplotlib): import them only when
# asked for, so that importing the engine stays quick.
_WIDGETS = {
    "Playground": "widgets.playground",
    "StepThrough": "widgets.demo",
    "ErrorSlice": "widgets.slice_view",
    "DecisionSurface": "widgets.surface_view",
    "DeltaQuiz": "widgets.delta_quiz",
}


def __getattr__(name: str):
    if name in _WIDGETS:
        import importlib

        return getattr(importlib.import_module(f".{_WIDGETS[name]}", __name__), name)
    raise AttributeError(f"module 'backprop_widgets' has no attribute {name!r}")
