"""The engine, in NumPy: the network, its training, its data, and the numbers the views show.

Nothing here knows about widgets, the browser or SymPy.
"""

from . import datasets
from .activations import ACTIVATIONS, Activation, get_activation, sigmoid
from .mlp import MLP, Trace
from .perceptron import Perceptron
from .validation import DivergenceError

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "Activation",
    "DivergenceError",
    "Perceptron",
    "Trace",
    "datasets",
    "get_activation",
    "sigmoid",
]
