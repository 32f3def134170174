"""The multi-layer perceptron of the lecture, in NumPy.

Notation (the lecture's, shown 1-based; Python is 0-based):

- ``sizes[l]`` neurons in layer l; layer 0 is the input, ``a[0] = x``.
- ``weights[l]`` is θ^(l+1): ``weights[l][i, j]`` connects node j of layer l to node i of
  layer l+1, so ``weights[l].shape == (sizes[l+1], sizes[l])``. ``biases[l][i]`` is the weight
  θ_i0 from the bias unit (a_0 = 1) of layer l.
- Forward: ``z[l+1] = weights[l] @ a[l] + biases[l]``, ``a[l+1] = g(z[l+1])``.
- Error: E = 1/(2N) Σ_n Σ_k (y_nk − ŷ_nk)².
- Lecture-sign error terms: ``delta[L-1] = (y − ŷ) g'(z[L-1])`` at the output and
  ``delta[l] = (weights[l].T @ delta[l+1]) g'(z[l])`` for hidden layers, so δ = −∂E/∂z and
  Δθ^l_ij = η δ^(l+1)_i a^l_j = −η ∂E/∂θ^l_ij.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from os import PathLike

import numpy as np

from ..notation.address import Parameter
from . import validation as check
from .activations import Activation, get_activation

FORMAT = "backprop_widgets.MLP"


@dataclass
class Trace:
    """Everything one online update computes for one instance, layer by layer.

    Lists are indexed by layer (0 = input). ``z[0]`` and ``delta[0]`` are ``None``: the input
    layer has no net input and no error term. ``dtheta[l]`` and ``dbias[l]`` are indexed like
    ``weights[l]`` and ``biases[l]``.

    Attributes
    ----------
    x : ndarray, shape (sizes[0],)
    y : ndarray, shape (sizes[-1],)
    z : list of ndarray, ``z[l].shape == (sizes[l],)`` for l >= 1
    a : list of ndarray, ``a[l].shape == (sizes[l],)``; ``a[0]`` is ``x``, ``a[-1]`` is ŷ
    delta : list of ndarray, lecture sign (δ = −∂E/∂z), for l >= 1
    error : float, E = ½ Σ_k (y_k − ŷ_k)²
    learning_rate : float or None, the η used for ``dtheta``
    dtheta, dbias : list of ndarray or None, Δθ = η δ a (None when no η was given)
    """

    x: np.ndarray
    y: np.ndarray
    z: list
    a: list
    delta: list
    error: float
    learning_rate: float | None
    dtheta: list | None
    dbias: list | None

    @property
    def y_hat(self) -> np.ndarray:
        """The network's output ŷ = a[L-1], shape (sizes[-1],)."""
        return self.a[-1]

    def gradients(self, bias: bool = True) -> tuple[list, list]:
        """∂E/∂θ of this instance from its error terms: ∂E/∂θ^l_ij = −δ^(l+1)_i a^l_j, and
        −δ^(l+1)_i for the biases (zeros when ``bias`` is False). Shaped like the weights and
        biases."""
        L = len(self.a)
        dW = [-np.outer(self.delta[l + 1], self.a[l]) for l in range(L - 1)]
        db = [-self.delta[l + 1] * bias for l in range(L - 1)]
        return dW, db

    def __repr__(self) -> str:
        return (
            f"Trace(x={self.x.tolist()}, y={self.y.tolist()}, y_hat={self.y_hat.tolist()}, "
            f"error={self.error:.6g}, learning_rate={self.learning_rate})"
        )


class MLP:
    """A fully connected feed-forward network trained by backpropagation.

    Parameters
    ----------
    sizes : list of int
        Neurons per layer, input first, at least two layers: ``[2, 2, 1]``.
    activation : str
        g for the hidden layers: "sigmoid" (default), "tanh", "relu" or "linear".
    output_activation : str, optional
        g for the output layer; the same as ``activation`` when not given.
    bias : bool
        Bias units (a_0 = 1 with weights θ_i0) in every layer but the output. With
        ``bias=False`` the biases stay zero and are not trained.
    seed : int or None
        Seed of the initial weights: the same seed gives the same network.

    Weights and biases start uniform in ±sqrt(6 / (fan_in + fan_out)) (Glorot), drawn layer
    by layer (weights, then biases) from ``numpy.random.default_rng(seed)``.
    """

    def __init__(
        self,
        sizes,
        activation: str = "sigmoid",
        output_activation: str | None = None,
        bias: bool = True,
        seed: int | None = 0,
    ) -> None:
        self.sizes = check.sizes(sizes)
        self._hidden = get_activation(activation, "activation")
        self._output = get_activation(
            activation if output_activation is None else output_activation, "output_activation"
        )
        self.bias = check.boolean(bias, "bias")
        if seed is not None:
            seed = check.integer(seed, "seed", minimum=0)
        self.seed = seed
        self.weights, self.biases = self._initial_parameters()
        self._workspaces: dict[int, tuple] = {}

    def _initial_parameters(self) -> tuple[list, list]:
        rng = np.random.default_rng(self.seed)
        weights, biases = [], []
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            limit = np.sqrt(6.0 / (n_in + n_out))
            weights.append(rng.uniform(-limit, limit, size=(n_out, n_in)))
            biases.append(rng.uniform(-limit, limit, size=n_out) if self.bias else np.zeros(n_out))
        return weights, biases

    # -- description -------------------------------------------------------------------

    @property
    def activation(self) -> str:
        """Name of the hidden layers' activation."""
        return self._hidden.name

    @property
    def output_activation(self) -> str:
        """Name of the output layer's activation."""
        return self._output.name

    @property
    def n_layers(self) -> int:
        """L, the number of layers including input and output."""
        return len(self.sizes)

    def activation_of(self, layer: int) -> Activation:
        """The activation of layer ``layer`` (1 … L-1, 0-based; the input layer has none)."""
        return self._output if layer == self.n_layers - 1 else self._hidden

    def __repr__(self) -> str:
        out = ""
        if self._output is not self._hidden:
            out = f", output_activation={self.output_activation!r}"
        n = sum(w.size for w in self.weights) + (
            sum(b.size for b in self.biases) if self.bias else 0
        )
        return (
            f"MLP({self.sizes}, activation={self.activation!r}{out}, bias={self.bias}, "
            f"seed={self.seed})  # {n} parameters"
        )

    # -- forward and backward ----------------------------------------------------------

    def _forward(self, X: np.ndarray) -> tuple[list, list]:
        """Forward pass for a batch X of shape (N, sizes[0]); z[0] is None, a[0] is X."""
        z, a = [None], [X]
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            zl = a[-1] @ W.T
            if self.bias:
                zl += b
            z.append(zl)
            a.append(self.activation_of(l + 1).g(zl))
        return z, a

    def _backward(self, z: list, a: list, Y: np.ndarray) -> list:
        """Lecture-sign δ for every layer of a batch: delta[l] of shape (N, sizes[l])."""
        L = self.n_layers
        delta = [None] * L
        delta[L - 1] = (Y - a[L - 1]) * self._output.g_prime(z[L - 1], a[L - 1])
        for l in range(L - 2, 0, -1):
            delta[l] = (delta[l + 1] @ self.weights[l]) * self._hidden.g_prime(z[l], a[l])
        return delta

    def _gradients(self, X: np.ndarray, Y: np.ndarray) -> tuple[list, list, float]:
        """∂E/∂θ for a validated batch, and E before any change: the training path.

        The same maths as ``_forward`` and ``_backward`` (the plain reference, which the tests
        compare it with), laid out features × instances and written into workspaces kept per
        batch size, so a step allocates nothing batch-sized: fresh temporaries of 128 KiB and
        more are mapped and unmapped by the C allocator on every call, and the page faults
        cost more than the arithmetic.
        """
        n = X.shape[0]
        L = len(self.weights)
        z, a, delta, tmp = self._workspace(n)
        g_into = [self.activation_of(l + 1).g_into for l in range(L)]
        g_prime_into = [self.activation_of(l + 1).g_prime_into for l in range(L)]
        below = X.T
        with np.errstate(over="ignore", invalid="ignore"):
            for l in range(L):
                np.dot(self.weights[l], below, out=z[l])
                if self.bias:
                    z[l] += self.biases[l][:, None]
                g_into[l](z[l], a[l])
                below = a[l]
            d = delta[L - 1]
            np.subtract(a[L - 1], Y.T, out=d)  # −(y − ŷ)
            E = 0.5 * float(np.vdot(d, d)) / n
            g_prime_into[L - 1](z[L - 1], a[L - 1], tmp[L - 1])
            d *= tmp[L - 1]
            d *= 1.0 / n  # ∂E/∂z at the output, E averaged over the batch: −δ / N
            dW, db = [None] * L, [None] * L
            for l in range(L - 1, -1, -1):
                below = a[l - 1] if l else X.T
                dW[l] = d.dot(below.T)
                db[l] = d.sum(axis=1) if self.bias else np.zeros(self.sizes[l + 1])
                if l:
                    np.dot(self.weights[l].T, d, out=delta[l - 1])
                    g_prime_into[l - 1](z[l - 1], a[l - 1], tmp[l - 1])
                    delta[l - 1] *= tmp[l - 1]
                    d = delta[l - 1]
        return dW, db, E

    def _workspace(self, n: int) -> tuple[list, list, list, list]:
        """Arrays z, a, ∂E/∂z and a scratch array of shape (sizes[l+1], n) for each weight layer,
        kept for the last few batch sizes (mini-batch alternates between two)."""
        if n not in self._workspaces:
            if len(self._workspaces) >= 4:
                self._workspaces.pop(next(iter(self._workspaces)))
            self._workspaces[n] = tuple(
                [np.empty((m, n)) for m in self.sizes[1:]] for _ in range(4)
            )
        return self._workspaces[n]

    def _check_batch(self, X, Y) -> tuple[np.ndarray, np.ndarray]:
        X, _ = check.inputs(X, self.sizes[0], "X")
        Y = check.targets(Y, X.shape[0], self.sizes[-1], "Y")
        return X, Y

    def _check_trainable(self) -> None:
        if not self._parameters_finite():
            raise ValueError(
                "the network's weights or biases contain NaN or inf (set by hand?); "
                "give them finite values before training"
            )

    # -- public computations -----------------------------------------------------------

    def predict(self, X) -> np.ndarray:
        """The network's output ŷ.

        Parameters
        ----------
        X : array, shape (N, sizes[0]) or (sizes[0],)

        Returns
        -------
        ndarray, shape (N, sizes[-1]), or (sizes[-1],) for one instance
        """
        X, single = check.inputs(X, self.sizes[0], "X")
        with np.errstate(over="ignore", invalid="ignore"):
            out = self._forward(X)[1][-1]
        return out[0] if single else out

    def forward(self, X) -> list[np.ndarray]:
        """Every layer's activations for a batch: ``a[l]`` of shape (N, sizes[l]), ``a[0]`` is X
        (what each hidden neuron computes, for plots)."""
        X, _ = check.inputs(X, self.sizes[0], "X")
        with np.errstate(over="ignore", invalid="ignore"):
            return self._forward(X)[1]

    def loss(self, X, Y) -> float:
        """E = 1/(2N) Σ_n Σ_k (y_nk − ŷ_nk)² over the N instances of X, Y."""
        X, Y = self._check_batch(X, Y)
        with np.errstate(over="ignore", invalid="ignore"):
            Y_hat = self._forward(X)[1][-1]
            return squared_error(Y, Y_hat)

    def gradients(self, X, Y) -> tuple[list, list]:
        """∂E/∂θ by backpropagation, E averaged over the batch.

        Returns
        -------
        dW : list of ndarray, ``dW[l].shape == weights[l].shape``
        db : list of ndarray, ``db[l].shape == biases[l].shape`` (zeros when ``bias=False``)
        """
        X, Y = self._check_batch(X, Y)
        dW, db, _ = self._gradients(X, Y)
        return dW, db

    def trace(self, x, y, learning_rate: float | None = None) -> Trace:
        """Forward pass, error, backward pass and Δθ for one instance, as in the lecture's demo.

        Parameters
        ----------
        x : array, shape (sizes[0],)
        y : array, shape (sizes[-1],) (a number when there is one output)
        learning_rate : float, optional
            η for Δθ = η δ a; without it ``dtheta`` and ``dbias`` are None.
        """
        X, single = check.inputs(x, self.sizes[0], "x")
        if not single:
            raise ValueError(
                f"x must be one instance of shape ({self.sizes[0]},); got shape {np.shape(x)}"
            )
        Y = check.targets(np.atleast_1d(check.numeric_array(y, "y")), 1, self.sizes[-1], "y")
        if learning_rate is not None:
            learning_rate = check.learning_rate(learning_rate)
        with np.errstate(over="ignore", invalid="ignore"):
            z, a = self._forward(X)
            delta = self._backward(z, a, Y)
        z = [None] + [v[0] for v in z[1:]]
        a = [v[0] for v in a]
        delta = [None] + [v[0] for v in delta[1:]]
        dtheta = dbias = None
        if learning_rate is not None:
            dtheta = [
                learning_rate * np.outer(delta[l + 1], a[l]) for l in range(len(self.weights))
            ]
            dbias = [
                learning_rate * delta[l + 1] if self.bias else np.zeros(self.sizes[l + 1])
                for l in range(len(self.weights))
            ]
        error = squared_error(Y, a[-1][None])
        return Trace(X[0], Y[0], z, a, delta, error, learning_rate, dtheta, dbias)

    # -- training ----------------------------------------------------------------------

    def step(self, X, Y, learning_rate: float) -> float:
        """One gradient-descent update on the batch X, Y: θ ← θ − η ∂E/∂θ, all at once.

        Returns E on the batch before the update. Raises ``DivergenceError`` (and changes
        nothing) when the update would make a parameter non-finite.
        """
        X, Y = self._check_batch(X, Y)
        learning_rate = check.learning_rate(learning_rate)
        self._check_trainable()
        dW, db, E = self._gradients(X, Y)
        with np.errstate(over="ignore", invalid="ignore"):
            new_W = [W - learning_rate * g for W, g in zip(self.weights, dW)]
            new_b = [b - learning_rate * g for b, g in zip(self.biases, db)]
        if not _all_finite(new_W + new_b):
            raise check.DivergenceError(
                f"training diverged: the update with learning_rate={learning_rate} gives "
                "non-finite parameters; they were left unchanged. Try a smaller learning rate."
            )
        for W, new in zip(self.weights + self.biases, new_W + new_b):
            W[...] = new
        return E

    def fit(
        self,
        X,
        Y,
        learning_rate: float,
        epochs: int,
        batch_size: int | None = 1,
        shuffle: bool = False,
        shuffle_seed: int | None = None,
        target_loss: float | None = None,
    ) -> list[float]:
        """Train by backpropagation; return the training loss E after each epoch.

        Parameters
        ----------
        X : array, shape (N, sizes[0])
        Y : array, shape (N, sizes[-1]) (or (N,) with one output)
        learning_rate : float
            η > 0.
        epochs : int
            Passes over the data (at most; see ``target_loss``).
        batch_size : int or None
            1 (default) is the lecture's online algorithm: one update per instance. k > 1 is
            mini-batch (the last batch may be smaller); None is full batch.
        shuffle : bool
            Visit the instances in a new random order each epoch.
        shuffle_seed : int, optional
            Seed of that order, independent of the network's seed.
        target_loss : float, optional
            Stop after the first epoch whose loss is at most this.

        Returns
        -------
        list of float, one E per epoch done.

        Raises
        ------
        DivergenceError
            When a parameter or the loss becomes non-finite; the parameters are left at their
            last finite values (before the update that broke them).
        """
        X, Y = self._check_batch(X, Y)
        learning_rate = check.learning_rate(learning_rate)
        epochs = check.integer(epochs, "epochs", minimum=0)
        n = X.shape[0]
        if batch_size is None:
            batch_size = n
        batch_size = check.integer(batch_size, "batch_size", minimum=1)
        shuffle = check.boolean(shuffle, "shuffle")
        if shuffle_seed is not None:
            shuffle_seed = check.integer(shuffle_seed, "shuffle_seed", minimum=0)
        if target_loss is not None:
            target_loss = check.real(target_loss, "target_loss", minimum=0.0)
        self._check_trainable()

        rng = np.random.default_rng(shuffle_seed) if shuffle else None
        in_order = np.arange(n)
        history: list[float] = []
        for _ in range(epochs):
            order = rng.permutation(n) if shuffle else in_order
            saved = self.snapshot()
            with np.errstate(all="ignore"):
                self._epoch(X, Y, learning_rate, order, batch_size)
                E = squared_error(Y, self._forward(X)[1][-1])
            if not (math.isfinite(E) and self._parameters_finite()):
                self.restore(saved)
                done = self._replay_until_divergence(X, Y, learning_rate, order, batch_size)
                raise check.DivergenceError(
                    f"training diverged in epoch {len(history) + 1} with "
                    f"learning_rate={learning_rate}: the loss became non-finite. The parameters "
                    "were left at their last finite values. Try a smaller learning rate.",
                    history=history,
                    updates=done,
                )
            history.append(float(E))
            if target_loss is not None and E <= target_loss:
                break
        return history

    def _epoch(self, X, Y, learning_rate, order, batch_size) -> None:
        if batch_size == 1:
            self._online(X, Y, learning_rate, order)
            return
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            dW, db, _ = self._gradients(X[batch], Y[batch])
            for W, b, gW, gb in zip(self.weights, self.biases, dW, db):
                W -= learning_rate * gW
                b -= learning_rate * gb

    def _online(self, X, Y, learning_rate, order) -> None:
        """The lecture's algorithm: for each instance forward, error, backward, then update
        all parameters at once. Kept lean: this is the hot loop of every widget."""
        weights, biases, bias = self.weights, self.biases, self.bias
        L = len(weights)
        g = [self.activation_of(l + 1).g for l in range(L)]
        g_prime = [self.activation_of(l + 1).g_prime for l in range(L)]
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
            eta_delta = learning_rate * ((Y[n] - a[L]) * g_prime[L - 1](z[L - 1], a[L]))
            for l in range(L - 1, -1, -1):
                below = None
                if l:  # δ of the layer below, from θ before this update
                    below = eta_delta.dot(weights[l]) * g_prime[l - 1](z[l - 1], a[l])
                weights[l] += eta_delta[:, None] * a[l]
                if bias:
                    biases[l] += eta_delta
                eta_delta = below

    def _replay_until_divergence(self, X, Y, learning_rate, order, batch_size) -> int:
        """Redo an epoch one update at a time, stopping before the first update after which a
        parameter or the training loss is non-finite; return how many updates were kept."""
        for done, start in enumerate(range(0, len(order), batch_size)):
            saved = self.snapshot()
            with np.errstate(all="ignore"):
                self._epoch(X, Y, learning_rate, order[start : start + batch_size], batch_size)
                finite = self._parameters_finite() and np.isfinite(
                    np.sum((Y - self._forward(X)[1][-1]) ** 2)
                )
            if not finite:
                self.restore(saved)
                return done
        return done + 1

    def snapshot(self) -> list[np.ndarray]:
        """Copies of every parameter array, weights then biases, for ``restore``."""
        return [p.copy() for p in self.weights + self.biases]

    def restore(self, snapshot: list[np.ndarray]) -> None:
        """Put back the parameters of a ``snapshot()`` (of this network or one like it)."""
        for p, s in zip(self.weights + self.biases, snapshot):
            p[...] = s

    def apply(self, trace: Trace) -> None:
        """The lecture's update from one instance's trace: θ ← θ + Δθ for every parameter at
        once, Δθ = η δ a as ``trace(x, y, learning_rate)`` computed it."""
        if trace.dtheta is None:
            raise ValueError("trace must be made with a learning_rate to hold Δθ")
        for p, d in zip(self.weights + self.biases, trace.dtheta + trace.dbias):
            p += d

    def _parameters_finite(self) -> bool:
        return _all_finite(self.weights + self.biases)

    # -- single parameters -------------------------------------------------------------

    def check_parameter(self, l, i, j) -> Parameter:
        """Validate a parameter address: (l, i, j) for weights[l][i, j], or (l, i, "bias")."""
        n_weights = len(self.weights)
        l = check.integer(l, "l")
        if not 0 <= l < n_weights:
            raise ValueError(
                f"l must be a weight layer 0 … {n_weights - 1} (weights[l] connects layer l to "
                f"l+1); got {l}"
            )
        i = check.integer(i, "i")
        if not 0 <= i < self.sizes[l + 1]:
            raise ValueError(
                f"i must be a node index 0 … {self.sizes[l + 1] - 1} of the layer weights[{l}] "
                f"leads to (layer {l + 2} as the lecture counts); got {i}"
            )
        if isinstance(j, str):
            if j != "bias":
                raise ValueError(f'j must be a node index or "bias"; got {j!r}')
            if not self.bias:
                raise ValueError('j="bias" names a bias weight, but this network has bias=False')
            return Parameter(l, i, "bias")
        j = check.integer(j, "j")
        if not 0 <= j < self.sizes[l]:
            raise ValueError(
                f"j must be a node index 0 … {self.sizes[l] - 1} of the layer weights[{l}] "
                f'comes from (layer {l + 1} as the lecture counts), or "bias"; got {j}'
            )
        return Parameter(l, i, j)

    def parameters(self) -> list[Parameter]:
        """Every trainable parameter's address, weights of each layer then its biases."""
        keys: list[Parameter] = []
        for l, W in enumerate(self.weights):
            keys += [Parameter(l, i, j) for i in range(W.shape[0]) for j in range(W.shape[1])]
            if self.bias:
                keys += [Parameter(l, i, "bias") for i in range(W.shape[0])]
        return keys

    def get_parameter(self, l, i, j) -> float:
        """θ at (l, i, j) = weights[l][i, j], or biases[l][i] for j="bias"."""
        l, i, j = self.check_parameter(l, i, j)
        return float(self.biases[l][i] if j == "bias" else self.weights[l][i, j])

    def set_parameter(self, l, i, j, value: float) -> None:
        """Set θ at (l, i, j) (or the bias for j="bias") to a finite number."""
        l, i, j = self.check_parameter(l, i, j)
        value = check.real(value, "value")
        if j == "bias":
            self.biases[l][i] = value
        else:
            self.weights[l][i, j] = value

    def __getitem__(self, key) -> float:
        return self.get_parameter(*_key(key))

    def __setitem__(self, key, value) -> None:
        self.set_parameter(*_key(key), value)

    # -- copies and files ----------------------------------------------------------------

    def copy(self) -> MLP:
        """An independent copy: same architecture, same parameters (NaN included)."""
        twin = MLP(
            self.sizes, self.activation, self.output_activation, bias=self.bias, seed=self.seed
        )
        for target, source in zip(twin.weights + twin.biases, self.weights + self.biases):
            target[...] = source
        return twin

    def to_dict(self) -> dict:
        """A JSON-ready description of the network and its parameters."""
        return {
            "format": FORMAT,
            "version": 1,
            "sizes": list(self.sizes),
            "activation": self.activation,
            "output_activation": self.output_activation,
            "bias": self.bias,
            "seed": self.seed,
            "weights": [W.tolist() for W in self.weights],
            "biases": [b.tolist() for b in self.biases],
        }

    @classmethod
    def from_dict(cls, data: dict) -> MLP:
        """Rebuild a network from ``to_dict()``'s output, checking every field."""
        if not isinstance(data, dict):
            raise TypeError(f"data must be a dict made by MLP.to_dict(); got {type(data).__name__}")
        if data.get("format") != FORMAT:
            raise ValueError(f'data["format"] must be {FORMAT!r}; got {data.get("format")!r}')
        if data.get("version") != 1:
            raise ValueError(f'data["version"] must be 1; got {data.get("version")!r}')
        missing = {"sizes", "activation", "output_activation", "bias", "seed", "weights", "biases"}
        missing -= set(data)
        if missing:
            raise ValueError(f"data is missing the field(s) {sorted(missing)}")
        net = cls(
            data["sizes"],
            activation=data["activation"],
            output_activation=data["output_activation"],
            bias=data["bias"],
            seed=data["seed"],
        )
        for name, arrays in (("weights", net.weights), ("biases", net.biases)):
            given = data[name]
            if not isinstance(given, list) or len(given) != len(arrays):
                raise ValueError(f'data["{name}"] must be a list of {len(arrays)} arrays')
            for l, (target, values) in enumerate(zip(arrays, given)):
                try:
                    values = np.asarray(values, dtype=float)
                except (TypeError, ValueError):
                    raise ValueError(f'data["{name}"][{l}] must be an array of numbers') from None
                if values.shape != target.shape:
                    raise ValueError(
                        f'data["{name}"][{l}] must have shape {target.shape}; got {values.shape}'
                    )
                if not np.all(np.isfinite(values)):
                    raise ValueError(f'data["{name}"][{l}] must contain only finite numbers')
                if name == "biases" and not net.bias and values.any():
                    raise ValueError(f'data["biases"][{l}] must be all zeros when bias is False')
                target[...] = values
        return net

    def save(self, path: str | PathLike) -> None:
        """Write the network as JSON to ``path``."""
        check.path(path)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_dict(), f, indent=1)

    @classmethod
    def load(cls, path: str | PathLike) -> MLP:
        """Read a network saved with ``save``; a malformed file raises ``ValueError``."""
        return cls.from_dict(check.read_json(path))


def squared_error(Y: np.ndarray, Y_hat: np.ndarray) -> float:
    """The lecture's error E = 1/(2N) Σ_n Σ_k (y_nk − ŷ_nk)² of targets and outputs of shape
    (N, K); for one instance (N = 1) it is E = ½ Σ_k (y_k − ŷ_k)²."""
    return float(0.5 * np.sum((Y - Y_hat) ** 2) / Y.shape[0])


def _all_finite(arrays: list) -> bool:
    """Whether every entry is finite. A finite sum proves it at the cost of one ``sum`` per
    array; only a sum that is not finite (NaN, inf, or an overflow) needs the full check."""
    with np.errstate(over="ignore", invalid="ignore"):
        total = sum(float(p.sum()) for p in arrays)
    return math.isfinite(total) or all(np.all(np.isfinite(p)) for p in arrays)


def _key(key) -> tuple:
    if not isinstance(key, tuple) or len(key) != 3:
        raise TypeError(
            f'a parameter is addressed as net[l, i, j] or net[l, i, "bias"]; got {key!r}'
        )
    return key
