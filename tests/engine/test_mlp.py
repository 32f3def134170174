"""The engine against the lecture's formulas, worked by hand, and against itself."""

import json
import warnings

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets.engine.activations import ACTIVATIONS, sigmoid


def s(z):
    return 1.0 / (1.0 + np.exp(-z))


@pytest.fixture
def lecture_net():
    """A [2, 2, 1] sigmoid network with round-number weights, for hand-worked examples."""
    net = bw.MLP([2, 2, 1])
    net.weights[0][...] = [[0.1, -0.2], [0.3, 0.4]]
    net.biases[0][...] = [0.05, -0.1]
    net.weights[1][...] = [[0.5, -0.6]]
    net.biases[1][...] = [0.2]
    return net


def test_shapes_follow_the_lecture_indexing():
    net = bw.MLP([3, 4, 2])
    assert net.sizes == [3, 4, 2]
    assert [W.shape for W in net.weights] == [(4, 3), (2, 4)]
    assert [b.shape for b in net.biases] == [(4,), (2,)]
    assert all(W.dtype == np.float64 for W in net.weights + net.biases)


def test_same_seed_gives_same_weights_and_other_seed_does_not():
    a, b, c = bw.MLP([2, 3, 1], seed=7), bw.MLP([2, 3, 1], seed=7), bw.MLP([2, 3, 1], seed=8)
    assert all(np.array_equal(x, y) for x, y in zip(a.weights + a.biases, b.weights + b.biases))
    assert not np.array_equal(a.weights[0], c.weights[0])


def test_weights_are_plain_arrays_assignable_in_place(lecture_net):
    lecture_net.weights[1][...] = 0.0
    lecture_net.biases[1][...] = 0.0
    assert np.allclose(lecture_net.predict(np.zeros((3, 2))), 0.5)


def test_predict_hand_computed_and_shapes(lecture_net):
    x = np.array([1.0, 0.0])
    a2 = s(np.array([0.1 * 1 + 0.05, 0.3 * 1 - 0.1]))
    y_hat = s(0.5 * a2[0] - 0.6 * a2[1] + 0.2)
    assert lecture_net.predict(x).shape == (1,)
    assert lecture_net.predict(x)[0] == pytest.approx(y_hat, rel=1e-14)
    assert lecture_net.predict(np.stack([x, x, x])).shape == (3, 1)


def test_loss_is_half_mean_squared_error_summed_over_outputs():
    net = bw.MLP([2, 3, 2], seed=1)
    X = np.array([[0.0, 1.0], [1.0, 1.0], [0.5, -1.0]])
    Y = np.array([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
    expected = np.sum((Y - net.predict(X)) ** 2) / (2 * 3)
    assert net.loss(X, Y) == pytest.approx(expected, rel=1e-14)


def test_trace_reproduces_the_generalized_delta_rule_by_hand(lecture_net):
    x, y, eta = np.array([1.0, 1.0]), 0.0, 0.5
    t = lecture_net.trace(x, y, learning_rate=eta)
    z2 = np.array([0.1 - 0.2 + 0.05, 0.3 + 0.4 - 0.1])
    a2 = s(z2)
    z3 = 0.5 * a2[0] - 0.6 * a2[1] + 0.2
    a3 = s(z3)
    delta3 = (y - a3) * a3 * (1 - a3)  # δ_out = (y − ŷ) g'(z)
    delta2 = np.array([0.5, -0.6]) * delta3 * a2 * (1 - a2)  # δ_j = Σ_i θ²_ij δ_i g'(z_j)
    assert t.z[0] is None and t.delta[0] is None
    assert np.array_equal(t.a[0], x)
    assert np.allclose(t.z[1], z2, rtol=1e-14) and np.allclose(t.a[1], a2, rtol=1e-14)
    assert t.z[2][0] == pytest.approx(z3, rel=1e-14)
    assert t.y_hat[0] == pytest.approx(a3, rel=1e-14)
    assert t.error == pytest.approx(0.5 * (y - a3) ** 2, rel=1e-14)
    assert t.delta[2][0] == pytest.approx(delta3, rel=1e-14)
    assert np.allclose(t.delta[1], delta2, rtol=1e-14)
    # Δθ^l_ij = η δ^(l+1)_i a^l_j, bias input a_0 = 1
    assert np.allclose(t.dtheta[1], eta * delta3 * a2[None, :], rtol=1e-14)
    assert np.allclose(t.dtheta[0], eta * np.outer(delta2, x), rtol=1e-14)
    assert np.allclose(t.dbias[0], eta * delta2, rtol=1e-14)
    assert t.dbias[1][0] == pytest.approx(eta * delta3, rel=1e-14)


def test_delta_is_minus_dE_dz_so_dtheta_is_minus_eta_gradient():
    net = bw.MLP([3, 4, 3, 2], activation="tanh", seed=3)
    x, y = np.array([0.2, -0.7, 1.1]), np.array([0.3, -0.4])
    t = net.trace(x, y, learning_rate=0.1)
    dW, db = net.gradients(x[None], y[None])
    for l in range(3):
        assert np.allclose(t.dtheta[l], -0.1 * dW[l], rtol=1e-13, atol=1e-17)
        assert np.allclose(t.dbias[l], -0.1 * db[l], rtol=1e-13, atol=1e-17)


def test_hidden_delta_sums_over_downstream_nodes():
    net = bw.MLP([2, 2, 3], seed=4)
    t = net.trace([0.5, -0.5], [1.0, 0.0, 1.0])
    a = t.a[1]
    by_hand = [
        sum(net.weights[1][i, j] * t.delta[2][i] for i in range(3)) * a[j] * (1 - a[j])
        for j in range(2)
    ]
    assert np.allclose(t.delta[1], by_hand, rtol=1e-14)


def test_trace_without_learning_rate_has_no_dtheta(lecture_net):
    t = lecture_net.trace([0.0, 1.0], [1.0])
    assert t.dtheta is None and t.dbias is None and t.learning_rate is None
    assert "y_hat" in repr(t)


def test_step_updates_every_parameter_from_the_pre_update_gradients(lecture_net):
    X, Y = bw.datasets.xor()
    dW, db = lecture_net.gradients(X, Y)
    before = [p.copy() for p in lecture_net.weights + lecture_net.biases]
    E = lecture_net.step(X, Y, 0.7)
    assert E == pytest.approx(
        float(np.sum((Y - s(s(X @ before[0].T + before[2]) @ before[1].T + before[3])) ** 2) / 8),
        rel=1e-13,
    )
    for p, old, g in zip(lecture_net.weights + lecture_net.biases, before, dW + db):
        assert np.allclose(p, old - 0.7 * g, rtol=1e-15, atol=0)


def test_one_online_step_uses_pre_update_gradients_for_every_layer(lecture_net):
    """Updating the output weights first must not change the hidden δ of the same step."""
    x, y = np.array([1.0, 0.0]), np.array([1.0])
    t = lecture_net.trace(x, y, learning_rate=2.0)
    expected = [p + d for p, d in zip(lecture_net.weights + lecture_net.biases, t.dtheta + t.dbias)]
    lecture_net.fit(x[None], y[None], learning_rate=2.0, epochs=1)
    for p, e in zip(lecture_net.weights + lecture_net.biases, expected):
        assert np.allclose(p, e, rtol=1e-14, atol=1e-16)


def test_online_fit_equals_one_step_per_instance_in_order():
    X, Y = bw.datasets.circles(n=20, seed=2)
    a, b = bw.MLP([2, 3, 2, 1], seed=5), bw.MLP([2, 3, 2, 1], seed=5)
    a.fit(X, Y, learning_rate=0.3, epochs=2)
    for _ in range(2):
        for n in range(20):
            b.step(X[n : n + 1], Y[n : n + 1], 0.3)
    for p, q in zip(a.weights + a.biases, b.weights + b.biases):
        assert np.allclose(p, q, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("batch_size", [3, None])
def test_mini_and_full_batch_fit_equal_steps_over_batches(batch_size):
    X, Y = bw.datasets.moons(n=10, seed=1)
    a, b = bw.MLP([2, 4, 1], seed=2), bw.MLP([2, 4, 1], seed=2)
    history = a.fit(X, Y, learning_rate=0.5, epochs=3, batch_size=batch_size)
    k = 10 if batch_size is None else batch_size
    for _ in range(3):
        for start in range(0, 10, k):
            b.step(X[start : start + k], Y[start : start + k], 0.5)
    for p, q in zip(a.weights + a.biases, b.weights + b.biases):
        assert np.allclose(p, q, rtol=1e-12, atol=1e-15)
    assert history[-1] == pytest.approx(b.loss(X, Y), rel=1e-12)
    assert len(history) == 3


def test_shuffle_is_reproducible_with_its_own_seed():
    X, Y = bw.datasets.gaussians(n=30, seed=0)
    runs = []
    for shuffle_seed in (1, 1, 2):
        net = bw.MLP([2, 2, 1], seed=0)
        net.fit(X, Y, 0.2, epochs=2, shuffle=True, shuffle_seed=shuffle_seed)
        runs.append(net.weights[0].copy())
    plain = bw.MLP([2, 2, 1], seed=0)
    plain.fit(X, Y, 0.2, epochs=2)
    assert np.array_equal(runs[0], runs[1])
    assert not np.array_equal(runs[0], runs[2])
    assert not np.array_equal(runs[0], plain.weights[0])


def test_fit_learns_xor_with_a_hidden_layer_and_stops_at_target_loss():
    X, Y = bw.datasets.xor()
    net = bw.MLP([2, 2, 1], seed=0)
    history = net.fit(X, Y, learning_rate=0.5, epochs=20000, target_loss=0.01)
    assert history[-1] <= 0.01 < history[-2]
    assert len(history) < 20000
    assert np.array_equal(net.predict(X).round(), Y)


def test_fit_history_is_the_loss_after_each_epoch():
    X, Y = bw.datasets.xor()
    net = bw.MLP([2, 2, 1], seed=0)
    history = net.fit(X, Y, 0.5, epochs=3)
    # to within rounding: fit's is the E of `step`'s forward pass (tests/engine/test_fit_fast_path)
    assert history[-1] == pytest.approx(net.loss(X, Y), rel=1e-14, abs=0)
    assert net.fit(X, Y, 0.5, epochs=0) == []


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "linear"])
def test_activation_derivatives_match_finite_differences(name):
    act = ACTIVATIONS[name]
    z = np.array([-2.3, -0.4, 0.3, 1.7])
    h = 1e-6
    numeric = (act.g(z + h) - act.g(z - h)) / (2 * h)
    assert np.allclose(act.g_prime(z, act.g(z)), numeric, rtol=1e-7, atol=1e-9)


def test_sigmoid_is_finite_and_silent_for_huge_inputs():
    z = np.array([-1e6, -800.0, -40.0, 0.0, 40.0, 800.0, 1e6])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = sigmoid(z)
        net = bw.MLP([1, 1], seed=0)
        net.weights[0][...] = 1e6
        net.predict([[-1.0], [1.0]])
        net.gradients([[-1.0], [1.0]], [[0.0], [1.0]])
        net.fit([[-1.0], [1.0]], [[0.0], [1.0]], 0.1, epochs=2)
    assert np.all(np.isfinite(a))
    assert a[0] == 0.0 and a[-1] == 1.0 and a[3] == 0.5
    # Full relative precision far in the tail: σ(−40) = e^−40 / (1 + e^−40).
    assert a[2] == pytest.approx(np.exp(-40.0) / (1 + np.exp(-40.0)), rel=1e-14)
    assert a[4] == pytest.approx(1.0, rel=1e-15) and a[1] == 0.0  # e^-800 underflows


def test_divergence_raises_and_keeps_the_last_finite_parameters():
    X = np.array([[1.0], [2.0], [3.0]])
    Y = np.array([[1.0], [2.0], [3.0]])
    net = bw.MLP([1, 1], activation="linear", seed=0)
    by_hand = net.copy()
    with pytest.raises(bw.DivergenceError, match="diverged"):
        net.fit(X, Y, learning_rate=10.0, epochs=10000)
    # By hand: online steps in order until one gives a non-finite parameter or loss.
    finite = True
    while finite:
        for n in range(3):
            before = by_hand.to_dict()
            with np.errstate(all="ignore"):
                try:
                    by_hand.step(X[n : n + 1], Y[n : n + 1], 10.0)
                    finite = np.isfinite(by_hand.loss(X, Y))
                except bw.DivergenceError:
                    finite = False
            if not finite:
                by_hand = bw.MLP.from_dict(before)
                break
    assert all(np.all(np.isfinite(p)) for p in net.weights + net.biases)
    for p, q in zip(net.weights + net.biases, by_hand.weights + by_hand.biases):
        assert np.allclose(p, q, rtol=1e-12, atol=0)
    assert net.weights[0][0, 0] != bw.MLP([1, 1], activation="linear", seed=0).weights[0][0, 0]


def test_step_that_would_diverge_changes_nothing():
    net = bw.MLP([1, 1], activation="linear", seed=0)
    net.weights[0][...] = 1e300
    before = net.to_dict()
    with pytest.raises(bw.DivergenceError, match="diverged"):
        net.step([[1e10]], [[0.0]], 1e10)
    assert net.to_dict() == before


def test_get_and_set_single_parameters(lecture_net):
    assert lecture_net.get_parameter(0, 1, 0) == 0.3
    assert lecture_net[1, 0, "bias"] == 0.2
    lecture_net.set_parameter(1, 0, 1, -2.5)
    lecture_net[0, 0, "bias"] = 1.25
    assert lecture_net.weights[1][0, 1] == -2.5 and lecture_net.biases[0][0] == 1.25
    assert len(lecture_net.parameters()) == 9
    assert (0, 1, "bias") in lecture_net.parameters()


def test_copy_is_independent(lecture_net):
    twin = lecture_net.copy()
    twin.weights[0][0, 0] = 99.0
    assert lecture_net.weights[0][0, 0] == 0.1
    assert twin.sizes == lecture_net.sizes and twin.activation == lecture_net.activation


def test_save_and_load_round_trip(tmp_path, lecture_net):
    path = tmp_path / "net.json"
    lecture_net.save(path)
    again = bw.MLP.load(path)
    assert again.to_dict() == lecture_net.to_dict()
    assert json.loads(path.read_text())["format"] == "backprop_widgets.MLP"


def test_bias_off_has_no_bias_parameters():
    net = bw.MLP([2, 3, 1], bias=False, seed=0)
    assert all(not b.any() for b in net.biases)
    assert len(net.parameters()) == 9
    net.fit(*bw.datasets.xor(), learning_rate=0.5, epochs=5)
    assert all(not b.any() for b in net.biases)
    hidden = s(np.zeros(3))  # without bias, x = 0 gives z = 0 in every hidden node
    assert net.predict([0.0, 0.0])[0] == pytest.approx(s(net.weights[1] @ hidden)[0], rel=1e-15)


def test_separate_output_activation_and_repr():
    net = bw.MLP([2, 5, 3, 1], activation="relu", output_activation="linear", seed=2)
    assert net.activation == "relu" and net.output_activation == "linear"
    assert repr(net) == (
        "MLP([2, 5, 3, 1], activation='relu', output_activation='linear', bias=True, seed=2)"
        "  # 37 parameters"
    )
    assert net.activation_of(3).name == "linear" and net.activation_of(1).name == "relu"


def test_large_batch_gradients_equal_the_mean_of_per_instance_gradients():
    """The batch path (workspaces, features × instances) against the per-instance trace."""
    net = bw.MLP([3, 5, 2], activation="tanh", seed=3)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(3001, 3)), rng.uniform(size=(3001, 2))
    dW, db = net.gradients(X, Y)
    traces = [net.trace(x, y, learning_rate=1.0) for x, y in zip(X, Y)]
    for l in range(2):
        assert np.allclose(dW[l], -np.mean([t.dtheta[l] for t in traces], axis=0), rtol=1e-12)
        assert np.allclose(db[l], -np.mean([t.dbias[l] for t in traces], axis=0), rtol=1e-12)
    assert net.loss(X, Y) == pytest.approx(np.mean([t.error for t in traces]), rel=1e-12)
