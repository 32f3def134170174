"""Reading and judging a student's answers: numbers typed or given, checked against the
engine's within a tolerance, with feedback that shows in a notebook as a coloured box.

``exercises`` builds the sheet's checkers from these pieces.
"""

from __future__ import annotations

import html
import numbers
from dataclasses import dataclass

import numpy as np

ATOL = 1e-4
RTOL = 5e-3
CLOSE = 10  # within CLOSE × the tolerance: a rounding problem rather than a mistake


def number_text(value: float) -> str:
    text = f"{float(value):.4g}"
    return "0" if text == "-0" else text


def values_text(values) -> str:
    values = np.asarray(values, dtype=float)
    if values.ndim == 0:
        return number_text(values)
    if values.ndim == 1:
        return "(" + ", ".join(number_text(v) for v in values) + ")"
    return "[" + ", ".join(values_text(row) for row in values) + "]"


# -- feedback ------------------------------------------------------------------------------

_COLOURS = {
    "right": "var(--jp-success-color1, #2e7d32)",
    "wrong": "var(--jp-error-color1, #c62828)",
    "open": "var(--jp-border-color1, #9e9e9e)",
    "hint": "var(--jp-info-color1, #0277bd)",
}


def _box(kind: str, heading: str, text: str) -> str:
    body = html.escape(text).replace("\n", "<br>")
    return (
        f'<div class="bw-feedback bw-feedback-{kind}" style="border-left: 4px solid '
        f'{_COLOURS[kind]}; padding: 4px 10px; margin: 4px 0; line-height: 1.5">'
        f"<b>{html.escape(heading)}</b><br>{body}</div>"
    )


class Hint:
    """A hint: the idea to use, never the number."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Hint: {self.text}"

    def _repr_html_(self) -> str:
        return _box("hint", "Hint", self.text)


@dataclass(frozen=True)
class Feedback:
    """What a checker says about one answer.

    True when the answer is right (``assert check_x(answer)`` works); ``str()`` is the
    message. ``mistake`` names what was found, for tools and tests: "right", "not_answered",
    "not_a_number", "wrong_shape", "close", "wrong", or a specific mistake such as
    "wrong_sign", "forgot_g_prime" or "theta_index_slip".
    """

    correct: bool
    message: str
    hint_text: str = ""
    title: str = ""
    mistake: str = "wrong"

    @property
    def answered(self) -> bool:
        return self.mistake != "not_answered"

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        mark = "✓" if self.correct else ("…" if not self.answered else "✗")
        return f"{mark} {self.title}: {self.message}" if self.title else f"{mark} {self.message}"

    def hint(self) -> Hint:
        """A hint for this exercise."""
        return Hint(self.hint_text)

    def _repr_html_(self) -> str:
        kind = "right" if self.correct else ("open" if not self.answered else "wrong")
        mark = {"right": "✓", "open": "…", "wrong": "✗"}[kind]
        return _box(kind, f"{mark} {self.title}" if self.title else mark, self.message)


@dataclass(frozen=True)
class Mistake:
    """A wrong answer a student is likely to give, computed the wrong way from the trace."""

    key: str
    value: np.ndarray
    message: str  # the full explanation
    short: str  # a few words, for one entry of a vector or a box on the diagram


def within(value, expected, factor: float = 1.0) -> np.ndarray:
    expected = np.asarray(expected, dtype=float)
    return np.abs(np.asarray(value, dtype=float) - expected) <= factor * (
        ATOL + RTOL * np.abs(expected)
    )


def parse_number(answer) -> float | None:
    """A number typed or given by a student: a real number or text such as "-0.25" or "0,25".

    Returns None when it is not a number (booleans, NaN and infinities are not numbers here).
    """
    if isinstance(answer, bool):
        return None
    if isinstance(answer, str):
        text = answer.strip().replace("−", "-").replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            return None
    elif isinstance(answer, numbers.Real):
        value = float(answer)
    elif isinstance(answer, np.ndarray) and answer.size == 1 and answer.dtype.kind in "iuf":
        value = float(answer.reshape(()))
    else:
        return None
    return value if np.isfinite(value) else None


def read_answer(answer, shape: tuple, what: str) -> tuple[np.ndarray | None, str, str]:
    """The answer as a float array of ``shape``, or None with (mistake key, message).

    A vector may come as a list, a tuple or an array of any vector-like shape ((2,), (1, 2),
    …); a matrix must have its own shape; one number may be a plain number or text.
    """
    if answer is None or answer is Ellipsis:
        return None, "not_answered", "Not answered yet: replace None with your answer."
    size = int(np.prod(shape))
    if not isinstance(answer, (list, tuple, np.ndarray)):
        if size > 1:
            return None, "wrong_shape", f"{what} has {size} entries: give a list of {size} numbers."
        value = parse_number(answer)
        if value is None:
            return None, "not_a_number", f"{what} must be a number; got {answer!r}."
        return np.full(shape, value), "", ""
    try:
        raw = np.array(answer, dtype=object)
    except ValueError:
        raw = None
    items = [] if raw is None else raw.ravel().tolist()
    if raw is None or any(isinstance(item, (list, tuple, np.ndarray)) for item in items):
        return None, "wrong_shape", f"{what} must be a rectangular array of numbers."
    if any(item is None for item in items):
        return None, "not_answered", f"Not answered yet: some entries of {what} are still None."
    values = [parse_number(item) for item in items]
    bad = [item for item, value in zip(items, values) if value is None]
    if bad:
        return None, "not_a_number", f"Every entry of {what} must be a number; {bad[0]!r} is not."
    vector_like = sum(n > 1 for n in shape) <= 1 and sum(n > 1 for n in raw.shape) <= 1
    if raw.shape == shape or (vector_like and raw.size == size):
        return np.array(values, dtype=float).reshape(shape), "", ""
    expected = (
        f"{size} number{'s' if size > 1 else ''}"
        if len(shape) <= 1
        else f"an array of shape {shape}"
    )
    return None, "wrong_shape", f"{what} should be {expected}; got shape {raw.shape}."


def entry_matches(mistake: Mistake, k: int, value: float, expected: float) -> bool:
    """Whether entry k of an answer is what ``mistake`` gives there (and that is wrong)."""
    wrong_way = np.ravel(mistake.value)[k]
    return bool(within(value, wrong_way) and not within(wrong_way, expected))


def join_names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def likely_mistake(key: str, value, message: str, short: str = "") -> Mistake:
    return Mistake(key, np.asarray(value, dtype=float), message, short or message)
