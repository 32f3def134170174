"""Numbers the views show beside training: probes of a network that leave it as it is.

- ``finite_difference``: ∂E/∂θ of one instance by a central difference, the check beside
  backpropagation and the symbolic derivation.
- ``error_along``: E with one weight θ moved to each of many values, every other parameter fixed
  (the error slice).
- ``plane_grid``, ``line_grid``, ``activations_over``: points over the data's box and every
  layer's activations at them (the decision surface and each hidden neuron's picture).
- ``level_line``: where values on a grid cross a level (the decision boundary).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import validation as check
from .mlp import MLP, check_data

MAX_ELEMENTS = 1 << 21  # floats per layer in one vectorised pass; larger batches go in chunks


def finite_difference(
    net: MLP, parameter: tuple, x: np.ndarray, y: np.ndarray, h: float = 1e-6
) -> float:
    """Central difference (E(θ + h) − E(θ − h)) / 2h of one instance's error E.

    Parameters
    ----------
    net : MLP
        Read, never changed: the difference is taken on a copy.
    parameter : tuple
        ``(l, i, j)`` for ``weights[l][i, j]`` or ``(l, i, "bias")`` for ``biases[l][i]``.
    x : ndarray, shape (sizes[0],)
    y : ndarray, shape (sizes[-1],)
    h : float
        Half the distance between the two points.

    Returns
    -------
    float, close to ∂E/∂θ for E = ½ Σ_k (y_k − ŷ_k)²
    """
    probe = net.copy()
    theta = probe.get_parameter(*parameter)
    probe.set_parameter(*parameter, theta + h)
    up = probe.loss(x[None], y[None])
    probe.set_parameter(*parameter, theta - h)
    down = probe.loss(x[None], y[None])
    return (up - down) / (2 * h)


def gradient_of(net: MLP, parameter: tuple, X: np.ndarray, Y: np.ndarray) -> float:
    """∂E/∂θ of one parameter by backpropagation, E averaged over the batch X (N, sizes[0])."""
    l, i, j = parameter
    dW, db = net.gradients(X, Y)
    return float(db[l][i] if j == "bias" else dW[l][i, j])


@dataclass(frozen=True)
class GradientCheck:
    """∂E/∂θ of one instance three ways: the chain rule written out (``symbolic``, computed by
    the symbolic layer), backpropagation and a central finite difference."""

    symbolic: float
    backprop: float
    finite_difference: float

    @property
    def agree(self) -> bool:
        """Symbolic = backprop to rounding, and = the finite difference to its accuracy."""
        return bool(
            np.isclose(self.symbolic, self.backprop, rtol=1e-12, atol=1e-15)
            and np.isclose(self.symbolic, self.finite_difference, rtol=1e-6, atol=1e-9)
        )


def gradient_check(
    net: MLP, parameter: tuple, x: np.ndarray, y: np.ndarray, symbolic: float
) -> GradientCheck:
    """Check a written-out ∂E/∂θ (``symbolic``) of instance x, y (shapes (sizes[0],) and
    (sizes[-1],)) against backpropagation and a finite difference."""
    backprop = gradient_of(net, parameter, x[None], y[None])
    return GradientCheck(float(symbolic), backprop, finite_difference(net, parameter, x, y))


@dataclass(frozen=True)
class Slice:
    """E along one weight θ, all else fixed: what ``ErrorSlice`` draws.

    Attributes
    ----------
    thetas, errors : ndarray, shape (samples,)
        The curve, E (NaN or inf where the network overflows) at each θ.
    theta, error : float
        θ now (``thetas[samples // 2]``) and E there.
    slope, step : float
        ∂E/∂θ there, and the step Δθ = −η ∂E/∂θ of gradient descent.
    error_after : float
        E at θ + Δθ.
    """

    thetas: np.ndarray
    errors: np.ndarray
    theta: float
    error: float
    slope: float
    step: float
    error_after: float


def slice_along(
    net: MLP,
    parameter: tuple,
    X,
    Y,
    learning_rate: float,
    samples: int = 121,
    min_half_width: float = 3.0,
) -> Slice:
    """E over the batch X, Y as θ = ``parameter`` varies, the tangent's slope and the next step.

    The curve spans θ ± max(``min_half_width``, 2|θ|), widened (up to 20 times) to contain
    θ + Δθ; ``samples`` is odd so that its middle point is θ exactly.
    """
    net, X, Y = check_data(net, X, Y)
    parameter = net.check_parameter(*parameter)
    theta = net.get_parameter(*parameter)
    slope = gradient_of(net, parameter, X, Y)
    step = -learning_rate * slope
    half = max(min_half_width, 2 * abs(theta))
    half = min(max(half, 1.15 * abs(step)), 20 * half) if np.isfinite(step) else half
    thetas = theta + half * np.linspace(-1.0, 1.0, samples)
    thetas[samples // 2] = theta
    errors = error_along(net, parameter, np.append(thetas, theta + step), X, Y)
    return Slice(
        thetas, errors[:-1], theta, float(errors[samples // 2]), slope, step, float(errors[-1])
    )


def error_along(net: MLP, parameter: tuple, thetas, X, Y) -> np.ndarray:
    """E (the network's loss) with θ set to each value of ``thetas``, all else fixed.

    The layers below θ are computed once (``MLP.forward``); only the net input z_i that θ feeds
    changes, by (θ' − θ) a_j, and the layers above are evaluated for all θ' at once, in chunks
    of at most ``MAX_ELEMENTS`` floats a layer. The network itself is not touched.

    Parameters
    ----------
    net : MLP
    parameter : tuple
        ``(l, i, j)`` for ``weights[l][i, j]`` or ``(l, i, "bias")`` for ``biases[l][i]``.
    thetas : array, shape (K,)
    X : array, shape (N, sizes[0])
    Y : array, shape (N, sizes[-1]) or (N,)

    Returns
    -------
    ndarray, shape (K,); NaN or inf where the network overflows
    """
    net, X, Y = check_data(net, X, Y)
    l, i, j = net.check_parameter(*parameter)
    thetas = check.numeric_array(thetas, "thetas").ravel()
    a = net.forward(X)[l]  # (N, sizes[l]): what θ's layer receives
    with np.errstate(over="ignore", invalid="ignore"):
        z = _net_input(net, l, a)  # (N, sizes[l+1])
        feeds = np.ones(len(a)) if j == "bias" else a[:, j]  # ∂z_i/∂θ for each instance
        shift = thetas - net.get_parameter(l, i, j)
        chunk = max(1, MAX_ELEMENTS // (len(a) * max(net.sizes[l + 1 :])))
        errors = np.empty(len(thetas))
        for start in range(0, len(thetas), chunk):
            part = shift[start : start + chunk]
            zs = np.repeat(z[None], len(part), axis=0)  # (K', N, sizes[l+1])
            zs[:, :, i] += part[:, None] * feeds[None, :]
            logits, out = _forward_from(net, l, zs)  # (K', N, sizes[-1]) each
            errors[start : start + chunk] = net.error(logits, out, Y)
    return errors


def _net_input(net: MLP, l: int, a: np.ndarray) -> np.ndarray:
    """z = a θᵀ (+ bias) of weight layer l for a batch (..., sizes[l]), as in ``MLP.forward``."""
    z = a @ net.weights[l].T
    if net.bias:
        z += net.biases[l]
    return z


def _forward_from(net: MLP, l: int, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The output's net input and the output ŷ for net inputs ``z`` (..., sizes[l+1]) of the
    layer weights[l] leads to."""
    out = net.activation_of(l + 1).g(z)
    for k in range(l + 1, len(net.weights)):
        z = _net_input(net, k, out)
        out = net.activation_of(k + 1).g(z)
    return z, out


@dataclass(frozen=True)
class Grid:
    """Points over the data's box, laid out as a picture of them is.

    Attributes
    ----------
    box : tuple of float
        ``(x₁ min, x₁ max, x₂ min, x₂ max)`` of the picture (two inputs), or ``(x min, x max)``.
    axes : tuple of ndarray
        ``(xs, ys)``: xs of shape (C,) increasing, ys of shape (R,) decreasing (row 0 is the top);
        or ``(xs,)`` of shape (M,).
    points : ndarray, shape (R * C, 2) or (M, 1)
        Every point, row by row from the top, x₁ increasing along a row.
    """

    box: tuple
    axes: tuple
    points: np.ndarray

    @property
    def shape(self) -> tuple:
        """(R, C), or (M,): the shape of one neuron's values over the grid."""
        return tuple(len(axis) for axis in reversed(self.axes))


def plane_grid(X: np.ndarray, size: int, margin: float) -> Grid:
    """The centres of size × size square pixels covering a square around the points of X.

    Parameters
    ----------
    X : ndarray, shape (N, 2)
    size : int
        Pixels a side.
    margin : float
        Of the points' larger extent, added on each side; the square is at least 1 wide.

    Returns
    -------
    Grid, shape (size, size)
    """
    low, high = X.min(axis=0), X.max(axis=0)
    centre = (low + high) / 2
    half = max(float(np.max(high - low)) / 2 * (1 + 2 * margin), 0.5)
    x0, x1, y0, y1 = centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half
    pixel = 2 * half / size
    xs = np.linspace(x0 + pixel / 2, x1 - pixel / 2, size)
    ys = np.linspace(y1 - pixel / 2, y0 + pixel / 2, size)  # from the top
    gx, gy = np.meshgrid(xs, ys)
    return Grid((x0, x1, y0, y1), (xs, ys), np.c_[gx.ravel(), gy.ravel()])


def line_grid(X: np.ndarray, count: int, margin: float) -> Grid:
    """``count`` evenly spaced points over the interval of X, widened by ``margin`` of its width
    on each side.

    Parameters
    ----------
    X : ndarray, shape (N, 1)
    count : int
    margin : float

    Returns
    -------
    Grid, shape (count,)
    """
    low, high = float(X.min()), float(X.max())
    span = max(high - low, 1e-9)
    box = (low - margin * span, high + margin * span)
    xs = np.linspace(*box, count)
    return Grid(box, (xs,), xs[:, None])


def activations_over(
    net: MLP, grid: Grid, shown: tuple | None = None, held: np.ndarray | None = None
) -> list[np.ndarray]:
    """Every layer's activations at the grid's points, shaped like the grid.

    A network with more inputs than the grid has axes is evaluated with the grid's axes on the
    inputs ``shown`` and every other input held at its value in ``held`` (shape (sizes[0],),
    the data's mean, say).

    Returns
    -------
    list of ndarray, ``a[l].shape == grid.shape + (sizes[l],)``; ``a[0]`` holds the points,
    ``a[-1]`` the output ŷ
    """
    points = grid.points
    if shown is not None:
        points = np.repeat(np.asarray(held, dtype=float)[None, :], len(grid.points), axis=0)
        points[:, list(shown)] = grid.points
    return [a.reshape(*grid.shape, a.shape[-1]) for a in net.forward(points)]


def level_line(values: np.ndarray, xs: np.ndarray, ys: np.ndarray, level: float) -> np.ndarray:
    """Segments of the line where ``values`` crosses ``level`` (marching squares).

    Parameters
    ----------
    values : array, shape (R, C)
        ``values[r, c]`` is taken at the point (xs[c], ys[r]).
    xs : array, shape (C,)
    ys : array, shape (R,)
    level : float

    Returns
    -------
    ndarray, shape (S, 4): one segment (x_a, y_a, x_b, y_b) a row, crossings found by linear
    interpolation along the grid's edges.
    """
    v = np.nan_to_num(values - level)
    above = v > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        t_row = v[:, :-1] / (v[:, :-1] - v[:, 1:])  # along each row, (R, C-1)
        t_col = v[:-1] / (v[:-1] - v[1:])  # along each column, (R-1, C)
    row_x = xs[:-1] + t_row * np.diff(xs)
    col_y = ys[:-1, None] + t_col * np.diff(ys)[:, None]
    row_cut = above[:, :-1] != above[:, 1:]
    col_cut = above[:-1] != above[1:]
    # The four edges of cell (r, c), in the order top, right, bottom, left.
    cut = np.stack([row_cut[:-1], col_cut[:, 1:], row_cut[1:], col_cut[:, :-1]], axis=-1)
    R, C = v.shape[0] - 1, v.shape[1] - 1
    px = np.stack(
        [row_x[:-1], np.broadcast_to(xs[1:], (R, C)), row_x[1:], np.broadcast_to(xs[:-1], (R, C))],
        axis=-1,
    )
    py = np.stack(
        [
            np.broadcast_to(ys[:-1, None], (R, C)),
            col_y[:, 1:],
            np.broadcast_to(ys[1:, None], (R, C)),
            col_y[:, :-1],
        ],
        axis=-1,
    )
    count = cut.sum(axis=-1)
    segments = []
    r, c = np.nonzero(count == 2)
    if len(r):
        first_two = np.argsort(~cut[r, c], axis=-1, kind="stable")[:, :2]
        a, b = first_two[:, 0], first_two[:, 1]
        segments.append(np.c_[px[r, c, a], py[r, c, a], px[r, c, b], py[r, c, b]])
    # A saddle cuts all four edges: the mean of the corners decides which corners it joins.
    r, c = np.nonzero(count == 4)
    if len(r):
        centre_above = (v[r, c] + v[r, c + 1] + v[r + 1, c] + v[r + 1, c + 1]) > 0
        joined = centre_above == above[r, c]  # top left to bottom right: cut off the others
        for where, pairs in ((joined, ((0, 1), (2, 3))), (~joined, ((3, 0), (1, 2)))):
            rr, cc = r[where], c[where]
            for a, b in pairs:
                segments.append(np.c_[px[rr, cc, a], py[rr, cc, a], px[rr, cc, b], py[rr, cc, b]])
    return np.concatenate(segments) if segments else np.empty((0, 4))


def class_regions(
    probabilities: np.ndarray, xs: np.ndarray, ys: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where each class wins over a grid of class probabilities (a softmax output).

    Parameters
    ----------
    probabilities : array, shape (R, C, K)
        ŷ_k at the grid's points (``values[r, c]`` at (xs[c], ys[r])), each row summing to 1.
    xs : array, shape (C,)
    ys : array, shape (R,)

    Returns
    -------
    winner : ndarray of int, shape (R, C)
        The class with the largest ŷ_k (0-based).
    confidence : ndarray, shape (R, C)
        That largest ŷ_k, from 1/K (a tie) to 1 (certain).
    boundaries : ndarray, shape (S, 4)
        Segments (x_a, y_a, x_b, y_b) where the winner changes: for each class k, the line
        where ŷ_k equals the largest of the others.
    """
    winner = np.argmax(probabilities, axis=-1)
    confidence = np.max(probabilities, axis=-1)
    segments = []
    for k in range(probabilities.shape[-1]):
        others = np.delete(probabilities, k, axis=-1).max(axis=-1)
        segments.append(level_line(probabilities[..., k] - others, xs, ys, 0.0))
    return winner, confidence, np.concatenate(segments) if segments else np.zeros((0, 4))
