"""The multi-layer perceptron of the lecture, in NumPy.

Notation (the lecture's, shown 1-based; Python is 0-based):

- ``sizes[l]`` neurons in layer l; layer 0 is the input, ``a[0] = x``.
- ``weights[l]`` is θ^(l+1): ``weights[l][i, j]`` connects node j of layer l to node i of
  layer l+1, so ``weights[l].shape == (sizes[l+1], sizes[l])``. ``biases[l][i]`` is the weight
  θ_i0 from the bias unit (a_0 = 1) of layer l.
- Forward: ``z[l+1] = weights[l] @ a[l] + biases[l]``, ``a[l+1] = g(z[l+1])``.
- Error: E = 1/(2N) Σ_n Σ_k (y_nk − ŷ_nk)² (the lecture's), or cross-entropy (``losses``).
- Lecture-sign error terms: ``delta[L-1] = (y − ŷ) g'(z[L-1])`` at the output and
  ``delta[l] = (weights[l].T @ delta[l+1]) g'(z[l])`` for hidden layers, so δ = −∂E/∂z and
  Δθ^l_ij = η δ^(l+1)_i a^l_j = −η ∂E/∂θ^l_ij.
"""

from __future__ import annotations

import numpy as np

from ..notation.address import Parameter
from . import training
from . import validation as check
from .activations import Activation, get_activation
from .losses import Loss, checked_targets, get_loss
from .saving import Files
from .trace import Trace, trace_of


class MLP(Files):
    """A fully connected feed-forward network trained by backpropagation.

    Parameters
    ----------
    sizes : list of int
        Neurons per layer, input first, at least two layers: ``[2, 2, 1]``.
    activation : str
        g for the hidden layers: "sigmoid" (default), "tanh", "relu" or "linear".
    output_activation : str, optional
        g for the output layer ("softmax" too); the same as ``activation`` when not given.
    bias : bool
        Bias units (a_0 = 1 with weights θ_i0) in every layer but the output. With
        ``bias=False`` the biases stay zero and are not trained.
    seed : int or None
        Seed of the initial weights: the same seed gives the same network.
    loss : str
        "squared" (default, the lecture's E) or "cross_entropy", with a "softmax" output for
        several classes (targets one-hot rows, or class labels 0 … K−1) or a "sigmoid" one.

    Weights and biases start uniform in ±sqrt(6 / (fan_in + fan_out)) (Glorot), drawn layer
    by layer (weights, then biases) from ``numpy.random.default_rng(seed)``.
    """

    def __init__(
        self, sizes, activation: str = "sigmoid", output_activation: str | None = None,
        bias: bool = True, seed: int | None = 0, loss: str = "squared",
    ) -> None:  # fmt: skip
        self.sizes = check.sizes(sizes)
        self._hidden = get_activation(activation, "activation")
        if self._hidden.output_only:
            raise ValueError(
                f"activation={activation!r} couples the neurons of a layer: it is an output "
                "activation; give it as output_activation"
            )
        self._output = get_activation(
            activation if output_activation is None else output_activation, "output_activation"
        )
        self._loss: Loss = get_loss(loss, self._output.name, self.sizes[-1])
        self.bias = check.boolean(bias, "bias")
        if seed is not None:
            seed = check.integer(seed, "seed", minimum=0)
        self.seed = seed
        self.weights, self.biases = glorot(self.sizes, self.bias, seed)
        self._workspaces: dict[int, tuple] = {}

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
    def loss_name(self) -> str:
        """The error trained on: "squared" (the lecture's) or "cross_entropy"."""
        return self._loss.name

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
        if self.loss_name != "squared":
            out += f", loss={self.loss_name!r}"
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
        delta[L - 1] = self._loss.output_delta(Y, z[L - 1], a[L - 1], self._output)
        for l in range(L - 2, 0, -1):
            delta[l] = (delta[l + 1] @ self.weights[l]) * self._hidden.g_prime(z[l], a[l])
        return delta

    def _check_batch(self, X, Y) -> tuple[np.ndarray, np.ndarray]:
        X, _ = check.inputs(X, self.sizes[0], "X")
        return X, self.targets(Y, X.shape[0])

    def targets(self, Y, n: int, name: str = "Y") -> np.ndarray:
        """Targets checked for this network, shape (n, sizes[-1]) (``losses.checked_targets``:
        class labels become one-hot rows for a softmax output)."""
        return checked_targets(Y, n, self.sizes[-1], self.output_activation, self.loss_name, name)

    def error(self, Z: np.ndarray, A: np.ndarray, Y: np.ndarray) -> float:
        """E of checked targets Y for output logits Z and outputs A (the network's loss)."""
        return self._loss.error(Y, Z, A, self.output_activation)

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
        """E = 1/(2N) Σ_n Σ_k (y_nk − ŷ_nk)² over the N instances of X, Y (or the
        cross-entropy, for a network trained on it)."""
        X, Y = self._check_batch(X, Y)
        with np.errstate(over="ignore", invalid="ignore"):
            z, a = self._forward(X)
            return self.error(z[-1], a[-1], Y)

    def gradients(self, X, Y) -> tuple[list, list]:
        """∂E/∂θ by backpropagation, E averaged over the batch.

        Returns
        -------
        dW : list of ndarray, ``dW[l].shape == weights[l].shape``
        db : list of ndarray, ``db[l].shape == biases[l].shape`` (zeros when ``bias=False``)
        """
        X, Y = self._check_batch(X, Y)
        dW, db, _ = training.batch_gradients(self, X, Y)
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
        if self.output_activation == "softmax" and np.ndim(y) == 0:  # a class label
            y = check.one_hot([y], self.sizes[-1], "y")[0]
        X, Y = check.instance(x, y, self.sizes)
        Y = self.targets(Y, 1, "y")
        if learning_rate is not None:
            learning_rate = check.learning_rate(learning_rate)
        return trace_of(self, X, Y, learning_rate)

    # -- training ----------------------------------------------------------------------

    def step(self, X, Y, learning_rate: float) -> float:
        """One gradient-descent update on the batch X, Y: θ ← θ − η ∂E/∂θ, all at once.

        Returns E on the batch before the update. Raises ``DivergenceError`` (and changes
        nothing) when the update would make a parameter non-finite.
        """
        X, Y = self._check_batch(X, Y)
        learning_rate = check.learning_rate(learning_rate)
        training.check_trainable(self)
        return training.step(self, X, Y, learning_rate)

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
        list of float, one E per epoch done: on the whole training set after the epoch, as
        ``step(X, Y, …)`` computes it before its update (``loss(X, Y)`` to within rounding).

        Raises
        ------
        DivergenceError
            When a parameter or the loss becomes non-finite; the parameters are left at their
            last finite values (before the update that broke them).
        """
        X, Y = self._check_batch(X, Y)
        options = check.fit_options(
            X.shape[0], learning_rate, epochs, batch_size, shuffle, shuffle_seed, target_loss
        )
        training.check_trainable(self)
        return training.fit(self, X, Y, *options)

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

    # -- single parameters -------------------------------------------------------------

    def check_parameter(self, l, i, j) -> Parameter:
        """Validate a parameter address: (l, i, j) for weights[l][i, j], or (l, i, "bias")."""
        return check.parameter(self.sizes, self.bias, l, i, j)

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


def _key(key) -> tuple:
    if not isinstance(key, tuple) or len(key) != 3:
        raise TypeError(
            f'a parameter is addressed as net[l, i, j] or net[l, i, "bias"]; got {key!r}'
        )
    return key


def check_data(net: object, X: object, Y: object) -> tuple[MLP, np.ndarray, np.ndarray]:
    """A network and a batch it fits, checked: X (N, sizes[0]), Y (N, sizes[-1])."""
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a backprop_widgets.MLP; got {type(net).__name__}")
    X, _ = check.inputs(X, net.sizes[0], "X")
    return net, X, net.targets(Y, X.shape[0])


def glorot(sizes: list[int], bias: bool, seed: int | None) -> tuple[list, list]:
    """Initial weights and biases, uniform in ±sqrt(6 / (fan_in + fan_out)) (Glorot), drawn
    layer by layer (weights, then biases) from ``numpy.random.default_rng(seed)``; zero
    biases without ``bias``."""
    rng = np.random.default_rng(seed)
    weights, biases = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        limit = np.sqrt(6.0 / (n_in + n_out))
        weights.append(rng.uniform(-limit, limit, size=(n_out, n_in)))
        biases.append(rng.uniform(-limit, limit, size=n_out) if bias else np.zeros(n_out))
    return weights, biases
