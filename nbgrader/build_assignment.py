"""Generate the nbgrader assignment from the student sheet, so that the two cannot drift apart.

    python nbgrader/build_assignment.py          # writes nbgrader/source/backprop/backprop.ipynb
    python nbgrader/build_assignment.py --check  # exits 1 if that file is not what it would write

The student sheet (`notebooks/02_exercises.ipynb`) has, for each exercise, a statement, an answer
cell `answer = None  # …`, a check cell `ex.check_<name>(answer)` and a hint cell. The
assignment keeps the statements, the diagram, the δ quiz and the hints as they are, and makes

- the answer cell a solution cell with one variable of its own (`z2 = None  # …`, from
  `ANSWERS`), the solution in a `### BEGIN SOLUTION` region that `generate_assignment` removes;
- the check cell read-only, called with that variable and the earlier answers the exercise builds
  on (`ex.check_hidden_delta(delta2, delta3=delta3, a2=a2)`), for feedback while working;
- a new autograded test cell after it, `ex.grade_<name>(…)`, worth the exercise's points
  (`Exercise.points`), which gives part of them for an answer wrong only because an earlier one
  was;

and rewrites the two paragraphs that speak of the sheet's own workflow. Anything in the sheet it
does not recognise is an error, so a changed sheet cannot silently produce a stale assignment.
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

import nbformat

from backprop_widgets.teaching.carried import EARLIER
from backprop_widgets.teaching.exercises import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
SHEET = ROOT / "notebooks" / "02_exercises.ipynb"
TARGET = ROOT / "nbgrader" / "source" / "backprop" / "backprop.ipynb"

# The variable that holds each exercise's answer: the keyword its later exercises take it by.
ANSWERS = {
    "z_hidden": "z2",
    "a_hidden": "a2",
    "output": "y_hat",
    "error": "E",
    "output_delta": "delta3",
    "hidden_delta": "delta2",
    "dtheta_output": "dtheta2",
    "update": "new_weights",
    "gradient_signs": "signs",
    "diverging_eta": "eta_diverging",
    "deltas": "deltas",
}

# The instructor's solution of each exercise, computed from the givens (removed on release).
SOLUTIONS = {
    "z_hidden": "net, (x, y) = ex.network(), ex.instance()\n"
    "z2 = net.weights[0] @ x + net.biases[0]",
    "a_hidden": "a2 = 1 / (1 + np.exp(-z2))",
    "output": "y_hat = 1 / (1 + np.exp(-(net.weights[1] @ a2 + net.biases[1])))",
    "error": "E = 0.5 * np.sum((y - y_hat) ** 2)",
    "output_delta": "delta3 = (y - y_hat) * y_hat * (1 - y_hat)",
    "hidden_delta": "delta2 = (net.weights[1].T @ delta3) * a2 * (1 - a2)",
    "dtheta_output": "dtheta2 = ex.LEARNING_RATE * np.outer(delta3, a2)",
    "update": "dtheta1 = ex.LEARNING_RATE * np.outer(delta2, x)\n"
    "new_weights = [net.weights[0] + dtheta1, net.weights[1] + dtheta2]",
    "gradient_signs": "signs = [\n"
    '    "+" if g > 0 else "-" if g < 0 else "0"\n'
    "    for g in (-delta3[0] * a2[1], -delta2[1] * x[0], -delta2[0] * x[1])\n"
    "]",
    "diverging_eta": "eta_diverging = 3.0",
    "deltas": "deep = ex.deep_network()\n"
    "t = deep.trace(*ex.deep_instance())\n"
    "deltas = [d.tolist() for d in t.delta[1:]]",
}

HOW_IT_WORKS = """\
**How it works.** Each exercise has an *answer* cell: replace `None` with your answer (a
number, or a list of numbers) and keep the variable's name (`z2`, `a2`, …): later exercises
and the grader use it. The read-only *check* cell below it tells you whether it is right and,
if not, what it looks like you did. The *grade* cell after it is what the grader runs: it says
how many points your answer earns. An answer that is wrong only because an earlier answer was
wrong is recognised as such and earns part of its points. The *hint* cell gives a hint without
giving the number: run it only when you are stuck. Work by hand or use Python as a calculator
(`np.exp`, `*`, `@`); four significant digits are plenty.
"""

QUIZ_AS_A_LIST = """\
The grader does not see the boxes of the quiz: type the same values here as a list, layer by
layer from layer 2 to the output: `[[δ²₁, δ²₂], [δ³₁, δ³₂], [δ⁴₁]]`. A δ that follows
correctly from a wrong δ of the layer above earns part of its share."""

SHEET_PARAGRAPHS = {
    "how it works": re.compile(r"\*\*How it works\.\*\*.*?(?=\n\n)", re.S),
    "quiz as a list": re.compile(r"\AIf your course grades notebooks automatically.*\Z", re.S),
}


def _meta(grade_id: str, *, solution=False, locked=False, points=None) -> dict:
    """nbgrader's metadata for a cell (schema 3)."""
    meta = {
        "grade": points is not None,
        "grade_id": grade_id,
        "locked": locked or points is not None,  # a test cell is always read-only
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _earlier(name: str) -> list[str]:
    """The earlier answers exercise ``name`` builds on: its checker's keyword-only arguments."""
    parameters = inspect.signature(REGISTRY[name].judge).parameters.values()
    found = [p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY]
    for key in found:
        if key not in EARLIER or ANSWERS[_asked_by(key)] != key:
            raise ValueError(f"check_{name} takes {key}, which is no earlier answer of the sheet")
    return found


def _asked_by(key: str) -> str:
    return next(e.name for e in REGISTRY.values() if e.number == EARLIER[key].number)


def _call(kind: str, name: str) -> str:
    arguments = [ANSWERS[name], *(f"{key}={key}" for key in _earlier(name))]
    return f"ex.{kind}_{name}({', '.join(arguments)})"


def _replace(source: str, which: str, text: str, replaced: list) -> str:
    new, found = SHEET_PARAGRAPHS[which].subn(text.rstrip("\n"), source)
    replaced += [which] * found
    return new


def _answer_cells(cells: list, k: int) -> tuple[str, str]:
    """The exercise name and the comment of the answer cell ``cells[k]``, which the check cell
    ``ex.check_<name>(answer)`` must follow."""
    answer = re.fullmatch(r"answer = None  (# your answer here: .*)", cells[k].source)
    check = re.fullmatch(r"ex\.check_(\w+)\(answer\)", cells[k + 1].source)
    if answer is None or check is None or check[1] not in REGISTRY:
        raise ValueError(f"cells {k} and {k + 1} of the sheet are not an answer and its check")
    return check[1], answer[1]


def build(sheet: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The nbgrader source notebook made from the student sheet ``sheet``."""
    nb = nbformat.v4.new_notebook(metadata=sheet.metadata)
    cells, seen, replaced = sheet.cells, [], []
    k = 0
    while k < len(cells):
        cell = nbformat.from_dict(dict(cells[k]))
        source = cell.source
        if cell.cell_type == "markdown" and source.startswith("## Where next"):
            k += 1  # points to the solutions and the other notebooks: not in an assignment
            continue
        if cell.cell_type == "code" and '%pip install backprop_widgets' in source:
            k += 1  # installs the package in JupyterLite; nbgrader grades on a server
            continue
        if cell.cell_type == "markdown":
            source = _replace(source, "how it works", HOW_IT_WORKS, replaced)
            source = _replace(source, "quiz as a list", QUIZ_AS_A_LIST, replaced)
            number = len([c for c in nb.cells if c.cell_type == "markdown"]) + 1
            nb.cells.append(_cell(cell, source, _meta(f"statement_{number}", locked=True)))
        elif source.startswith("answer = None"):
            name, comment = _answer_cells(cells, k)
            seen.append(name)
            variable = ANSWERS[name]
            answer = f"{variable} = None  {comment}\n### BEGIN SOLUTION\n{SOLUTIONS[name]}\n"
            answer += "### END SOLUTION"
            nb.cells.append(_cell(cell, answer, _meta(f"answer_{name}", solution=True)))
            check = nbformat.from_dict(dict(cells[k + 1]))
            nb.cells.append(_cell(check, _call("check", name), _meta(f"check_{name}", locked=True)))
            points = REGISTRY[name].points
            grade = nbformat.v4.new_code_cell(_call("grade", name))
            grade.id = f"grade-{name.replace('_', '-')}"
            nb.cells.append(_cell(grade, grade.source, _meta(f"grade_{name}", points=points)))
            k += 2
            continue
        elif source.startswith("import numpy as np"):  # the setup: imports, the given numbers
            nb.cells.append(_cell(cell, source, _meta("setup", locked=True)))
        else:  # the diagram, exercise 10's experiment, the quiz, the hints
            nb.cells.append(_cell(cell, source, {}))
        k += 1
    if seen != list(REGISTRY):
        raise ValueError(f"the sheet asks {seen}, the registry declares {list(REGISTRY)}")
    if sorted(replaced) != sorted(SHEET_PARAGRAPHS):
        missing = sorted(set(SHEET_PARAGRAPHS) - set(replaced)) or sorted(replaced)
        raise ValueError(f"the sheet's paragraph {missing[0]!r} is not where it was (or twice)")
    return nb


def _cell(cell, source: str, metadata: dict):
    """``cell`` (its id kept) with ``source`` and ``metadata``, without outputs."""
    new = (
        nbformat.v4.new_markdown_cell(source, metadata=metadata)
        if cell.cell_type == "markdown"
        else nbformat.v4.new_code_cell(source, metadata=metadata)
    )
    new.id = cell.id
    return new


def render(sheet_path: Path = SHEET) -> str:
    """The assignment's text, as written to ``TARGET``."""
    return nbformat.writes(build(nbformat.read(sheet_path, as_version=4))) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is out of date: run python {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
