"""One family of number formats: in text, in LaTeX, and for JSON.

- ``text(v)``: about 4 significant digits, ``-0`` shown as ``0``, ``× 10⁻ⁿ`` far from 1
  (feedback, labels, notes);
- ``vector_text(values)``: ``(0.1, 0.2)``, nested lists as ``[(…), (…)]``;
- ``exact(v)``: 10 significant digits, for the three-way check where digits matter;
- ``latex(v)``: about 4 significant digits with a power of ten written as ``× 10^{n}``;
  ``latex_factor`` puts a negative number in parentheses, ``latex_signed`` writes ``+ v``/``- v``
  for a later term of a sum, ``latex_vector`` a vector in parentheses;
- ``json_number(v)``: a float, or None where JSON has no number (NaN, ±inf).

No NumPy here: array-likes are read through their ``tolist()`` when they have one.
"""

from __future__ import annotations

import math

VECTOR_LIMIT = 8  # entries of a LaTeX vector shown in full before it is abbreviated with …


def _plain(values) -> object:
    return values.tolist() if hasattr(values, "tolist") else values


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def text(value: float, digits: int = 4) -> str:
    """``value`` with ``digits`` significant digits; ``-0`` is ``0``; far from 1 as
    ``4.769 × 10⁻⁵`` (never ``4.769e-05``, which reads as a subtraction)."""
    shown = f"{float(value):.{digits}g}"
    if "e" in shown and "n" not in shown:  # not nan or inf
        mantissa, exponent = shown.split("e")
        return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"
    return "0" if shown == "-0" else shown


def vector_text(values) -> str:
    """A number, a vector ``(a, b)`` or a matrix ``[(a, b), (c, d)]`` in ``text`` format."""
    values = _plain(values)
    if not isinstance(values, (list, tuple)):
        return text(values)
    if values and isinstance(values[0], (list, tuple)):
        return "[" + ", ".join(vector_text(row) for row in values) + "]"
    return "(" + ", ".join(text(v) for v in values) + ")"


def values_text(values) -> str:
    """An instance's inputs or targets: one number as ``1``, several as ``(1, 0)``."""
    values = _plain(values)
    if isinstance(values, (list, tuple)) and len(values) == 1:
        values = values[0]
    return vector_text(values)


def exact(value: float) -> str:
    """10 significant digits; ``-0`` is ``0``."""
    return f"{float(value) + 0.0:.10g}"


def latex(value: float) -> str:
    """About 4 significant digits, with a LaTeX power of ten where needed."""
    value = float(value)
    if value == 0:
        return "0"
    if math.isnan(value):
        return r"\text{NaN}"
    if math.isinf(value):
        return r"\infty" if value > 0 else r"-\infty"
    shown = f"{value:.4g}"
    if "e" in shown:
        mantissa, exponent = shown.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return shown


def latex_factor(value: float) -> str:
    """A number as a factor of a product: negative numbers in parentheses."""
    shown = latex(value)
    return f"({shown})" if shown.startswith("-") else shown


def latex_signed(value: float) -> str:
    """A number as a later term of a sum: ``+ 0.1`` or ``- 0.1``."""
    shown = latex(value)
    return f"- {shown[1:]}" if shown.startswith("-") else f"+ {shown}"


def latex_vector(values) -> str:
    """A vector in parentheses; more than ``VECTOR_LIMIT`` entries are abbreviated with …"""
    shown = [latex(v) for v in _plain(values)]
    if len(shown) > VECTOR_LIMIT:
        shown = shown[:3] + [r"\ldots"] + shown[-1:]
    return "(" + r",\; ".join(shown) + ")"  # numbers need no stretching parentheses


def json_number(value: float) -> float | None:
    """A float for JSON: None for NaN or ±inf (JSON has no such numbers)."""
    value = float(value)
    return value if math.isfinite(value) else None
