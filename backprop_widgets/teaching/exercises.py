"""The exercise sheet: one backpropagation update by hand, checked step by step.

Every exercise has three functions:

- ``check_<name>(answer)`` returns a ``Feedback``: true when the answer is right; its text says
  what is right, or which mistake the answer looks like (a δ with the wrong sign, a forgotten
  g'(z), the slide's θ¹ where θ² belongs, …); ``.hint()`` teaches without giving the number.
  It never raises for a student's answer: ``None`` (the placeholder) is "not answered yet".
- ``assert_<name>(answer)`` raises ``AssertionError`` with that feedback unless the answer is
  right: a plain assert cell, for nbgrader.
- ``hint_<name>()``: the hint on its own.

The expected answers come from the engine (``MLP.trace``, ``MLP.gradients``, ``MLP.fit``) on
the sheet's network, never from numbers typed here. A number counts as right within
``ATOL + RTOL·|expected|``: enough for a hand computation carried to 3–4 significant digits.

Notation is the lecture's, shown 1-based: ``net.weights[l][i, j]`` is θ^(l+1)_(i+1)(j+1) and
``trace.delta[l]`` is δ^(l+1), with δ = −∂E/∂z.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import datasets, validation
from ..engine.mlp import MLP, Trace
from ..engine.validation import DivergenceError
from ..notation import node_name, subscript, superscript, theta_name
from .answers import (  # noqa: F401 - ATOL, RTOL and parse_number are part of this API
    ATOL,
    CLOSE,
    RTOL,
    Feedback,
    Hint,
    Mistake,
    entry_matches,
    join_names,
    likely_mistake,
    number_text,
    parse_number,
    read_answer,
    values_text,
    within,
)

LEARNING_RATE = 2.0  # η of the sheet (exercises 7 and 8)
DIVERGENCE_EPOCHS = 100  # how long exercise 10 trains

EXERCISES = {
    "z_hidden": "z² of the hidden layer",
    "a_hidden": "a² of the hidden layer",
    "output": "The output ŷ",
    "error": "The error E",
    "output_delta": "δ at the output",
    "hidden_delta": "δ at the hidden nodes",
    "dtheta_output": "Δθ² for the output weights",
    "update": "One full update",
    "gradient_signs": "Predict the sign of ∂E/∂θ",
    "diverging_eta": "A learning rate that diverges",
    "deltas": "Every δ, on the diagram",
}

# -- the sheet's networks ------------------------------------------------------------------


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


def _sheet() -> tuple[MLP, np.ndarray, np.ndarray, Trace]:
    net = network()
    x, y = instance()
    return net, x, y, net.trace(x, y, LEARNING_RATE)


# -- names in the lecture's notation ---------------------------------------------------------


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


def activation_text(name: str) -> str:
    return {
        "sigmoid": "the sigmoid, g(z) = 1 / (1 + e^(−z)), g'(z) = g(z) (1 − g(z))",
        "tanh": "tanh, g'(z) = 1 − g(z)²",
        "relu": "ReLU, g(z) = max(0, z), g'(z) = 1 for z > 0, else 0",
        "linear": "linear, g(z) = z, g'(z) = 1",
    }[name]


def diagram(net: MLP | None = None, x=None):
    """A network drawn as in the playground (hover an edge for its θ, a node for its name),
    the sheet's with its instance by default; the input layer shows ``x``."""
    from ..widgets.views import NetworkView

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


def _assert(feedback: Feedback) -> None:
    if not feedback:
        raise AssertionError(f"{feedback.title}: {feedback.message}")


def _title(name: str) -> str:
    return f"Exercise {list(EXERCISES).index(name) + 1}: {EXERCISES[name]}"


def _feedback(name: str, hint: str, correct: bool, message: str, mistake: str) -> Feedback:
    return Feedback(correct, message, hint, _title(name), mistake)


def _wrong(name: str, hint: str, message: str, mistake: str) -> Feedback:
    return Feedback(False, message, hint, _title(name), mistake)


# -- reading and judging numeric answers ---------------------------------------------------


def _judge(
    name: str,
    hint: str,
    value: np.ndarray,
    expected: np.ndarray,
    mistakes: list[Mistake],
    names: list[str],
    what: str,
    right_note: str = "",
    shown: str = "",
) -> Feedback:
    """Right, one of the named mistakes, close, partly right, or wrong. ``shown`` is how the
    right answer is written back (``what = expected`` by default)."""
    expected = np.asarray(expected, dtype=float)
    right = within(value, expected)
    if right.all():
        note = f" {right_note}" if right_note else ""
        shown = shown or f"{what} = {values_text(expected)}"
        return _feedback(name, hint, True, f"Right: {shown}.{note}", "right")
    for m in mistakes:
        wrong_way = np.asarray(m.value, dtype=float).reshape(expected.shape)
        if within(value, wrong_way).all() and not within(wrong_way, expected).all():
            return _wrong(name, hint, m.message, m.key)
    if within(value, expected, CLOSE).all():
        tolerance = number_text(float(np.max(ATOL + RTOL * np.abs(expected))))
        return _wrong(
            name,
            hint,
            f"Close, but not within the checker's tolerance (about ±{tolerance}). Are you "
            "rounding too early? Keep 4 significant digits until the end.",
            "close",
        )
    message = f"{what} is not {values_text(value)}."
    if expected.size > 1:
        parts, named = [], False
        good = [n for n, ok in zip(names, right.ravel()) if ok]
        if good:
            parts.append(f"{join_names(good)} {'is' if len(good) == 1 else 'are'} right")
        for k, (n, v, e) in enumerate(zip(names, value.ravel(), expected.ravel())):
            if within(v, e):
                continue
            why = next((m.short for m in mistakes if entry_matches(m, k, v, e)), "")
            named = named or bool(why)
            parts.append(f"{n} is not{f' ({why})' if why else ''}")
        if good or named:
            message = "; ".join(parts) + "."
    return _wrong(name, hint, f"{message} hint_{name}() gives a hint.", "wrong")


def _check_numbers(
    name: str,
    hint: str,
    answer,
    expected,
    mistakes: list[Mistake],
    names: list[str],
    what: str,
    right_note: str = "",
) -> Feedback:
    expected = np.asarray(expected, dtype=float)
    value, key, problem = read_answer(answer, expected.shape, what)
    if value is None:
        return _wrong(name, hint, problem, key)
    return _judge(name, hint, value, expected, mistakes, names, what, right_note)


def _names(symbol: str, l: int, n: int) -> list[str]:
    return [node_name(symbol, l, i) for i in range(n)]


# -- 1. z of the hidden layer ----------------------------------------------------------------

HINT_Z_HIDDEN = (
    "Each hidden node i adds up its weighted inputs: z²ᵢ = Σⱼ θ¹ᵢⱼ a¹ⱼ + θ¹ᵢ₀ · a¹₀, where "
    "a¹ = x and the bias unit a¹₀ is always 1. θ¹ᵢⱼ runs from input j to hidden node i, so "
    "z²₁ uses the weights θ¹₁ⱼ that end at node 1."
)


def check_z_hidden(answer) -> Feedback:
    """Exercise 1: z² = (z²₁, z²₂), the hidden layer's net input for the sheet's instance."""
    net, x, _, t = _sheet()
    W, b = net.weights[0], net.biases[0]
    mistakes = [
        likely_mistake(
            "forgot_bias",
            W @ x,
            "You left out the bias: z²ᵢ = Σⱼ θ¹ᵢⱼ a¹ⱼ + θ¹ᵢ₀, and the bias unit a¹₀ = 1.",
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
    return _check_numbers(
        "z_hidden", HINT_Z_HIDDEN, answer, t.z[1], mistakes, _names("z", 1, 2), "z²"
    )


def assert_z_hidden(answer) -> None:
    """Exercise 1 as an assert cell."""
    _assert(check_z_hidden(answer))


def hint_z_hidden() -> Hint:
    return Hint(HINT_Z_HIDDEN)


# -- 2. a of the hidden layer ----------------------------------------------------------------

HINT_A_HIDDEN = (
    "Apply the activation to each net input: a²ᵢ = g(z²ᵢ) = 1 / (1 + e^(−z²ᵢ)). A sigmoid's "
    "output is always between 0 and 1, and above ½ exactly when z is positive."
)


def check_a_hidden(answer) -> Feedback:
    """Exercise 2: a² = g(z²), the hidden layer's activations."""
    net, x, _, t = _sheet()
    g = net.activation_of(1).g
    mistakes = [
        likely_mistake(
            "gave_z",
            t.z[1],
            "That is z², the net input. The activation is a² = g(z²): apply the sigmoid.",
            "that is z², not g(z²)",
        ),
        likely_mistake(
            "sign_in_exponent",
            g(-t.z[1]),
            "Check the sign in the exponent: g(z) = 1 / (1 + e^(−z)), so a positive z gives "
            "an activation above ½.",
            "g(−z) instead of g(z)",
        ),
        likely_mistake(
            "forgot_bias",
            g(net.weights[0] @ x),
            "Your z² leaves out the bias θ¹ᵢ₀ · a¹₀ (a¹₀ = 1); see exercise 1.",
            "z² without the bias",
        ),
    ]
    return _check_numbers(
        "a_hidden", HINT_A_HIDDEN, answer, t.a[1], mistakes, _names("a", 1, 2), "a²"
    )


def assert_a_hidden(answer) -> None:
    """Exercise 2 as an assert cell."""
    _assert(check_a_hidden(answer))


def hint_a_hidden() -> Hint:
    return Hint(HINT_A_HIDDEN)


# -- 3. the output -------------------------------------------------------------------------

HINT_OUTPUT = (
    "The output layer works like the hidden one, with the hidden activations as its inputs: "
    "z³₁ = Σⱼ θ²₁ⱼ a²ⱼ + θ²₁₀ · a²₀ with a²₀ = 1, then ŷ = a³₁ = g(z³₁)."
)


def check_output(answer) -> Feedback:
    """Exercise 3: the network's output ŷ = a³₁ (one number)."""
    net, x, _, t = _sheet()
    g = net.activation_of(2).g
    W, b = net.weights[1], net.biases[1]
    mistakes = [
        likely_mistake(
            "gave_z",
            t.z[2],
            "That is z³₁, the output node's net input. ŷ = a³₁ = g(z³₁): apply the sigmoid.",
        ),
        likely_mistake(
            "forgot_bias",
            g(W @ t.a[1]),
            "You left out the output's bias: z³₁ = Σⱼ θ²₁ⱼ a²ⱼ + θ²₁₀, with a²₀ = 1.",
        ),
        likely_mistake(
            "used_z_not_a",
            g(W @ t.z[1] + b),
            "You fed z² forward; the output layer's inputs are the activations a² = g(z²).",
        ),
        likely_mistake(
            "sign_in_exponent",
            g(-t.z[2]),
            "Check the sign in the exponent: g(z) = 1 / (1 + e^(−z)).",
        ),
    ]
    return _check_numbers("output", HINT_OUTPUT, answer, t.a[2][0], mistakes, ["ŷ"], "ŷ")


def assert_output(answer) -> None:
    """Exercise 3 as an assert cell."""
    _assert(check_output(answer))


def hint_output() -> Hint:
    return Hint(HINT_OUTPUT)


# -- 4. the error --------------------------------------------------------------------------

HINT_ERROR = (
    "For one instance the lecture's error is E = ½ Σₖ (yₖ − ŷₖ)²: the squared difference "
    "between target and output, halved (the ½ makes the derivative tidy). Here there is one "
    "output, so the sum has one term."
)


def check_error(answer) -> Feedback:
    """Exercise 4: the error E = ½ (y − ŷ)² of the sheet's instance."""
    _, _, y, t = _sheet()
    diff = float(y[0] - t.a[2][0])
    mistakes = [
        likely_mistake(
            "forgot_half",
            diff**2,
            "You left out the ½: the lecture's error is E = ½ Σₖ (yₖ − ŷₖ)² (1/(2N) over N "
            "instances), so that ∂E/∂ŷ = −(y − ŷ) without a factor 2.",
        ),
        likely_mistake(
            "not_squared",
            diff,
            "That is y − ŷ, the difference itself; E squares it (and halves it).",
        ),
        likely_mistake(
            "half_not_squared",
            diff / 2,
            "You halved y − ŷ but did not square it: E = ½ (y − ŷ)².",
        ),
        likely_mistake(
            "used_z",
            0.5 * float(y[0] - t.z[2][0]) ** 2,
            "You used z³₁ as the output; ŷ = a³₁ = g(z³₁).",
        ),
    ]
    return _check_numbers("error", HINT_ERROR, answer, t.error, mistakes, ["E"], "E")


def assert_error(answer) -> None:
    """Exercise 4 as an assert cell."""
    _assert(check_error(answer))


def hint_error() -> Hint:
    return Hint(HINT_ERROR)


# -- δ: the mistakes students make, for any layer ---------------------------------------------


def delta_mistakes(net: MLP, t: Trace, l: int, above=None) -> list[Mistake]:
    """Likely wrong ways to compute δ of layer ``l`` (0-based, l >= 1), as vectors over its
    nodes. ``above`` is the student's own δ of layer l+1, if they gave all of it."""
    L = net.n_layers
    act = net.activation_of(l)
    gp = act.g_prime(t.z[l], t.a[l])
    # Names as shown: this layer is l+1; δ comes back from layer l+2 along θ^(l+1).
    d, z, a = (f"{symbol}{superscript(l + 1)}" for symbol in "δza")
    found = [
        likely_mistake(
            "wrong_sign",
            -t.delta[l],
            f"Wrong sign: you computed ∂E/∂{z}. The lecture's error term is "
            "δ = −∂E/∂z: δ = (y − ŷ) g'(z) at the output, so that Δθ = +η δ a makes E fall.",
            "wrong sign: that is ∂E/∂z, and the lecture's δ = −∂E/∂z",
        )
    ]
    if act.name == "sigmoid":
        at_a = act.g_prime(t.a[l], act.g(t.a[l]))  # g' evaluated at a instead of at z
        found += [
            likely_mistake(
                "g_prime_of_a",
                t.delta[l] / gp * at_a,
                f"You evaluated g' at a instead of at z. g'({z}) = g({z}) (1 − g({z})) = "
                f"{a} (1 − {a}): put in a, do not apply g to it again.",
                "g' evaluated at a, not at z",
            ),
            likely_mistake(
                "z_for_a",
                t.delta[l] / gp * t.z[l] * (1 - t.z[l]),
                f"You wrote {z} (1 − {z}); the sigmoid's derivative is g'(z) = a (1 − a) with "
                "a = g(z), the activation.",
                "z (1 − z) instead of a (1 − a)",
            ),
        ]
    if l == L - 1:
        error = t.y - t.a[l]
        return found + [
            likely_mistake(
                "forgot_g_prime",
                error,
                f"You stopped at y − ŷ: the output's δ also has the factor g'({z}), "
                f"δ = (y − ŷ) g'({z}), because ŷ = g({z}) (chain rule: ∂a/∂z = g'(z)).",
                "missing g'(z)",
            ),
            likely_mistake(
                "forgot_g_prime_wrong_sign",
                -error,
                f"That is ŷ − y, with the wrong sign and without g'({z}). The lecture's "
                f"δ = (y − ŷ) g'({z}) = −∂E/∂z.",
                "ŷ − y: wrong sign and no g'(z)",
            ),
            likely_mistake(
                "g_not_g_prime",
                error * t.a[l],
                f"You multiplied by g({z}) = ŷ instead of by the derivative g'({z}).",
                "g(z) instead of g'(z)",
            ),
        ]
    W = net.weights[l]  # θ^(l+1) as shown
    theta, slipped = f"θ{superscript(l + 1)}", f"θ{superscript(l)}"
    d_up, z_up = f"δ{superscript(l + 2)}", f"z{superscript(l + 2)}"
    true_up = t.delta[l + 1]
    found.append(
        likely_mistake(
            "forgot_g_prime",
            W.T @ true_up,
            f"You left out g'({z}ⱼ): {d}ⱼ = (Σᵢ {theta}ᵢⱼ {d_up}ᵢ) g'({z}ⱼ).",
            "missing g'(z)",
        )
    )
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
    gp_up = net.activation_of(l + 1).g_prime(t.z[l + 1], t.a[l + 1])
    found += [
        likely_mistake(
            "g_prime_of_layer_above",
            (W.T @ (true_up * gp_up)) * gp,
            f"You multiplied by g'({z_up}) as well, but {d_up} already contains it. The new "
            f"factor is g'({z}ⱼ), of node j itself.",
            f"extra g'({z_up})",
        ),
        likely_mistake(
            "forgot_theta",
            true_up.sum() * gp,
            f"The {d_up}ᵢ travel back along the weights: multiply each by {theta}ᵢⱼ before "
            "summing.",
            f"no weights {theta}",
        ),
    ]
    if l + 1 == L - 1:
        found.append(
            likely_mistake(
                "carried_error_back",
                (W.T @ (t.y - t.a[l + 1])) * gp,
                f"You carried y − ŷ back; carry {d_up} = (y − ŷ) g'({z_up}) back instead: it "
                "includes the output's g'.",
                f"y − ŷ carried back instead of {d_up}",
            )
        )
    if above is not None and not within(above, true_up).all():
        found.append(
            likely_mistake(
                "follows_from_wrong_delta_above",
                (W.T @ np.asarray(above, dtype=float)) * gp,
                f"This follows correctly from your {d_up}, but those are not right yet: fix "
                f"layer {l + 2} first.",
                f"follows from your {d_up}, which is not right yet",
            )
        )
    return found


# -- 5. δ at the output ----------------------------------------------------------------------

HINT_OUTPUT_DELTA = (
    "The lecture attaches an error term to each output node: δ³₁ = (y − ŷ) g'(z³₁). Mind the "
    "order in (y − ŷ): target minus output. For the sigmoid, g'(z) = g(z) (1 − g(z)), and "
    "g(z³₁) is a number you already have."
)


def check_output_delta(answer) -> Feedback:
    """Exercise 5: δ³₁ = (y − ŷ) g'(z³₁), the error term of the output node (one number)."""
    net, _, _, t = _sheet()
    return _check_numbers(
        "output_delta",
        HINT_OUTPUT_DELTA,
        answer,
        t.delta[2][0],
        delta_mistakes(net, t, 2),
        ["δ³₁"],
        "δ³₁",
        "Its sign says which way ŷ should move: positive, so ŷ should grow.",
    )


def assert_output_delta(answer) -> None:
    """Exercise 5 as an assert cell."""
    _assert(check_output_delta(answer))


def hint_output_delta() -> Hint:
    return Hint(HINT_OUTPUT_DELTA)


# -- 6. δ at the hidden nodes ------------------------------------------------------------------

HINT_HIDDEN_DELTA = (
    "A hidden node has no target; it gets its error term from the nodes it feeds: "
    "δ²ⱼ = (Σᵢ θ²ᵢⱼ δ³ᵢ) g'(z²ⱼ). The weight is θ², the one between layers 2 and 3 that "
    "carried a²ⱼ forward; here the sum has a single term (one output). g'(z²ⱼ) = a²ⱼ (1 − a²ⱼ)."
)


def check_hidden_delta(answer) -> Feedback:
    """Exercise 6: δ² = (δ²₁, δ²₂), the hidden nodes' error terms."""
    net, _, _, t = _sheet()
    return _check_numbers(
        "hidden_delta",
        HINT_HIDDEN_DELTA,
        answer,
        t.delta[1],
        delta_mistakes(net, t, 1),
        _names("δ", 1, 2),
        "δ²",
        "δ²₂ is negative because θ²₁₂ is: raising a²₂ would lower ŷ.",
    )


def assert_hidden_delta(answer) -> None:
    """Exercise 6 as an assert cell."""
    _assert(check_hidden_delta(answer))


def hint_hidden_delta() -> Hint:
    return Hint(HINT_HIDDEN_DELTA)


# -- 7. Δθ of the output weights -------------------------------------------------------------

HINT_DTHETA_OUTPUT = (
    "The generalized delta rule: Δθ²ᵢⱼ = η δ³ᵢ a²ⱼ, the error term at the weight's head times "
    "the activation at its tail. It equals −η ∂E/∂θ²ᵢⱼ: the step goes downhill."
)


def check_dtheta_output(answer) -> Feedback:
    """Exercise 7: (Δθ²₁₁, Δθ²₁₂) = η δ³₁ a² for the sheet's η."""
    net, x, _, t = _sheet()
    eta, delta = LEARNING_RATE, t.delta[2]
    mistakes = [
        likely_mistake(
            "forgot_eta",
            np.outer(delta, t.a[1]),
            "You left out the learning rate: Δθ²ᵢⱼ = η δ³ᵢ a²ⱼ.",
            "missing η",
        ),
        likely_mistake(
            "wrong_sign",
            -eta * np.outer(delta, t.a[1]),
            "Wrong sign: that is η ∂E/∂θ. The lecture's Δθ = −η ∂E/∂θ = +η δ a, the step that "
            "makes E smaller.",
            "wrong sign",
        ),
        likely_mistake(
            "gradient_not_change",
            -np.outer(delta, t.a[1]),
            "That is the gradient ∂E/∂θ² = −δ³ a². The change is Δθ² = −η ∂E/∂θ².",
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
            eta * np.outer(delta, x),
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
    return _check_numbers(
        "dtheta_output",
        HINT_DTHETA_OUTPUT,
        answer,
        t.dtheta[1],
        mistakes,
        [theta_name(1, 0, j).replace("θ", "Δθ") for j in range(2)],
        "(Δθ²₁₁, Δθ²₁₂)",
    )


def assert_dtheta_output(answer) -> None:
    """Exercise 7 as an assert cell."""
    _assert(check_dtheta_output(answer))


def hint_dtheta_output() -> Hint:
    return Hint(HINT_DTHETA_OUTPUT)


# -- 8. one full update -------------------------------------------------------------------------

HINT_UPDATE = (
    "Compute every Δθ first, from the forward and backward pass of the old weights: "
    "Δθˡᵢⱼ = η δˡ⁺¹ᵢ aˡⱼ for both layers (you have δ³ and δ² already). Then add them all at "
    "once: θˡᵢⱼ ← θˡᵢⱼ + Δθˡᵢⱼ. Do not change θ² before computing δ²."
)


def check_update(answer) -> Feedback:
    """Exercise 8: the weights [θ¹, θ²] after one online update (shapes (2, 2) and (1, 2))."""
    name, hint = "update", HINT_UPDATE
    net, x, _, t = _sheet()
    eta = LEARNING_RATE
    old, change = net.weights, t.dtheta
    if answer is None or answer is Ellipsis:
        return _wrong(name, hint, "Not answered yet: replace None with [θ¹, θ²].", "not_answered")
    if not isinstance(answer, (list, tuple)) or len(answer) != 2:
        return _wrong(
            name,
            hint,
            "Give a list of the two new weight arrays, like net.weights: [θ¹, θ²], with θ¹ of "
            "shape (2, 2) and θ² of shape (1, 2).",
            "wrong_shape",
        )
    parts = []
    for l, part in enumerate(answer):
        value, key, problem = read_answer(part, old[l].shape, f"θ{superscript(l + 1)}")
        if value is None:
            return _wrong(name, hint, problem, key)
        parts.append(value)
    # Updated one after the other: θ² first, then δ² from the new θ².
    new_output = old[1] + change[1]
    delta_late = (new_output.T @ t.delta[2]) * t.a[1] * (1 - t.a[1])
    sequential = [old[0] + eta * np.outer(delta_late, x), new_output]
    candidates = [
        ("wrong_sign", [W - d for W, d in zip(old, change)],
         "You subtracted Δθ. The lecture's Δθ = −η ∂E/∂θ = η δ a already points downhill: "
         "θ ← θ + Δθ."),
        ("forgot_eta", [W + d / eta for W, d in zip(old, change)],
         "You left out η: Δθˡᵢⱼ = η δˡ⁺¹ᵢ aˡⱼ."),
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
    mistakes = [
        likely_mistake(key, np.concatenate([np.ravel(p) for p in value]), message)
        for key, value, message in candidates
    ]
    names = [theta_name(l, i, j) for l, W in enumerate(old) for i, j in np.ndindex(W.shape)]
    expected = np.concatenate([np.ravel(W + d) for W, d in zip(old, change)])
    given = np.concatenate([np.ravel(p) for p in parts])
    return _judge(
        name,
        hint,
        given,
        expected,
        mistakes,
        names,
        "[θ¹, θ²]",
        "The biases change too, by Δθˡᵢ₀ = η δˡ⁺¹ᵢ · 1.",
        ", ".join(
            f"θ{superscript(l + 1)} ← {values_text(W + d)}"
            for l, (W, d) in enumerate(zip(old, change))
        ),
    )


def assert_update(answer) -> None:
    """Exercise 8 as an assert cell."""
    _assert(check_update(answer))


def hint_update() -> Hint:
    return Hint(HINT_UPDATE)


# -- 9. predict the sign of a gradient -------------------------------------------------------

SIGN_PARAMETERS = [(1, 0, 1), (0, 1, 0), (0, 0, 1)]  # θ²₁₂, θ¹₂₁, θ¹₁₂

HINT_GRADIENT_SIGNS = (
    "By the chain rule, ∂E/∂θˡᵢⱼ = −δˡ⁺¹ᵢ aˡⱼ. Find the sign of each factor: sigmoid "
    "activations are positive (an input can be 0), the output's δ has the sign of y − ŷ, and "
    "a hidden δ²ⱼ = θ²₁ⱼ δ³₁ g'(z²ⱼ) with g' > 0 has the sign of θ²₁ⱼ δ³₁."
)

_SIGN_WORDS = {
    "+": "+", "positive": "+", "pos": "+", "plus": "+",
    "-": "-", "−": "-", "negative": "-", "neg": "-", "minus": "-",
    "0": "0", "zero": "0",
}  # fmt: skip


def _sign_of(value: float) -> str:
    return "0" if abs(value) < 1e-12 else ("+" if value > 0 else "-")


def _read_sign(item) -> str | None:
    if isinstance(item, str):
        return _SIGN_WORDS.get(item.strip().lower())
    value = parse_number(item)
    return None if value is None else _sign_of(value)


def _why_sign(net: MLP, t: Trace, l: int, i: int, j: int, gradient: float) -> str:
    """The chain-rule factors of ∂E/∂θ = −δ a for ``weights[l][i, j]``, with their signs."""
    d = node_name("δ", l + 1, i)
    a = node_name("a", l, j)
    delta, act = t.delta[l + 1][i], t.a[l][j]
    text = (
        f"∂E/∂{theta_name(l, i, j)} = −{d} · {a} = −({number_text(delta)}) · ({number_text(act)})"
    )
    text += f" = {number_text(gradient)}"
    if _sign_of(act) == "0":
        return text + f": {a} = 0, so this weight had no effect on the output for this instance."
    if l + 1 == net.n_layers - 1:
        why = f"{d} = (y − ŷ) g'({node_name('z', l + 1, i)}) has the sign of y − ŷ"
    else:
        above = node_name("δ", l + 2, 0)
        theta = f"θ{superscript(l + 2)}{subscript(1, i + 1)}"
        z = node_name("z", l + 1, i)
        why = f"{d} = {theta} {above} g'({z}) has the sign of {theta} · {above}"
    return text + f" ({why}; {a} > 0)."


def check_gradient_signs(answer) -> Feedback:
    """Exercise 9: the signs of ∂E/∂θ for θ²₁₂, θ¹₂₁ and θ¹₁₂, each "+", "-" or "0".

    The feedback reveals the gradients, with the chain-rule factors that explain each sign.
    """
    name, hint = "gradient_signs", HINT_GRADIENT_SIGNS
    net, x, y, t = _sheet()
    n = len(SIGN_PARAMETERS)
    labels = ", ".join(theta_name(*p) for p in SIGN_PARAMETERS)
    if answer is None or answer is Ellipsis:
        return _wrong(
            name, hint, f"Not answered yet: give {n} signs, for {labels}.", "not_answered"
        )
    if isinstance(answer, str) and len(answer.replace(" ", "")) == n:
        answer = list(answer.replace(" ", ""))
    if isinstance(answer, str) or not hasattr(answer, "__len__") or len(answer) != n:
        return _wrong(
            name,
            hint,
            f'Give a list of {n} signs ("+", "-" or "0"), for {labels}.',
            "wrong_shape",
        )
    signs = [_read_sign(item) for item in answer]
    bad = [item for item, sign in zip(answer, signs) if sign is None and item is not None]
    if bad:
        return _wrong(
            name,
            hint,
            f'Each sign must be "+", "-" or "0"; {bad[0]!r} is not.',
            "not_a_number",
        )
    if all(sign is None for sign in signs):
        return _wrong(name, hint, "Not answered yet: the signs are all None.", "not_answered")
    dW, _ = net.gradients(x[None], y[None])
    lines, right = [], 0
    for (l, i, j), sign in zip(SIGN_PARAMETERS, signs):
        gradient = float(dW[l][i, j])
        truth = _sign_of(gradient)
        if sign is None:
            lines.append(f"{theta_name(l, i, j)}: not answered yet.")
            continue
        right += sign == truth
        mark = "✓" if sign == truth else f"✗ (you said {sign})"
        lines.append(f"{mark} {_why_sign(net, t, l, i, j, gradient)}")
    correct = right == n
    lines.append("A negative ∂E/∂θ means E falls as θ grows, so Δθ = −η ∂E/∂θ raises that weight.")
    return _feedback(name, hint, correct, "\n".join(lines), "right" if correct else "wrong_sign")


def assert_gradient_signs(answer) -> None:
    """Exercise 9 as an assert cell."""
    _assert(check_gradient_signs(answer))


def hint_gradient_signs() -> Hint:
    return Hint(HINT_GRADIENT_SIGNS)


# -- 10. a learning rate that diverges ------------------------------------------------------

HINT_DIVERGING_ETA = (
    "Each update moves θ by η times the gradient. If η is so large that a step jumps past the "
    "bottom of the error valley to a point higher up the other side, the next, steeper step "
    "jumps further still: E grows instead of falling. Try learning rates ten times larger "
    "each time until E no longer falls."
)


def check_diverging_eta(
    answer,
    net: MLP | None = None,
    X=None,
    Y=None,
    epochs: int = DIVERGENCE_EPOCHS,
    batch_size: int | None = 1,
) -> Feedback:
    """Exercise 10: a learning rate η at which training diverges instead of learning.

    Trains a copy of ``net`` (the sheet's network with a linear output unit, by default) on
    ``X, Y`` (XOR by default) for ``epochs`` epochs, online unless ``batch_size`` says
    otherwise, and reports whether E ended higher than it started or overflowed.
    """
    name, hint = "diverging_eta", HINT_DIVERGING_ETA
    if net is None:
        net = network(output_activation="linear")
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a backprop_widgets.MLP; got {type(net).__name__}")
    if X is None and Y is None:
        X, Y = datasets.xor()
    epochs = validation.integer(epochs, "epochs", minimum=1)
    if answer is None or answer is Ellipsis:
        return _wrong(name, hint, "Not answered yet: replace None with your η.", "not_answered")
    eta = parse_number(answer)
    if eta is None:
        return _wrong(name, hint, f"η must be a finite number; got {answer!r}.", "not_a_number")
    if eta <= 0:
        return _wrong(
            name,
            hint,
            "η must be positive: Δθ = −η ∂E/∂θ with η ≤ 0 would climb the error (or not move).",
            "not_positive",
        )
    probe = net.copy()
    start = probe.loss(X, Y)
    at, before = number_text(eta), number_text(start)
    history = []
    for epoch in range(1, epochs + 1):
        try:
            history += probe.fit(X, Y, eta, epochs=1, batch_size=batch_size)
        except DivergenceError:
            return _feedback(
                name,
                hint,
                True,
                f"Diverged: at η = {at} the error overflowed to infinity in epoch "
                f"{epoch} (it started at E = {before}). Every step overshot the minimum "
                "by more than the one before.",
                "right",
            )
    end, top = history[-1], max(history)
    after = number_text(end)
    if end > start:
        growth = (
            "and kept growing: gradient descent diverges"
            if end > 1e3 * start
            else f"jumping around on the way (up to {number_text(top)}): the steps overshoot"
        )
        return _feedback(
            name,
            hint,
            True,
            f"Yes: at η = {at}, E went from {before} to {after} in {epochs} epochs, {growth}.",
            "right",
        )
    detour = f" (it rose to {number_text(top)} on the way, then settled)" if top > start else ""
    return _wrong(
        name,
        hint,
        f"E still falls at η = {at}: from {before} to {after} in "
        f"{epochs} epochs{detour}. Try a larger η.",
        "still_learning",
    )


def assert_diverging_eta(answer, **kwargs) -> None:
    """Exercise 10 as an assert cell."""
    _assert(check_diverging_eta(answer, **kwargs))


def hint_diverging_eta() -> Hint:
    return Hint(HINT_DIVERGING_ETA)


# -- 11. every δ, on the diagram -----------------------------------------------------------

HINT_DELTAS = (
    "Work from right to left. The output first: δ = (y − ŷ) g'(z). Then each hidden node j of "
    "layer l collects the δ of every node i it feeds, weighted by the connecting θˡᵢⱼ: "
    "δˡⱼ = (Σᵢ θˡᵢⱼ δˡ⁺¹ᵢ) g'(zˡⱼ), with g'(z) = a (1 − a) for the sigmoid."
)


@dataclass(frozen=True)
class Mark:
    """The verdict on one δ entry: state "right", "wrong", "close" or "empty"."""

    state: str
    short: str
    message: str
    mistake: str


def delta_marks(net: MLP, t: Trace, values: list) -> dict[tuple[int, int], Mark]:
    """Judge a δ for every non-input node, from the output back.

    ``values[l][i]`` is the student's δ of node i of layer l (0-based, ``values[0]`` unused),
    a float or None when empty. Returns a ``Mark`` for each (l, i).
    """
    marks = {}
    for l in range(net.n_layers - 1, 0, -1):
        row = values[l]
        above = None
        if l + 1 < net.n_layers and all(v is not None for v in values[l + 1]):
            above = np.asarray(values[l + 1], dtype=float)
        mistakes = delta_mistakes(net, t, l, above)
        for i, value in enumerate(row):
            name = node_name("δ", l, i)
            expected = t.delta[l][i]
            if value is None:
                marks[l, i] = Mark("empty", "", f"{name}: not filled in yet.", "not_answered")
            elif within(value, expected):
                marks[l, i] = Mark("right", "✓", f"{name} = {number_text(expected)} ✓", "right")
            else:
                found = next((m for m in mistakes if entry_matches(m, i, value, expected)), None)
                if found is not None:
                    marks[l, i] = Mark("wrong", found.short, f"{name}: {found.message}", found.key)
                elif within(value, expected, CLOSE):
                    marks[l, i] = Mark(
                        "close",
                        "close: keep more digits",
                        f"{name}: close, but round less (keep 4 significant digits).",
                        "close",
                    )
                else:
                    marks[l, i] = Mark(
                        "wrong", "not right", f"{name} is not {number_text(value)}.", "wrong"
                    )
    return marks


def deltas_feedback(marks: dict) -> Feedback:
    """Exercise 11's feedback on a set of δ marks (from ``delta_marks``)."""
    correct, message, key = _delta_summary(marks)
    return Feedback(correct, message, HINT_DELTAS, _title("deltas"), key)


def _delta_summary(marks: dict) -> tuple[bool, str, str]:
    """(all right, message, mistake key) for a set of δ marks."""
    right = sum(m.state == "right" for m in marks.values())
    if right == len(marks):
        return True, f"All {right} δ are right.", "right"
    empty = [m for m in marks.values() if m.state == "empty"]
    if len(empty) == len(marks):
        return (
            False,
            "Not answered yet: fill in the δ of every node but the inputs.",
            "not_answered",
        )
    wrong = [m for m in marks.values() if m.state not in ("right", "empty")]
    lines = [
        f"{right} of {len(marks)} right" + (f", {len(empty)} not filled in." if empty else ".")
    ]
    lines += [m.message for m in wrong]
    key = wrong[0].mistake if wrong else "not_answered"
    return False, "\n".join(lines), key


def check_deltas(answer) -> Feedback:
    """Exercise 11: every δ of ``deep_network()`` for ``deep_instance()``.

    ``answer`` lists the δ of each layer from layer 2 to the output:
    ``[[δ²₁, δ²₂], [δ³₁, δ³₂], [δ⁴₁]]``; a ``DeltaQuiz`` is checked by its own entries.
    """
    name, hint = "deltas", HINT_DELTAS
    if hasattr(answer, "check") and hasattr(answer, "entries"):  # a DeltaQuiz
        return answer.check()
    net = deep_network()
    x, y = deep_instance()
    t = net.trace(x, y)
    sizes = net.sizes[1:]
    if answer is None or answer is Ellipsis:
        return _wrong(
            name, hint, "Not answered yet: replace None with your δ values.", "not_answered"
        )
    if isinstance(answer, (list, tuple)) and len(answer) == len(sizes) + 1 and not answer[0]:
        answer = answer[1:]  # layer-aligned, like trace.delta, with nothing for the inputs
    shape = (
        "["
        + ", ".join("[" + ", ".join(_names("δ", l, n)) + "]" for l, n in enumerate(sizes, 1))
        + "]"
    )
    if not isinstance(answer, (list, tuple)) or len(answer) != len(sizes):
        return _wrong(name, hint, f"Give the δ layer by layer: {shape}.", "wrong_shape")
    values = [[]]
    for l, (row, n) in enumerate(zip(answer, sizes), start=1):
        if not isinstance(row, (list, tuple, np.ndarray)) or len(row) != n:
            return _wrong(
                name,
                hint,
                f"Layer {l + 1} has {n} node(s): give the δ layer by layer, {shape}.",
                "wrong_shape",
            )
        parsed = []
        for i, item in enumerate(row):
            value = None if item is None else parse_number(item)
            if item is not None and value is None:
                return _wrong(
                    name,
                    hint,
                    f"{node_name('δ', l, i)} must be a number; got {item!r}.",
                    "not_a_number",
                )
            parsed.append(value)
        values.append(parsed)
    return deltas_feedback(delta_marks(net, t, values))


def assert_deltas(answer) -> None:
    """Exercise 11 as an assert cell."""
    _assert(check_deltas(answer))


def hint_deltas() -> Hint:
    return Hint(HINT_DELTAS)


def delta_quiz():
    """Exercise 11 on the diagram: a ``DeltaQuiz`` of ``deep_network()`` for
    ``deep_instance()``."""
    from ..widgets.delta_quiz import DeltaQuiz

    return DeltaQuiz(deep_network(), *deep_instance())
