"""The exercise sheet's checkers: right answers pass, each targeted mistake is named, nothing a
student types makes a checker raise, hints never give the number, and the δ quiz marks its
boxes."""

import re

import numpy as np
import pytest
from sheet_answers import (  # the sheet's numbers, shared with the other sheet tests
    BIAS1,
    BIAS2,
    DEEP,
    DEEP_DELTAS,
    DEEP_T,
    DEEP_X,
    DEEP_Y,
    ETA,
    G2,
    G3,
    NET,
    NEW_WEIGHTS,
    RIGHT,
    THETA1,
    THETA2,
    T,
    X,
    Y,
)

import backprop_widgets as bw
from backprop_widgets import exercises as ex
from backprop_widgets.engine.activations import sigmoid
from backprop_widgets.teaching import sheet
from backprop_widgets.widgets.delta_quiz import DeltaQuiz

# A wrong answer for each exercise.
WRONG = {
    "z_hidden": T.z[1] + 1,
    "a_hidden": T.z[1],
    "output": T.z[2][0],
    "error": 2 * T.error,
    "output_delta": -T.delta[2][0],
    "hidden_delta": -T.delta[1],
    "dtheta_output": -T.dtheta[1],
    "update": T.dtheta,
    "gradient_signs": ["+", "+", "+"],
    "diverging_eta": 0.01,
    "deltas": [[-v for v in row] for row in DEEP_DELTAS],
}


def check(name):
    return getattr(ex, f"check_{name}")


def significant(value, digits):
    """``value`` (a number or nested arrays) rounded to ``digits`` significant digits."""
    if isinstance(value, list) and value and isinstance(value[0], np.ndarray):
        return [significant(v, digits) for v in value]
    rounded = np.vectorize(lambda v: float(f"{v:.{digits}g}"))(np.asarray(value, dtype=float))
    return rounded.tolist()


# -- the sheet ---------------------------------------------------------------------------


def test_the_sheet_uses_the_lecture_network_with_round_weights_and_an_xor_instance():
    assert NET.sizes == [2, 2, 1] and NET.activation == NET.output_activation == "sigmoid"
    for p in NET.weights + NET.biases:
        assert np.allclose(p * 10, np.round(p * 10))
    assert (X.tolist(), Y.tolist()) in [
        (x.tolist(), y.tolist()) for x, y in zip(*bw.datasets.xor())
    ]
    assert DEEP.sizes == [2, 2, 2, 1]


def test_describe_prints_every_given_number_in_lecture_notation():
    text = ex.describe()
    assert "θ¹₂₁ = -0.6" in text and "θ²₁₀ = -0.3" in text
    assert "x = (x₁, x₂) = (1, 0)" in text and "y = 1" in text and "η = 2" in text


def test_expected_answers_come_from_the_engine_not_from_typed_numbers(monkeypatch):
    other = bw.MLP([2, 2, 1], seed=3)
    monkeypatch.setattr(sheet, "network", lambda output_activation="sigmoid": other.copy())
    t = other.trace(X, Y)
    assert ex.check_z_hidden(t.z[1])
    assert ex.check_hidden_delta(t.delta[1])
    assert not ex.check_z_hidden(T.z[1])


# -- right answers -------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(RIGHT))
def test_the_right_answer_is_accepted(name):
    feedback = check(name)(RIGHT[name])
    assert feedback and feedback.correct and feedback.mistake == "right"
    assert feedback.title.startswith(f"Exercise {list(ex.EXERCISES).index(name) + 1}:")


@pytest.mark.parametrize("digits", [3, 4])
@pytest.mark.parametrize("name", [n for n in RIGHT if n not in ("gradient_signs", "diverging_eta")])
def test_hand_computed_answers_to_three_or_four_digits_are_accepted(name, digits):
    answer = RIGHT[name]
    if name == "deltas":
        rounded = [significant(row, digits) for row in answer]
    else:
        rounded = significant(answer, digits)
    assert check(name)(rounded)


@pytest.mark.parametrize("name", list(RIGHT))
def test_assert_variant_passes_the_right_answer_and_raises_with_the_feedback(name):
    assert getattr(ex, f"assert_{name}")(RIGHT[name]) is None
    message = check(name)(WRONG[name]).message
    with pytest.raises(AssertionError) as raised:
        getattr(ex, f"assert_{name}")(WRONG[name])
    # The feedback, wrapped on short lines for nbgrader.
    assert " ".join(message.split()) in " ".join(str(raised.value).split())
    with pytest.raises(AssertionError, match="Not answered yet"):
        getattr(ex, f"assert_{name}")(None)


def test_vectors_may_come_as_lists_tuples_arrays_rows_or_text_numbers():
    z = T.z[1]
    assert ex.check_z_hidden(list(z)) and ex.check_z_hidden(tuple(z))
    assert ex.check_z_hidden(z[None, :]) and ex.check_z_hidden([str(v) for v in z])
    assert ex.check_dtheta_output(T.dtheta[1][0]) and ex.check_output(str(T.a[2][0]))
    assert ex.check_output([T.a[2][0]]) and ex.check_output(f"{T.a[2][0]:.4f}".replace(".", ","))


# -- named mistakes ------------------------------------------------------------------------

MISTAKES = [
    ("z_hidden", THETA1 @ X, "forgot_bias", "bias"),
    ("z_hidden", THETA1.T @ X + BIAS1, "transposed_theta", "θ¹ᵢⱼ connects input node j"),
    ("z_hidden", T.a[1], "gave_a", "That is a² = g(z²)"),
    ("a_hidden", T.z[1], "gave_z", "apply the sigmoid"),
    ("a_hidden", sigmoid(-T.z[1]), "sign_in_exponent", "e^(−z)"),
    ("output", T.z[2][0], "gave_z", "ŷ = a³₁ = g(z³₁)"),
    ("output", sigmoid(THETA2 @ T.a[1])[0], "forgot_bias", "bias"),
    ("output", sigmoid(THETA2 @ T.z[1] + BIAS2)[0], "used_z_not_a", "activations a²"),
    ("error", (Y[0] - T.a[2][0]) ** 2, "forgot_half", "½"),
    ("error", Y[0] - T.a[2][0], "not_squared", "squares"),
    ("output_delta", -T.delta[2][0], "wrong_sign", "you computed ∂E/∂z³"),
    ("output_delta", (Y - T.a[2])[0], "forgot_g_prime", "g'(z³)"),
    ("output_delta", (T.a[2] - Y)[0], "forgot_g_prime_wrong_sign", "ŷ − y"),
    (
        "output_delta",
        ((Y - T.a[2]) * sigmoid(T.a[2]) * (1 - sigmoid(T.a[2])))[0],
        "g_prime_of_a",
        "at a instead of at z",
    ),
    ("output_delta", ((Y - T.a[2]) * T.z[2] * (1 - T.z[2]))[0], "z_for_a", "a (1 − a)"),
    ("output_delta", ((Y - T.a[2]) * T.a[2])[0], "g_not_g_prime", "derivative"),
    ("hidden_delta", -T.delta[1], "wrong_sign", "δ = −∂E/∂z"),
    ("hidden_delta", THETA2.T @ T.delta[2], "forgot_g_prime", "g'(z²ⱼ)"),
    ("hidden_delta", (THETA1[:1].T @ T.delta[2]) * G2, "theta_index_slip", "Generalized Delta"),
    (
        "hidden_delta",
        (THETA2.T @ (T.delta[2] * G3)) * G2,
        "g_prime_of_layer_above",
        "already contains it",
    ),
    ("hidden_delta", T.delta[2].sum() * G2, "forgot_theta", "along the weights"),
    ("hidden_delta", (THETA2.T @ (Y - T.a[2])) * G2, "carried_error_back", "y − ŷ back"),
    ("dtheta_output", np.outer(T.delta[2], T.a[1]), "forgot_eta", "learning rate"),
    ("dtheta_output", -T.dtheta[1], "wrong_sign", "Δθ = −η ∂E/∂θ"),
    ("dtheta_output", -np.outer(T.delta[2], T.a[1]), "gradient_not_change", "gradient"),
    (
        "dtheta_output",
        ETA * T.delta[2][0] * T.a[2][0] * np.ones(2),
        "used_output_activation",
        "a²ⱼ",
    ),
    ("dtheta_output", ETA * np.outer(T.delta[2], X), "used_x", "inputs x"),
    ("dtheta_output", ETA * np.outer(T.delta[2], T.z[1]), "used_z", "activation a²ⱼ"),
    ("update", [W - d for W, d in zip(NET.weights, T.dtheta)], "wrong_sign", "subtracted"),
    ("update", [W + d / ETA for W, d in zip(NET.weights, T.dtheta)], "forgot_eta", "η"),
    ("update", T.dtheta, "gave_changes", "θ + Δθ"),
    ("update", [THETA1, NEW_WEIGHTS[1]], "only_output_updated", "θ² only"),
    ("update", [NEW_WEIGHTS[0], THETA2], "only_hidden_updated", "θ¹ only"),
    ("update", [THETA1 + T.dtheta[0].T, NEW_WEIGHTS[1]], "transposed_dtheta", "transposed"),
]


@pytest.mark.parametrize(
    "name, answer, mistake, words", MISTAKES, ids=[f"{m[0]}-{m[2]}" for m in MISTAKES]
)
def test_each_targeted_mistake_is_named_with_specific_feedback(name, answer, mistake, words):
    feedback = check(name)(answer)
    assert not feedback
    assert feedback.mistake == mistake
    assert words in feedback.message


def test_updating_theta2_before_computing_delta2_is_named():
    new_theta2 = THETA2 + T.dtheta[1]
    late_delta2 = (new_theta2.T @ T.delta[2]) * G2
    feedback = ex.check_update([THETA1 + ETA * np.outer(late_delta2, X), new_theta2])
    assert feedback.mistake == "sequential_update"
    assert "all parameters at once" in feedback.message


def test_the_output_delta_sign_feedback_names_the_lecture_convention():
    message = ex.check_output_delta(-T.delta[2][0]).message
    assert "δ = −∂E/∂z" in message and "(y − ŷ) g'(z)" in message


def test_a_partly_right_vector_says_which_entries_are_right():
    feedback = ex.check_hidden_delta([T.delta[1][0], 0.3])
    assert not feedback and feedback.mistake == "wrong"
    assert "δ²₁ is right" in feedback.message and "δ²₂ is not" in feedback.message


def test_a_partly_right_vector_names_the_mistake_of_the_wrong_entry():
    feedback = ex.check_z_hidden([T.z[1][0], (THETA1.T @ X + BIAS1)[1] + 0.0])
    # z²₁ does not tell θ¹ from its transpose (x₂ = 0): the whole answer is the mistake.
    assert feedback.mistake == "transposed_theta"
    feedback = ex.check_z_hidden([T.z[1][0], T.a[1][1]])
    assert "z²₁ is right; z²₂ is not (that is a², not z²)" in feedback.message
    feedback = ex.check_z_hidden([T.z[1][0] + 1, T.a[1][1]])
    assert "z²₁ is not; z²₂ is not (that is a², not z²)" in feedback.message


def test_an_answer_close_to_the_right_one_is_told_to_keep_more_digits():
    feedback = ex.check_output_delta(T.delta[2][0] * 1.02)
    assert feedback.mistake == "close" and "significant digits" in feedback.message


# -- answers that are not numbers --------------------------------------------------------

ODD_ANSWERS = [
    "abc",
    "",
    [],
    [[1, 2], [3]],
    {"z": 1},
    object(),
    float("nan"),
    float("inf"),
    True,
    np.array([np.nan, 1.0]),
    [None, 1.0],
    [1.0, 2.0, 3.0],
    [["a", "b"], ["c", "d"]],
]


@pytest.mark.parametrize("name", list(RIGHT))
@pytest.mark.parametrize("answer", ODD_ANSWERS, ids=[repr(a)[:20] for a in ODD_ANSWERS])
def test_no_answer_makes_a_checker_raise(name, answer):
    feedback = check(name)(answer)
    assert isinstance(feedback, ex.Feedback) and not feedback
    assert feedback.message and str(feedback) == feedback.message


@pytest.mark.parametrize("name", list(RIGHT))
def test_unanswered_says_not_answered_yet_without_raising(name):
    feedback = check(name)(None)
    assert not feedback and not feedback.answered
    assert feedback.mistake == "not_answered" and "Not answered yet" in feedback.message
    assert "bw-feedback-open" in feedback._repr_html_()


def test_a_wrong_shape_says_what_shape_is_expected():
    assert ex.check_z_hidden([0.5]).mistake == "wrong_shape"
    assert "2 numbers" in ex.check_z_hidden([0.5]).message
    feedback = ex.check_update([np.zeros(4), np.zeros(2)])
    assert feedback.mistake == "wrong_shape" and "(2, 2)" in feedback.message
    assert ex.check_update(np.zeros(3)).mistake == "wrong_shape"
    assert ex.check_z_hidden(["x", 1]).mistake == "not_a_number"


# -- hints ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(RIGHT))
def test_every_exercise_has_a_hint_that_does_not_give_the_answer(name):
    hint = getattr(ex, f"hint_{name}")()
    assert isinstance(hint, ex.Hint) and len(hint.text) > 40
    assert check(name)(None).hint().text == hint.text == check(name)(RIGHT[name]).hint().text
    assert not re.search(r"[0-9][.,][0-9]", hint.text), "a hint gives no decimal numbers"
    if name not in ("gradient_signs", "diverging_eta"):
        answer = RIGHT[name]
        values = (
            np.concatenate([np.ravel(np.asarray(part, dtype=float)) for part in answer])
            if isinstance(answer, list)
            else np.ravel(answer)
        )
        for value in values:
            for digits in (2, 3, 4):
                assert f"{abs(value):.{digits}g}" not in hint.text
    assert "Hint" in hint._repr_html_() and repr(hint).startswith("Hint: ")


# -- feedback objects ----------------------------------------------------------------------


def test_feedback_is_truthy_when_right_and_shows_as_a_coloured_box():
    right, wrong = ex.check_error(T.error), ex.check_error(2 * T.error)
    assert bool(right) and not bool(wrong)
    assert "bw-feedback-right" in right._repr_html_() and "✓" in repr(right)
    assert "bw-feedback-wrong" in wrong._repr_html_() and "✗" in repr(wrong)
    assert "<script>" not in ex.check_output("<script>")._repr_html_()


# -- predict the sign of a gradient --------------------------------------------------------


def test_sign_predictions_are_checked_against_the_gradient_and_revealed():
    dW, _ = NET.gradients(X[None], Y[None])
    truth = [
        "+" if dW[l][i, j] > 0 else "-" if dW[l][i, j] < 0 else "0"
        for l, i, j in ex.SIGN_PARAMETERS
    ]
    assert ex.check_gradient_signs(truth)
    feedback = ex.check_gradient_signs(["+" if s == "-" else "-" for s in truth])
    assert not feedback and "✗ (you said" in feedback.message
    assert f"{dW[1][0, 1]:.4g}" in feedback.message  # the value is revealed
    assert "θ²₁₂ δ³₁" in feedback.message  # and explained by the chain rule's factors


def test_sign_predictions_accept_words_numbers_and_a_string():
    assert ex.check_gradient_signs(["negative", "positive", "zero"])
    assert ex.check_gradient_signs(["−", 1, 0]) and ex.check_gradient_signs("-+0")
    feedback = ex.check_gradient_signs(["-", None, None])
    assert not feedback and "not answered yet" in feedback.message
    assert ex.check_gradient_signs(["up", "+", "0"]).mistake == "not_a_number"


# -- a learning rate that diverges ---------------------------------------------------------


def test_a_small_learning_rate_is_told_that_E_still_falls():
    feedback = ex.check_diverging_eta(0.5)
    assert not feedback and feedback.mistake == "still_learning"
    assert "E still falls at η = 0.5" in feedback.message and "larger" in feedback.message


def test_a_learning_rate_that_overflows_or_grows_is_confirmed():
    assert "overflowed" in ex.check_diverging_eta(3.0).message
    assert "kept growing" in ex.check_diverging_eta(2.0).message


def test_the_divergence_checker_trains_a_copy_of_the_given_network():
    net = ex.network()
    before = [p.copy() for p in net.weights + net.biases]
    feedback = ex.check_diverging_eta(100.0, net=net, epochs=20)
    assert all(np.array_equal(p, q) for p, q in zip(net.weights + net.biases, before))
    assert feedback  # a sigmoid output saturates: E ends higher than it started
    assert ex.check_diverging_eta(-1).mistake == "not_positive"
    with pytest.raises(TypeError, match="net must be"):
        ex.check_diverging_eta(1.0, net="xor")


# -- every δ, as a list --------------------------------------------------------------------


def test_deltas_may_be_given_layer_aligned_like_the_trace():
    assert ex.check_deltas([None] + DEEP_DELTAS) and ex.check_deltas([[]] + DEEP_DELTAS)


def test_deltas_name_the_mistake_of_each_wrong_node():
    answer = [list(row) for row in DEEP_DELTAS]
    answer[1][1] = -answer[1][1]  # δ³₂ with the wrong sign
    feedback = ex.check_deltas(answer)
    assert not feedback and feedback.mistake == "wrong_sign"
    assert "4 of 5 right" in feedback.message and "δ³₂" in feedback.message


def test_deltas_name_the_slides_theta_index_slip_in_the_deep_network():
    g2 = DEEP_T.a[1] * (1 - DEEP_T.a[1])
    slip = (DEEP.weights[0].T @ DEEP_T.delta[2]) * g2  # θ¹ where θ² belongs
    feedback = ex.check_deltas([slip.tolist()] + DEEP_DELTAS[1:])
    assert feedback.mistake == "theta_index_slip"
    assert "δ²₁: You used θ¹ᵢⱼ" in feedback.message and "θ²ᵢⱼ" in feedback.message


def test_a_delta_that_follows_from_a_wrong_layer_above_says_to_fix_that_layer_first():
    wrong_above = (2 * DEEP_T.delta[2]).tolist()
    g2 = DEEP_T.a[1] * (1 - DEEP_T.a[1])
    follows = (DEEP.weights[1].T @ np.array(wrong_above)) * g2
    feedback = ex.check_deltas([follows.tolist(), wrong_above, DEEP_DELTAS[2]])
    assert not feedback
    assert "fix layer 3 first" in feedback.message


def test_deltas_of_the_wrong_shape_are_refused_with_the_expected_layout():
    feedback = ex.check_deltas([[0.1, 0.2], [0.3]])
    assert feedback.mistake == "wrong_shape" and "[[δ²₁, δ²₂], [δ³₁, δ³₂], [δ⁴₁]]" in str(feedback)


# -- the δ quiz on the diagram -------------------------------------------------------------


@pytest.fixture
def quiz():
    return ex.delta_quiz()


def test_the_quiz_shows_the_network_with_activations_and_no_deltas_yet(quiz):
    assert quiz.view.root_class == "bw-quiz-network" and quiz.view.annotated
    assert quiz.view.a == [v.tolist() for v in DEEP_T.a]
    assert quiz.view.delta == []
    labels = [node["label"] for column in quiz.inputs.columns for node in column["nodes"]]
    assert labels == ["", "", "δ²₁", "δ²₂", "δ³₁", "δ³₂", "δ⁴₁"]
    assert any("θ²₁₂ = -1.1" in line for line in quiz.inputs.notes)


def test_right_entries_are_confirmed_and_appear_on_the_diagram(quiz):
    quiz.enter(3, 0, str(DEEP_T.delta[3][0]))
    feedback = quiz.check()
    assert not feedback
    assert quiz.inputs.marks["3,0"] == {"state": "right", "text": "✓"}
    assert quiz.view.delta[3] == [DEEP_T.delta[3][0]] and quiz.view.delta[2] == [None, None]


def test_all_right_marks_every_box_and_shows_every_delta(quiz):
    quiz.fill(DEEP_DELTAS)
    feedback = quiz.check()
    assert feedback and quiz.solved
    assert all(m["state"] == "right" for m in quiz.inputs.marks.values())
    assert quiz.view.delta == [[]] + DEEP_DELTAS
    assert "on the diagram" in quiz.inputs.message
    assert ex.check_deltas(quiz)


def test_wrong_entries_are_marked_with_the_reason(quiz):
    answer = [list(row) for row in DEEP_DELTAS]
    answer[2][0] = -answer[2][0]
    quiz.fill(answer)
    quiz.check()
    mark = quiz.inputs.marks["3,0"]
    assert mark["state"] == "wrong" and "wrong sign" in mark["text"]
    assert "δ⁴₁" in quiz.inputs.message and not quiz.solved


def test_text_that_is_not_a_number_gets_a_visible_message_not_a_traceback(quiz):
    quiz.enter(1, 1, "abc")
    quiz.enter(2, 0, "0,5")  # a decimal comma is a number
    feedback = quiz.check()
    assert quiz.inputs.marks["1,1"] == {"state": "invalid", "text": "✗ not a number"}
    assert "'abc' is not a number" in feedback.message
    assert quiz.inputs.marks["2,0"]["state"] == "wrong"
    assert quiz.answer[0] == [None, None] and quiz.answer[1][0] == 0.5


def test_editing_a_box_clears_its_mark(quiz):
    quiz.fill(DEEP_DELTAS)
    quiz.check()
    quiz.enter(1, 0, "0.1")
    assert "1,0" not in quiz.inputs.marks and "1,1" in quiz.inputs.marks
    assert not quiz.solved


def test_the_browsers_check_message_carries_the_typed_entries(quiz):
    typed = {"3,0": str(DEEP_T.delta[3][0]), "9,9": "ignored", "1,0": 5}
    quiz._on_message(quiz.inputs, {"type": "check", "entries": typed}, [])
    assert quiz.entries["3,0"] == typed["3,0"] and "9,9" not in quiz.entries
    assert quiz.entries["1,0"] == ""
    assert quiz.inputs.marks["3,0"]["state"] == "right"
    quiz._on_message(quiz.inputs, {"type": "select", "weight": "0,0,0"}, [])
    quiz._on_message(quiz.inputs, "nonsense", [])


def test_the_quiz_refuses_bad_arguments(quiz):
    with pytest.raises(TypeError, match="net must be"):
        DeltaQuiz("net", DEEP_X, DEEP_Y)
    with pytest.raises(ValueError):
        DeltaQuiz(DEEP, [1.0, 2.0, 3.0], DEEP_Y)
    with pytest.raises(ValueError, match="must name a node"):
        quiz.enter(0, 0, "1")
    with pytest.raises(ValueError, match="layers 2"):
        quiz.fill([[0.1, 0.2]])


def test_the_quiz_works_for_any_network():
    net = bw.MLP([3, 4, 2], activation="tanh", seed=1)
    x, y = np.array([0.5, -1.0, 2.0]), np.array([1.0, 0.0])
    quiz = DeltaQuiz(net, x, y)
    quiz.fill([d.tolist() for d in net.trace(x, y).delta[1:]])
    assert quiz.check()
