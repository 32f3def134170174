"""A training session: a network, its data, and the books of where training is.

The playground trains through one of these, and so can a script: it owns the training and test
data, the cursor within the current epoch, the epochs and updates done, the loss histories and
the divergence policy. It knows nothing of widgets or of a kernel: the playground's player
calls ``train`` in short chunks, ``step`` makes one update, and the views read the numbers.
"""

from __future__ import annotations

import numpy as np

from . import validation as check
from .history import LossHistory
from .losses import LOSSES, accuracy
from .mlp import MLP, check_data
from .validation import DivergenceError


class TrainingSession:
    """Train ``net`` on (X, Y) the lecture's way (online) or by batches, keeping the books.

    Parameters
    ----------
    net : MLP
        The network; it is trained in place.
    X, Y : arrays, shapes (N, sizes[0]) and (N, sizes[-1])
        Training data.
    X_test, Y_test : arrays, optional
        A test set (shapes (M, sizes[0]) and (M, sizes[-1])), whose loss is recorded per epoch.
    learning_rate : float
        η > 0.
    batch_size : int or None
        Instances per update: 1 is online (the lecture's algorithm), k > 1 mini-batch, None
        full batch.

    Attributes
    ----------
    cursor : int
        The next instance of the current epoch (0 at an epoch's start).
    epoch, updates : int
        Epochs finished and updates made.
    train_history, test_history : LossHistory
        ``(epoch, loss)`` points: the training loss after every epoch (and after hand edits),
        the test loss when there is a test set.
    """

    def __init__(
        self,
        net: MLP,
        X,
        Y,
        X_test=None,
        Y_test=None,
        learning_rate: float = 0.5,
        batch_size: int | None = 1,
    ) -> None:
        self.net = net
        self.X, self.Y, self.X_test, self.Y_test = self._checked(net, X, Y, X_test, Y_test)
        self.learning_rate = check.learning_rate(learning_rate)
        self.batch_size = (
            batch_size if batch_size is None else check.integer(batch_size, "batch_size", minimum=1)
        )
        self.train_history = LossHistory()
        self.test_history = LossHistory()
        self.restart()

    @staticmethod
    def _checked(net, X, Y, X_test, Y_test) -> tuple:
        net, X, Y = check_data(net, X, Y)
        if (X_test is None) != (Y_test is None):
            raise ValueError("X_test and Y_test must be given together (or neither)")
        if X_test is None:
            X_test, Y_test = X[:0], Y[:0]
        elif len(X_test):
            X_test, _ = check.inputs(X_test, net.sizes[0], "X_test")
            Y_test = check.targets(Y_test, len(X_test), net.sizes[-1], "Y_test")
        else:
            X_test, Y_test = X[:0], Y[:0]
        return X, Y, X_test, Y_test

    def replace_data(self, X, Y, X_test=None, Y_test=None) -> None:
        """Go on training on other data (a point drawn, moved or removed): the network and the
        books stay, the epoch in progress is over, and the loss on the new data is recorded at
        this epoch. Bad data raises and changes nothing."""
        self.X, self.Y, self.X_test, self.Y_test = self._checked(self.net, X, Y, X_test, Y_test)
        self.cursor = 0
        self.record_loss()

    # -- the books ---------------------------------------------------------------------------

    def restart(self) -> None:
        """Epoch 0, no updates, empty histories but for the loss of the network as it is."""
        self.cursor = self.epoch = self.updates = 0
        self.train_history.clear()
        self.test_history.clear()
        self.record_loss()

    def resume(
        self, epoch: int, updates: int, cursor: int, train_loss: list, test_loss: list
    ) -> None:
        """Take up the books of a saved session: its place in training and its loss curves
        (lists of ``[epoch, loss]``), already checked against this data."""
        self.epoch, self.updates, self.cursor = epoch, updates, cursor
        for history, points in ((self.train_history, train_loss), (self.test_history, test_loss)):
            history.clear()
            for at, loss in points:
                history.add(at, loss)

    def record_loss(self, train: bool = True) -> None:
        """Add the current training (and test) loss to the histories at this epoch."""
        if train:
            self.train_history.add(self.epoch, self.loss())
        if len(self.X_test):
            self.test_history.add(self.epoch, self.test_loss())

    def loss(self) -> float:
        """E on the training data: the network's loss (the lecture's squared error
        1/(2N) Σ_n Σ_k (y_nk − ŷ_nk)², or cross-entropy)."""
        return self.net.loss(self.X, self.Y)

    def test_loss(self) -> float | None:
        """The same on the test data, or None without a test set."""
        return self.net.loss(self.X_test, self.Y_test) if len(self.X_test) else None

    def accuracy(self, test: bool = False) -> float | None:
        """The share of training (or test) instances classified right, or None when the
        targets are not classes or there is no test set (see ``losses.accuracy``)."""
        X, Y = (self.X_test, self.Y_test) if test else (self.X, self.Y)
        return accuracy(Y, self.net.predict(X)) if len(X) else None

    @property
    def loss_title(self) -> str:
        """The network's error as a title says it: "squared error" or "cross-entropy"."""
        return LOSSES[self.net.loss_name].title

    @property
    def per_update(self) -> int:
        """Instances per update: 1 online, the batch size, or N for full batch."""
        return len(self.X) if self.batch_size is None else min(self.batch_size, len(self.X))

    def change_batch_size(self, batch_size: int | None) -> None:
        """Go on with another batch size (1 online, k, None full batch) from a new epoch's
        start: the part-done epoch's batches would not fit it."""
        if batch_size is not None:
            batch_size = check.integer(batch_size, "batch_size", minimum=1)
        self.batch_size, self.cursor = batch_size, 0

    def next_batch(self) -> slice:
        """The instances the next update trains on (one online, a batch, or all of them)."""
        return slice(self.cursor, min(self.cursor + self.per_update, len(self.X)))

    # -- training ----------------------------------------------------------------------------

    def step(self) -> None:
        """One update on the next batch; at the end of an epoch, the epoch's loss is recorded.

        Raises ``DivergenceError`` and leaves the network as it was when the update would make
        a parameter or the training loss non-finite (the rule ``MLP.fit`` follows).
        """
        batch = self.next_batch()
        before = self.net.snapshot()
        self.net.step(self.X[batch], self.Y[batch], self.learning_rate)
        with np.errstate(over="ignore", invalid="ignore"):
            finite = np.isfinite(self.loss())
        if not finite:
            self.net.restore(before)
            raise DivergenceError(
                f"training diverged: with learning_rate={self.learning_rate} this update makes "
                "the loss non-finite; the weights were left as they were. Try a smaller η."
            )
        self.updates += 1
        self.cursor = batch.stop % len(self.X)
        if self.cursor == 0:
            self.epoch += 1
            self.record_loss()

    def train(self, epochs: int) -> None:
        """Train ``epochs`` epochs, finishing a part-done one first, recording the loss.

        On divergence the books keep what was done before it, and ``DivergenceError`` is raised
        with the parameters at their last finite values.
        """
        if self.cursor:
            while self.cursor:
                self.step()
            epochs -= 1
        if epochs <= 0:
            return
        per_epoch = -(-len(self.X) // self.per_update)
        try:
            history = self.net.fit(
                self.X, self.Y, self.learning_rate, epochs, batch_size=self.batch_size
            )
        except DivergenceError as error:
            self._count_epochs(error.history, per_epoch)
            self.updates += error.updates
            self.cursor = min(error.updates * self.per_update, len(self.X)) % len(self.X)
            raise
        self._count_epochs(history, per_epoch)
        self.record_loss(train=False)

    def _count_epochs(self, history: list[float], per_epoch: int) -> None:
        for loss in history:
            self.epoch += 1
            self.train_history.add(self.epoch, loss)
        self.updates += len(history) * per_epoch

    def __repr__(self) -> str:
        mode = {1: "online", None: "full batch"}.get(self.batch_size, f"batch {self.batch_size}")
        return (
            f"TrainingSession({self.net!r}, N={len(self.X)}, {mode}, "
            f"learning_rate={self.learning_rate}, epoch={self.epoch}, updates={self.updates})"
        )
