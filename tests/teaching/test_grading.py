"""Asserts and grades that grade right: every form of a right answer passes, None is "Not
answered yet" (an AssertionError, never a TypeError), each named mistake fails with its
diagnosis on lines nbgrader keeps whole, and a value wrong only because an earlier answer was
wrong is named as such and earns part of the points, at every layer it is carried to."""

import inspect

import numpy as np
import pytest
from sheet_answers import (  # the sheet's numbers, shared with the other sheet tests
    DEEP,
    DEEP_DELTAS,
    DEEP_T,
    ETA,
    NET,
    NEW_WEIGHTS,
    RIGHT,
    THETA1,
    THETA2,
    T,
    X,
    Y,
)

from backprop_widgets import exercises as ex
from backprop_widgets.teaching import mistakes
from backprop_widgets.teaching.sheet import worked

NAMES = list(RIGHT)
MAX_LINE = 80  # nbgrader's validator keeps 83 characters of each indented line


def assert_(name):
    return getattr(ex, f"assert_{name}")


def grade(name):
    return getattr(ex, f"grade_{name}")


def raised(function, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as caught:
        function(*args, **kwargs)
    return str(caught.value)


def short_lines(text: str) -> bool:
    return all(len(line) <= MAX_LINE for line in text.split("\n"))


# -- right answers, in every documented form -----------------------------------------------

ONE_NUMBER = ["output", "error", "output_delta"]


@pytest.mark.parametrize("name", ONE_NUMBER)
@pytest.mark.parametrize(
    "form",
    [float, np.float64, np.array, lambda v: [v], lambda v: np.array([v]), lambda v: f"{v:.6f}"],
    ids=["float", "float64", "0-d array", "list", "array (1,)", "text"],
)
def test_one_number_may_be_a_float_an_array_or_a_list(name, form):
    answer = form(RIGHT[name])
    assert assert_(name)(answer) is None
    assert grade(name)(answer) == ex.REGISTRY[name].points


@pytest.mark.parametrize("name", ["z_hidden", "a_hidden", "hidden_delta", "dtheta_output"])
@pytest.mark.parametrize(
    "form",
    [list, tuple, np.array, lambda v: np.reshape(v, (1, -1)), lambda v: np.reshape(v, (-1, 1))],
    ids=["list", "tuple", "array", "row", "column"],
)
def test_a_vector_may_be_a_list_a_tuple_or_an_array_of_any_vector_shape(name, form):
    answer = form(np.ravel(RIGHT[name]))
    assert assert_(name)(answer) is None and grade(name)(answer) == 1


def test_the_update_may_be_arrays_or_nested_lists():
    assert ex.grade_update(NEW_WEIGHTS) == 2
    assert ex.grade_update([W.tolist() for W in NEW_WEIGHTS]) == 2
    assert ex.grade_update(tuple(NEW_WEIGHTS)) == 2


@pytest.mark.parametrize("digits", [3, 4])
@pytest.mark.parametrize("name", [n for n in NAMES if n not in ("gradient_signs", "diverging_eta")])
def test_answers_rounded_to_three_or_four_digits_earn_every_point(name, digits):
    def rounded(value):
        if isinstance(value, list):
            return [rounded(v) for v in value]
        return np.vectorize(lambda v: float(f"{v:.{digits}g}"))(np.asarray(value)).tolist()

    assert grade(name)(rounded(RIGHT[name])) == ex.REGISTRY[name].points


@pytest.mark.parametrize("name", NAMES)
def test_a_right_answer_earns_the_exercise_points_and_says_so(name, capsys):
    assert grade(name)(RIGHT[name]) == ex.REGISTRY[name].points
    printed = capsys.readouterr()
    assert printed.out.startswith(f"Exercise {ex.REGISTRY[name].number}:")
    assert printed.err == ""  # nbgrader gives no points to a test cell that writes to stderr


def test_points_are_declared_with_the_exercises():
    assert [e.points for e in ex.REGISTRY.values()] == [1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 2]
    signature = inspect.signature(ex.grade_hidden_delta)
    assert str(signature) == "(answer, *, delta3=None, a2=None) -> 'float'"


# -- unanswered, odd and wrongly shaped answers ----------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kind", ["assert", "grade"])
def test_none_is_not_answered_yet_as_an_assertion_error(name, kind):
    message = raised(getattr(ex, f"{kind}_{name}"), None)
    assert "Not answered yet" in message and short_lines(message)


@pytest.mark.parametrize(
    "name, answer, words",
    [
        ("z_hidden", [0.5], "2 numbers"),
        ("z_hidden", [[0.5, 0.1], [0.2, 0.3]], "2 numbers"),
        ("output", [0.5, 0.5], "1 number"),
        ("update", [np.zeros(4), np.zeros(2)], "(2, 2)"),
        ("update", np.zeros(3), "[θ¹, θ²]"),
        ("gradient_signs", ["+", "-"], "3 signs"),
        ("deltas", [[0.1, 0.2], [0.3]], "layer by layer"),
    ],
)
def test_a_wrong_shape_fails_with_the_expected_shape_not_a_type_error(name, answer, words):
    message = raised(grade(name), answer)
    assert words in message and short_lines(message)


# -- every named mistake, diagnosed on short lines -------------------------------------------


def catalogue():
    """(exercise, answer, mistake) for every mistake of the catalogue, shaped as the exercise
    asks."""
    w = worked()
    found = []
    for name, made in [
        ("z_hidden", mistakes.z_hidden(w)),
        ("a_hidden", mistakes.a_hidden(w)),
        ("output", mistakes.output(w)),
        ("error", mistakes.error(w)),
        ("output_delta", mistakes.delta_mistakes(w.net, w.trace, 2)),
        ("hidden_delta", mistakes.delta_mistakes(w.net, w.trace, 1)),
        ("dtheta_output", mistakes.dtheta_output(w, ETA)),
        ("update", mistakes.update(w, ETA)),
    ]:
        for m in made:
            answer = np.ravel(m.value)
            if name == "update":
                answer = [answer[:4].reshape(2, 2), answer[4:].reshape(1, 2)]
            found.append((name, answer, m))
    return found


CATALOGUE = catalogue()


@pytest.mark.parametrize(
    "name, answer, mistake", CATALOGUE, ids=[f"{n}-{m.key}" for n, _, m in CATALOGUE]
)
def test_each_named_mistake_fails_with_its_diagnosis_on_short_lines(name, answer, mistake):
    message = raised(assert_(name), answer)
    assert message.split("\n")[0] == ex.REGISTRY[name].heading
    assert " ".join(mistake.message.split()) in " ".join(message.split())
    assert short_lines(message)
    assert raised(grade(name), answer) == message


def test_formulas_are_kept_whole_when_the_diagnosis_is_wrapped():
    message = raised(ex.assert_output_delta, -T.delta[2][0])
    assert any("δ = −∂E/∂z" in line for line in message.split("\n"))


def test_long_feedback_of_signs_and_deltas_is_wrapped_too():
    assert short_lines(raised(ex.assert_gradient_signs, ["+", "-", "+"]))
    wrong = [[-v for v in row] for row in DEEP_DELTAS]
    assert short_lines(raised(ex.assert_deltas, wrong))


# -- credit carried forward ------------------------------------------------------------------

WRONG_Z2 = T.z[1] + np.array([0.3, 0.0])
WRONG_DELTA3 = -T.delta[2]


def follows(name, **earlier):
    """What exercise ``name``'s rule gives from the earlier answers ``earlier``."""
    earlier = {key: np.atleast_1d(np.asarray(v, dtype=float)) for key, v in earlier.items()}
    z2 = earlier.get("z2", T.z[1])
    a2 = earlier.get("a2", 1 / (1 + np.exp(-z2)))
    y_hat = earlier.get("y_hat", 1 / (1 + np.exp(-(THETA2 @ a2 + NET.biases[1]))))
    delta3 = earlier.get("delta3", (Y - y_hat) * y_hat * (1 - y_hat))
    delta2 = earlier.get("delta2", (THETA2.T @ delta3) * a2 * (1 - a2))
    dtheta2 = earlier.get("dtheta2", ETA * np.outer(delta3, a2))
    return {
        "a_hidden": a2,
        "output": y_hat[0],
        "error": 0.5 * float(np.sum((Y - y_hat) ** 2)),
        "output_delta": delta3[0],
        "hidden_delta": delta2,
        "dtheta_output": dtheta2,
        "update": [THETA1 + ETA * np.outer(delta2, X), THETA2 + dtheta2],
    }[name]


CARRIED = [
    ("a_hidden", {"z2": WRONG_Z2}, "your z² from exercise 1"),
    ("output", {"a2": T.a[1] + 0.1}, "your a² from exercise 2"),
    ("error", {"y_hat": 0.8}, "your ŷ from exercise 3"),
    ("output_delta", {"y_hat": 0.8}, "your ŷ from exercise 3"),
    ("hidden_delta", {"delta3": WRONG_DELTA3}, "your δ³₁ from exercise 5"),
    ("hidden_delta", {"a2": T.a[1] + 0.1}, "your a² from exercise 2"),
    ("dtheta_output", {"delta3": WRONG_DELTA3}, "your δ³₁ from exercise 5"),
    ("update", {"dtheta2": -T.dtheta[1]}, "your Δθ² from exercise 7"),
    ("update", {"delta2": -T.delta[1]}, "your δ² from exercise 6"),
]


@pytest.mark.parametrize(
    "name, earlier, source", CARRIED, ids=[f"{c[0]}-{next(iter(c[1]))}" for c in CARRIED]
)
def test_a_value_that_follows_from_a_wrong_earlier_answer_earns_part_of_the_points(
    name, earlier, source, capsys
):
    answer = follows(name, **earlier)
    feedback = ex.REGISTRY[name].check(answer, **earlier)
    assert not feedback and feedback.mistake == "carried_forward"
    assert f"Consistent with {source}" in feedback.message
    assert feedback.share == ex.CARRIED_CREDIT
    points = ex.REGISTRY[name].points
    assert grade(name)(answer, **earlier) == pytest.approx(points * ex.CARRIED_CREDIT)
    assert "credit carried forward" in capsys.readouterr().out
    assert "Consistent with" in raised(assert_(name), answer, **earlier)  # not right, though
    assert not ex.REGISTRY[name].check(answer)  # without the earlier answer: just wrong


def test_adding_a_delta_theta_of_the_wrong_sign_is_not_called_subtracting():
    answer = [THETA1 + T.dtheta[0], THETA2 - T.dtheta[1]]
    feedback = ex.check_update(answer, delta2=T.delta[1], dtheta2=-T.dtheta[1])
    assert feedback.mistake == "carried_forward" and "subtracted" not in feedback.message
    assert "your Δθ² from exercise 7" in feedback.message


def test_the_whole_chain_after_a_wrong_sign_of_delta3_is_carried_forward():
    delta2 = follows("hidden_delta", delta3=WRONG_DELTA3)
    dtheta2 = follows("dtheta_output", delta3=WRONG_DELTA3)
    assert ex.grade_hidden_delta(delta2, delta3=WRONG_DELTA3[0], a2=T.a[1]) == 0.5
    assert ex.grade_dtheta_output(dtheta2, delta3=WRONG_DELTA3[0], a2=T.a[1]) == 0.5
    update = follows("update", delta2=delta2, dtheta2=dtheta2)
    assert ex.grade_update(update, delta2=delta2, dtheta2=dtheta2) == 1.0
    # Without the earlier answers, the same δ² is just the wrong sign.
    assert ex.check_hidden_delta(delta2).mistake == "wrong_sign"


def test_right_earlier_answers_carry_nothing_forward():
    wrong = T.a[1] + 0.1
    feedback = ex.check_output(follows("output", a2=wrong), a2=T.a[1])
    assert feedback.mistake != "carried_forward" and feedback.share == 0
    rounded = np.round(T.a[1], 4)  # right within the tolerance: the right value is used
    assert ex.check_output(T.a[2][0], a2=rounded)


def test_a_mistake_made_on_top_of_a_wrong_earlier_answer_is_named():
    no_g_prime = THETA2.T @ WRONG_DELTA3  # δ² without g'(z²), from the wrong δ³
    feedback = ex.check_hidden_delta(no_g_prime, delta3=WRONG_DELTA3)
    assert feedback.mistake == "forgot_g_prime" and feedback.share == 0
    assert "You also worked from your δ³₁ from exercise 5" in feedback.message


def test_earlier_answers_that_cannot_be_read_are_ignored():
    assert ex.check_hidden_delta(T.delta[1], delta3="abc", a2=[1, 2, 3])
    assert ex.check_hidden_delta(T.delta[1], delta3=None)


def test_an_unknown_earlier_answer_is_refused_by_name():
    with pytest.raises(TypeError, match="delta4"):
        ex.check_hidden_delta(T.delta[1], delta4=0.1)
    with pytest.raises(TypeError, match="delta4"):
        ex.grade_hidden_delta(T.delta[1], delta4=0.1)


def test_sign_predictions_that_follow_from_the_students_own_deltas_earn_part():
    feedback = ex.check_gradient_signs(["+", "-", "0"], delta3=WRONG_DELTA3)
    assert feedback.mistake == "carried_forward" and "consistent with your δ³₁" in feedback.message
    assert feedback.share == pytest.approx((1 + 2 * ex.CARRIED_CREDIT) / 3)
    assert ex.check_gradient_signs(["-", "+", "+"]).share == pytest.approx(2 / 3)
    assert ex.grade_gradient_signs(["-", "+", "+"]) == pytest.approx(0.6667)


# -- exercise 11: every layer ----------------------------------------------------------------


def test_a_delta_following_from_a_wrong_delta_above_earns_part_at_every_layer():
    d4 = -DEEP_T.delta[3]
    d3 = (DEEP.weights[2].T @ d4) * DEEP_T.a[2] * (1 - DEEP_T.a[2])
    d2 = (DEEP.weights[1].T @ d3) * DEEP_T.a[1] * (1 - DEEP_T.a[1])
    feedback = ex.check_deltas([d2.tolist(), d3.tolist(), d4.tolist()])
    assert feedback.message.count("Consistent with your δ⁴") == 2
    assert feedback.message.count("Consistent with your δ³") == 2
    assert "4 following from a wrong δ above" in feedback.message
    assert feedback.share == pytest.approx(4 * ex.CARRIED_CREDIT / 5)
    assert ex.grade_deltas([d2.tolist(), d3.tolist(), d4.tolist()]) == pytest.approx(0.8)


def test_a_mistake_repeated_through_the_layers_is_named_at_every_layer():
    d4 = DEEP_T.y - DEEP_T.a[3]  # g'(z⁴) left out …
    d3 = DEEP.weights[2].T @ d4  # … and again in layer 3
    d2 = DEEP.weights[1].T @ d3  # … and in layer 2
    marks = ex.delta_marks(DEEP, DEEP_T, [[], d2.tolist(), d3.tolist(), d4.tolist()])
    assert {m.mistake for m in marks.values()} == {"forgot_g_prime"}
    assert all("again" in marks[l, i].short for l in (1, 2) for i in (0, 1))
    assert "The same mistake as in layer 4, again." in marks[2, 0].message
    assert "The same mistake as in layer 3, again." in marks[1, 1].message
    assert raised(ex.grade_deltas, [d2.tolist(), d3.tolist(), d4.tolist()]).count("again") == 4


def test_a_mistake_made_on_a_wrong_delta_above_of_another_kind_says_so():
    d4 = -DEEP_T.delta[3]  # the wrong sign at the output, then g' left out in layer 3
    d3 = DEEP.weights[2].T @ d4
    marks = ex.delta_marks(DEEP, DEEP_T, [[], [None, None], d3.tolist(), d4.tolist()])
    assert marks[2, 0].mistake == "forgot_g_prime"
    assert "You also worked from your δ⁴, which is not right." in marks[2, 0].message
