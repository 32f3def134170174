"""ErrorSlice: E as a function of one weight, its tangent and the next step, without a browser."""

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets.widgets.slice_view import INSTRUCTION, SAMPLES, ErrorSlice, theta_name


@pytest.fixture
def xor():
    X, Y = bw.datasets.xor()
    return bw.MLP([2, 2, 1], seed=0), X, Y


@pytest.fixture
def moons():
    X, Y = bw.datasets.moons(60, seed=1)
    return bw.MLP([2, 3, 2, 1], activation="tanh", output_activation="sigmoid", seed=2), X, Y


def entry(gradients, parameter):
    dW, db = gradients
    l, i, j = parameter
    return float(db[l][i] if j == "bias" else dW[l][i, j])


PARAMETERS = [(0, 0, 0), (0, 1, "bias"), (1, 0, 1), (1, 0, "bias")]
DEEP_PARAMETERS = [(0, 2, 1), (1, 1, "bias"), (2, 0, 0), (0, 0, "bias")]


@pytest.mark.parametrize("parameter", PARAMETERS)
def test_sampled_error_at_the_current_theta_is_the_networks_loss(xor, parameter):
    net, X, Y = xor
    view = ErrorSlice(net, X, Y, parameter)
    assert view.thetas[SAMPLES // 2] == net.get_parameter(*parameter)
    assert view.errors[SAMPLES // 2] == pytest.approx(net.loss(X, Y), rel=1e-12)
    assert view.error == pytest.approx(net.loss(X, Y), rel=1e-12)


@pytest.mark.parametrize("parameter", DEEP_PARAMETERS)
def test_every_sampled_error_is_the_loss_with_that_weight(moons, parameter):
    net, X, Y = moons
    view = ErrorSlice(net, X, Y, parameter)
    probe = net.copy()
    for k in (0, 17, SAMPLES // 2, 100, SAMPLES - 1):
        probe.set_parameter(*parameter, view.thetas[k])
        assert view.errors[k] == pytest.approx(probe.loss(X, Y), rel=1e-12)


@pytest.mark.parametrize("parameter", PARAMETERS)
def test_slope_is_the_backpropagated_gradient_entry(xor, parameter):
    net, X, Y = xor
    view = ErrorSlice(net, X, Y, parameter)
    assert view.slope == entry(net.gradients(X, Y), parameter)


@pytest.mark.parametrize("parameter", DEEP_PARAMETERS)
def test_central_difference_of_the_curve_matches_the_slope(moons, parameter):
    net, X, Y = moons
    view = ErrorSlice(net, X, Y, parameter)
    h = 1e-6
    up, down = view.error_at([view.theta + h, view.theta - h])
    assert (up - down) / (2 * h) == pytest.approx(view.slope, abs=1e-5)


def test_step_is_minus_eta_times_slope_and_lands_where_the_curve_says(xor):
    net, X, Y = xor
    view = ErrorSlice(net, X, Y, (1, 0, 1), learning_rate=0.7)
    assert view.step == -0.7 * view.slope
    probe = net.copy()
    probe.set_parameter(1, 0, 1, view.theta + view.step)
    assert view.error_after == pytest.approx(probe.loss(X, Y), rel=1e-12)


def test_step_for_one_weight_matches_the_networks_full_batch_update_of_it(xor):
    net, X, Y = xor
    view = ErrorSlice(net, X, Y, (0, 1, 0), learning_rate=0.5)
    trained = net.copy()
    trained.step(X, Y, 0.5)
    assert trained.get_parameter(0, 1, 0) == pytest.approx(view.theta + view.step, rel=1e-12)


def test_curve_spans_theta_plus_minus_max_of_3_and_twice_theta(xor):
    net, X, Y = xor
    net.set_parameter(0, 0, 0, 2.5)
    view = ErrorSlice(net, X, Y, (0, 0, 0), learning_rate=0.5)
    assert len(view.thetas) == len(view.errors) == SAMPLES
    assert view.thetas[0] == pytest.approx(2.5 - 5.0)
    assert view.thetas[-1] == pytest.approx(2.5 + 5.0)
    net.set_parameter(0, 0, 0, 0.1)
    view.update()
    assert (view.thetas[0], view.thetas[-1]) == pytest.approx((0.1 - 3.0, 0.1 + 3.0))


def test_curve_widens_to_show_a_large_step(xor):
    net, X, Y = xor
    net.set_parameter(1, 0, "bias", -3.0)  # slope ≈ −0.0295: η = 500 steps about 15 to the right
    view = ErrorSlice(net, X, Y, (1, 0, "bias"), learning_rate=500.0)
    target = view.theta + view.step
    assert view.step > 6.0
    assert view.thetas[0] < target < view.thetas[-1]


def test_a_huge_step_widens_the_curve_only_so_far(xor):
    net, X, Y = xor
    net.set_parameter(1, 0, "bias", -3.0)
    view = ErrorSlice(net, X, Y, (1, 0, "bias"), learning_rate=1e6)
    assert view.thetas[-1] - view.theta == pytest.approx(20 * 6.0)
    assert view.error_after == view.error_at([view.theta + view.step])[0]


def test_update_follows_a_weight_change(xor):
    net, X, Y = xor
    view = ErrorSlice(net, X, Y, (0, 0, 0))
    net.set_parameter(0, 0, 0, 1.25)
    view.update()
    assert view.theta == 1.25
    assert view.error == pytest.approx(net.loss(X, Y), rel=1e-12)
    assert view.slope == entry(net.gradients(X, Y), (0, 0, 0))


def test_update_follows_training(xor):
    net, X, Y = xor
    view = ErrorSlice(net, X, Y, (1, 0, 0))
    net.fit(X, Y, 0.5, 200)
    view.update()
    assert view.theta == net.get_parameter(1, 0, 0)
    assert view.slope == entry(net.gradients(X, Y), (1, 0, 0))


def test_learning_rate_change_rescales_the_step(xor):
    net, X, Y = xor
    view = ErrorSlice(net, X, Y, (0, 0, 1), learning_rate=0.5)
    view.update(learning_rate=2.0)
    assert view.learning_rate == 2.0
    assert view.step == -2.0 * view.slope
    view.learning_rate = 0.25  # the trait, as a slider link would set it
    assert view.step == -0.25 * view.slope


def test_update_takes_a_new_parameter_and_a_new_network(xor):
    net, X, Y = xor
    view = ErrorSlice(net, X, Y, (0, 0, 0))
    view.update(parameter=(1, 0, "bias"))
    assert view.weight == "1,0,bias"
    assert view.label == "θ²₁₀"
    other = bw.MLP([2, 3, 1], seed=5)
    view.update(net=other)
    assert view.net is other
    assert view.slope == entry(other.gradients(X, Y), (1, 0, "bias"))


def test_a_parameter_missing_from_a_new_network_is_dropped(xor):
    net, X, Y = xor
    view = ErrorSlice(net, X, Y, (0, 1, 1))
    view.update(net=bw.MLP([2, 1, 1], seed=0))
    assert view.parameter is None
    assert view.message == INSTRUCTION


def test_new_data_replace_the_error(xor):
    net, X, Y = xor
    view = ErrorSlice(net, X, Y, (0, 0, 0))
    view.update(X=X[:2], Y=Y[:2])
    assert view.error == pytest.approx(net.loss(X[:2], Y[:2]), rel=1e-12)


def test_sampling_leaves_the_network_unchanged(moons):
    net, X, Y = moons
    before = [p.copy() for p in net.weights + net.biases]
    view = ErrorSlice(net, X, Y, (1, 1, 0), learning_rate=3.0)
    view.update(parameter=(0, 2, "bias"))
    view.error_at(np.linspace(-50, 50, 1001))
    for p, q in zip(net.weights + net.biases, before):
        np.testing.assert_array_equal(p, q)


def test_without_a_parameter_the_view_invites_a_selection(xor):
    net, X, Y = xor
    view = ErrorSlice(net, X, Y)
    assert view.parameter is None
    assert view.message == "Select a weight to see E as a function of it"
    assert view.thetas == [] and view.weight == ""
    view.parameter = (0, 0, "bias")
    assert view.message == "" and len(view.thetas) == SAMPLES
    view.parameter = None
    assert view.thetas == [] and view.message == INSTRUCTION


def test_labels_are_in_lecture_notation():
    assert theta_name(0, 0, 0) == "θ¹₁₁"
    assert theta_name(1, 0, "bias") == "θ²₁₀"
    assert theta_name(2, 3, 1) == "θ³₄₂"


def test_overflowing_errors_are_sent_as_none():
    X = np.array([[1.0], [2.0]])
    Y = np.array([[0.0], [1.0]])
    net = bw.MLP([1, 1], activation="linear", seed=0)
    net.set_parameter(0, 0, 0, 1e155)  # E ≈ ½ (1e155)² overflows
    view = ErrorSlice(net, X, Y, (0, 0, 0))
    assert None in view.errors
    assert view.error is None
    assert "E = not finite" in repr(view)


def test_repr_names_the_weight_and_its_numbers(xor):
    net, X, Y = xor
    text = repr(ErrorSlice(net, X, Y, (0, 0, 0), learning_rate=0.5))
    assert text.startswith("ErrorSlice(parameter=(0, 0, 0) θ¹₁₁ = ")
    assert "∂E/∂θ = " in text and "learning_rate=0.5" in text and "N=4" in text
    assert repr(ErrorSlice(net, X, Y)).startswith("ErrorSlice(parameter=None;")


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"net": "not a network"}, TypeError, "net must be a backprop_widgets.MLP"),
        ({"X": np.zeros((4, 3))}, ValueError, "X must have shape"),
        ({"Y": np.zeros((3, 1))}, ValueError, "Y must have shape"),
        ({"parameter": (0, 0)}, TypeError, "parameter must be (l, i, j)"),
        ({"parameter": (5, 0, 0)}, ValueError, "parameter (5, 0, 0): l must be"),
        ({"parameter": (0, 0, "b")}, ValueError, 'j must be a node index or "bias"'),
        ({"learning_rate": 0.0}, ValueError, "learning_rate must be a number > 0"),
        ({"learning_rate": "fast"}, TypeError, "learning_rate must be a real number"),
    ],
)
def test_bad_arguments_raise_naming_the_argument(xor, kwargs, error, words):
    net, X, Y = xor
    arguments = {"net": net, "X": X, "Y": Y, "parameter": (0, 0, 0), **kwargs}
    with pytest.raises(error) as raised:
        ErrorSlice(**arguments)
    assert words in str(raised.value)


def test_bad_update_changes_nothing(xor):
    net, X, Y = xor
    view = ErrorSlice(net, X, Y, (0, 0, 0), learning_rate=0.5)
    state = (view.parameter, view.learning_rate, view.thetas, view.net, view.X)
    with pytest.raises(ValueError, match="learning_rate"):
        view.update(parameter=(1, 0, 0), learning_rate=-1.0)
    with pytest.raises(ValueError, match="X and Y must be given together"):
        view.update(X=X)
    with pytest.raises(ValueError, match="X must have shape"):
        view.update(net=bw.MLP([3, 1]), parameter=(0, 0, 2))
    with pytest.raises(ValueError, match="learning_rate"):
        view.learning_rate = -2.0
    assert (view.parameter, view.learning_rate, view.thetas, view.net, view.X) == state


def test_the_legend_writes_its_numbers_as_maths_from_the_slice():
    from backprop_widgets.notation import mathml
    from backprop_widgets.notation.numbers import latex

    net = bw.MLP([2, 2, 1], seed=0)
    X, Y = bw.datasets.xor()
    view = ErrorSlice(net, X, Y, (0, 0, 1), learning_rate=0.5)
    now, tangent, step = view.legend
    assert [row["swatch"] for row in view.legend] == ["now", "tangent", "step"]
    theta = rf"\theta^{{1}}_{{12}} = {latex(view.theta)},\; E = {latex(view.error)}"
    assert mathml.math(theta) in now["html"]
    partial = r"\partial E / \partial \theta^{1}_{12}"
    assert mathml.math(f"{partial} = {latex(view.slope)}") in tangent["html"]
    assert mathml.math(rf"\eta = {latex(0.5)}") in step["html"]
    assert "e-" not in "".join(row["html"] for row in view.legend)  # never 1e-05 in maths
    view.step_label = "an online update on it:"
    assert view.legend[2]["html"].startswith("an online update on it:")
    view.parameter = None
    assert view.legend == []
