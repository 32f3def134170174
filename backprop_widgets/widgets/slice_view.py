"""The error as a function of one weight: the derivative behind gradient descent, drawn.

``ErrorSlice`` plots E(θ) for the selected weight θ with every other parameter fixed, the
current point, the tangent there (its slope is ∂E/∂θ, by backpropagation) and the step
Δθ = −η ∂E/∂θ the next gradient-descent update takes. Python samples the curve and computes
the numbers; ``static/slice.js`` draws them.
"""

from __future__ import annotations

import html

import anywidget
import numpy as np
import traitlets

from ..engine import validation as check
from ..engine.losses import LOSSES
from ..engine.mlp import MLP, check_data
from ..engine.probes import error_along, slice_along
from ..notation import key_of, mathml, tex, theta_name
from ..notation.numbers import json_number
from ..notation.numbers import latex as number_latex
from .fallback import Pictured, slice_picture
from .views import STATIC, esm

SAMPLES = 121  # points of the E curve, odd so that the middle one is the current θ exactly
MIN_HALF_WIDTH = 3.0  # the curve spans θ ± max(3, 2|θ|), widened to show the step
INSTRUCTION = "Select a weight to see E as a function of it"


def _short(value: float | None) -> str:
    return "not finite" if value is None else f"{value:.6g}"


class ErrorSlice(Pictured, anywidget.AnyWidget):
    """E as a function of one weight θ, the tangent at the current θ and the next step.

    Parameters
    ----------
    net : MLP
        The network; it is read, never changed (the curve is sampled on the side).
    X : array, shape (N, sizes[0])
        Inputs of the error E = 1/(2N) Σ_n Σ_k (y_nk − ŷ_nk)², usually the training set.
    Y : array, shape (N, sizes[-1]) or (N,)
        Targets.
    parameter : tuple or None
        ``(l, i, j)`` for ``weights[l][i, j]`` or ``(l, i, "bias")`` for ``biases[l][i]``;
        None shows an invitation to select a weight.
    learning_rate : float
        η of the step Δθ = −η ∂E/∂θ.

    Attributes
    ----------
    thetas, errors : list of float
        The sampled curve: E (None where not finite) at each θ value, ``SAMPLES`` points
        over θ ± max(3, 2|θ|), widened to contain θ + Δθ.
    theta, error, slope, step, error_after : float
        θ now, E(θ), ∂E/∂θ, Δθ = −η ∂E/∂θ, and E(θ + Δθ) with the other parameters fixed.

    Examples
    --------
    >>> import backprop_widgets as bw
    >>> net = bw.MLP([2, 2, 1], seed=0)
    >>> X, Y = bw.datasets.xor()
    >>> ErrorSlice(net, X, Y, (0, 0, 0))  # the last line of a cell: the view displays itself
    """

    _esm = esm("slice")
    _css = STATIC / "widgets.css"

    learning_rate = traitlets.Float(0.5).tag(sync=True)
    weight = traitlets.Unicode("").tag(sync=True)  # "l,i,j" or "l,i,bias"; "" for none
    label = traitlets.Unicode("").tag(sync=True)  # θ²₁₁
    data_label = traitlets.Unicode("").tag(sync=True)  # which instances E is over, if not all
    step_label = traitlets.Unicode("next step").tag(sync=True)  # which update the arrow is
    loss_title = traitlets.Unicode("squared error").tag(sync=True)  # the network's E, named
    # The instance (or first of the batch) E is over, as ``data-instance``; -1: not said.
    instance = traitlets.Int(-1).tag(sync=True)
    message = traitlets.Unicode(INSTRUCTION).tag(sync=True)
    thetas = traitlets.List([]).tag(sync=True)
    errors = traitlets.List([]).tag(sync=True)
    theta = traitlets.Float(0.0).tag(sync=True)
    # None where the network overflows (JSON has no NaN or inf)
    error = traitlets.Float(0.0, allow_none=True).tag(sync=True)
    slope = traitlets.Float(0.0, allow_none=True).tag(sync=True)
    step = traitlets.Float(0.0, allow_none=True).tag(sync=True)
    error_after = traitlets.Float(0.0, allow_none=True).tag(sync=True)
    # The key under the plot: [{"swatch": "now" | "tangent" | "step", "html": words and MathML}]
    legend = traitlets.List([]).tag(sync=True)

    def __init__(
        self, net: MLP, X, Y, parameter: tuple | None = None, learning_rate: float = 0.5, **kwargs
    ) -> None:
        net, X, Y = check_data(net, X, Y)
        parameter = _check_parameter(net, parameter)
        learning_rate = check.learning_rate(learning_rate)
        super().__init__(**kwargs)
        self.net, self.X, self.Y = net, X, Y
        self._parameter = parameter
        self.learning_rate = learning_rate
        self.observe(lambda _: self.update(), "learning_rate")
        self.observe(lambda _: self._write_legend(), "step_label")
        self.update()

    # -- state -----------------------------------------------------------------------------

    _fallback_picture_ = slice_picture  # shown where no kernel runs (fallback.Pictured)

    @traitlets.validate("learning_rate")
    def _valid_learning_rate(self, proposal) -> float:
        return check.learning_rate(proposal["value"])

    @property
    def parameter(self) -> tuple | None:
        """The weight the curve varies: ``(l, i, j)``, ``(l, i, "bias")`` or None."""
        return self._parameter

    @parameter.setter
    def parameter(self, value: tuple | None) -> None:
        self._parameter = _check_parameter(self.net, value)
        self.update()

    def update(
        self,
        net: MLP | None = None,
        parameter: tuple | None = None,
        learning_rate: float | None = None,
        X=None,
        Y=None,
    ) -> None:
        """Recompute everything from the network's current weights and send it to the view.

        Call it after the weights changed (a slider, a training step). Arguments that are given
        replace the current ones, and None keeps them; all are checked before anything changes.
        A parameter that a new ``net`` does not have is dropped (the view then invites a
        selection); assign ``view.parameter = None`` to drop it on purpose.

        Parameters
        ----------
        net : MLP, optional
        parameter : tuple, optional
        learning_rate : float, optional
        X, Y : arrays, optional
            New data, given together; shapes as in the constructor.
        """
        if (X is None) != (Y is None):
            raise ValueError("X and Y must be given together (or neither)")
        if X is None:
            X, Y = self.X, self.Y
        new_net, X, Y = check_data(self.net if net is None else net, X, Y)
        if parameter is not None:
            parameter = _check_parameter(new_net, parameter)
        else:
            parameter = _existing_parameter(new_net, self._parameter)
        if learning_rate is not None:
            learning_rate = check.learning_rate(learning_rate)
        self.net, self.X, self.Y, self._parameter = new_net, X, Y, parameter
        if learning_rate is not None and learning_rate != self.learning_rate:
            self.learning_rate = learning_rate  # its observer calls update() again
            return
        self._show()

    # -- the mathematics -------------------------------------------------------------------

    def error_at(self, thetas) -> np.ndarray:
        """E with the selected weight set to each value of ``thetas``, all else fixed
        (``engine.probes.error_along``). The network itself is not touched.

        Parameters
        ----------
        thetas : array, shape (K,)

        Returns
        -------
        ndarray, shape (K,); NaN or inf where the network overflows
        """
        if self._parameter is None:
            raise ValueError("no parameter is selected: set parameter to (l, i, j) first")
        return error_along(self.net, self._parameter, thetas, self.X, self.Y)

    def _show(self) -> None:
        if self._parameter is None:
            with self.hold_sync():
                self.weight, self.label, self.message = "", "", INSTRUCTION
                self.thetas, self.errors, self.legend = [], [], []
            return
        parameter = self._parameter
        s = slice_along(
            self.net, parameter, self.X, self.Y, self.learning_rate, SAMPLES, MIN_HALF_WIDTH
        )
        with self.hold_sync():
            self.loss_title = LOSSES[self.net.loss_name].title
            self.weight = key_of(parameter)
            self.label = theta_name(*parameter)
            self.message = ""
            self.thetas = [float(t) for t in s.thetas]
            self.errors = [json_number(e) for e in s.errors]
            self.theta, self.error = s.theta, json_number(s.error)
            self.slope, self.step = json_number(s.slope), json_number(s.step)
            self.error_after = json_number(s.error_after)
            self._write_legend()

    def _write_legend(self) -> None:
        """The key's three rows, their numbers written as maths (``notation.numbers.latex``)."""
        if self._parameter is None:
            self.legend = []
            return
        theta = tex.theta(*self._parameter)
        E, after = _latex(self.error), _latex(self.error_after)
        change = ""
        if self.error is not None and self.error_after is not None:
            change = f" (change {mathml.math(_latex(self.error_after - self.error))})"
        partial = rf"\partial E / \partial {theta}"
        now = mathml.math(rf"{theta} = {_latex(self.theta)},\; E = {E}")
        slope = mathml.math(f"{partial} = {_latex(self.slope)}")
        step = mathml.math(rf"-\eta\, {partial} = {_latex(self.step)}")
        eta = mathml.math(rf"\eta = {_latex(self.learning_rate)}")
        self.legend = [
            {"swatch": "now", "html": f"now: {now}"},
            {"swatch": "tangent", "html": f"tangent: slope {slope}"},
            {
                "swatch": "step",
                "html": f"{html.escape(self.step_label)} {step} ({eta}); there "
                f"{mathml.math('E = ' + after)}{change} if only {mathml.math(theta)} moved",
            },
        ]

    def __repr__(self) -> str:
        where = f"MLP {self.net.sizes}, N={len(self.X)}, learning_rate={self.learning_rate}"
        if self._parameter is None:
            return f"ErrorSlice(parameter=None; {where})"
        return (
            f"ErrorSlice(parameter={self._parameter} {self.label} = {_short(self.theta)}: "
            f"E = {_short(self.error)}, ∂E/∂θ = {_short(self.slope)}, "
            f"Δθ = −η ∂E/∂θ = {_short(self.step)}; {where})"
        )


def _latex(value: float | None) -> str:
    """A number as maths; None (the network overflowed there) as "overflow"."""
    return r"\text{overflow}" if value is None else number_latex(value)


def _check_parameter(net: MLP, parameter) -> tuple | None:
    if parameter is None:
        return None
    if not isinstance(parameter, (tuple, list)) or len(parameter) != 3:
        raise TypeError(f'parameter must be (l, i, j), (l, i, "bias") or None; got {parameter!r}')
    try:
        return net.check_parameter(*parameter)
    except (TypeError, ValueError) as error:
        raise type(error)(f"parameter {tuple(parameter)}: {error}") from None


def _existing_parameter(net: MLP, parameter) -> tuple | None:
    """``parameter`` if ``net`` has it, else None (a new architecture may not)."""
    try:
        return _check_parameter(net, parameter)
    except (TypeError, ValueError):
        return None
