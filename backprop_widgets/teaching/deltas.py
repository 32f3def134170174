"""Exercise 11: every δ of a network, node by node. ``delta_marks`` judges each entry (the δ
quiz on the diagram marks its boxes with them); ``deltas_verdict`` sums the marks up.

A δ that follows correctly from the student's own wrong δ of the layer above is named as such
and earns ``CARRIED_CREDIT``; a mistake made again on top of it (g' left out in every layer) is
named at every layer it is made.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..engine.mlp import MLP, Trace
from ..notation import node_name, superscript
from .answers import (
    CARRIED_CREDIT,
    CLOSE,
    Mistake,
    Verdict,
    entry_matches,
    number_text,
    parse_number,
    reject,
    within,
)
from .mistakes import delta_mistakes
from .sheet import deep_instance, deep_network, node_names


@dataclass(frozen=True)
class Mark:
    """The verdict on one δ entry: state "right", "wrong", "close" or "empty"."""

    state: str
    short: str
    message: str
    mistake: str


def delta_marks(net: MLP, t: Trace, values: list) -> dict[tuple[int, int], Mark]:
    """Judge a δ for every non-input node, from the output back.

    ``values[l][i]`` is the student's δ of node i of layer l (0-based, ``values[0]`` unused),
    a float or None when empty. Returns a ``Mark`` for each (l, i).
    """
    marks = {}
    for l in range(net.n_layers - 1, 0, -1):
        above = None
        if l + 1 < net.n_layers and all(v is not None for v in values[l + 1]):
            above = np.asarray(values[l + 1], dtype=float)
        mistakes = delta_mistakes(net, t, l, above)
        if above is not None and not within(above, t.delta[l + 1]).all():
            made_above = {marks[l + 1, i].mistake for i in range(net.sizes[l + 1])}
            mistakes += repeated_mistakes(net, t, l, above, made_above)
        for i, value in enumerate(values[l]):
            marks[l, i] = _mark(node_name("δ", l, i), i, value, t.delta[l][i], mistakes)
    return marks


def repeated_mistakes(net: MLP, t: Trace, l: int, above, made_above: set) -> list[Mistake]:
    """The likely mistakes of layer ``l`` made on the student's own (wrong) δ of the layer
    above, ``above``: "again" when the layer above has the same mistake, so that a mistake
    repeated through the layers is named at each of them."""
    act = net.activation_of(l)
    own = list(t.delta)
    own[l + 1] = np.asarray(above, dtype=float)
    own[l] = (net.weights[l].T @ own[l + 1]) * act.g_prime(t.z[l], t.a[l])
    d_up = f"δ{superscript(l + 2)}"  # the layer above, as shown
    repeated = []
    for m in delta_mistakes(net, replace(t, delta=own), l):
        if m.key in made_above:
            message = f"{m.message} The same mistake as in layer {l + 2}, again."
            short = f"{m.short}, again"
        else:
            message = f"{m.message} You also worked from your {d_up}, which is not right."
            short = f"{m.short}, from your {d_up}"
        repeated.append(Mistake(m.key, m.value, message, short))
    return repeated


def _mark(name: str, i: int, value: float | None, expected: float, mistakes: list) -> Mark:
    """The mark of node i's δ, called ``name``: empty, right, a known mistake, close or wrong."""
    if value is None:
        return Mark("empty", "", f"{name}: not filled in yet.", "not_answered")
    if within(value, expected):
        return Mark("right", "✓", f"{name} = {number_text(expected)} ✓", "right")
    found = next((m for m in mistakes if entry_matches(m, i, value, expected)), None)
    if found is not None:
        return Mark("wrong", found.short, f"{name}: {found.message}", found.key)
    if within(value, expected, CLOSE):
        return Mark(
            "close",
            "close: keep more digits",
            f"{name}: close, but round less (keep 4 significant digits).",
            "close",
        )
    return Mark("wrong", "not right", f"{name} is not {number_text(value)}.", "wrong")


def deltas_verdict(marks: dict) -> Verdict:
    """All right, or how many are, with the message of each wrong one. Its credit: a share
    for each right δ, ``CARRIED_CREDIT`` of one for each that follows from a wrong one above."""
    right = sum(m.state == "right" for m in marks.values())
    if right == len(marks):
        return Verdict(True, f"All {right} δ are right.", "right")
    carried = sum(m.mistake == "follows_from_wrong_delta_above" for m in marks.values())
    credit = (right + CARRIED_CREDIT * carried) / len(marks)
    empty = [m for m in marks.values() if m.state == "empty"]
    if len(empty) == len(marks):
        return reject(
            "Not answered yet: fill in the δ of every node but the inputs.", "not_answered"
        )
    wrong = [m for m in marks.values() if m.state not in ("right", "empty")]
    follows = f", {carried} following from a wrong δ above" if carried else ""
    lines = [
        f"{right} of {len(marks)} right{follows}"
        + (f", {len(empty)} not filled in." if empty else ".")
    ]
    lines += [m.message for m in wrong]
    mistake = wrong[0].mistake if wrong else "not_answered"
    return Verdict(False, "\n".join(lines), mistake, credit=credit)


def deltas(answer) -> Verdict:
    """Exercise 11: every δ of ``deep_network()`` for ``deep_instance()``.

    ``answer`` lists the δ of each layer from layer 2 to the output:
    ``[[δ²₁, δ²₂], [δ³₁, δ³₂], [δ⁴₁]]``; a ``DeltaQuiz`` is checked by its own entries.
    """
    if hasattr(answer, "check") and hasattr(answer, "entries"):  # a DeltaQuiz
        feedback = answer.check()
        return Verdict(feedback.correct, feedback.message, feedback.mistake)
    net = deep_network()
    values, problem = _read_deltas(answer, net.sizes[1:])
    if problem is not None:
        return problem
    return deltas_verdict(delta_marks(net, net.trace(*deep_instance()), values))


def _read_deltas(answer, sizes: list[int]) -> tuple[list | None, Verdict | None]:
    """The δ given, layer-aligned like ``trace.delta`` (``[[]]`` for the inputs, None where
    empty), or why they cannot be read."""
    if answer is None or answer is Ellipsis:
        return None, reject("Not answered yet: replace None with your δ values.", "not_answered")
    if isinstance(answer, (list, tuple)) and len(answer) == len(sizes) + 1 and not answer[0]:
        answer = answer[1:]  # layer-aligned, like trace.delta, with nothing for the inputs
    rows = ", ".join("[" + ", ".join(node_names("δ", l, n)) + "]" for l, n in enumerate(sizes, 1))
    shape = f"[{rows}]"
    if not isinstance(answer, (list, tuple)) or len(answer) != len(sizes):
        return None, reject(f"Give the δ layer by layer: {shape}.", "wrong_shape")
    values = [[]]
    for l, (row, n) in enumerate(zip(answer, sizes), start=1):
        if not isinstance(row, (list, tuple, np.ndarray)) or len(row) != n:
            return None, reject(
                f"Layer {l + 1} has {n} node(s): give the δ layer by layer, {shape}.",
                "wrong_shape",
            )
        parsed = [None if item is None else parse_number(item) for item in row]
        for i, (item, value) in enumerate(zip(row, parsed)):
            if item is not None and value is None:
                return None, reject(
                    f"{node_name('δ', l, i)} must be a number; got {item!r}.", "not_a_number"
                )
        values.append(parsed)
    return values, None
