"""Exercise 10: find a learning rate at which gradient descent diverges; the checker trains a
copy of the network at that η and says what E did."""

from __future__ import annotations

from ..engine import datasets, validation
from ..engine.mlp import MLP
from ..engine.validation import DivergenceError
from ..notation.formulas import GRADIENT_DESCENT
from . import sheet
from .answers import Verdict, accept, number_text, parse_number, reject


def diverging_eta(
    answer,
    net: MLP | None = None,
    X=None,
    Y=None,
    epochs: int = sheet.DIVERGENCE_EPOCHS,
    batch_size: int | None = 1,
) -> Verdict:
    """Exercise 10: a learning rate η at which training diverges instead of learning.

    Trains a copy of ``net`` (the sheet's network with a linear output unit, by default) on
    ``X, Y`` (XOR by default) for ``epochs`` epochs, online unless ``batch_size`` says
    otherwise, and reports whether E ended higher than it started or overflowed.
    """
    if net is None:
        net = sheet.network(output_activation="linear")
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a backprop_widgets.MLP; got {type(net).__name__}")
    if X is None and Y is None:
        X, Y = datasets.xor()
    epochs = validation.integer(epochs, "epochs", minimum=1)
    if answer is None or answer is Ellipsis:
        return reject("Not answered yet: replace None with your η.", "not_answered")
    eta = parse_number(answer)
    if eta is None:
        return reject(f"η must be a finite number; got {answer!r}.", "not_a_number")
    if eta <= 0:
        return reject(
            f"η must be positive: {GRADIENT_DESCENT} with η ≤ 0 would climb the error (or not "
            "move).",
            "not_positive",
        )
    return _train(net.copy(), X, Y, eta, epochs, batch_size)


def _train(probe: MLP, X, Y, eta: float, epochs: int, batch_size: int | None) -> Verdict:
    """Train ``probe`` epoch by epoch and say whether E overflowed, grew or still fell."""
    start = probe.loss(X, Y)
    at, before = number_text(eta), number_text(start)
    history = []
    for epoch in range(1, epochs + 1):
        try:
            history += probe.fit(X, Y, eta, epochs=1, batch_size=batch_size)
        except DivergenceError:
            return accept(
                f"Diverged: at η = {at} the error overflowed to infinity in epoch "
                f"{epoch} (it started at E = {before}). Every step overshot the minimum "
                "by more than the one before."
            )
    end, top = history[-1], max(history)
    after = number_text(end)
    if end > start:
        growth = (
            "and kept growing: gradient descent diverges"
            if end > 1e3 * start
            else f"jumping around on the way (up to {number_text(top)}): the steps overshoot"
        )
        return accept(
            f"Yes: at η = {at}, E went from {before} to {after} in {epochs} epochs, {growth}."
        )
    detour = f" (it rose to {number_text(top)} on the way, then settled)" if top > start else ""
    return reject(
        f"E still falls at η = {at}: from {before} to {after} in "
        f"{epochs} epochs{detour}. Try a larger η.",
        "still_learning",
    )
