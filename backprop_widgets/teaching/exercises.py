"""The exercise sheet: one backpropagation update by hand, checked step by step.

Each exercise is declared once, as an ``Exercise`` in ``REGISTRY``: its number, name, title,
hint (written with the lecture's formulas from ``notation.formulas``) and the function that
judges an answer. From each, this module makes three functions:

- ``check_<name>(answer)`` returns a ``Feedback``: true when the answer is right; its text says
  what is right, or which mistake the answer looks like (a δ with the wrong sign, a forgotten
  g'(z), the slide's θ¹ where θ² belongs, …); ``.hint()`` teaches without giving the number.
  It never raises for a student's answer: ``None`` (the placeholder) is "not answered yet".
- ``assert_<name>(answer)`` raises ``AssertionError`` with that feedback, on lines short enough
  for nbgrader, unless the answer is right: a plain assert cell.
- ``grade_<name>(answer)`` returns the points the answer earns (``Exercise.points``; part of them
  when it is wrong only because an earlier answer was), saying why when that is not all of
  them, and raises ``AssertionError`` like ``assert_`` when it earns none: an nbgrader test
  cell with partial credit.
- ``hint_<name>()``: the hint on its own.

The checkers of exercises that build on earlier ones take those answers by keyword
(``check_hidden_delta(delta2, delta3=delta3, a2=a2)``, see ``carried``): an answer that follows
correctly from a wrong earlier answer is named as such and earns ``CARRIED_CREDIT``.

The expected answers come from the engine (``MLP.trace``, ``MLP.gradients``, ``MLP.fit``) on
the sheet's network (``sheet``), never from numbers typed here. A number counts as right within
``ATOL + RTOL·|expected|``: enough for a hand computation carried to 3–4 significant digits.

Notation is the lecture's, shown 1-based: ``net.weights[l][i, j]`` is θ^(l+1)_(i+1)(j+1) and
``trace.delta[l]`` is δ^(l+1), with δ = −∂E/∂z.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from ..notation import formulas, node_name, subscript, superscript, theta_name
from . import deltas, divergence, rules, signs
from .answers import (
    ATOL,
    CARRIED_CREDIT,
    RTOL,
    Verdict,
    number_text,
    parse_number,
    values_text,
)
from .carried import EARLIER
from .deltas import Mark, delta_marks
from .feedback import Feedback, Hint
from .mistakes import delta_mistakes
from .sheet import (
    LEARNING_RATE,
    activation_text,
    deep_instance,
    deep_network,
    describe,
    instance,
    network,
)
from .signs import SIGN_PARAMETERS


@dataclass(frozen=True)
class Exercise:
    """One exercise of the sheet: ``judge`` says whether an answer (and any options) is right
    and what is wrong with it; its docstring and signature are those of ``check_<name>``."""

    number: int
    name: str
    title: str
    judge: Callable[..., Verdict]
    hint: str
    points: float = 1

    @property
    def heading(self) -> str:
        return f"Exercise {self.number}: {self.title}"

    def feedback(self, verdict: Verdict) -> Feedback:
        """The verdict as this exercise's feedback, with its heading and hint."""
        message = verdict.message
        if verdict.see_hint:
            message += f" hint_{self.name}() gives a hint."
        return Feedback(
            verdict.correct, message, self.hint, self.heading, verdict.mistake, verdict.share
        )

    def check(self, answer, *args, **options) -> Feedback:
        return self.feedback(self.judge(answer, *args, **options))

    def require(self, answer, **options) -> None:
        """Raise ``AssertionError`` with the feedback, on short lines, unless the answer is
        right."""
        feedback = self.check(answer, **options)
        if not feedback:
            raise AssertionError(feedback.lines())

    def grade(self, answer, **options) -> float:
        """The points ``answer`` earns: ``points`` when right, ``points × CARRIED_CREDIT`` when
        it is wrong only because an earlier answer was (printing why), and ``AssertionError``
        with the feedback when it earns none. The number is the cell's result, which nbgrader
        takes as the points of a test cell."""
        feedback = self.check(answer, **options)
        earned = round(self.points * feedback.share, 4)
        if earned <= 0:
            raise AssertionError(feedback.lines())
        print(feedback.lines())
        if earned < self.points:
            print(f"{earned:g} of {self.points:g} points: credit carried forward.")
        return earned

    def __repr__(self) -> str:
        return f"<{self.heading} (check_{self.name})>"


def _by_name(*exercises: Exercise) -> dict[str, Exercise]:
    """The exercises by name, numbered 1, 2, … in the order given."""
    if [e.number for e in exercises] != list(range(1, len(exercises) + 1)):
        raise ValueError("exercises must be numbered 1, 2, … in order")
    return {e.name: e for e in exercises}


_SIGMOID = formulas.ACTIVATIONS["sigmoid"].description

REGISTRY: dict[str, Exercise] = _by_name(
    Exercise(
        1,
        "z_hidden",
        "z² of the hidden layer",
        rules.z_hidden,
        hint=(
            f"Each hidden node i adds up its weighted inputs: {formulas.net_input(2)}, where "
            f"{formulas.INPUT} and the bias unit a¹₀ is always 1. θ¹ᵢⱼ runs from input j to hidden "
            "node i, so z²₁ uses the weights θ¹₁ⱼ that end at node 1."
        ),
    ),
    Exercise(
        2,
        "a_hidden",
        "a² of the hidden layer",
        rules.a_hidden,
        hint=(
            "Apply the activation to each net input, node by node: "
            f"{formulas.activation(2)}, where g is {_SIGMOID}. A sigmoid's output is always "
            "between 0 and 1, and above ½ exactly when z is positive."
        ),
    ),
    Exercise(
        3,
        "output",
        "The output ŷ",
        rules.output,
        hint=(
            "The output layer works like the hidden one, with the hidden activations as its "
            f"inputs: {formulas.net_input(3)} with a²₀ = 1, then ŷ = {formulas.activation(3)}."
        ),
    ),
    Exercise(
        4,
        "error",
        "The error E",
        rules.error,
        hint=(
            f"For one instance the lecture's error is {formulas.ERROR}: the squared difference "
            "between target and output, halved (the ½ makes the derivative tidy). Here there is "
            "one output, so the sum has one term."
        ),
    ),
    Exercise(
        5,
        "output_delta",
        "δ at the output",
        rules.output_delta,
        hint=(
            f"The lecture attaches an error term to each output node: {formulas.output_delta(3)}. "
            "Mind the order in (y − ŷ): target minus output. For the sigmoid, "
            f"{formulas.sigmoid_slope(3, 'i')}, and a³ᵢ = g(z³ᵢ) is a number you already have."
        ),
    ),
    Exercise(
        6,
        "hidden_delta",
        "δ at the hidden nodes",
        rules.hidden_delta,
        hint=(
            "A hidden node has no target; it gets its error term from the nodes it feeds: "
            f"{formulas.hidden_delta(2)}. The weight is θ², the one between layers 2 and 3 that "
            "carried a²ⱼ forward; here the sum has a single term (one output). "
            f"{formulas.sigmoid_slope(2, 'j')}."
        ),
    ),
    Exercise(
        7,
        "dtheta_output",
        "Δθ² for the output weights",
        rules.dtheta_output,
        hint=(
            f"The generalized delta rule: {formulas.delta_theta(2)}: η times the error term at the "
            "weight's head times the activation at its tail, a step downhill."
        ),
    ),
    Exercise(
        8,
        "update",
        "One full update",
        rules.update,
        points=2,
        hint=(
            "Compute every Δθ first, from the forward and backward pass of the old weights: "
            f"{formulas.delta_theta('l')} for both layers (you have δ³ and δ² already). Then add "
            f"them all at once: {formulas.update('l')}. Do not change θ² before computing δ²."
        ),
    ),
    Exercise(
        9,
        "gradient_signs",
        "Predict the sign of ∂E/∂θ",
        signs.gradient_signs,
        hint=(
            f"By the chain rule, {formulas.gradient('l')}. Find the sign of each factor: sigmoid "
            "activations are positive (an input can be 0), the output's δ has the sign of y − ŷ, "
            f"and a hidden {formulas.hidden_delta(2)} with one output and g' > 0 has the sign of "
            "θ²₁ⱼ δ³₁."
        ),
    ),
    Exercise(
        10,
        "diverging_eta",
        "A learning rate that diverges",
        divergence.diverging_eta,
        hint=(
            "Each update moves θ by η times the gradient. If η is so large that a step jumps past "
            "the bottom of the error valley to a point higher up the other side, the next, "
            "steeper step jumps further still: E grows instead of falling. Try learning rates "
            "ten times larger each time until E no longer falls."
        ),
    ),
    Exercise(
        11,
        "deltas",
        "Every δ, on the diagram",
        deltas.deltas,
        points=2,
        hint=(
            f"Work from right to left. The output first: {formulas.one_output_delta(4)}. Then each "
            "hidden node j of layer l collects the δ of every node i it feeds, weighted by the "
            f"connecting θˡᵢⱼ: {formulas.hidden_delta('l')}, with {formulas.sigmoid_slope()} for "
            "the sigmoid."
        ),
    ),
)

EXERCISES = {name: exercise.title for name, exercise in REGISTRY.items()}
"""The title of each exercise, by name, in the sheet's order."""


def deltas_feedback(marks: dict) -> Feedback:
    """Exercise 11's feedback on a set of δ marks (from ``delta_marks``)."""
    return REGISTRY["deltas"].feedback(deltas.deltas_verdict(marks))


# -- check_<name>, assert_<name> and hint_<name>, made from the registry ------------------------


def _check(exercise: Exercise) -> Callable[..., Feedback]:
    def check(answer, *args, **options) -> Feedback:
        return exercise.check(answer, *args, **options)

    check.__doc__ = exercise.judge.__doc__
    check.__signature__ = inspect.signature(exercise.judge).replace(return_annotation="Feedback")
    return check


def _assert(exercise: Exercise) -> Callable[..., None]:
    def assert_(answer, **kwargs) -> None:
        exercise.require(answer, **kwargs)

    assert_.__doc__ = f"Exercise {exercise.number} as an assert cell."
    signature = inspect.signature(assert_)
    if len(inspect.signature(exercise.judge).parameters) == 1:  # the answer, no options
        assert_.__signature__ = signature.replace(parameters=[signature.parameters["answer"]])
    return assert_


def _grade(exercise: Exercise) -> Callable[..., float]:
    def grade(answer, **kwargs) -> float:
        return exercise.grade(answer, **kwargs)

    grade.__doc__ = (
        f"Exercise {exercise.number} as an nbgrader test cell: the points earned, out of "
        f"{exercise.points:g}."
    )
    signature = inspect.signature(exercise.judge).replace(return_annotation="float")
    grade.__signature__ = signature
    return grade


def _hint(exercise: Exercise) -> Callable[[], Hint]:
    def hint() -> Hint:
        return Hint(exercise.hint)

    hint.__doc__ = f"Exercise {exercise.number}'s hint: the idea to use, not the number."
    return hint


def _publish(function: Callable, name: str) -> str:
    """Put ``function`` in this module as ``name``."""
    function.__name__ = function.__qualname__ = name
    globals()[name] = function
    return name


_GENERATED = [
    _publish(make(exercise), f"{kind}_{exercise.name}")
    for exercise in REGISTRY.values()
    for kind, make in (("check", _check), ("assert", _assert), ("grade", _grade), ("hint", _hint))
]

__all__ = [
    *_GENERATED,
    "ATOL",
    "CARRIED_CREDIT",
    "EARLIER",
    "EXERCISES",
    "LEARNING_RATE",
    "REGISTRY",
    "RTOL",
    "SIGN_PARAMETERS",
    "Exercise",
    "Feedback",
    "Hint",
    "Mark",
    "activation_text",
    "deep_instance",
    "deep_network",
    "delta_marks",
    "delta_mistakes",
    "deltas_feedback",
    "describe",
    "instance",
    "network",
    "node_name",
    "number_text",
    "parse_number",
    "subscript",
    "superscript",
    "theta_name",
    "values_text",
]
