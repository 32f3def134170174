"""The exercise sheet's givens: its networks, instances and learning rate, and ``describe``,
which writes them out in the lecture's notation.

Every expected answer is computed from these by the engine (``worked()`` traces the sheet's
network on its instance), never typed in.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..engine.mlp import MLP, Trace
from ..notation import node_name, subscript, superscript, theta_name
from ..notation.formulas import ACTIVATIONS
from ..notation.numbers import text as number_text
from ..notation.numbers import vector_text as values_text

LEARNING_RATE = 2.0  # η of the sheet (exercises 7 and 8)
DIVERGENCE_EPOCHS = 100  # how long exercise 10 trains


def network(output_activation: str = "sigmoid") -> MLP:
    """The sheet's network: the lecture's [2, 2, 1] sigmoid MLP with round-number weights.

    ``output_activation="linear"`` gives the same network with a linear output unit (ŷ = z³),
    whose error has no ceiling: exercise 10 uses it to show divergence.
    """
    net = MLP([2, 2, 1], activation="sigmoid", output_activation=output_activation, seed=0)
    net.weights[0][...] = [[0.4, 0.7], [-0.6, 0.5]]
    net.biases[0][...] = [0.1, 0.2]
    net.weights[1][...] = [[1.2, -0.8]]
    net.biases[1][...] = [-0.3]
    return net


def instance() -> tuple[np.ndarray, np.ndarray]:
    """The sheet's training instance (x, y): XOR's (1, 0) → 1. Shapes (2,) and (1,)."""
    return np.array([1.0, 0.0]), np.array([1.0])


def deep_network() -> MLP:
    """The network of exercise 11: [2, 2, 2, 1], sigmoid, so every hidden δ sums over two
    nodes of the layer above."""
    net = MLP([2, 2, 2, 1], activation="sigmoid", seed=0)
    net.weights[0][...] = [[0.5, -0.4], [0.9, 0.3]]
    net.biases[0][...] = [0.1, -0.2]
    net.weights[1][...] = [[0.8, -1.1], [-0.6, 0.7]]
    net.biases[1][...] = [0.3, -0.1]
    net.weights[2][...] = [[1.3, -0.9]]
    net.biases[2][...] = [0.2]
    return net


def deep_instance() -> tuple[np.ndarray, np.ndarray]:
    """Exercise 11's instance (x, y): XOR's (1, 1) → 0."""
    return np.array([1.0, 1.0]), np.array([0.0])


class Worked(NamedTuple):
    """The sheet worked out by the engine: its network, instance (x, y) and trace at η."""

    net: MLP
    x: np.ndarray
    y: np.ndarray
    trace: Trace


def worked() -> Worked:
    """The sheet's network traced on its instance with the sheet's learning rate."""
    net = network()
    x, y = instance()
    return Worked(net, x, y, net.trace(x, y, LEARNING_RATE))


def node_names(symbol: str, l: int, n: int) -> list[str]:
    """The names of the n nodes of Python layer ``l``: ["z²₁", "z²₂"] for ("z", 1, 2)."""
    return [node_name(symbol, l, i) for i in range(n)]


def activation_text(name: str) -> str:
    """The activation ``name`` for a sentence: "the sigmoid, g(z) = …, g'(z) = …"."""
    return ACTIVATIONS[name].description


def describe(net: MLP | None = None, x=None, y=None, learning_rate: float | None = None) -> str:
    """The given numbers of an exercise, in the lecture's notation (the sheet's by default)."""
    if net is None:
        net = network()
        x, y = instance() if x is None else (x, y)
        learning_rate = LEARNING_RATE if learning_rate is None else learning_rate
    roles = ["input"] + ["hidden"] * (net.n_layers - 2) + ["output"]
    layers = ", ".join(
        f"{l + 1} ({role}, {n} node{'s' if n > 1 else ''})"
        for l, (role, n) in enumerate(zip(roles, net.sizes))
    )
    lines = [f"Layers: {layers}."]
    if net.bias:
        units = " = ".join(f"a{superscript(l + 1)}₀" for l in range(net.n_layers - 1))
        lines.append(f"Bias units: {units} = 1.")
    lines.append("Weights θˡᵢⱼ connect node j of layer l to node i of layer l+1 (j = 0: bias):")
    for l, W in enumerate(net.weights):
        for i in range(W.shape[0]):
            cells = [(theta_name(l, i, "bias"), net.biases[l][i])] if net.bias else []
            cells += [(theta_name(l, i, j), W[i, j]) for j in range(W.shape[1])]
            lines.append("  " + "".join(f"{name} = {number_text(v):<8}" for name, v in cells))
    if net.activation == net.output_activation:
        lines.append(f"Activation g: {activation_text(net.activation)}.")
    else:
        lines.append(f"Hidden activation g: {activation_text(net.activation)}.")
        lines.append(f"Output activation g: {activation_text(net.output_activation)}.")
    if x is not None:
        x = np.atleast_1d(np.asarray(x, dtype=float))
        y = np.atleast_1d(np.asarray(y, dtype=float))
        names = ", ".join(f"x{subscript(k + 1)}" for k in range(x.size))
        target = values_text(y[0] if y.size == 1 else y)
        lines.append(f"Instance: x = ({names}) = {values_text(x)}, target y = {target}.")
    if learning_rate is not None:
        lines.append(f"Learning rate: η = {number_text(learning_rate)}.")
    return "\n".join(lines)
