"""Credit carried forward: an answer judged against the student's own earlier answers.

The exercises build on each other: δ² uses δ³ and a², the update uses δ² and Δθ². Given the
student's earlier answers (by keyword, named as the sheet's answers are: ``z2``, ``a2``,
``y_hat``, ``delta3``, ``delta2``, ``dtheta2``), ``carry`` redoes the sheet's forward and
backward pass with them in place of the right values (``own_pass``). An answer that equals the
right rule applied to wrong earlier values is then recognised and named ("consistent with your
δ³₁ from exercise 5") and earns ``CARRIED_CREDIT``; a likely mistake made on top of them is
named too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ..engine.mlp import Trace
from ..engine.training import squared_error
from .answers import Carried, Mistake, read_answer, within
from .sheet import Worked

__all__ = ["EARLIER", "Earlier", "carry", "own_pass", "read_earlier", "source_text"]


class Earlier(NamedTuple):
    """An earlier answer another exercise uses: the exercise that asks for it, its name in
    the lecture's notation, its shape, and where the right value is in the trace."""

    number: int
    what: str
    shape: tuple
    right: Callable[[Trace], np.ndarray]


EARLIER: dict[str, Earlier] = {
    "z2": Earlier(1, "z²", (2,), lambda t: t.z[1]),
    "a2": Earlier(2, "a²", (2,), lambda t: t.a[1]),
    "y_hat": Earlier(3, "ŷ", (1,), lambda t: t.a[2]),
    "delta3": Earlier(5, "δ³₁", (1,), lambda t: t.delta[2]),
    "delta2": Earlier(6, "δ²", (2,), lambda t: t.delta[1]),
    "dtheta2": Earlier(7, "Δθ²", (1, 2), lambda t: t.dtheta[1]),
}
"""The earlier answers, by the keyword the checkers take them as."""


def read_earlier(w: Worked, given: dict) -> tuple[dict[str, np.ndarray], list[str]]:
    """The earlier answers to use and the keywords of those that are wrong.

    An answer that is None or cannot be read is left out (the right value is used); one that
    is right within the tolerance is replaced by the right value, so that rounding does not
    carry forward.
    """
    unknown = sorted(set(given) - set(EARLIER))
    if unknown:
        raise TypeError(f"{unknown[0]} is not an earlier answer; expected one of {list(EARLIER)}")
    values, wrong = {}, []
    for key, answer in given.items():
        if answer is None or answer is Ellipsis:
            continue
        earlier = EARLIER[key]
        value, _, _ = read_answer(answer, earlier.shape, earlier.what)
        if value is None:
            continue
        right = np.reshape(earlier.right(w.trace), earlier.shape)
        if within(value, right).all():
            values[key] = right
        else:
            values[key], wrong = value, [*wrong, key]
    return values, wrong


def own_pass(w: Worked, values: dict[str, np.ndarray]) -> Trace:
    """The sheet's forward and backward pass at η, with the student's ``values`` where given
    and everything after them computed from them (the lecture's rules, applied right)."""
    net, x, y, eta = w.net, w.x, w.y, w.trace.learning_rate
    (W1, W2), (b1, b2) = net.weights, net.biases
    hidden, out = net.activation_of(1), net.activation_of(2)
    z2 = values.get("z2", W1 @ x + b1)
    a2 = values.get("a2", hidden.g(z2))
    z3 = W2 @ a2 + b2
    y_hat = values.get("y_hat", out.g(z3))
    delta3 = values.get("delta3", (y - y_hat) * out.g_prime(z3, y_hat))
    delta2 = values.get("delta2", (W2.T @ delta3) * hidden.g_prime(z2, a2))
    dtheta = [eta * np.outer(delta2, x), values.get("dtheta2", eta * np.outer(delta3, a2))]
    error = squared_error(y[None], np.reshape(y_hat, (1, -1)))
    return Trace(
        x, y, [None, z2, z3], [x, a2, y_hat], [None, delta2, delta3], error, eta, dtheta,
        [eta * delta2, eta * delta3],
    )  # fmt: skip


def source_text(wrong: list[str]) -> str:
    """The wrong earlier answers in words: "your a² from exercise 2 and your δ³₁ from
    exercise 5"."""
    parts = [f"your {EARLIER[k].what} from exercise {EARLIER[k].number}" for k in wrong]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def carry(
    w: Worked,
    given: dict,
    value: Callable[[Trace], np.ndarray],
    mistakes: Callable[[Worked], list[Mistake]],
) -> Carried | None:
    """What the student's earlier answers ``given`` lead to: ``value`` and ``mistakes`` of
    their own pass; None when none of them is wrong."""
    values, wrong = read_earlier(w, given)
    if not wrong:
        return None
    own = Worked(w.net, w.x, w.y, own_pass(w, values))
    return Carried(np.asarray(value(own.trace), dtype=float), mistakes(own), source_text(wrong))
