"""The nbgrader assignment is generated from the student sheet and matches it: the same
statements and cells, one answer variable per exercise in a solution region, a read-only check
and a graded test cell after each, worth the exercise's points."""

import importlib.util
from pathlib import Path

import nbformat
import pytest

from backprop_widgets import exercises as ex

ROOT = Path(__file__).resolve().parents[2]
SHEET = ROOT / "notebooks" / "02_exercises.ipynb"
SOURCE = ROOT / "nbgrader" / "source" / "backprop" / "backprop.ipynb"

BUILD = ROOT / "nbgrader" / "build_assignment.py"
spec = importlib.util.spec_from_file_location("build_assignment", BUILD)
build_assignment = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_assignment)


def nbgrader_cells(nb, key, value=True):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get(key) == value]


@pytest.fixture(scope="module")
def source():
    return nbformat.read(SOURCE, as_version=4)


def test_the_committed_assignment_is_what_the_script_makes_of_the_sheet():
    assert SOURCE.read_text(encoding="utf-8") == build_assignment.render(SHEET)
    assert build_assignment.main(["--check"]) == 0


def test_every_statement_and_cell_of_the_sheet_is_in_the_assignment(source):
    sheet = nbformat.read(SHEET, as_version=4)
    kept = {c.id: c for c in source.cells}
    for cell in sheet.cells:
        if cell.source.startswith(("answer = None", "ex.check_", "## Where next")):
            continue
        if "%pip install backprop_widgets" in cell.source:  # JupyterLite's: not graded there
            assert cell.id not in kept
            continue
        if "**How it works.**" in cell.source or "If your course grades" in cell.source:
            assert cell.id in kept  # rewritten for the assignment, in the same place
            continue
        assert kept[cell.id].source == cell.source


def test_each_exercise_has_an_answer_variable_a_check_and_a_graded_test(source):
    answers = nbgrader_cells(source, "solution")
    grades = nbgrader_cells(source, "grade")
    assert len(answers) == len(grades) == len(ex.REGISTRY)
    for exercise, answer, grade in zip(ex.REGISTRY.values(), answers, grades):
        variable = build_assignment.ANSWERS[exercise.name]
        first, rest = answer.source.split("\n", 1)
        assert first.startswith(f"{variable} = None  # your answer here")
        assert rest.startswith("### BEGIN SOLUTION") and rest.endswith("### END SOLUTION")
        at = source.cells.index(answer)
        check = source.cells[at + 1]
        assert check.source.startswith(f"ex.check_{exercise.name}({variable}")
        assert check.metadata["nbgrader"]["locked"] and not check.metadata["nbgrader"]["grade"]
        assert source.cells[at + 2] is grade
        assert grade.source == check.source.replace("ex.check_", "ex.grade_")
        assert grade.metadata["nbgrader"]["points"] == exercise.points
        assert grade.metadata["nbgrader"]["locked"]


def test_later_exercises_are_checked_with_the_earlier_answers_they_build_on(source):
    calls = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nbgrader_cells(source, "grade")}
    assert calls["grade_hidden_delta"] == "ex.grade_hidden_delta(delta2, delta3=delta3, a2=a2)"
    assert calls["grade_update"] == "ex.grade_update(new_weights, delta2=delta2, dtheta2=dtheta2)"
    assert calls["grade_diverging_eta"] == "ex.grade_diverging_eta(eta_diverging)"


def test_the_solutions_in_the_source_earn_every_point(source):
    namespace = {}
    for cell in source.cells:
        if cell.cell_type == "code" and "nbgrader" in cell.metadata:
            if cell.metadata["nbgrader"]["grade_id"] == "setup":
                exec(cell.source.replace("print(ex.describe())", ""), namespace)
            elif cell.metadata["nbgrader"]["solution"]:
                exec(cell.source, namespace)
    for cell in nbgrader_cells(source, "grade"):
        points = cell.metadata["nbgrader"]["points"]
        assert eval(cell.source, namespace) == points


def test_no_statement_gives_an_answer_away(source):
    statements = "\n".join(c.source for c in source.cells if c.cell_type == "markdown")
    assert "blows up from" not in statements and "_solutions" not in statements
    assert not any(sign in statements for sign in ("**−**", "**+**", "**0**"))
    t = ex.network().trace(*ex.instance(), ex.LEARNING_RATE)
    for number in (*t.z[1], *t.a[1], t.a[2][0], t.error, t.delta[2][0], *t.delta[1]):
        assert f"{abs(number):.3g}" not in statements


def test_a_sheet_the_script_does_not_recognise_is_refused():
    sheet = nbformat.read(SHEET, as_version=4)
    first_answer = next(c for c in sheet.cells if c.source.startswith("answer = None"))
    first_answer.source = "z = None"
    with pytest.raises(ValueError, match="sheet asks"):
        build_assignment.build(sheet)
    sheet = nbformat.read(SHEET, as_version=4)
    sheet.cells[0].source = sheet.cells[0].source.replace("**How it works.**", "**Usage.**")
    with pytest.raises(ValueError, match="how it works"):
        build_assignment.build(sheet)
