"""Several classes: a softmax output trained on cross-entropy (and cross-entropy on a sigmoid
output), checked against finite differences, an independent NumPy reference and, where it is
installed (the bench extra), PyTorch autograd."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import backprop_widgets as bw
from backprop_widgets.engine.losses import log_softmax, softplus
from backprop_widgets.engine.session import TrainingSession


def random_net(sizes, output="softmax", seed=0, activation="tanh"):
    return bw.MLP(sizes, activation=activation, output_activation=output, seed=seed,
                  loss="cross_entropy")  # fmt: skip


def labels_and_one_hot(n, k, seed=0):
    labels = np.random.default_rng(seed).integers(0, k, n)
    return labels, np.eye(k)[labels]


def reference_gradients(net, X, Y):
    """∂E/∂θ written out by hand for cross-entropy: δ_out = y − ŷ, then the lecture's
    recursion, E averaged over the batch (nothing shared with the engine's code)."""
    a = [X]
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        z = a[-1] @ W.T + b
        if l == len(net.weights) - 1:
            if net.output_activation == "softmax":
                e = np.exp(z - z.max(axis=1, keepdims=True))
                a.append(e / e.sum(axis=1, keepdims=True))
            else:
                a.append(1 / (1 + np.exp(-z)))
        else:
            a.append(np.tanh(z))
    delta = Y - a[-1]
    dW, db = [None] * len(net.weights), [None] * len(net.weights)
    for l in range(len(net.weights) - 1, -1, -1):
        dW[l] = -delta.T @ a[l] / len(X)
        db[l] = -delta.sum(axis=0) / len(X)
        if l:
            delta = (delta @ net.weights[l]) * (1 - a[l] ** 2)
    return dW, db


def finite_difference(net, X, Y, h=1e-6):
    dW = [np.zeros_like(W) for W in net.weights]
    db = [np.zeros_like(b) for b in net.biases]
    for arrays, grads in ((net.weights, dW), (net.biases, db)):
        for p, g in zip(arrays, grads):
            for index in np.ndindex(p.shape):
                keep = p[index]
                p[index] = keep + h
                up = net.loss(X, Y)
                p[index] = keep - h
                down = net.loss(X, Y)
                p[index] = keep
                g[index] = (up - down) / (2 * h)
    return dW, db


@pytest.mark.parametrize("sizes", [[2, 3, 3], [3, 4, 4, 3], [2, 5, 4]])
def test_softmax_cross_entropy_gradients_match_a_reference_and_finite_differences(sizes):
    net = random_net(sizes, seed=sizes[1])
    X = np.random.default_rng(1).normal(size=(7, sizes[0]))
    labels, Y = labels_and_one_hot(7, sizes[-1])
    dW, db = net.gradients(X, Y)
    ref_W, ref_b = reference_gradients(net, X, Y)
    fd_W, fd_b = finite_difference(net, X, Y)
    for ours, ref, fd in zip(dW + db, ref_W + ref_b, fd_W + fd_b):
        np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(ours, fd, rtol=1e-6, atol=1e-8)
    # class labels are the same targets as one-hot rows
    for a, b in zip(net.gradients(X, labels)[0], dW):
        np.testing.assert_array_equal(a, b)


def test_the_loss_is_the_mean_negative_log_probability_of_the_class():
    net = random_net([2, 3, 3])
    X = np.random.default_rng(2).normal(size=(5, 2))
    labels, Y = labels_and_one_hot(5, 3, seed=2)
    probabilities = net.predict(X)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-15)
    expected = -np.mean(np.log(probabilities[np.arange(5), labels]))
    assert net.loss(X, labels) == pytest.approx(expected, rel=1e-13)


def test_binary_cross_entropy_on_a_sigmoid_output():
    net = random_net([2, 3, 1], output="sigmoid", seed=4)
    X = np.random.default_rng(3).normal(size=(9, 2))
    Y = np.random.default_rng(3).uniform(size=(9, 1))  # probabilities are targets too
    p = net.predict(X)
    expected = -np.mean(Y * np.log(p) + (1 - Y) * np.log(1 - p))
    assert net.loss(X, Y) == pytest.approx(expected, rel=1e-12)
    for ours, ref in zip(net.gradients(X, Y)[0], reference_gradients(net, X, Y)[0]):
        np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-14)
    t = net.trace(X[0], Y[0])
    np.testing.assert_allclose(t.delta[-1], Y[0] - t.y_hat, rtol=0, atol=0)


@pytest.mark.parametrize("output", ["softmax", "sigmoid"])
def test_huge_logits_give_finite_losses_and_gradients_without_warnings(output):
    k = 3 if output == "softmax" else 1
    net = random_net([2, 2, k], output=output)
    net.weights[-1][...] = 1000.0 * np.array([[1.0, -1.0], [-1.0, 1.0], [0.5, 0.0]])[:k]
    X = np.array([[5.0, -5.0], [-5.0, 5.0]])
    Y = np.eye(3)[[1, 0]] if k == 3 else np.array([[0.0], [1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        E = net.loss(X, Y)
        dW, db = net.gradients(X, Y)
        history = net.fit(X, Y, 0.01, 2, batch_size=None)
        net.fit(X, Y, 0.01, 1, batch_size=1)
    assert np.isfinite(E) and E > 100  # confidently wrong: a large, finite loss
    assert all(np.all(np.isfinite(g)) for g in dW + db) and np.all(np.isfinite(history))


def test_log_softmax_and_softplus_are_stable():
    z = np.array([[1000.0, -1000.0, 0.0]])
    np.testing.assert_allclose(log_softmax(z), [[0.0, -2000.0, -1000.0]])
    np.testing.assert_allclose(softplus(np.array([-1000.0, 0.0, 1000.0])), [0, np.log(2), 1000])


@pytest.mark.parametrize("batch_size", [1, 4, None])
def test_fit_follows_the_plain_reference_in_every_mode(batch_size):
    X = np.random.default_rng(5).normal(size=(12, 2))
    labels, Y = labels_and_one_hot(12, 3, seed=5)
    fast, plain = random_net([2, 4, 3], seed=6), random_net([2, 4, 3], seed=6)
    history = fast.fit(X, labels, 0.3, 3, batch_size=batch_size)
    size = 12 if batch_size is None else batch_size
    for _ in range(3):  # the same updates from the plain forward and backward passes
        for start in range(0, 12, size):
            z, a = plain._forward(X[start : start + size])
            delta = plain._backward(z, a, Y[start : start + size])
            for l in range(len(plain.weights)):
                plain.weights[l] += 0.3 * delta[l + 1].T @ a[l] / len(a[0])
                plain.biases[l] += 0.3 * delta[l + 1].sum(axis=0) / len(a[0])
    for p, q in zip(fast.weights + fast.biases, plain.weights + plain.biases):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-14)
    assert history[-1] == pytest.approx(plain.loss(X, Y), rel=1e-12)


def test_three_classes_are_learnt():
    rng = np.random.default_rng(0)
    centres = np.array([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0]])
    labels = np.repeat(np.arange(3), 30)
    X = centres[labels] + rng.normal(0, 0.5, (90, 2))
    net = random_net([2, 6, 3], seed=1)
    net.fit(X, labels, 0.5, 60)
    assert np.mean(net.predict(X).argmax(axis=1) == labels) > 0.95


def test_save_and_load_keep_the_loss(tmp_path):
    net = random_net([2, 3, 3], seed=8)
    path = tmp_path / "net.json"
    net.save(path)
    back = bw.MLP.load(path)
    assert back.loss_name == "cross_entropy" and back.output_activation == "softmax"
    assert "loss='cross_entropy'" in repr(back)
    X = np.ones((1, 2))
    assert back.loss(X, [2]) == net.loss(X, [2])
    old = net.to_dict()
    del old["loss"]
    old["output_activation"] = "sigmoid"
    assert bw.MLP.from_dict(old).loss_name == "squared"  # files from before cross-entropy


def test_a_session_trains_and_reports_cross_entropy():
    X = np.random.default_rng(5).normal(size=(10, 2))
    labels, _ = labels_and_one_hot(10, 3)
    net = random_net([2, 3, 3])
    session = TrainingSession(net, X, labels, learning_rate=0.5)
    session.train(3)
    assert session.train_history.points[-1][1] == pytest.approx(net.loss(X, labels), rel=1e-14)


def test_divergence_is_caught_with_cross_entropy_too():
    net = random_net([2, 2, 3], activation="relu", seed=3)
    X = np.random.default_rng(0).normal(size=(6, 2)) * 1e200
    with pytest.raises(bw.DivergenceError):
        net.fit(X, [0, 1, 2, 0, 1, 2], 1e100, 3)


BAD = [
    (
        {"output_activation": "softmax", "loss": "squared"},
        [2, 2, 3],
        r"trained with loss='cross_entropy'",
    ),
    (
        {"output_activation": "softmax", "loss": "cross_entropy"},
        [2, 2, 1],
        r"needs at least 2 outputs",
    ),
    (
        {"output_activation": "linear", "loss": "cross_entropy"},
        [2, 2, 1],
        r"needs output_activation 'softmax' or 'sigmoid'",
    ),
    ({"output_activation": "tanh", "loss": "cross_entropy"}, [2, 2, 1], r"got 'tanh'"),
    ({"activation": "softmax"}, [2, 2, 1], r"^activation='softmax' couples the neurons"),
    ({"loss": "hinge"}, [2, 2, 1], r"^loss must be one of \['squared', 'cross_entropy'\]"),
]


@pytest.mark.parametrize(("kwargs", "sizes", "match"), BAD)
def test_networks_that_make_no_sense_are_refused(kwargs, sizes, match):
    with pytest.raises(ValueError, match=match):
        bw.MLP(sizes, **kwargs)


@pytest.mark.parametrize(
    ("Y", "match"),
    [
        ([[1.0, 0, 0], [0.5, 0.5, 0]], r"must be one-hot rows .* row 1 is \[0.5, 0.5, 0.0\]"),
        ([[1.0, 0, 0], [1.0, 1.0, 0]], r"row 1 is \[1.0, 1.0, 0.0\]"),
        ([[1.0, 0, 0], [0, 0, 0]], r"row 1 is \[0.0, 0.0, 0.0\]"),
        ([0, 3], r"class labels must be whole numbers 0 … 2; Y\[1\] is 3"),
        ([0, 1.5], r"Y\[1\] is 1.5"),
        ([-1, 0], r"Y\[0\] is -1"),
    ],
)
def test_softmax_targets_must_be_classes(Y, match):
    net = random_net([2, 2, 3])
    before = [W.copy() for W in net.weights]
    for call in (
        lambda: net.loss(np.zeros((2, 2)), Y),
        lambda: net.fit(np.zeros((2, 2)), Y, 0.1, 1),
    ):
        with pytest.raises(ValueError, match=match):
            call()
    assert all(np.array_equal(a, b) for a, b in zip(before, net.weights))


def test_sigmoid_cross_entropy_targets_must_be_probabilities():
    net = random_net([2, 2, 1], output="sigmoid")
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\] \(probabilities\); Y\[1, 0\] is 2"):
        net.loss(np.zeros((2, 2)), [0, 2])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(2, 4), n=st.integers(1, 6))
def test_the_output_delta_is_y_minus_y_hat(seed, k, n):
    net = random_net([2, 3, k], seed=seed)
    X = np.random.default_rng(seed).normal(size=(n, 2))
    labels, Y = labels_and_one_hot(n, k, seed=seed)
    t = net.trace(X[0], labels[0])
    np.testing.assert_array_equal(t.y, Y[0])
    np.testing.assert_allclose(t.delta[-1], Y[0] - t.y_hat, rtol=0, atol=1e-15)
    assert t.error == pytest.approx(-np.log(t.y_hat[labels[0]]), rel=1e-12)


def test_gradients_equal_pytorch_autograd():
    torch = pytest.importorskip("torch", reason="PyTorch is in the bench extra (make bench)")
    for sizes, seed in (([2, 3, 3], 0), ([3, 4, 4, 3], 1), ([2, 5, 1], 2)):
        output = "softmax" if sizes[-1] > 1 else "sigmoid"
        net = random_net(sizes, output=output, seed=seed)
        X = np.random.default_rng(seed).normal(size=(8, sizes[0]))
        labels, Y = labels_and_one_hot(8, max(sizes[-1], 2), seed=seed)
        Y = Y if output == "softmax" else Y[:, 1:]
        params = [torch.tensor(p, requires_grad=True) for p in net.weights + net.biases]
        L = len(net.weights)
        h = torch.tensor(X)
        for l in range(L):
            h = h @ params[l].T + params[L + l]
            if l < L - 1:
                h = torch.tanh(h)
        if output == "softmax":
            loss = torch.nn.functional.cross_entropy(h, torch.tensor(labels))
        else:
            loss = torch.nn.BCELoss()(torch.sigmoid(h), torch.tensor(Y))
        loss.backward()
        dW, db = net.gradients(X, Y)
        assert net.loss(X, Y) == pytest.approx(loss.item(), rel=1e-9)
        for ours, theirs in zip(dW + db, params):
            np.testing.assert_allclose(ours, theirs.grad.numpy(), rtol=1e-9, atol=1e-12)
