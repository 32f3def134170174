"""``MLP.fit`` through workspaces gives, to the last bit, what a plain allocating ``fit`` gives.

``reference_fit`` below is the engine's ``fit`` as it was before the batch path wrote into
workspaces (a snapshot of every parameter per epoch, fresh gradient arrays), with the epoch's
loss as ``step`` on the whole training set computes it (``reference_error``): the weights,
biases, loss history and ``DivergenceError`` of the package's ``fit`` must equal it bit for bit,
over random networks, batch sizes, orders and learning rates that diverge. The loss it had
before (``MLP.loss``'s, laid out instances × features) is kept as ``rows_error``: the history
equals it to within rounding.
"""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backprop_widgets as bw
from backprop_widgets.engine import training

# -- the reference: fit as it was, allocating ----------------------------------------------


def reference_fit(
    net, X, Y, learning_rate, epochs, batch_size, shuffle, shuffle_seed, target_loss
) -> list[float]:
    n = X.shape[0]
    batch_size = n if batch_size is None else batch_size
    rng = np.random.default_rng(shuffle_seed) if shuffle else None
    in_order = np.arange(n)
    history: list[float] = []
    for _ in range(epochs):
        order = rng.permutation(n) if shuffle else in_order
        saved = net.snapshot()
        with np.errstate(all="ignore"):
            reference_epoch(net, X, Y, learning_rate, order, batch_size)
            E = reference_error(net, X, Y)
        if not (math.isfinite(E) and reference_all_finite(net.weights + net.biases)):
            net.restore(saved)
            done = reference_replay(net, X, Y, learning_rate, order, batch_size)
            raise bw.DivergenceError("diverged", history=history, updates=done)
        history.append(float(E))
        if target_loss is not None and E <= target_loss:
            break
    return history


def reference_error(net, X, Y) -> float:
    """E as ``step(X, Y)`` returns it: a forward pass laid out features × instances on a
    contiguous copy of X, then ½ (ŷ − y)·(ŷ − y) / N."""
    X, Y = np.ascontiguousarray(X), np.ascontiguousarray(Y)
    below = X.T
    with np.errstate(all="ignore"):
        for l, W in enumerate(net.weights):
            z = W.dot(below)
            if net.bias:
                z += net.biases[l][:, None]
            below = net.activation_of(l + 1).g(z)
        d = below - Y.T
        return 0.5 * float(np.vdot(d, d)) / X.shape[0]


def rows_error(net, X, Y) -> float:
    """The loss ``fit`` reported before, and ``MLP.loss`` reports: ``MLP._forward``'s layout."""
    with np.errstate(all="ignore"):
        return reference_squared_error(Y, net._forward(X)[1][-1])


def reference_gradients(net, X, Y):
    n = X.shape[0]
    L = len(net.weights)
    z, a, delta, tmp = ([np.empty((m, n)) for m in net.sizes[1:]] for _ in range(4))
    g_into = [net.activation_of(l + 1).g_into for l in range(L)]
    g_prime_into = [net.activation_of(l + 1).g_prime_into for l in range(L)]
    below = X.T
    with np.errstate(over="ignore", invalid="ignore"):
        for l in range(L):
            np.dot(net.weights[l], below, out=z[l])
            if net.bias:
                z[l] += net.biases[l][:, None]
            g_into[l](z[l], a[l])
            below = a[l]
        d = delta[L - 1]
        np.subtract(a[L - 1], Y.T, out=d)
        g_prime_into[L - 1](z[L - 1], a[L - 1], tmp[L - 1])
        d *= tmp[L - 1]
        d *= 1.0 / n
        dW, db = [None] * L, [None] * L
        for l in range(L - 1, -1, -1):
            below = a[l - 1] if l else X.T
            dW[l] = d.dot(below.T)
            db[l] = d.sum(axis=1) if net.bias else np.zeros(net.sizes[l + 1])
            if l:
                np.dot(net.weights[l].T, d, out=delta[l - 1])
                g_prime_into[l - 1](z[l - 1], a[l - 1], tmp[l - 1])
                delta[l - 1] *= tmp[l - 1]
                d = delta[l - 1]
    return dW, db


def reference_epoch(net, X, Y, learning_rate, order, batch_size) -> None:
    if batch_size == 1:
        reference_online_epoch(net, X, Y, learning_rate, order)
        return
    for start in range(0, len(order), batch_size):
        batch = order[start : start + batch_size]
        dW, db = reference_gradients(net, X[batch], Y[batch])
        for W, b, gW, gb in zip(net.weights, net.biases, dW, db):
            W -= learning_rate * gW
            b -= learning_rate * gb


def reference_online_epoch(net, X, Y, learning_rate, order) -> None:
    weights, biases, bias = net.weights, net.biases, net.bias
    L = len(weights)
    g = [net.activation_of(l + 1).g for l in range(L)]
    g_prime = [net.activation_of(l + 1).g_prime for l in range(L)]
    z = [None] * L
    a = [None] * (L + 1)
    for n in order.tolist():
        a[0] = X[n]
        for l in range(L):
            zl = weights[l].dot(a[l])
            if bias:
                zl += biases[l]
            z[l] = zl
            a[l + 1] = g[l](zl)
        eta_delta = learning_rate * ((Y[n] - a[L]) * g_prime[L - 1](z[L - 1], a[L]))
        for l in range(L - 1, -1, -1):
            below = None
            if l:
                below = eta_delta.dot(weights[l]) * g_prime[l - 1](z[l - 1], a[l])
            weights[l] += eta_delta[:, None] * a[l]
            if bias:
                biases[l] += eta_delta
            eta_delta = below


def reference_replay(net, X, Y, learning_rate, order, batch_size) -> int:
    for done, start in enumerate(range(0, len(order), batch_size)):
        saved = net.snapshot()
        with np.errstate(all="ignore"):
            reference_epoch(net, X, Y, learning_rate, order[start : start + batch_size], batch_size)
            finite = reference_all_finite(net.weights + net.biases) and np.isfinite(
                reference_error(net, X, Y)
            )
        if not finite:
            net.restore(saved)
            return done
    return done + 1


def reference_squared_error(Y, Y_hat):
    E = 0.5 * np.sum((Y - Y_hat) ** 2, axis=(-2, -1)) / Y_hat.shape[-2]
    return float(E) if np.ndim(E) == 0 else E


def reference_all_finite(arrays) -> bool:
    with np.errstate(over="ignore", invalid="ignore"):
        total = sum(float(p.sum()) for p in arrays)
    return math.isfinite(total) or all(np.all(np.isfinite(p)) for p in arrays)


# -- comparing the package with it ----------------------------------------------------------


def bits(arrays) -> list[bytes]:
    """The exact bytes of every array: equal bits, NaN payloads and signed zeros included."""
    return [np.ascontiguousarray(p).tobytes() for p in arrays]


def outcome(fit, net, X, Y, **options):
    """What a fit leaves: (history, error's history and updates or None, parameters' bits)."""
    try:
        history, error = fit(net, X, Y, **options), None
    except bw.DivergenceError as raised:
        history, error = None, (raised.history, raised.updates)
    return history, error, bits(net.weights + net.biases)


def package_fit(net, X, Y, **options):
    return net.fit(X, Y, **options)


def old_fit(net, X, Y, **options):
    return reference_fit(
        net,
        X,
        Y,
        options["learning_rate"],
        options["epochs"],
        options.get("batch_size", 1),
        options.get("shuffle", False),
        options.get("shuffle_seed"),
        options.get("target_loss"),
    )


def assert_same_fit(make_net, X, Y, **options):
    new = outcome(package_fit, make_net(), X, Y, **options)
    reference = outcome(old_fit, make_net(), X, Y, **options)
    assert new[0] == reference[0]  # the loss histories, float for float
    assert new[1] == reference[1]  # the DivergenceError's history and updates
    assert new[2] == reference[2]  # every parameter, bit for bit
    return new


def test_the_epochs_loss_is_steps_and_within_rounding_of_the_loss_before():
    """The loss after an epoch is the E that ``step`` on the whole set returns at that θ
    (bit for bit), and within a few units in the last place of ``MLP.loss``."""
    rng = np.random.default_rng(8)
    X = rng.uniform(-1, 1, size=(1000, 2))
    Y = (np.sum(X**2, axis=1) < 0.49).astype(float)[:, None]
    for batch_size in (None, 32, 1):
        net = bw.MLP([2, 16, 16, 1], seed=0)
        history = net.fit(X, Y, 0.5, epochs=3, batch_size=batch_size)
        assert history[-1] == pytest.approx(net.loss(X, Y), rel=1e-14, abs=0)
        assert history[-1] == pytest.approx(rows_error(net, X, Y), rel=1e-14, abs=0)
        assert history[-1] == net.step(X, Y, 1e-9)  # E before its update


activations = st.sampled_from(["sigmoid", "tanh", "relu", "linear"])


@st.composite
def problems(draw, max_layers=4, max_width=6, max_n=40):
    sizes = draw(st.lists(st.integers(1, max_width), min_size=2, max_size=max_layers))
    spec = {
        "sizes": sizes,
        "activation": draw(activations),
        "output_activation": draw(activations),
        "bias": draw(st.booleans()),
        "seed": draw(st.integers(0, 2**16)),
    }
    n = draw(st.integers(1, max_n))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    X = rng.normal(size=(n, sizes[0])) * draw(st.sampled_from([1.0, 3.0]))
    Y = rng.uniform(-1, 1, size=(n, sizes[-1]))
    batch_size = draw(st.sampled_from([None, 1, 2, 3, 7, n, n + 1, max(1, n // 2)]))
    return spec, X, Y, batch_size


def maker(spec):
    return lambda: bw.MLP(**spec)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    problems(),
    st.sampled_from([1e-3, 0.1, 0.5, 2.0]),
    st.integers(0, 6),
    st.booleans(),
    st.integers(0, 2**16),
)
def test_fit_equals_the_allocating_fit_bit_for_bit(problem, eta, epochs, shuffle, seed):
    spec, X, Y, batch_size = problem
    assert_same_fit(
        maker(spec),
        X,
        Y,
        learning_rate=eta,
        epochs=epochs,
        batch_size=batch_size,
        shuffle=shuffle,
        shuffle_seed=seed,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.floats(0.0, 0.3), st.booleans())
def test_fit_stops_at_target_loss_after_the_same_epoch(problem, target, shuffle):
    spec, X, Y, batch_size = problem
    assert_same_fit(
        maker(spec),
        X,
        Y,
        learning_rate=0.5,
        epochs=30,
        batch_size=batch_size,
        shuffle=shuffle,
        shuffle_seed=1,
        target_loss=target,
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    problems(max_n=12),
    st.sampled_from([1e3, 1e6, 1e12, 1e100, 1e200, 1e300, 1.7e308]),
    st.booleans(),
)
def test_diverging_fit_leaves_the_same_parameters_history_and_updates(problem, eta, shuffle):
    spec, X, Y, batch_size = problem
    assert_same_fit(
        maker(spec),
        X * 10.0,
        Y * 1e3,
        learning_rate=eta,
        epochs=40,
        batch_size=batch_size,
        shuffle=shuffle,
        shuffle_seed=2,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_n=12), st.floats(0.2, 8.0), st.booleans())
def test_fit_diverging_after_some_epochs_leaves_the_same_parameters(problem, eta, shuffle):
    """Linear units grow geometrically under too large a step: divergence after a while."""
    spec, X, Y, batch_size = problem
    spec = {**spec, "activation": "linear", "output_activation": "linear"}
    assert_same_fit(
        maker(spec),
        X * 3.0,
        Y,
        learning_rate=eta,
        epochs=400,
        batch_size=batch_size,
        shuffle=shuffle,
        shuffle_seed=3,
    )


@pytest.mark.parametrize("batch_size", [None, 1, 32, 300])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
def test_fit_on_a_thousand_instances_equals_the_allocating_fit(batch_size, activation):
    rng = np.random.default_rng(4)
    X = rng.uniform(-1, 1, size=(1000, 2))
    Y = (np.sum(X**2, axis=1) < 0.49).astype(float)[:, None]
    spec = {"sizes": [2, 16, 16, 1], "activation": activation, "output_activation": "sigmoid"}
    assert_same_fit(maker(spec), X, Y, learning_rate=0.5, epochs=4, batch_size=batch_size)
    assert_same_fit(
        maker(spec),
        X,
        Y,
        learning_rate=0.5,
        epochs=3,
        batch_size=batch_size,
        shuffle=True,
        shuffle_seed=3,
    )


def test_diverging_full_batch_fit_keeps_the_last_finite_epoch():
    X, Y = bw.datasets.xor()
    history, error, _ = assert_same_fit(
        lambda: bw.MLP([2, 3, 1], activation="linear"),
        X * 100,
        Y,
        learning_rate=1.0,
        epochs=200,
        batch_size=None,
    )
    assert history is None and error[0] and error[1] == 0


def test_fit_of_non_contiguous_data_equals_the_allocating_fit():
    rng = np.random.default_rng(5)
    wide = rng.normal(size=(50, 6))
    X, Y = wide[:, ::3], np.asfortranarray(wide[:, 1:2])
    for batch_size in (None, 1, 8):
        assert_same_fit(
            lambda: bw.MLP([2, 5, 1], activation="tanh"),
            X,
            Y,
            learning_rate=0.3,
            epochs=3,
            batch_size=batch_size,
        )


def test_fit_after_other_batch_sizes_equals_the_allocating_fit():
    """Workspaces kept from earlier calls (other batch sizes, other N) change no bit."""
    rng = np.random.default_rng(6)
    X, Y = rng.normal(size=(30, 3)), rng.uniform(size=(30, 2))
    net, twin = bw.MLP([3, 4, 2], seed=1), bw.MLP([3, 4, 2], seed=1)
    for n, batch_size in ((30, 7), (10, None), (30, 4), (5, 2), (30, None), (17, 3), (30, 7)):
        assert net.fit(X[:n], Y[:n], 0.4, 2, batch_size=batch_size) == reference_fit(
            twin, X[:n], Y[:n], 0.4, 2, batch_size, False, None, None
        )
        assert bits(net.weights + net.biases) == bits(twin.weights + twin.biases)


def test_gradients_are_fresh_arrays_each_call():
    """``net.gradients`` returns arrays of its own, not the fit's workspaces."""
    net = bw.MLP([2, 3, 1], seed=0)
    X, Y = bw.datasets.xor()
    dW, db = net.gradients(X, Y)
    kept = [p.copy() for p in dW + db]
    net.fit(X, Y, 0.5, epochs=2, batch_size=None)
    net.gradients(X[:2], Y[:2])
    assert bits(dW + db) == bits(kept)
    assert training.batch_gradients(net, X, Y)[0][0] is not dW[0]


@pytest.mark.parametrize("batch_size", [None, 32])
@pytest.mark.parametrize("shuffle", [False, True])
def test_fit_epochs_allocate_nothing_batch_sized(batch_size, shuffle):
    """After the first call, more epochs allocate no array of the batch's size (a (1000, 16)
    array is 128 KB): the batches, gradients, loss and last finite copy are workspaces."""
    rng = np.random.default_rng(7)
    X, Y = rng.uniform(-1, 1, size=(1000, 2)), rng.uniform(size=(1000, 1))
    net = bw.MLP([2, 16, 16, 1], seed=0)
    net.fit(X, Y, 0.1, epochs=1, batch_size=batch_size, shuffle=shuffle, shuffle_seed=0)
    tracemalloc.start()
    try:
        net.fit(X, Y, 0.1, epochs=20, batch_size=batch_size, shuffle=shuffle, shuffle_seed=0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100_000  # NumPy's ufunc buffers of 64 KiB, for `z += b`, aside


def test_fit_copies_the_parameters_once_per_call_not_per_epoch(monkeypatch):
    """The divergence policy costs no copy per epoch: ``fit`` keeps the parameters it started
    from and, only if an epoch diverges, replays the call's epochs from them."""
    X, Y = bw.datasets.xor()
    net = bw.MLP([2, 2, 1], seed=0)
    copies = []
    real = bw.MLP.snapshot
    monkeypatch.setattr(bw.MLP, "snapshot", lambda self: copies.append(1) or real(self))
    for batch_size in (None, 1, 2):
        net.fit(X, Y, 0.5, epochs=50, batch_size=batch_size, shuffle=True, shuffle_seed=0)
    assert len(copies) == 3


def test_diverging_fit_with_unseeded_shuffle_replays_its_own_orders(monkeypatch):
    """Without ``shuffle_seed`` the replay after divergence draws the epochs' orders again
    from the generator's saved state, not from a new unseeded generator: it ends exactly where
    the same run with that generator's seed ends. Unseeded generators are made deterministic
    here (each new one gets the next seed), so the test neither depends on luck nor would pass
    if the replay drew fresh orders."""
    rng = np.random.default_rng(9)
    X, Y = rng.normal(size=(12, 2)), rng.uniform(size=(12, 1))
    spec = {"sizes": [2, 3, 1], "activation": "linear", "output_activation": "linear"}

    def seeded_run(seed):
        net = bw.MLP(**spec)
        with pytest.raises(bw.DivergenceError) as raised:
            net.fit(X, Y, 0.37, epochs=400, batch_size=3, shuffle=True, shuffle_seed=seed)
        return net, raised.value

    expected_net, expected = seeded_run(1007)
    assert len(expected.history) >= 2, "the example must diverge after a few epochs"

    real, seeds = np.random.default_rng, iter(range(1007, 2000))
    monkeypatch.setattr(
        np.random, "default_rng", lambda seed=None: real(next(seeds) if seed is None else seed)
    )
    net = bw.MLP(**spec)
    with pytest.raises(bw.DivergenceError) as raised:
        net.fit(X, Y, 0.37, epochs=400, batch_size=3, shuffle=True)
    error = raised.value
    assert error.history == expected.history
    assert all(math.isfinite(E) for E in error.history)
    assert reference_all_finite(net.weights + net.biases)
    for got, want in zip(net.weights + net.biases, expected_net.weights + expected_net.biases):
        assert np.array_equal(got, want)
    assert math.isfinite(net.loss(X, Y))
