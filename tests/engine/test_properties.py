"""Property tests: backpropagation against central finite differences on random networks."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import backprop_widgets as bw
from backprop_widgets.engine import training

activations = st.sampled_from(["sigmoid", "tanh", "relu", "linear"])


@st.composite
def networks(draw, max_layers=5, max_width=4):
    sizes = draw(st.lists(st.integers(1, max_width), min_size=2, max_size=max_layers))
    net = bw.MLP(
        sizes,
        activation=draw(activations),
        output_activation=draw(activations),
        bias=draw(st.booleans()),
        seed=draw(st.integers(0, 2**16)),
    )
    n = draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    X = rng.normal(size=(n, sizes[0]))
    Y = rng.uniform(-1, 1, size=(n, sizes[-1]))
    return net, X, Y


def finite_difference(net, X, Y, array, index, h=1e-6):
    original = array[index]
    array[index] = original + h
    up = net.loss(X, Y)
    array[index] = original - h
    down = net.loss(X, Y)
    array[index] = original
    return (up - down) / (2 * h)


def near_relu_kink(net, X, h=1e-5):
    """True when some relu's z is within the finite-difference step of 0."""
    if "relu" not in (net.activation, net.output_activation):
        return False
    z, _ = net._forward(X)
    return any(np.any(np.abs(zl) < 1e-3) for zl in z[1:])


@settings(max_examples=60, deadline=None)
@given(networks())
def test_gradients_match_central_finite_differences(case):
    net, X, Y = case
    if near_relu_kink(net, X):
        return
    dW, db = net.gradients(X, Y)
    for l, W in enumerate(net.weights):
        for index in np.ndindex(W.shape):
            numeric = finite_difference(net, X, Y, W, index)
            assert np.isclose(dW[l][index], numeric, rtol=1e-5, atol=1e-7)
        if net.bias:
            for i in range(len(net.biases[l])):
                numeric = finite_difference(net, X, Y, net.biases[l], i)
                assert np.isclose(db[l][i], numeric, rtol=1e-5, atol=1e-7)
        else:
            assert not db[l].any()


@settings(max_examples=40, deadline=None)
@given(networks(), st.floats(1e-3, 2.0))
def test_trace_dtheta_is_minus_eta_times_the_gradient(case, eta):
    net, X, Y = case
    t = net.trace(X[0], Y[0], learning_rate=eta)
    dW, db = net.gradients(X[:1], Y[:1])
    for l in range(len(net.weights)):
        assert np.allclose(t.dtheta[l], -eta * dW[l], rtol=1e-12, atol=1e-300)
        assert np.allclose(t.dbias[l], -eta * db[l], rtol=1e-12, atol=1e-300)
    assert t.error == np.float64(0.5 * np.sum((Y[0] - net.predict(X[0])) ** 2))


@settings(max_examples=30, deadline=None)
@given(networks(), st.floats(1e-3, 1.0))
def test_online_fit_equals_steps_on_single_instances(case, eta):
    net, X, Y = case
    twin = net.copy()
    try:
        for n in range(len(X)):
            twin.step(X[n : n + 1], Y[n : n + 1], eta)
        with np.errstate(over="ignore", invalid="ignore"):
            diverges = not np.isfinite(twin.loss(X, Y))
    except bw.DivergenceError:
        diverges = True
    if diverges:  # a linear or relu network can blow up in four steps: fit must say so
        with pytest.raises(bw.DivergenceError):
            net.fit(X, Y, eta, epochs=1)
        return
    net.fit(X, Y, eta, epochs=1)
    for p, q in zip(net.weights + net.biases, twin.weights + twin.biases):
        assert np.allclose(p, q, rtol=1e-10, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(networks())
def test_loss_equals_mean_of_per_instance_errors(case):
    net, X, Y = case
    errors = [net.trace(x, y).error for x, y in zip(X, Y)]
    assert np.isclose(net.loss(X, Y), np.mean(errors), rtol=1e-13, atol=0)


@settings(max_examples=60, deadline=None)
@given(networks())
def test_batch_training_path_equals_the_reference_forward_and_backward(case):
    net, X, Y = case
    dW, db, E = training.batch_gradients(net, X, Y)
    z, a = net._forward(X)
    delta = net._backward(z, a, Y)
    n = len(X)
    for l in range(len(net.weights)):
        assert np.allclose(dW[l], -(delta[l + 1].T @ a[l]) / n, rtol=1e-12, atol=1e-300)
        expected_db = -delta[l + 1].sum(axis=0) / n if net.bias else 0.0
        assert np.allclose(db[l], expected_db, rtol=1e-12, atol=1e-300)
    assert np.isclose(E, 0.5 * np.sum((Y - a[-1]) ** 2) / n, rtol=1e-12, atol=0)
    # A second call with the same batch size reuses the workspace and gives the same result.
    dW2, _, E2 = training.batch_gradients(net, X, Y)
    assert E2 == E and all(np.array_equal(p, q) for p, q in zip(dW, dW2))
