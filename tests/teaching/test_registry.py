"""The exercise registry: each exercise declared once, its check_, assert_ and hint_ functions
made from the declaration, its hints written with the lecture's formulas, and the student-facing
module ``backprop_widgets.exercises`` offering all of it plus the two widgets."""

import inspect
import subprocess
import sys

import pytest

from backprop_widgets import exercises as ex
from backprop_widgets.notation import formulas, numbers
from backprop_widgets.teaching import exercises as sheet_exercises
from backprop_widgets.teaching.exercises import REGISTRY


def test_exercises_are_numbered_in_the_order_they_are_declared():
    assert [e.number for e in REGISTRY.values()] == list(range(1, 12))
    assert list(ex.EXERCISES) == list(REGISTRY)
    assert ex.EXERCISES["output_delta"] == "δ at the output"


@pytest.mark.parametrize("name", list(REGISTRY))
def test_check_assert_and_hint_are_made_from_each_declaration(name):
    exercise = REGISTRY[name]
    check, assert_, hint = (getattr(ex, f"{kind}_{name}") for kind in ("check", "assert", "hint"))
    assert check.__name__ == f"check_{name}" and check.__doc__ == exercise.judge.__doc__
    assert check.__doc__.startswith(f"Exercise {exercise.number}:")
    assert assert_.__doc__ == f"Exercise {exercise.number} as an assert cell."
    assert hint().text == exercise.hint and hint.__doc__
    assert str(inspect.signature(hint)) == "() -> 'Hint'"


def test_signatures_are_those_of_the_sheet():
    assert str(inspect.signature(ex.check_z_hidden)) == "(answer) -> 'Feedback'"
    assert str(inspect.signature(ex.assert_z_hidden)) == "(answer) -> 'None'"
    options = list(inspect.signature(ex.check_diverging_eta).parameters)
    assert options == ["answer", "net", "X", "Y", "epochs", "batch_size"]
    assert str(inspect.signature(ex.assert_diverging_eta)) == "(answer, **kwargs) -> 'None'"


def test_options_reach_the_judge_by_keyword_or_position():
    net = ex.network()
    assert ex.check_diverging_eta(100.0, net, epochs=20)
    ex.assert_diverging_eta(100.0, net=net, epochs=20)
    with pytest.raises(AssertionError, match="E still falls"):
        ex.assert_diverging_eta(0.1, epochs=5)


def test_hints_write_the_lecture_formulas_from_the_notation():
    assert formulas.net_input(2).text in ex.hint_z_hidden().text
    assert formulas.ERROR.text in ex.hint_error().text
    assert formulas.output_delta(3).text in ex.hint_output_delta().text
    assert formulas.hidden_delta(2).text in ex.hint_hidden_delta().text
    assert formulas.delta_theta(2).text in ex.hint_dtheta_output().text
    assert formulas.update("l").text in ex.hint_update().text
    assert formulas.gradient("l").text in ex.hint_gradient_signs().text
    assert formulas.hidden_delta("l").text in ex.hint_deltas().text


def test_feedback_writes_formulas_and_numbers_from_the_notation():
    wrong_sign = ex.check_output_delta(-ex.network().trace(*ex.instance()).delta[2][0])
    assert formulas.DELTA_SIGN.text in wrong_sign.message
    assert ex.number_text is numbers.text and ex.values_text is numbers.vector_text
    assert ex.activation_text("tanh") == formulas.ACTIVATIONS["tanh"].description


def test_the_student_module_offers_the_sheet_and_the_two_widgets():
    assert set(sheet_exercises.__all__) | {"diagram", "delta_quiz"} == set(ex.__all__)
    for name in ex.__all__:
        assert getattr(ex, name) is getattr(sheet_exercises, name, getattr(ex, name))
    view = ex.diagram()
    assert view.root_class == "bw-exercise-network" and view.a == [[1.0, 0.0]]
    assert view.sizes == [2, 2, 1] and not view.editable


def test_the_teaching_layer_imports_no_widgets():
    code = (
        "import sys, backprop_widgets.teaching.exercises as t; "
        "t.check_deltas(None); "
        "print(sorted(m for m in ('ipywidgets', 'anywidget', 'traitlets') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
