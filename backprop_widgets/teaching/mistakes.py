"""The catalogue of mistakes: for each exercise, the wrong answers students are likely to give,
each computed the wrong way from the same trace, with what to say about it.

``delta_mistakes`` serves every δ (exercises 5, 6 and 11, and the δ quiz on any network); the
others take the sheet worked out by the engine (``sheet.Worked``).
"""

from __future__ import annotations

import numpy as np

from ..engine.mlp import MLP, Trace
from ..notation import superscript
from ..notation.formulas import (
    ACTIVATIONS,
    DELTA_SIGN,
    ERROR,
    ERROR_MEAN,
    ERROR_SLOPE,
    GRADIENT_DESCENT,
    activation,
    cross_entropy_delta,
    delta_theta,
    gradient,
    hidden_delta,
    net_input,
    one_output_delta,
    output_delta,
    sigmoid_slope,
)
from ..notation.formulas import update as theta_update
from .answers import Mistake, likely_mistake, within
from .sheet import Worked

SIGMOID = ACTIVATIONS["sigmoid"].description


def z_hidden(w: Worked) -> list[Mistake]:
    """Exercise 1: z² without the bias, with θ¹ transposed, or a² given for z²."""
    W, b, x, t = w.net.weights[0], w.net.biases[0], w.x, w.trace
    return [
        likely_mistake(
            "forgot_bias",
            W @ x,
            f"You left out the bias: {net_input(2)}, and the bias unit a¹₀ = 1.",
            "no bias θ¹ᵢ₀",
        ),
        likely_mistake(
            "transposed_theta",
            W.T @ x + b,
            "You read θ¹ the wrong way round: θ¹ᵢⱼ connects input node j to hidden node i, so "
            "z²ᵢ sums θ¹ᵢⱼ xⱼ over j (row i of θ¹), not θ¹ⱼᵢ xⱼ.",
            "θ¹ᵢⱼ read as θ¹ⱼᵢ",
        ),
        likely_mistake(
            "gave_a",
            t.a[1],
            "That is a² = g(z²), the activation. z² is the net input, before g is applied.",
            "that is a², not z²",
        ),
    ]


def a_hidden(w: Worked) -> list[Mistake]:
    """Exercise 2: z² given for a², g(−z), or z² without the bias."""
    t, g = w.trace, w.net.activation_of(1).g
    return [
        likely_mistake(
            "gave_z",
            t.z[1],
            f"That is z², the net input. The activation is {activation(2)}: apply the sigmoid.",
            "that is z², not g(z²)",
        ),
        likely_mistake(
            "sign_in_exponent",
            g(-t.z[1]),
            f"Check the sign in the exponent: g is {SIGMOID}, so a positive z gives an "
            "activation above ½.",
            "g(−z) instead of g(z)",
        ),
        likely_mistake(
            "forgot_bias",
            g(w.net.weights[0] @ w.x),
            "Your z² leaves out the bias θ¹ᵢ₀ · a¹₀ (a¹₀ = 1); see exercise 1.",
            "z² without the bias",
        ),
    ]


def output(w: Worked) -> list[Mistake]:
    """Exercise 3: z³ given for ŷ, no bias, z² fed forward, or g(−z)."""
    t, g = w.trace, w.net.activation_of(2).g
    W, b = w.net.weights[1], w.net.biases[1]
    return [
        likely_mistake(
            "gave_z",
            t.z[2],
            "That is z³₁, the output node's net input. ŷ = a³₁ = g(z³₁): apply the sigmoid.",
        ),
        likely_mistake(
            "forgot_bias",
            g(W @ t.a[1]),
            f"You left out the output's bias: {net_input(3)}, with a²₀ = 1.",
        ),
        likely_mistake(
            "used_z_not_a",
            g(W @ t.z[1] + b),
            f"You fed z² forward; the output layer's inputs are the activations {activation(2)}.",
        ),
        likely_mistake(
            "sign_in_exponent", g(-t.z[2]), f"Check the sign in the exponent: g is {SIGMOID}."
        ),
    ]


def error(w: Worked) -> list[Mistake]:
    """Exercise 4: E without the ½, not squared, halved only, or computed from z³."""
    t, y = w.trace, w.y
    diff = float(y[0] - t.a[2][0])
    return [
        likely_mistake(
            "forgot_half",
            diff**2,
            f"You left out the ½: the lecture's error is {ERROR} (for N instances, "
            f"{ERROR_MEAN}), so that {ERROR_SLOPE} without a factor 2.",
        ),
        likely_mistake(
            "not_squared",
            diff,
            "That is y − ŷ, the difference itself; E squares it (and halves it).",
        ),
        likely_mistake(
            "half_not_squared",
            diff / 2,
            f"You halved y − ŷ but did not square it: {ERROR}.",
        ),
        likely_mistake(
            "used_z",
            0.5 * float(y[0] - t.z[2][0]) ** 2,
            "You used z³₁ as the output; ŷ = a³₁ = g(z³₁).",
        ),
    ]


def dtheta_output(w: Worked, eta: float) -> list[Mistake]:
    """Exercise 7: Δθ² without η, with the wrong sign, as the gradient, or from the wrong a."""
    t, delta = w.trace, w.trace.delta[2]
    return [
        likely_mistake(
            "forgot_eta",
            np.outer(delta, t.a[1]),
            f"You left out the learning rate: {delta_theta(2)}.",
            "missing η",
        ),
        likely_mistake(
            "wrong_sign",
            -eta * np.outer(delta, t.a[1]),
            f"Wrong sign: that is η ∂E/∂θ. The lecture's {GRADIENT_DESCENT} = +η δ a, the step "
            "that makes E smaller.",
            "wrong sign",
        ),
        likely_mistake(
            "gradient_not_change",
            -np.outer(delta, t.a[1]),
            f"That is the gradient {gradient(2)}. The change is {delta_theta(2)}.",
            "that is ∂E/∂θ",
        ),
        likely_mistake(
            "used_output_activation",
            eta * delta[:, None] * t.a[2][0] * np.ones((1, 2)),
            "You used ŷ = a³₁, the activation at the weight's head. Δθ²ᵢⱼ uses a²ⱼ, the "
            "activation at its tail (the node the weight comes from).",
            "a³ instead of a²",
        ),
        likely_mistake(
            "used_x",
            eta * np.outer(delta, w.x),
            "You used the inputs x = a¹; θ² starts at layer 2, so Δθ²ᵢⱼ uses a²ⱼ.",
            "a¹ instead of a²",
        ),
        likely_mistake(
            "used_z",
            eta * np.outer(delta, t.z[1]),
            "You used z²ⱼ; the rule uses the activation a²ⱼ = g(z²ⱼ) the weight multiplies.",
            "z² instead of a²",
        ),
    ]


def update(w: Worked, eta: float) -> list[Mistake]:
    """Exercise 8: [θ¹, θ²] updated the wrong way, flattened as the answer is judged."""
    t, x = w.trace, w.x
    old, change = w.net.weights, t.dtheta
    # Updated one after the other: θ² first, then δ² from the new θ².
    new_output = old[1] + change[1]
    delta_late = (new_output.T @ t.delta[2]) * t.a[1] * (1 - t.a[1])
    sequential = [old[0] + eta * np.outer(delta_late, x), new_output]
    candidates = [
        ("wrong_sign", [W - d for W, d in zip(old, change)],
         f"You subtracted Δθ. The lecture's {GRADIENT_DESCENT} = η δ a already points "
         f"downhill: {theta_update('l')}."),
        ("forgot_eta", [W + d / eta for W, d in zip(old, change)],
         f"You left out η: {delta_theta('l')}."),
        ("gave_changes", change,
         "Those are the changes Δθ; the new weights are θ + Δθ."),
        ("sequential_update", sequential,
         "θ² is right, but you computed δ² with the already updated θ². The lecture computes "
         "every Δθ from the same forward and backward pass, then updates all parameters at "
         "once."),
        ("only_output_updated", [old[0], old[1] + change[1]],
         "You updated θ² only: the hidden weights θ¹ change too (Δθ¹ᵢⱼ = η δ²ᵢ xⱼ)."),
        ("only_hidden_updated", [old[0] + change[0], old[1]],
         "You updated θ¹ only: the output weights θ² change too (Δθ²₁ⱼ = η δ³₁ a²ⱼ)."),
        ("transposed_dtheta", [old[0] + change[0].T, old[1] + change[1]],
         "You added Δθ¹ transposed: Δθ¹ᵢⱼ = η δ²ᵢ xⱼ belongs to the weight from input j to "
         "hidden node i, row i and column j."),
    ]  # fmt: skip
    return [
        likely_mistake(key, np.concatenate([np.ravel(p) for p in value]), message)
        for key, value, message in candidates
    ]


# -- δ, for any layer of any network ---------------------------------------------------------


def delta_mistakes(net: MLP, t: Trace, l: int, above=None) -> list[Mistake]:
    """Likely wrong ways to compute δ of layer ``l`` (0-based, l >= 1), as vectors over its
    nodes. ``above`` is the student's own δ of layer l+1, if they gave all of it: when it is
    wrong, the δ that follows from it comes first."""
    if l == net.n_layers - 1 and net.loss_name == "cross_entropy":
        return _cross_entropy_output_delta(net, t, l)
    found = _sign_and_slope(net, t, l)
    if l == net.n_layers - 1:
        return found + _output_delta(t, l)
    hidden = _hidden_delta(net, t, l, above)
    carried = [m for m in hidden if m.key == "follows_from_wrong_delta_above"]
    return carried + found + [m for m in hidden if m not in carried]


def _sign_and_slope(net: MLP, t: Trace, l: int) -> list[Mistake]:
    """The wrong sign, and for the sigmoid g' taken at a or written with z, in any layer."""
    act = net.activation_of(l)
    # Names as shown: this layer is l+1.
    z, a = f"z{superscript(l + 1)}", f"a{superscript(l + 1)}"
    found = [
        likely_mistake(
            "wrong_sign",
            -t.delta[l],
            f"Wrong sign: you computed ∂E/∂{z}. The lecture's error term is {DELTA_SIGN}: "
            f"{one_output_delta()} at the output, so that Δθ = +η δ a makes E fall.",
            f"wrong sign: that is ∂E/∂z, and the lecture's {DELTA_SIGN}",
        )
    ]
    if act.name != "sigmoid":
        return found
    gp = act.g_prime(t.z[l], t.a[l])
    at_a = act.g_prime(t.a[l], act.g(t.a[l]))  # g' evaluated at a instead of at z
    return found + [
        likely_mistake(
            "g_prime_of_a",
            t.delta[l] / gp * at_a,
            f"You evaluated g' at a instead of at z. {sigmoid_slope(l + 1)}, where {a} = g({z}) "
            "is the activation: put in a, do not apply g to it again.",
            "g' evaluated at a, not at z",
        ),
        likely_mistake(
            "z_for_a",
            t.delta[l] / gp * t.z[l] * (1 - t.z[l]),
            f"You wrote {z} (1 − {z}); the sigmoid's derivative is {sigmoid_slope()} with "
            "a = g(z), the activation.",
            "z (1 − z) instead of a (1 − a)",
        ),
    ]


def _output_delta(t: Trace, l: int) -> list[Mistake]:
    """An output δ without g', as ŷ − y, or with g for g'."""
    error = t.y - t.a[l]
    z = f"z{superscript(l + 1)}"
    return [
        likely_mistake(
            "forgot_g_prime",
            error,
            f"You stopped at y − ŷ: the output's δ also has the factor g'({z}), "
            f"{output_delta(l + 1)}, because ŷ = g({z}) (chain rule: ∂a/∂z = g'(z)).",
            "missing g'(z)",
        ),
        likely_mistake(
            "forgot_g_prime_wrong_sign",
            -error,
            f"That is ŷ − y, with the wrong sign and without g'({z}). The lecture's "
            f"{output_delta(l + 1)}, and {DELTA_SIGN}.",
            "ŷ − y: wrong sign and no g'(z)",
        ),
        likely_mistake(
            "g_not_g_prime",
            error * t.a[l],
            f"You multiplied by g({z}) = ŷ instead of by the derivative g'({z}).",
            "g(z) instead of g'(z)",
        ),
    ]


def _cross_entropy_output_delta(net: MLP, t: Trace, l: int) -> list[Mistake]:
    """An output δ under cross-entropy with the wrong sign, or with a g' that cancelled."""
    error, a = t.y - t.a[l], t.a[l]
    z, rule = f"z{superscript(l + 1)}", cross_entropy_delta(l + 1)
    return [
        likely_mistake(
            "wrong_sign",
            -error,
            f"Wrong sign: that is ŷ − y = ∂E/∂{z}. The lecture's error term is {DELTA_SIGN}: "
            f"{rule}.",
            f"wrong sign: that is ∂E/∂z, and the lecture's {DELTA_SIGN}",
        ),
        likely_mistake(
            "g_prime_with_cross_entropy",
            error * a * (1 - a),
            f"You multiplied by ŷ (1 − ŷ), as squared error needs. Under cross-entropy "
            f"∂E/∂ŷ = −y/ŷ, and the {net.output_activation}'s slope cancels it: {rule}, no g'.",
            "an extra g'(z): with cross-entropy, δ = y − ŷ",
        ),
    ]


def _hidden_delta(net: MLP, t: Trace, l: int, above) -> list[Mistake]:
    """A hidden δ without g', along the wrong θ, with an extra g', without θ, from y − ŷ, or
    right from the student's own wrong δ of the layer above."""
    gp = net.activation_of(l).g_prime(t.z[l], t.a[l])
    W = net.weights[l]  # θ^(l+1) as shown: δ comes back from layer l+2 along it
    z = f"z{superscript(l + 1)}"
    theta, slipped = f"θ{superscript(l + 1)}", f"θ{superscript(l)}"
    d_up, z_up = f"δ{superscript(l + 2)}", f"z{superscript(l + 2)}"
    true_up = t.delta[l + 1]
    found = []
    if above is not None and not within(above, true_up).all():
        found.append(  # first: the rule applied right to a wrong δ is credit carried forward
            likely_mistake(
                "follows_from_wrong_delta_above",
                (W.T @ np.asarray(above, dtype=float)) * gp,
                f"Consistent with your {d_up}: this follows correctly from it, but your "
                f"{d_up} is not right yet: fix layer {l + 2} first.",
                f"follows from your {d_up}, which is not right yet",
            )
        )
    found += [
        likely_mistake(
            "forgot_g_prime",
            W.T @ true_up,
            f"You left out g'({z}ⱼ): {hidden_delta(l + 1)}.",
            "missing g'(z)",
        )
    ]
    below = net.weights[l - 1]  # θ^l as shown: the slide's slip
    if below.shape[0] >= W.shape[0] and below.shape[1] >= W.shape[1]:
        found.append(
            likely_mistake(
                "theta_index_slip",
                (below[: W.shape[0], : W.shape[1]].T @ true_up) * gp,
                f'You used {slipped}ᵢⱼ, as the slide "The Generalized Delta Rule" writes. The '
                f"weight that carries {d_up}ᵢ back to node j of layer {l + 1} is {theta}ᵢⱼ "
                "(that slide's index is a slip).",
                f"{slipped} used where {theta} belongs (the slide's slip)",
            )
        )
    if W.shape[0] == W.shape[1]:
        found.append(
            likely_mistake(
                "transposed_theta",
                (W @ true_up) * gp,
                f"You summed {theta}ⱼᵢ {d_up}ᵢ. The weight from node j to node i of layer "
                f"{l + 2} is {theta}ᵢⱼ: node j collects {theta}ᵢⱼ {d_up}ᵢ over the nodes i it "
                "feeds.",
                f"{theta}ⱼᵢ instead of {theta}ᵢⱼ",
            )
        )
    up = net.activation_of(l + 1)
    if not up.output_only:  # softmax has no elementwise g'
        gp_up = up.g_prime(t.z[l + 1], t.a[l + 1])
        found.append(
            likely_mistake(
                "g_prime_of_layer_above",
                (W.T @ (true_up * gp_up)) * gp,
                f"You multiplied by g'({z_up}) as well, but {d_up} already contains it. The "
                f"new factor is g'({z}ⱼ), of node j itself.",
                f"extra g'({z_up})",
            )
        )
    found += [
        likely_mistake(
            "forgot_theta",
            true_up.sum() * gp,
            f"The {d_up}ᵢ travel back along the weights: multiply each by {theta}ᵢⱼ before "
            "summing.",
            f"no weights {theta}",
        ),
    ]
    if l + 1 == net.n_layers - 1 and net.loss_name == "squared":  # else y − ŷ is δ
        found.append(
            likely_mistake(
                "carried_error_back",
                (W.T @ (t.y - t.a[l + 1])) * gp,
                f"You carried y − ŷ back; carry {output_delta(l + 2)} back instead: it "
                "includes the output's g'.",
                f"y − ŷ carried back instead of {d_up}",
            )
        )
    return found
