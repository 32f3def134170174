"""How the network trains: the fast paths behind ``MLP.step`` and ``MLP.fit``.

The lecture's online algorithm (``online_epoch``) and the batch path (``batch_gradients``) are
the same maths as ``MLP._forward`` and ``MLP._backward``, the plain reference the tests compare
them with, written for speed: the online loop carries η δ through the backward pass, and the
batch path works in arrays kept per batch size so that a step allocates nothing batch-sized.

``fit`` updates the parameters to the last bit as one ``run_epoch`` per epoch does, and its
epoch's loss is the E that ``step`` on the whole training set would return at the epoch's end
(``epoch_error``): in full batch that is the forward pass the next update starts from, so an
epoch costs one forward and one backward pass. The parameters are copied once per call, not per
epoch: on divergence ``fit`` replays the call's epochs from that copy (the same operations give
the same bits). tests/engine/test_fit_fast_path.py keeps a plain allocating version of all this.
Inputs are trusted here: ``MLP`` checks them at its public boundary.
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

    An epoch allocates nothing batch-sized: the order, the batches, the gradients and the
    loss's forward pass are workspaces kept on the net.
    """
    n = X.shape[0]
    start = net.snapshot(), shuffle and np.random.default_rng(shuffle_seed).bit_generator.state
    orders = epoch_orders(n, start[1])
    parameters = net.weights + net.biases
    layers = Layers(net)
    whole = None
    if batch_size != 1 and batch_size >= n and not shuffle:
        whole = full_batch_epochs(net, X, Y, learning_rate)
    history: list[float] = []
    for _ in range(epochs):
        order = next(orders)
        with np.errstate(all="ignore"):
            if whole is not None:
                E = next(whole)
            else:
                run_epoch(net, X, Y, learning_rate, order, batch_size, layers)
                E = epoch_error(net, X, Y, layers)
            finite = math.isfinite(E) and sums_finite(parameters)
        if not finite:
            done = replay_until_divergence(net, X, Y, learning_rate, batch_size, start, history)
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


def epoch_orders(n: int, rng_state):
    """The order of the instances in each epoch: 0 … N−1, or, given the state of a NumPy
    ``Generator``, ``rng.permutation(n)`` of that generator epoch after epoch (in place)."""
    in_order = np.arange(n)
    if not rng_state:
        while True:
            yield in_order
    rng = np.random.default_rng()
    rng.bit_generator.state = rng_state
    order = in_order.copy()
    while True:
        order[...] = in_order
        rng.shuffle(order)  # rng.permutation(n), in place
        yield order


def full_batch_epochs(net, X: np.ndarray, Y: np.ndarray, learning_rate: float):
    """Full-batch epochs on X in order, yielding the loss after each: ``run_epoch`` then
    ``epoch_error``, to the last bit, with one forward pass fewer: the forward pass at the
    updated θ, and its ŷ − y, give the epoch's loss and start the next epoch's backward pass."""
    X_all, Y_all = in_order(net, X, Y)
    arrays = workspace(net, X.shape[0])  # held: carried between epochs
    z, a = arrays[:2]
    gradients = gradient_arrays(net)
    layers = Layers(net)
    forward_columns(layers, X_all, z, a)  # fit calls next() under np.errstate(all="ignore")
    output_error(layers, arrays, Y_all)
    while True:
        backward_from_error(layers, X_all, arrays, *gradients[:2])
        apply_gradients(net, gradients, learning_rate)
        forward_columns(layers, X_all, z, a)
        yield output_error(layers, arrays, Y_all)


def epoch_error(net, X: np.ndarray, Y: np.ndarray, layers: Layers | None = None) -> float:
    """E on the whole training set in order, as ``step(X, Y)`` computes it before its update
    (the same arrays, the same operations): the loss ``fit`` reports after an epoch. It equals
    ``MLP.loss`` to within rounding (a few units in the last place: its forward pass is laid out
    instances × features, and its sum is NumPy's, not a dot product)."""
    X_all, Y_all = in_order(net, X, Y)
    arrays = workspace(net, X.shape[0])
    layers = layers or Layers(net)
    forward_columns(layers, X_all, *arrays[:2])
    return output_error(layers, arrays, Y_all)


def in_order(net, X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """X and Y in order, laid out as ``run_epoch`` lays out a batch (C-contiguous; copied into a
    workspace if they are not), so that the loss pass sees what a full-batch step sees."""
    if X.flags.c_contiguous and Y.flags.c_contiguous:
        return X, Y
    n = X.shape[0]
    X_all, Y_all = kept(
        net, ("in order", n), lambda: (np.empty((n, X.shape[1])), np.empty((n, Y.shape[1])))
    )
    np.copyto(X_all, X)
    np.copyto(Y_all, Y)
    return X_all, Y_all


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
    layers = Layers(net)
    with np.errstate(over="ignore", invalid="ignore"):
        forward_columns(layers, X, *arrays[:2])
        E = backward_columns(layers, X, Y, arrays, *out)
    return (*out, E)


class Layers:
    """What the batch passes read of a network, looked up once per step or epoch: its
    weights, its biases as columns (views, so updates in place show), each layer's in-place
    g and g′, and its error."""

    __slots__ = ("weights", "bias_columns", "g_into", "g_prime_into", "squared", "error")

    def __init__(self, net) -> None:
        activations = [net.activation_of(l + 1) for l in range(len(net.weights))]
        self.weights = net.weights
        self.bias_columns = [b[:, None] for b in net.biases] if net.bias else None
        self.g_into = [g.g_columns_into or g.g_into for g in activations]
        self.g_prime_into = [g.g_prime_into for g in activations]
        self.squared = net.loss_name == "squared"
        self.error = net.error


def forward_columns(layers: Layers, X: np.ndarray, z: list, a: list) -> None:
    """The forward pass of a batch X (N, sizes[0]) into z[l] and a[l] (sizes[l+1], N), under
    the caller's ``np.errstate``."""
    below = X.T
    bias_columns = layers.bias_columns
    for l, (W, g_into) in enumerate(zip(layers.weights, layers.g_into)):
        np.dot(W, below, out=z[l])
        if bias_columns is not None:
            z[l] += bias_columns[l]
        g_into(z[l], a[l])
        below = a[l]


def output_error(layers: Layers, arrays, Y: np.ndarray) -> float:
    """E of the batch whose forward pass is in ``arrays`` (z, a, ∂E/∂z, scratch) with targets
    Y, as the backward pass starts: ŷ − y is written into ∂E/∂z at the output."""
    z, a, delta, _ = arrays
    d = delta[-1]
    np.subtract(a[-1], Y.T, out=d)  # −(y − ŷ)
    if layers.squared:
        return 0.5 * float(np.vdot(d, d)) / Y.shape[0]  # squared_error, from ŷ − y at hand
    return layers.error(z[-1].T, None, Y)


def backward_columns(layers: Layers, X: np.ndarray, Y: np.ndarray, arrays, dW, db) -> float:
    """∂E/∂θ into dW, db from the forward pass in ``arrays`` (z, a, ∂E/∂z, scratch) of the
    batch X, Y, under the caller's ``np.errstate``; returns E."""
    E = output_error(layers, arrays, Y)
    backward_from_error(layers, X, arrays, dW, db)
    return E


def backward_from_error(layers: Layers, X: np.ndarray, arrays, dW, db) -> None:
    """The backward pass of ``backward_columns`` once ``output_error`` has written ŷ − y."""
    z, a, delta, tmp = arrays
    weights, g_prime_into = layers.weights, layers.g_prime_into
    L = len(weights)
    d = delta[L - 1]
    if layers.squared:  # (under cross-entropy δ = y − ŷ already: no g′)
        g_prime_into[L - 1](z[L - 1], a[L - 1], tmp[L - 1])
        d *= tmp[L - 1]
    d *= 1.0 / X.shape[0]  # ∂E/∂z at the output, E averaged over the batch: −δ / N
    for l in range(L - 1, -1, -1):
        np.dot(d, a[l - 1].T if l else X, out=dW[l])
        if layers.bias_columns is not None:
            np.add.reduce(d, axis=1, out=db[l])  # d.sum(axis=1)
        if l:
            np.dot(weights[l].T, d, out=delta[l - 1])
            g_prime_into[l - 1](z[l - 1], a[l - 1], tmp[l - 1])
            delta[l - 1] *= tmp[l - 1]
            d = delta[l - 1]


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


def run_epoch(net, X, Y, learning_rate, order, batch_size, layers=None) -> None:
    """One pass over ``order``: online when ``batch_size`` is 1, else one update
    θ ← θ − η ∂E/∂θ per batch of ``batch_size`` instances (the last may be smaller), under
    the caller's ``np.errstate``. ``layers``: the net's ``Layers``, if the caller has them."""
    if batch_size == 1:
        online_epoch(net, X, Y, learning_rate, order)
        return
    n = len(order)
    X_epoch, Y_epoch = batch_arrays(net, n, X.shape[1], Y.shape[1])
    X.take(order, axis=0, out=X_epoch, mode="clip")  # X[order], in place: each batch a slice
    Y.take(order, axis=0, out=Y_epoch, mode="clip")
    gradients = gradient_arrays(net)
    dW, db, _ = gradients
    layers = layers or Layers(net)
    spaces: dict = {}  # at most two batch sizes: batch_size and the last batch's
    for first in range(0, n, batch_size):
        X_batch, Y_batch = X_epoch[first : first + batch_size], Y_epoch[first : first + batch_size]
        m = X_batch.shape[0]
        arrays = spaces.get(m) or spaces.setdefault(m, workspace(net, m))
        forward_columns(layers, X_batch, arrays[0], arrays[1])
        backward_columns(layers, X_batch, Y_batch, arrays, dW, db)
        apply_gradients(net, gradients, learning_rate)


def batch_arrays(net, n: int, n_inputs: int, n_outputs: int) -> tuple[np.ndarray, np.ndarray]:
    """A workspace for the inputs (n, n_inputs) and targets (n, n_outputs) of one batch."""
    return kept(net, ("batch", n), lambda: (np.empty((n, n_inputs)), np.empty((n, n_outputs))))


def gradient_arrays(net) -> tuple[list, list, np.ndarray]:
    """A workspace for ∂E/∂θ: arrays shaped like the weights and the biases (zeros without
    bias), all views of one flat array, which is the third item."""
    shapes = [W.shape for W in net.weights] + [b.shape for b in net.biases]

    def make():
        sizes = [math.prod(shape) for shape in shapes]
        flat = np.zeros(sum(sizes))
        parts = np.split(flat, np.cumsum(sizes)[:-1])  # views
        views = [part.reshape(shape) for part, shape in zip(parts, shapes)]
        L = len(net.weights)
        return views[:L], views[L:], flat

    return kept(net, "gradients", make)


def apply_gradients(net, gradients, learning_rate: float) -> None:
    """θ ← θ − η ∂E/∂θ for every parameter, from ``gradient_arrays``, scaled by η in place."""
    dW, db, flat = gradients
    flat *= learning_rate  # η ∂E/∂θ, as `W -= learning_rate * g` computes it
    for W, g in zip(net.weights, dW):
        W -= g
    if net.bias:  # without bias units the biases stay zero: θ₀ − η·0 changes no bit
        for b, g in zip(net.biases, db):
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
    eta = np.array(float(learning_rate))  # 0-d: no conversion of a Python float per instance
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
            eta_delta = eta * ((Y[n] - a[L]) * g_prime[L - 1](z[L - 1], a[L]))
        else:  # cross-entropy: δ = y − ŷ at the output
            eta_delta = eta * (Y[n] - a[L])
        for l in range(L - 1, -1, -1):
            below = None
            if l:  # δ of the layer below, from θ before this update
                below = eta_delta.dot(weights[l]) * g_prime[l - 1](z[l - 1], a[l])
            weights[l] += eta_delta[:, None] * a[l]
            if bias:
                biases[l] += eta_delta
            eta_delta = below


def replay_until_divergence(net, X, Y, learning_rate, batch_size, start, history) -> int:
    """After an epoch that diverged: back to the parameters ``fit`` started from, its finite
    epochs again (the same operations, the same bits), then the diverged epoch one update at
    a time, stopping before the first update after which a parameter or the loss is
    non-finite. Returns how many updates of that epoch were kept."""
    snapshot, rng_state = start
    net.restore(snapshot)
    orders = epoch_orders(X.shape[0], rng_state)
    with np.errstate(all="ignore"):
        for _ in history:
            run_epoch(net, X, Y, learning_rate, next(orders), batch_size)
    order = next(orders)
    for done, first in enumerate(range(0, len(order), batch_size)):
        saved = net.snapshot()
        with np.errstate(all="ignore"):
            run_epoch(net, X, Y, learning_rate, order[first : first + batch_size], batch_size)
            finite = all_finite(net.weights + net.biases) and math.isfinite(epoch_error(net, X, Y))
        if not finite:
            net.restore(saved)
            return done
    return done + 1


def all_finite(arrays: list) -> bool:
    """Whether every entry is finite (``sums_finite``, its overflow warnings silenced)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return sums_finite(arrays)


def sums_finite(arrays: list) -> bool:
    """Whether every entry is finite, under the caller's ``np.errstate``. A finite sum proves
    it at the cost of one sum per array; only a sum that is not finite (NaN, inf, or an
    overflow) needs the full check."""
    total = sum(float(np.add.reduce(p, axis=None)) for p in arrays)
    return math.isfinite(total) or all(np.all(np.isfinite(p)) for p in arrays)
