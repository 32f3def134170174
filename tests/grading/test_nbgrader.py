"""The exercise sheet graded as a course grades it, by real nbgrader: `generate_assignment` of
`nbgrader/source/backprop`, `autograde` of three submissions (all right; typical mistakes; blank)
with their scores, then `generate_feedback`.

The submissions are the released notebook with its answer lines filled in, as a student does."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbgrader.api import Gradebook  # nbgrader is in the test extra: no skipping without it

from backprop_widgets import exercises as ex

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "backprop"

NET = ex.network()
X, Y = ex.instance()
ETA = ex.LEARNING_RATE
T = NET.trace(X, Y, ETA)
THETA1, THETA2 = NET.weights
DEEP = ex.deep_network()
DEEP_T = DEEP.trace(*ex.deep_instance())


def typed(value) -> str:
    """``value`` as a student types it: lists of numbers to 4 significant digits."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(typed(v) for v in value) + "]"
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return f"{float(array):.4g}"
    return typed(list(array))


def g_prime(a):
    return a * (1 - a)


# The typical mistakes: E without the ½, δ³ with the wrong sign and everything after it computed
# right from it (credit carried forward), η too small, and g' left out in every layer of the δ quiz.
WRONG_DELTA3 = -T.delta[2]
FOLLOWING_DELTA2 = (THETA2.T @ WRONG_DELTA3) * g_prime(T.a[1])
FOLLOWING_DTHETA2 = ETA * np.outer(WRONG_DELTA3, T.a[1])
NO_G_PRIME = [DEEP_T.y - DEEP_T.a[3]]
for l in (2, 1):
    NO_G_PRIME.insert(0, DEEP.weights[l].T @ NO_G_PRIME[0])

SUBMISSIONS = {
    "right": {
        "z2": T.z[1],
        "a2": T.a[1],
        "y_hat": T.a[2][0],
        "E": T.error,
        "delta3": T.delta[2][0],
        "delta2": T.delta[1],
        "dtheta2": T.dtheta[1][0],
        "new_weights": [[list(r) for r in W + d] for W, d in zip(NET.weights, T.dtheta)],
        "signs": '["-", "+", "0"]',
        "eta_diverging": 3.0,
        "deltas": [list(d) for d in DEEP_T.delta[1:]],
    },
    "mistakes": {
        "z2": T.z[1],
        "a2": T.a[1],
        "y_hat": T.a[2][0],
        "E": (Y[0] - T.a[2][0]) ** 2,
        "delta3": WRONG_DELTA3[0],
        "delta2": FOLLOWING_DELTA2,
        "dtheta2": FOLLOWING_DTHETA2[0],
        "new_weights": [
            [list(r) for r in THETA1 + ETA * np.outer(FOLLOWING_DELTA2, X)],
            [list(r) for r in THETA2 + FOLLOWING_DTHETA2],
        ],
        "signs": '["+", "-", "0"]',  # what their δ³ and δ² say
        "eta_diverging": 0.1,
        "deltas": [list(d) for d in NO_G_PRIME],
    },
    "blank": {},
}

POINTS = {e.name: e.points for e in ex.REGISTRY.values()}
HALF = ex.CARRIED_CREDIT
EXPECTED = {
    "right": {name: points for name, points in POINTS.items()},
    "mistakes": {
        **{name: 0 for name in POINTS},
        "z_hidden": 1,
        "a_hidden": 1,
        "output": 1,
        "hidden_delta": HALF,
        "dtheta_output": HALF,
        "update": 2 * HALF,
        "gradient_signs": round((1 + 2 * HALF) / 3, 4),
    },
    "blank": {name: 0 for name in POINTS},
}


def fill(released: Path, answers: dict):
    """The released notebook with ``answers`` typed in place of the ``None`` of their lines."""
    nb = nbformat.read(released, as_version=4)
    for variable, value in answers.items():
        line = re.compile(rf"(?m)^({variable} = )None(  #.*)$")
        typed_in = rf"\g<1>{typed(value)}\g<2>"
        found = 0
        for cell in nb.cells:
            cell.source, n = line.subn(typed_in, cell.source)
            found += n
        assert found == 1, f"the released notebook has no single answer line for {variable}"
    return nb


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # alembic
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "nbgrader", *args, "--force"]
    result = subprocess.run(command, cwd=course, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course directory in which the assignment was generated, the three submissions
    autograded and their feedback generated."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader" / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "nbgrader" / "source", course / "source")
    nbgrader(course, "generate_assignment", ASSIGNMENT)
    released = course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    for student, answers in SUBMISSIONS.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(fill(released, answers), folder / f"{ASSIGNMENT}.ipynb")
    nbgrader(course, "autograde", ASSIGNMENT)
    nbgrader(course, "generate_feedback", ASSIGNMENT)
    return course


def scores(course: Path, student: str) -> dict:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
        return {
            grade.name.removeprefix("grade_"): grade.score
            for grade in notebook.grades
            if grade.name.startswith("grade_")
        }


def test_the_release_keeps_the_answer_lines_and_removes_the_solutions(course):
    released = (course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text("utf-8")
    assert "BEGIN SOLUTION" not in released and "np.outer(delta3, a2)" not in released
    assert "NotImplementedError" not in released
    assert "_solutions.ipynb" not in released


@pytest.mark.parametrize("student", list(SUBMISSIONS))
def test_autograde_gives_each_submission_its_expected_points(course, student):
    got = scores(course, student)
    assert set(got) == set(POINTS)
    assert got == pytest.approx(EXPECTED[student], abs=1e-3)


def test_the_scores_total_as_expected(course):
    totals = {student: sum(scores(course, student).values()) for student in SUBMISSIONS}
    assert totals == pytest.approx({"right": 13, "mistakes": 5.6667, "blank": 0}, abs=1e-3)
    assert sum(POINTS.values()) == 13


def test_the_feedback_names_carried_forward_values_and_repeated_mistakes(course):
    html = (course / "feedback" / "mistakes" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "Consistent with your δ³₁ from exercise 5" in html
    assert "The same mistake as in layer 4, again." in html
    assert "The same mistake as in layer 3, again." in html
    assert "You left out the ½" in html
    assert "E still falls at η = 0.1" in html


def test_the_feedback_of_a_blank_submission_says_not_answered_yet(course):
    html = (course / "feedback" / "blank" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert html.count("Not answered yet") >= len(POINTS)
    assert "TypeError" not in html and "NameError" not in html
