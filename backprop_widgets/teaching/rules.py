"""How exercises 1 to 8 judge an answer: the right value from the engine's trace of the sheet,
named as the lecture names it, told apart from the catalogue's likely mistakes.

Each function takes the student's answer and returns a ``Verdict``; ``exercises`` declares the
exercise around it. Its docstring becomes the docstring of ``check_<name>``. The keywords are the
student's earlier answers the exercise builds on (``carried``): with them, an answer wrong only
because one of those is wrong is named as such and earns part of the points.
"""

from __future__ import annotations

import numpy as np

from ..notation import superscript, theta_name
from . import mistakes
from .answers import Expected, Verdict, judge, read_and_judge, read_answer, reject, values_text
from .carried import carry
from .sheet import LEARNING_RATE, node_names, worked


def z_hidden(answer) -> Verdict:
    """Exercise 1: z² = (z²₁, z²₂), the hidden layer's net input for the sheet's instance."""
    w = worked()
    right = Expected(w.trace.z[1], "z²", node_names("z", 1, 2))
    return read_and_judge(answer, right, mistakes.z_hidden(w))


def a_hidden(answer, *, z2=None) -> Verdict:
    """Exercise 2: a² = g(z²), the hidden layer's activations.

    ``z2``: your z² from exercise 1, to recognise an a² that follows from it.
    """
    w = worked()
    right = Expected(w.trace.a[1], "a²", node_names("a", 1, 2))
    carried = carry(w, {"z2": z2}, lambda t: t.a[1], mistakes.a_hidden)
    return read_and_judge(answer, right, mistakes.a_hidden(w), carried)


def output(answer, *, a2=None) -> Verdict:
    """Exercise 3: the network's output ŷ = a³₁ (one number).

    ``a2``: your a² from exercise 2, to recognise a ŷ that follows from it.
    """
    w = worked()
    right = Expected(w.trace.a[2][0], "ŷ", ["ŷ"])
    carried = carry(w, {"a2": a2}, lambda t: t.a[2][0], mistakes.output)
    return read_and_judge(answer, right, mistakes.output(w), carried)


def error(answer, *, y_hat=None) -> Verdict:
    """Exercise 4: the error E = ½ (y − ŷ)² of the sheet's instance.

    ``y_hat``: your ŷ from exercise 3, to recognise an E that follows from it.
    """
    w = worked()
    carried = carry(w, {"y_hat": y_hat}, lambda t: t.error, mistakes.error)
    return read_and_judge(answer, Expected(w.trace.error, "E", ["E"]), mistakes.error(w), carried)


def output_delta(answer, *, y_hat=None) -> Verdict:
    """Exercise 5: δ³₁ = (y − ŷ) g'(z³₁), the error term of the output node (one number).

    ``y_hat``: your ŷ from exercise 3, to recognise a δ³₁ that follows from it.
    """
    w = worked()
    note = "Its sign says which way ŷ should move: positive, so ŷ should grow."
    right = Expected(w.trace.delta[2][0], "δ³₁", ["δ³₁"], note)
    carried = carry(
        w,
        {"y_hat": y_hat},
        lambda t: t.delta[2][0],
        lambda own: mistakes.delta_mistakes(own.net, own.trace, 2),
    )
    return read_and_judge(answer, right, mistakes.delta_mistakes(w.net, w.trace, 2), carried)


def hidden_delta(answer, *, delta3=None, a2=None) -> Verdict:
    """Exercise 6: δ² = (δ²₁, δ²₂), the hidden nodes' error terms.

    ``delta3``, ``a2``: your δ³₁ from exercise 5 and a² from exercise 2, to recognise a δ²
    that follows from them.
    """
    w = worked()
    note = "δ²₂ is negative because θ²₁₂ is: raising a²₂ would lower ŷ."
    right = Expected(w.trace.delta[1], "δ²", node_names("δ", 1, 2), note)
    carried = carry(
        w,
        {"delta3": delta3, "a2": a2},
        lambda t: t.delta[1],
        lambda own: mistakes.delta_mistakes(own.net, own.trace, 1),
    )
    return read_and_judge(answer, right, mistakes.delta_mistakes(w.net, w.trace, 1), carried)


def dtheta_output(answer, *, delta3=None, a2=None) -> Verdict:
    """Exercise 7: (Δθ²₁₁, Δθ²₁₂) = η δ³₁ a² for the sheet's η.

    ``delta3``, ``a2``: your δ³₁ from exercise 5 and a² from exercise 2, to recognise a Δθ²
    that follows from them.
    """
    w = worked()
    names = [theta_name(1, 0, j).replace("θ", "Δθ") for j in range(2)]
    right = Expected(w.trace.dtheta[1], "(Δθ²₁₁, Δθ²₁₂)", names)
    carried = carry(
        w,
        {"delta3": delta3, "a2": a2},
        lambda t: t.dtheta[1],
        lambda own: mistakes.dtheta_output(own, LEARNING_RATE),
    )
    return read_and_judge(answer, right, mistakes.dtheta_output(w, LEARNING_RATE), carried)


def update(answer, *, delta2=None, dtheta2=None) -> Verdict:
    """Exercise 8: the weights [θ¹, θ²] after one online update (shapes (2, 2) and (1, 2)).

    ``delta2``, ``dtheta2``: your δ² from exercise 6 and Δθ² from exercise 7, to recognise new
    weights that follow from them.
    """
    w = worked()
    old, change = w.net.weights, w.trace.dtheta
    if answer is None or answer is Ellipsis:
        return reject("Not answered yet: replace None with [θ¹, θ²].", "not_answered")
    if not isinstance(answer, (list, tuple)) or len(answer) != 2:
        return reject(
            "Give a list of the two new weight arrays, like net.weights: [θ¹, θ²], with θ¹ of "
            "shape (2, 2) and θ² of shape (1, 2).",
            "wrong_shape",
        )
    parts = []
    for l, part in enumerate(answer):
        value, key, problem = read_answer(part, old[l].shape, f"θ{superscript(l + 1)}")
        if value is None:
            return reject(problem, key)
        parts.append(value)
    new = [W + d for W, d in zip(old, change)]
    right = Expected(
        np.concatenate([np.ravel(W) for W in new]),
        "[θ¹, θ²]",
        [theta_name(l, i, j) for l, W in enumerate(old) for i, j in np.ndindex(W.shape)],
        note="The biases change too, by Δθˡᵢ₀ = η δˡ⁺¹ᵢ · 1.",
        shown=", ".join(f"θ{superscript(l + 1)} ← {values_text(W)}" for l, W in enumerate(new)),
    )
    given = np.concatenate([np.ravel(p) for p in parts])
    carried = carry(
        w,
        {"delta2": delta2, "dtheta2": dtheta2},
        lambda t: np.concatenate([np.ravel(W + d) for W, d in zip(old, t.dtheta)]),
        lambda own: mistakes.update(own, LEARNING_RATE),
    )
    return judge(given, right, mistakes.update(w, LEARNING_RATE), carried)
