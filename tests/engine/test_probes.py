"""Numeric probes of a network: finite differences, E along one weight, grids, level lines."""

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets.engine import probes
from backprop_widgets.engine.probes import (
    activations_over,
    error_along,
    finite_difference,
    level_line,
    line_grid,
    plane_grid,
)


@pytest.fixture
def moons():
    X, Y = bw.datasets.moons(60, seed=1)
    return bw.MLP([2, 3, 2, 1], activation="tanh", output_activation="sigmoid", seed=2), X, Y


@pytest.mark.parametrize("parameter", [(0, 2, 1), (1, 1, "bias"), (2, 0, 0)])
def test_finite_difference_matches_the_backpropagated_gradient_of_one_instance(moons, parameter):
    net, X, Y = moons
    l, i, j = parameter
    dW, db = net.gradients(X[:1], Y[:1])
    backprop = db[l][i] if j == "bias" else dW[l][i, j]
    assert finite_difference(net, parameter, X[0], Y[0]) == pytest.approx(backprop, abs=1e-8)


@pytest.mark.parametrize("parameter", [(0, 2, 1), (1, 1, "bias"), (2, 0, 0), (0, 0, "bias")])
def test_error_along_a_weight_is_the_loss_with_that_weight(moons, parameter):
    net, X, Y = moons
    thetas = np.array([-2.0, -0.3, 0.0, 1.7])
    errors = error_along(net, parameter, thetas, X, Y)
    probe = net.copy()
    for theta, error in zip(thetas, errors):
        probe.set_parameter(*parameter, theta)
        assert error == pytest.approx(probe.loss(X, Y), rel=1e-12)


def test_probes_leave_the_network_unchanged(moons):
    net, X, Y = moons
    before = [p.copy() for p in net.weights + net.biases]
    error_along(net, (1, 1, 0), np.linspace(-50, 50, 1001), X, Y)
    finite_difference(net, (0, 2, "bias"), X[0], Y[0])
    activations_over(net, plane_grid(X, 10, 0.15))
    for p, q in zip(net.weights + net.biases, before):
        np.testing.assert_array_equal(p, q)


def test_large_batches_are_sampled_in_chunks_with_the_same_result(monkeypatch):
    X, Y = bw.datasets.circles(300, seed=3)
    net = bw.MLP([2, 5, 1], seed=1)
    thetas = net.get_parameter(0, 4, 1) + np.linspace(-3.0, 3.0, 121)
    whole = error_along(net, (0, 4, 1), thetas, X, Y)
    monkeypatch.setattr(probes, "MAX_ELEMENTS", 300 * 5 * 7)  # 7 θ values a chunk
    np.testing.assert_allclose(error_along(net, (0, 4, 1), thetas, X, Y), whole, rtol=1e-13)


def test_error_along_rejects_a_parameter_the_network_does_not_have(moons):
    net, X, Y = moons
    with pytest.raises(ValueError, match="l must be a weight layer"):
        error_along(net, (3, 0, 0), [0.0], X, Y)


def test_plane_grid_is_pixel_centres_of_a_square_around_the_points():
    X = np.array([[0.0, 0.0], [2.0, 1.0]])
    grid = plane_grid(X, 4, 0.25)
    assert grid.box == pytest.approx((-0.5, 2.5, -1.0, 2.0))  # 2 wide, + a quarter each side
    xs, ys = grid.axes
    np.testing.assert_allclose(xs, [-0.125, 0.625, 1.375, 2.125])
    np.testing.assert_allclose(ys, [1.625, 0.875, 0.125, -0.625])  # from the top
    assert grid.shape == (4, 4)
    np.testing.assert_array_equal(grid.points[:4], np.c_[xs, np.full(4, ys[0])])


def test_line_grid_spans_the_data_and_a_margin_end_to_end():
    grid = line_grid(np.array([[1.0], [3.0], [2.0]]), 5, 0.5)
    assert grid.box == (0.0, 4.0)
    np.testing.assert_array_equal(grid.axes[0], [0.0, 1.0, 2.0, 3.0, 4.0])
    assert grid.shape == (5,) and grid.points.shape == (5, 1)


def test_activations_over_a_grid_are_the_forward_pass_shaped_like_the_grid(moons):
    net, X, _ = moons
    grid = plane_grid(X, 12, 0.15)
    a = activations_over(net, grid)
    assert [v.shape for v in a] == [(12, 12, 2), (12, 12, 3), (12, 12, 2), (12, 12, 1)]
    np.testing.assert_array_equal(a[-1].reshape(-1, 1), net.predict(grid.points))


def test_level_line_of_a_circle_stays_on_the_circle():
    xs = ys = np.linspace(-1, 1, 41)
    gx, gy = np.meshgrid(xs, ys)
    segments = level_line(gx**2 + gy**2, xs, ys, 0.25)
    ends = np.r_[segments[:, :2], segments[:, 2:]]
    np.testing.assert_allclose(np.hypot(*ends.T), 0.5, atol=2e-3)
    assert len(segments) > 20


def test_level_line_splits_a_saddle_by_the_value_at_its_centre():
    values = np.array([[1.0, -1.0], [-1.0, 1.0]])  # corners alternate; the mean is 0: below
    segments = level_line(values, np.array([0.0, 1.0]), np.array([0.0, 1.0]), 0.0)
    assert len(segments) == 2
    midpoints = (segments[:, :2] + segments[:, 2:]) / 2
    # The top-left and bottom-right corners (above) are cut off, each by its own segment.
    assert sorted(map(tuple, np.round(midpoints, 3))) == [(0.25, 0.25), (0.75, 0.75)]


def test_the_gradient_check_agrees_for_the_true_derivative_and_not_for_a_wrong_one():
    net = bw.MLP([2, 3, 1], seed=4)
    x, y = np.array([0.3, -0.7]), np.array([1.0])
    dW, _ = net.gradients(x[None], y[None])
    right = probes.gradient_check(net, (0, 1, 0), x, y, dW[0][1, 0])
    assert right.agree and right.backprop == dW[0][1, 0]
    assert abs(right.finite_difference - right.backprop) < 1e-8
    assert not probes.gradient_check(net, (0, 1, 0), x, y, -dW[0][1, 0]).agree


def test_the_slice_centres_on_theta_and_steps_by_minus_eta_times_the_slope():
    net = bw.MLP([2, 2, 1], seed=0)
    X, Y = bw.datasets.xor()
    s = probes.slice_along(net, (1, 0, "bias"), X, Y, learning_rate=0.5, samples=11)
    assert s.thetas[5] == s.theta == net.biases[1][0]
    assert s.error == net.loss(X, Y) and s.step == -0.5 * s.slope
    assert s.slope == net.gradients(X, Y)[1][1][0]
    assert len(s.thetas) == len(s.errors) == 11 and s.thetas[0] < s.theta + s.step < s.thetas[-1]
