"""How the network trains: the fast paths behind ``MLP.step`` and ``MLP.fit``.

The lecture's online algorithm (``online_epoch``) and the batch path (``batch_gradients``) are
the same maths as ``MLP._forward`` and ``MLP._backward``, the plain reference the tests compare
them with, written for speed: the online loop carries η δ through the backward pass, and the
batch path works in arrays kept per batch size so that a step allocates nothing batch-sized.
``fit`` gives, to the last bit, what one ``MLP.snapshot``, ``run_epoch`` and
``squared_error(Y, net._forward(X)[1][-1])`` per epoch gave (tests/engine/test_fit_fast_path.py
keeps that plain version): its batches, gradients, loss pass and copy of the last finite
parameters are workspaces on the net (``kept``). Inputs are trusted here: ``MLP`` checks them
at its public boundary.
"""

from __future__ import annotations

import math

import numpy as np

from .losses import squared_error  # noqa: F401 - its home until 0.1
from .validation import DivergenceError


def fit(
    net, X, Y, learning_rate, epochs, batch_size, shuffle, shuffle_seed, target_loss
) -> list[float]:
    """``MLP.fit`` on checked arguments: the loss after each epoch, or ``DivergenceError``
    with the parameters at their last finite values.

    An epoch allocates nothing batch-sized: the order, the batches, the gradients, the loss's
    forward pass and the copy of the last finite parameters are workspaces kept on the net.
    """
    n = X.shape[0]
    rng = np.random.default_rng(shuffle_seed) if shuffle else None
    in_order = np.arange(n)
    order = in_order.copy() if shuffle else in_order
    parameters = net.weights + net.biases
    saved = kept(net, "last finite", lambda: [np.empty_like(p) for p in parameters])
    whole = None
    if batch_size != 1 and batch_size >= n and not shuffle:
        whole = full_batch_epochs(net, X, Y, learning_rate)
    history: list[float] = []
    for _ in range(epochs):
        if shuffle:  # rng.permutation(n), in place
            order[...] = in_order
            rng.shuffle(order)
        for p, copy in zip(parameters, saved):
            copy[...] = p
        with np.errstate(all="ignore"):
            if whole is not None:
                E = next(whole)
            else:
                run_epoch(net, X, Y, learning_rate, order, batch_size)
                E = training_loss(net, X, Y)
        if not (math.isfinite(E) and all_finite(parameters)):
            net.restore(saved)
            done = replay_until_divergence(net, X, Y, learning_rate, order, batch_size)
            raise DivergenceError(
                f"training diverged in epoch {len(history) + 1} with "
                f"learning_rate={learning_rate}: the loss became non-finite. The parameters "
                "were left at their last finite values. Try a smaller learning rate.",
                history=history,
                updates=done,
            )
        history.append(E)
        if target_loss is not None and E <= target_loss:
            break
    return history


def full_batch_epochs(net, X: np.ndarray, Y: np.ndarray, learning_rate: float):
    """Full-batch epochs on X in order, yielding the loss after each: ``run_epoch`` then
    ``training_loss``, to the last bit, with one forward pass fewer.

    The forward pass at the updated θ (features × instances) is the next epoch's, and the
    loss's pass (instances × features) reuses its activations wherever its z are the same
    bits: the activation g is elementwise, so the same z give the same a.
    """
    n = X.shape[0]
    X_batch, Y_batch = batch_arrays(net, n, X.shape[1], Y.shape[1])
    np.copyto(X_batch, X)  # X[order] with the order 0 … N−1
    np.copyto(Y_batch, Y)
    z, a, delta, tmp = arrays = workspace(net, n)  # held: the pass is carried between epochs
    dW, db = gradient_arrays(net)
    forward_columns(net, X_batch, z, a)  # fit calls next() under np.errstate(all="ignore")
    while True:
        backward_columns(net, X_batch, Y_batch, arrays, dW, db)
        apply_gradients(net, dW, db, learning_rate)
        forward_columns(net, X_batch, z, a)
        yield training_loss(net, X, Y, columns=(z, a))


def training_loss(net, X: np.ndarray, Y: np.ndarray, columns=None) -> float:
    """E on the whole training set, as ``squared_error(Y, net._forward(X)[1][-1])`` gives it to
    the last bit: the same operations in the same order, on arrays laid out as ``_forward``
    lays them out (instances × features), written into a workspace.

    ``columns`` (z, a), a forward pass over X in order at the same θ laid out features ×
    instances, gives a layer's activations when its z equal this pass's bit for bit.
    """
    n = X.shape[0]
    h, equal = kept(
        net,
        ("rows", n),
        lambda: (
            [np.empty((n, m)) for m in net.sizes[1:]],
            [np.empty((n, m), dtype=bool) for m in net.sizes[1:]],
        ),
    )
    below = X
    last = len(net.weights) - 1
    for l, W in enumerate(net.weights):
        np.matmul(below, W.T, out=h[l])
        if net.bias:
            h[l] += net.biases[l]
        if l == last and net.loss_name != "squared":  # cross-entropy: from the logits
            return net.error(h[l], None, Y)
        if columns is not None and same_bits(h[l], columns[0][l].T, equal[l]):
            h[l][...] = columns[1][l].T
        else:
            net.activation_of(l + 1).g_into(h[l], h[l])
        below = h[l]
    return squared_error(Y, below, out=below)


def same_bits(rows: np.ndarray, other: np.ndarray, equal: np.ndarray) -> bool:
    """Whether two arrays of one shape hold the same bits (NaN and signed zeros included),
    compared as integers into the booleans ``equal``."""
    np.equal(rows.view(np.int64), other.view(np.int64), out=equal)
    return bool(equal.all())


def check_trainable(net) -> None:
    """Refuse to train a network whose parameters are not all finite (set by hand?)."""
    if not all_finite(net.weights + net.biases):
        raise ValueError(
            "the network's weights or biases contain NaN or inf (set by hand?); "
            "give them finite values before training"
        )


def step(net, X: np.ndarray, Y: np.ndarray, learning_rate: float) -> float:
    """``MLP.step`` on checked arguments: one update of all parameters at once, or
    ``DivergenceError`` and no change when it would make a parameter non-finite."""
    dW, db, E = batch_gradients(net, X, Y)
    with np.errstate(over="ignore", invalid="ignore"):
        new_W = [W - learning_rate * g for W, g in zip(net.weights, dW)]
        new_b = [b - learning_rate * g for b, g in zip(net.biases, db)]
    if not all_finite(new_W + new_b):
        raise DivergenceError(
            f"training diverged: the update with learning_rate={learning_rate} gives "
            "non-finite parameters; they were left unchanged. Try a smaller learning rate."
        )
    for W, new in zip(net.weights + net.biases, new_W + new_b):
        W[...] = new
    return E


def batch_gradients(net, X: np.ndarray, Y: np.ndarray, out=None) -> tuple[list, list, float]:
    """∂E/∂θ for a validated batch, and E before any change: the training path.

    The same maths as ``_forward`` and ``_backward`` (the plain reference, which the tests
    compare it with), laid out features × instances and written into workspaces kept per
    batch size, so a step allocates nothing batch-sized: fresh temporaries of 128 KiB and
    more are mapped and unmapped by the C allocator on every call, and the page faults
    cost more than the arithmetic. ``out`` is a pair of lists (dW, db) shaped like the
    weights and biases to write the gradients into; without it they are new arrays.
    """
    arrays = workspace(net, X.shape[0])
    if out is None:
        out = [np.empty(W.shape) for W in net.weights], [np.zeros(b.shape) for b in net.biases]
    with np.errstate(over="ignore", invalid="ignore"):
        forward_columns(net, X, *arrays[:2])
        E = backward_columns(net, X, Y, arrays, *out)
    return (*out, E)


def forward_columns(net, X: np.ndarray, z: list, a: list) -> None:
    """The forward pass of a batch X (N, sizes[0]) into z[l] and a[l] (sizes[l+1], N), under
    the caller's ``np.errstate``."""
    below = X.T
    for l, W in enumerate(net.weights):
        np.dot(W, below, out=z[l])
        if net.bias:
            z[l] += net.biases[l][:, None]
        g = net.activation_of(l + 1)
        (g.g_columns_into or g.g_into)(z[l], a[l])
        below = a[l]


def backward_columns(net, X: np.ndarray, Y: np.ndarray, arrays, dW: list, db: list) -> float:
    """∂E/∂θ into dW, db from the forward pass in ``arrays`` (z, a, ∂E/∂z, scratch) of the
    batch X, Y, under the caller's ``np.errstate``; returns E."""
    z, a, delta, tmp = arrays
    n = X.shape[0]
    L = len(net.weights)
    g_prime_into = [net.activation_of(l + 1).g_prime_into for l in range(L)]
    d = delta[L - 1]
    np.subtract(a[L - 1], Y.T, out=d)  # −(y − ŷ)
    if net.loss_name == "squared":
        E = 0.5 * float(np.vdot(d, d)) / n  # squared_error, from the ŷ − y already at hand
        g_prime_into[L - 1](z[L - 1], a[L - 1], tmp[L - 1])
        d *= tmp[L - 1]
    else:  # cross-entropy: δ = y − ŷ, no g′
        E = net.error(z[L - 1].T, None, Y)
    d *= 1.0 / n  # ∂E/∂z at the output, E averaged over the batch: −δ / N
    for l in range(L - 1, -1, -1):
        below = a[l - 1] if l else X.T
        np.dot(d, below.T, out=dW[l])
        if net.bias:
            d.sum(axis=1, out=db[l])
        if l:
            np.dot(net.weights[l].T, d, out=delta[l - 1])
            g_prime_into[l - 1](z[l - 1], a[l - 1], tmp[l - 1])
            delta[l - 1] *= tmp[l - 1]
            d = delta[l - 1]
    return E


def workspace(net, n: int) -> tuple[list, list, list, list]:
    """Arrays z, a, ∂E/∂z and a scratch array of shape (sizes[l+1], n) for each weight layer."""
    return kept(net, n, lambda: tuple([np.empty((m, n)) for m in net.sizes[1:]] for _ in range(4)))


WORKSPACES_KEPT = 10


def kept(net, key, make):
    """The workspace stored on the net under ``key``, made by ``make()`` on first use. The
    least recently used goes beyond a few (mini-batch alternates between two batch sizes)."""
    arrays = net._workspaces.pop(key, None)
    if arrays is None:
        arrays = make()
        if len(net._workspaces) >= WORKSPACES_KEPT:
            net._workspaces.pop(next(iter(net._workspaces)))
    net._workspaces[key] = arrays
    return arrays


def run_epoch(net, X, Y, learning_rate, order, batch_size) -> None:
    """One pass over ``order``: online when ``batch_size`` is 1, else one update
    θ ← θ − η ∂E/∂θ per batch of ``batch_size`` instances (the last may be smaller)."""
    if batch_size == 1:
        online_epoch(net, X, Y, learning_rate, order)
        return
    dW, db = gradient_arrays(net)
    for start in range(0, len(order), batch_size):
        batch = order[start : start + batch_size]
        X_batch, Y_batch = batch_arrays(net, len(batch), X.shape[1], Y.shape[1])
        X.take(batch, axis=0, out=X_batch, mode="clip")  # X[batch], in place
        Y.take(batch, axis=0, out=Y_batch, mode="clip")
        batch_gradients(net, X_batch, Y_batch, out=(dW, db))
        apply_gradients(net, dW, db, learning_rate)


def batch_arrays(net, n: int, n_inputs: int, n_outputs: int) -> tuple[np.ndarray, np.ndarray]:
    """A workspace for the inputs (n, n_inputs) and targets (n, n_outputs) of one batch."""
    return kept(net, ("batch", n), lambda: (np.empty((n, n_inputs)), np.empty((n, n_outputs))))


def gradient_arrays(net) -> tuple[list, list]:
    """A workspace for ∂E/∂θ, shaped like the weights and the biases (zeros without bias)."""
    return kept(
        net,
        "gradients",
        lambda: ([np.empty(W.shape) for W in net.weights], [np.zeros(b.shape) for b in net.biases]),
    )


def apply_gradients(net, dW: list, db: list, learning_rate: float) -> None:
    """θ ← θ − η ∂E/∂θ for every parameter; dW and db are scaled by η in place."""
    for W, g in zip(net.weights, dW):
        g *= learning_rate  # η ∂E/∂θ, as `W -= learning_rate * g` computes it
        W -= g
    if net.bias:  # without bias units the biases stay zero: θ₀ − η·0 changes no bit
        for b, g in zip(net.biases, db):
            g *= learning_rate
            b -= g


def online_epoch(net, X, Y, learning_rate, order) -> None:
    """The lecture's algorithm: for each instance forward, error, backward, then update
    all parameters at once. Kept lean: this is the hot loop of every widget."""
    weights, biases, bias = net.weights, net.biases, net.bias
    L = len(weights)
    g = [net.activation_of(l + 1).g for l in range(L)]
    g_prime = [net.activation_of(l + 1).g_prime for l in range(L)]
    squared = net.loss_name == "squared"
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
        # η δ at the output. The backward recursion is linear in δ, so every layer's
        # error term comes out already multiplied by η: Δθ = (η δ) a.
        if squared:
            eta_delta = learning_rate * ((Y[n] - a[L]) * g_prime[L - 1](z[L - 1], a[L]))
        else:  # cross-entropy: δ = y − ŷ at the output
            eta_delta = learning_rate * (Y[n] - a[L])
        for l in range(L - 1, -1, -1):
            below = None
            if l:  # δ of the layer below, from θ before this update
                below = eta_delta.dot(weights[l]) * g_prime[l - 1](z[l - 1], a[l])
            weights[l] += eta_delta[:, None] * a[l]
            if bias:
                biases[l] += eta_delta
            eta_delta = below


def replay_until_divergence(net, X, Y, learning_rate, order, batch_size) -> int:
    """Redo an epoch one update at a time, stopping before the first update after which a
    parameter or the training loss is non-finite; return how many updates were kept."""
    for done, start in enumerate(range(0, len(order), batch_size)):
        saved = net.snapshot()
        with np.errstate(all="ignore"):
            run_epoch(net, X, Y, learning_rate, order[start : start + batch_size], batch_size)
            z, a = net._forward(X)
            finite = all_finite(net.weights + net.biases) and np.isfinite(
                net.error(z[-1], a[-1], Y)
            )
        if not finite:
            net.restore(saved)
            return done
    return done + 1


def all_finite(arrays: list) -> bool:
    """Whether every entry is finite. A finite sum proves it at the cost of one ``sum`` per
    array; only a sum that is not finite (NaN, inf, or an overflow) needs the full check."""
    with np.errstate(over="ignore", invalid="ignore"):
        total = sum(float(p.sum()) for p in arrays)
    return math.isfinite(total) or all(np.all(np.isfinite(p)) for p in arrays)
