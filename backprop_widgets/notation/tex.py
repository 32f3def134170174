"""The lecture's symbols in LaTeX, for nodes and weights at Python's 0-based addresses.

``theta(1, 0, 0)`` is ``\\theta^{2}_{11}``: layers and nodes are shown counted from 1, the bias
unit as node 0, and a letter index (a node summed over) stays a letter. The formulas these
symbols appear in come from ``notation.formulas``; ``align`` and ``sides`` fit such a formula
into the rows of an ``aligned`` environment.
"""

from __future__ import annotations

import re
from functools import cache

from .address import BIAS
from .formulas import indices

_FIRST_RELATION = re.compile(r" (=|\\leftarrow) ")
_RELATIONS = re.compile(r" (?:=|\\leftarrow) ")


def shown(index: int | str) -> str:
    """A node index as people see it: 1-based, 0 for the bias unit; a letter stays a letter."""
    if index == BIAS:
        return "0"
    if isinstance(index, str):
        return index
    return str(index + 1)


@cache  # called for every symbol of every structure built
def sub(*node_indices: int | str) -> str:
    """Indices as shown, side by side: ``"11"``, ``"km"``, ``"1,12"``."""
    if len(node_indices) == 1:
        return shown(node_indices[0])
    return indices(*[shown(k) for k in node_indices])


def theta(layer: int, i: int | str, j: int | str) -> str:
    return rf"\theta^{{{layer + 1}}}_{{{sub(i, j)}}}"


def a(q: int, m: int | str) -> str:
    return f"a^{{{q + 1}}}_{{{sub(m)}}}"


def z(q: int, m: int | str) -> str:
    return f"z^{{{q + 1}}}_{{{sub(m)}}}"


def delta(q: int, m: int | str) -> str:
    return rf"\delta^{{{q + 1}}}_{{{sub(m)}}}"


def y(k: int | str) -> str:
    return f"y_{{{sub(k)}}}"


def g_prime(q: int, m: int | str) -> str:
    return f"g'({z(q, m)})"


def partial(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


def sigma(letter: str, size: int) -> str:
    """Σ over ``letter`` from 1 to ``size``."""
    return rf"\sum_{{{letter}=1}}^{{{size}}}"


def words(text: str) -> str:
    return rf"\text{{{text}}}"


def align(formula: str) -> str:
    """A formula as a row of an ``aligned`` environment: ``&`` before its first = or ←."""
    return _FIRST_RELATION.sub(r" &\1 ", formula, count=1)


def sides(formula: str) -> list[str]:
    """The parts of a formula between its relations (= or ←): ``["E", r"\\tfrac12 …"]``."""
    return _RELATIONS.split(formula)
