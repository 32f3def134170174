"""Reading and judging a student's answers: numbers typed or given, checked against the
engine's within a tolerance, told apart from the likely mistakes.

A judgement is a ``Verdict`` (right or not, the message, the mistake found); the exercise it
belongs to turns it into ``Feedback`` (``exercises``). Numbers are written as everywhere in the
package (``notation.numbers``).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..notation.numbers import text as number_text
from ..notation.numbers import vector_text as values_text

__all__ = [
    "ATOL",
    "CARRIED_CREDIT",
    "CLOSE",
    "RTOL",
    "Carried",
    "Expected",
    "Mistake",
    "Verdict",
    "accept",
    "entry_matches",
    "join_names",
    "judge",
    "likely_mistake",
    "number_text",
    "parse_number",
    "read_and_judge",
    "read_answer",
    "reject",
    "values_text",
    "within",
]

ATOL = 1e-4
RTOL = 5e-3
CLOSE = 10  # within CLOSE × the tolerance: a rounding problem rather than a mistake
CARRIED_CREDIT = 0.5  # the share of the points for a value wrong only through an earlier answer


class Verdict(NamedTuple):
    """A judgement on one answer: right or not, what to say, and the mistake found ("right",
    "not_answered", "wrong_sign", …). ``see_hint``: the message should end by pointing to the
    exercise's hint. ``credit``: the share of the exercise's points it earns, 1 when right,
    ``CARRIED_CREDIT`` when it is wrong only because an earlier answer was (None: 1 when
    right, else 0)."""

    correct: bool
    message: str
    mistake: str
    see_hint: bool = False
    credit: float | None = None

    @property
    def share(self) -> float:
        """The share of the points earned: ``credit``, or 1 when right and 0 when not."""
        if self.credit is not None:
            return self.credit
        return 1.0 if self.correct else 0.0


def accept(message: str) -> Verdict:
    return Verdict(True, message, "right")


def reject(message: str, mistake: str) -> Verdict:
    return Verdict(False, message, mistake)


def carried_forward(message: str, credit: float = CARRIED_CREDIT) -> Verdict:
    """Wrong only because an earlier answer was: the rule was applied right."""
    return Verdict(False, message, "carried_forward", credit=credit)


@dataclass(frozen=True)
class Mistake:
    """A wrong answer a student is likely to give, computed the wrong way from the trace."""

    key: str
    value: np.ndarray
    message: str  # the full explanation
    short: str  # a few words, for one entry of a vector or a box on the diagram


def likely_mistake(key: str, value, message: str, short: str = "") -> Mistake:
    return Mistake(key, np.asarray(value, dtype=float), message, short or message)


@dataclass(frozen=True)
class Expected:
    """The right answer and how it is named: ``what`` for the whole ("z²"), ``names`` for its
    entries (["z²₁", "z²₂"]), a ``note`` said after a right answer, and how the right answer is
    ``shown`` back ("what = value" unless given)."""

    value: np.ndarray
    what: str
    names: list[str]
    note: str = ""
    shown: str = ""


@dataclass(frozen=True)
class Carried:
    """What a student's own earlier answers lead to: ``value``, the right rule applied to them;
    ``mistakes``, the likely mistakes made on top of them; ``source``, the earlier answers
    that are not right, in words ("your δ³₁ from exercise 5")."""

    value: np.ndarray
    mistakes: list[Mistake]
    source: str


# -- reading -------------------------------------------------------------------------------


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


# -- judging -------------------------------------------------------------------------------


def within(value, expected, factor: float = 1.0) -> np.ndarray:
    expected = np.asarray(expected, dtype=float)
    return np.abs(np.asarray(value, dtype=float) - expected) <= factor * (
        ATOL + RTOL * np.abs(expected)
    )


def entry_matches(mistake: Mistake, k: int, value: float, expected: float) -> bool:
    """Whether entry k of an answer is what ``mistake`` gives there (and that is wrong)."""
    wrong_way = np.ravel(mistake.value)[k]
    return bool(within(value, wrong_way) and not within(wrong_way, expected))


def join_names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def judge(
    value: np.ndarray, expected: Expected, mistakes: list[Mistake], carried: Carried | None = None
) -> Verdict:
    """Right, consistent with the student's own wrong earlier answers (``carried``), one of
    the named mistakes (made on the right values, then on the student's), close, partly
    right, or wrong."""
    right_value = np.asarray(expected.value, dtype=float)
    right = within(value, right_value)
    if right.all():
        note = f" {expected.note}" if expected.note else ""
        shown = expected.shown or f"{expected.what} = {values_text(right_value)}"
        return accept(f"Right: {shown}.{note}")
    if carried is not None:
        follows = np.asarray(carried.value, dtype=float).reshape(right_value.shape)
        if within(value, follows).all():
            return carried_forward(
                f"Consistent with {carried.source}: you applied the rule right, but to a value "
                f"that is not right yet. Fix that first; {expected.what} then follows."
            )
    for m in mistakes:
        if _is_mistake(value, m, right_value):
            return reject(m.message, m.key)
    for m in carried.mistakes if carried is not None else []:
        if _is_mistake(value, m, right_value):
            return reject(f"{m.message} You also worked from {carried.source}.", m.key)
    if within(value, right_value, CLOSE).all():
        tolerance = number_text(float(np.max(ATOL + RTOL * np.abs(right_value))))
        return reject(
            f"Close, but not within the checker's tolerance (about ±{tolerance}). Are you "
            "rounding too early? Keep 4 significant digits until the end.",
            "close",
        )
    message = f"{expected.what} is not {values_text(value)}."
    if right_value.size > 1:
        message = _entry_by_entry(value, right, expected, mistakes) or message
    return Verdict(False, message, "wrong", see_hint=True)


def _is_mistake(value: np.ndarray, m: Mistake, right_value: np.ndarray) -> bool:
    """Whether ``value`` is what mistake ``m`` gives (and that is not the right value)."""
    wrong_way = np.asarray(m.value, dtype=float).reshape(right_value.shape)
    return bool(within(value, wrong_way).all() and not within(wrong_way, right_value).all())


def _entry_by_entry(value, right, expected: Expected, mistakes: list[Mistake]) -> str:
    """Which entries are right, and the mistake of each wrong one where it is known; "" when
    that says nothing more than "wrong"."""
    parts, named = [], False
    good = [n for n, ok in zip(expected.names, right.ravel()) if ok]
    if good:
        parts.append(f"{join_names(good)} {'is' if len(good) == 1 else 'are'} right")
    entries = zip(expected.names, value.ravel(), np.ravel(expected.value))
    for k, (n, v, e) in enumerate(entries):
        if within(v, e):
            continue
        why = next((m.short for m in mistakes if entry_matches(m, k, v, e)), "")
        named = named or bool(why)
        parts.append(f"{n} is not{f' ({why})' if why else ''}")
    return "; ".join(parts) + "." if good or named else ""


def read_and_judge(
    answer, expected: Expected, mistakes: list[Mistake], carried: Carried | None = None
) -> Verdict:
    """Read ``answer`` in the shape of the expected value, then judge it."""
    shape = np.shape(expected.value)
    value, key, problem = read_answer(answer, shape, expected.what)
    if value is None:
        return reject(problem, key)
    return judge(value, expected, mistakes, carried)
