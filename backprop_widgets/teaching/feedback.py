"""What a checker hands back: ``Feedback`` on one answer and a ``Hint``, each shown in a
notebook as a coloured box (theme colours, so dark themes work), the lecture's formulas in it
drawn as MathML."""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass

from ..notation.mathml import prose

LINE_WIDTH = 72  # nbgrader cuts longer lines of a failed test (its validator, at 90)
_GLUE = "\u00a0"  # holds "δ = −∂E/∂z" on one line: textwrap breaks at ASCII spaces only
_OPERATOR = re.compile(r" ([=−+·×←]) ")

_COLOURS = {
    "right": "var(--jp-success-color1, #2e7d32)",
    "wrong": "var(--jp-error-color1, #c62828)",
    "open": "var(--jp-border-color1, #9e9e9e)",
    "hint": "var(--jp-info-color1, #0277bd)",
}


def _box(kind: str, heading: str, text: str) -> str:
    body = prose(text)  # the lecture's formulas in it as MathML
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
    credit: float | None = None

    @property
    def answered(self) -> bool:
        return self.mistake != "not_answered"

    @property
    def share(self) -> float:
        """The share of the exercise's points this answer earns: 1 when right, a part when it
        is wrong only because an earlier answer was ("carried_forward"), else 0."""
        if self.credit is not None:
            return self.credit
        return 1.0 if self.correct else 0.0

    def lines(self, width: int = LINE_WIDTH) -> str:
        """The title, then the message wrapped at ``width`` characters: what an assert cell
        raises, whose lines nbgrader cuts at 90 characters."""
        wrapped = [
            line.replace(_GLUE, " ")
            for paragraph in self.message.split("\n")
            for line in textwrap.wrap(
                _OPERATOR.sub(rf"{_GLUE}\1{_GLUE}", paragraph),
                width,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [""]
        ]
        return "\n".join([self.title, *wrapped] if self.title else wrapped)

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
