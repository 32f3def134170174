"""Two exercises beyond the lecture (``notebooks/04_beyond_the_lecture.ipynb``): several classes,
a softmax output trained with cross-entropy.

They are declared as the sheet's are (``exercises.Exercise``, in a registry of their own,
``BEYOND``, numbered 1 and 2 in that notebook), and the same four functions are made from each:
``check_<name>``, ``assert_<name>``, ``grade_<name>`` and ``hint_<name>``. The right answers come
from the engine's trace of ``network()`` on ``instance()``; the likely mistakes are the
catalogue's (``mistakes.delta_mistakes``: under cross-entropy, the wrong sign and a g' that
cancelled) and this module's, for the gradient.

    from backprop_widgets.teaching import beyond
    beyond.check_softmax_delta([0.1, -0.2, 0.1])
"""

from __future__ import annotations

import numpy as np

from ..engine.mlp import MLP
from ..notation import formulas, theta_name
from . import exercises
from .answers import Expected, Verdict, likely_mistake, read_and_judge
from .exercises import Exercise
from .mistakes import delta_mistakes
from .sheet import Worked, node_names
from .sheet import describe as describe_net

PARAMETER = (1, 1, 0)  # θ²₂₁: from hidden node 1 to output node 2 (0-based l, i, j)


def network() -> MLP:
    """The network of these exercises: [2, 2, 3], sigmoid hidden layer (the sheet's), a softmax
    output of three classes trained with cross-entropy, round-number weights."""
    net = MLP([2, 2, 3], "sigmoid", "softmax", seed=0, loss="cross_entropy")
    net.weights[0][...] = [[0.4, 0.7], [-0.6, 0.5]]
    net.biases[0][...] = [0.1, 0.2]
    net.weights[1][...] = [[1.2, -0.8], [-0.5, 0.9], [0.3, 0.4]]
    net.biases[1][...] = [-0.3, 0.1, 0.0]
    return net


def instance() -> tuple[np.ndarray, np.ndarray]:
    """The instance (x, y): x = (1, 0) of class 2, y = (0, 1, 0) one-hot."""
    return np.array([1.0, 0.0]), np.array([0.0, 1.0, 0.0])


def worked() -> Worked:
    """The network traced on its instance (no update: both exercises stop at ∂E/∂θ)."""
    net = network()
    x, y = instance()
    return Worked(net, x, y, net.trace(x, y))


def describe() -> str:
    """The given numbers, in the lecture's notation."""
    x, y = instance()
    return describe_net(network(), x, y)


def softmax_delta(answer) -> Verdict:
    """Exercise 1: δ³ = (δ³₁, δ³₂, δ³₃), the error terms of the softmax output under
    cross-entropy (three numbers)."""
    w = worked()
    note = "The class to learn (2) gets a positive δ: its ŷ should grow; the others shrink."
    right = Expected(w.trace.delta[2], "δ³", node_names("δ", 2, 3), note)
    return read_and_judge(answer, right, delta_mistakes(w.net, w.trace, 2))


def softmax_gradient(answer) -> Verdict:
    """Exercise 2: ∂E/∂θ²₂₁, the gradient of cross-entropy for the weight from hidden node 1
    to output node 2 (one number)."""
    w = worked()
    t, (l, i, j) = w.trace, PARAMETER
    delta, a = t.delta[l + 1][i], t.a[l][j]
    name = f"∂E/∂{theta_name(*PARAMETER)}"
    right = Expected(-delta * a, name, [name])
    slope = t.a[l + 1][i] * (1 - t.a[l + 1][i])
    found = [
        likely_mistake(
            "wrong_sign",
            delta * a,
            f"That is δ³₂ a²₁ = −∂E/∂θ: the step direction, not the gradient. "
            f"{formulas.gradient(2, 2, 1)}.",
            "wrong sign: that is Δθ/η",
        ),
        likely_mistake(
            "other_activation",
            -delta * t.a[l][1 - j],
            "You took a²₂; the weight θ²₂₁ starts at hidden node 1, so its factor is a²₁.",
            "a²₂ where a²₁ belongs",
        ),
        likely_mistake(
            "extra_g_prime",
            -delta * slope * a,
            "You multiplied δ³₂ by ŷ₂ (1 − ŷ₂) as well; under cross-entropy δ³₂ = y₂ − ŷ₂ "
            "already is −∂E/∂z³₂, with no g'.",
            "an extra g'(z): with cross-entropy, δ = y − ŷ",
        ),
        likely_mistake(
            "forgot_activation",
            -delta,
            f"That is −δ³₂ = ∂E/∂z³₂; one more factor: ∂z³₂/∂θ²₂₁ = a²₁. "
            f"{formulas.gradient(2, 2, 1)}.",
            "the factor a²₁ left out",
        ),
    ]
    return read_and_judge(answer, right, found)


BEYOND: dict[str, Exercise] = exercises._by_name(
    Exercise(
        1,
        "softmax_delta",
        "δ at a softmax output under cross-entropy",
        softmax_delta,
        hint=(
            f"Cross-entropy of one instance is {formulas.CROSS_ENTROPY}. Through the softmax "
            "every ŷₖ depends on every zᵢ, and the chain rule sums over k: ∂E/∂zᵢ = "
            "Σₖ ∂E/∂ŷₖ ∂ŷₖ/∂zᵢ. It collapses to ŷᵢ − yᵢ, so with the lecture's sign "
            f"{formulas.cross_entropy_delta(3)}: no g'(z) to multiply by. Compute ŷ = "
            "softmax(z³) first: eᶻ of each, divided by their sum."
        ),
    ),
    Exercise(
        2,
        "softmax_gradient",
        "The gradient for one weight",
        softmax_gradient,
        hint=(
            "Once δ is known, a weight's gradient is the lecture's, whatever the loss: "
            f"{formulas.gradient()}. For θ²₂₁ the error term is at its head, output node 2, "
            "and the activation at its tail, hidden node 1."
        ),
    ),
)


def _publish() -> list[str]:
    """``check_``, ``assert_``, ``grade_`` and ``hint_`` of each exercise, made as the sheet's."""
    makers = {
        "check": exercises._check,
        "assert": exercises._assert,
        "grade": exercises._grade,
        "hint": exercises._hint,
    }
    names = []
    for exercise in BEYOND.values():
        for kind, make in makers.items():
            function = make(exercise)
            name = f"{kind}_{exercise.name}"
            function.__name__ = function.__qualname__ = name
            globals()[name] = function
            names.append(name)
    return names


__all__ = [*_publish(), "BEYOND", "PARAMETER", "describe", "instance", "network", "worked"]
