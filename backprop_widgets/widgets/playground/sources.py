"""Where a playground's data and network come from: a named dataset or your own data, a network
made from the settings or the very one you gave.

- ``OwnData``: your rows (arrays, a DataFrame, a CSV, points drawn on the plane), which of them
  are held out as a test set, and the edits drawing makes;
- ``GivenNetwork``: the network passed as ``Playground(net=...)`` with the weights it had then,
  so that Reset returns to them;
- ``own_settings``: the settings a given network and given data imply, refusing arguments that
  disagree with them.

Every check runs before anything is kept: bad data raises naming the argument, the row and the
column, and the playground keeps what it had.
"""

from __future__ import annotations

import inspect

import numpy as np

from ...engine import own_data
from ...engine import validation as check
from ...engine.losses import class_labels
from ...engine.mlp import MLP
from ..drawn_points import PointEdit
from .settings import (  # noqa: F401 - OWN: the dataset name of your own data
    ACTIVATION_NAMES,
    MAX_NEURONS,
    OUTPUT_NAMES,
    OWN,
    SettingError,
    Settings,
    check_hidden,
)

MAX_ROWS = 10_000  # rows of your own data: training stays live and the plane stays legible


class OwnData:
    """Your own rows, X of shape (N, d) and Y of shape (N, k), and which are test rows.

    Instances are not changed in place: an edit returns a new one (``edited``), so the
    playground can keep the data from before drawing and go back to it.
    """

    def __init__(self, X: np.ndarray, Y: np.ndarray, is_test: np.ndarray) -> None:
        self.X, self.Y, self.is_test = X, Y, is_test

    @classmethod
    def split(cls, X: np.ndarray, Y: np.ndarray, test_fraction: float) -> OwnData:
        """Rows held out for testing at random (seed 0), about ``test_fraction`` of them and at
        least one of each kind when the fraction is not 0. Row k's draw does not depend on how
        many rows follow it, so a drawn point added at the end moves no other row."""
        draws = np.random.default_rng(0).random(len(X))
        is_test = draws < test_fraction
        if test_fraction > 0 and len(X) >= 2:
            is_test[np.argmin(draws)] = True
            is_test[np.argmax(draws)] = False
        return cls(X, Y, is_test)

    @classmethod
    def of(cls, X, Y, X_test, Y_test) -> OwnData:
        """Training and test data as one set of rows (training rows first)."""
        flags = np.r_[np.zeros(len(X), bool), np.ones(len(X_test), bool)]
        return cls(np.concatenate([X, X_test]), np.concatenate([Y, Y_test]), flags)

    def resplit(self, test_fraction: float) -> OwnData:
        return OwnData.split(self.X, self.Y, test_fraction)

    def parts(self) -> tuple:
        """(X, Y, X_test, Y_test)."""
        train = ~self.is_test
        return self.X[train], self.Y[train], self.X[self.is_test], self.Y[self.is_test]

    def row(self, which: str, index: int) -> int:
        """The row of training (``"train"``) or test point ``index``."""
        return int(np.flatnonzero(self.is_test == (which == "test"))[index])

    def edited(self, edit: PointEdit, output: int = 0) -> OwnData:
        """These rows after a drawing gesture: a new training row, a row moved (its class kept
        on the plane; on the 1-D plot, its target too) or removed. With one-hot rows (several
        classes) a new point's target is its class, 0 … K−1, made a one-hot row."""
        X, Y, is_test = self.X.copy(), self.Y.copy(), self.is_test.copy()
        if edit.action == "add":
            y = np.full(Y.shape[1], edit.target)
            if Y.shape[1] > 1 and class_labels(Y) is not None:
                y = np.eye(Y.shape[1])[int(edit.target)]
            return OwnData(np.vstack([X, edit.x]), np.vstack([Y, y]), np.r_[is_test, False])
        row = self.row(edit.set, edit.index)
        if edit.action == "remove":
            if (~is_test).sum() == 1 and not is_test[row]:
                raise ValueError("the last training point stays: the network needs one to train on")
            keep = np.arange(len(X)) != row
            return OwnData(X[keep], Y[keep], is_test[keep])
        X[row] = edit.x
        if edit.target is not None:
            Y[row, output] = edit.target
        return OwnData(X, Y, is_test)

    def to_json(self) -> dict:
        return {"X": self.X.tolist(), "Y": self.Y.tolist(), "test": self.is_test.tolist()}

    def __len__(self) -> int:
        return len(self.X)


def read(X, Y=None, target=None) -> tuple[np.ndarray, np.ndarray]:
    """Your data as arrays: ``X`` and ``Y`` array-likes, or ``X`` a DataFrame and ``target``
    the name of its target column(s) (or ``Y`` given beside it)."""
    if target is not None:
        if Y is not None:
            raise ValueError("give Y or target (a column of the DataFrame X), not both")
        return own_data.from_frame(X, target)
    if Y is None:
        raise ValueError("Y is missing: give the targets as Y, or target='column' with a DataFrame")
    return own_data.from_arrays(X, Y)


def as_classes(Y: np.ndarray, output_activation: str, name: str = "Y") -> np.ndarray:
    """Targets for a softmax output: a single column of class labels 0 … K−1 becomes one-hot
    rows (K the largest label + 1, at least 2); other targets are returned as they are."""
    if output_activation != "softmax" or Y.shape[1] != 1:
        return Y
    labels = Y[:, 0]
    n_classes = max(2, int(np.max(labels)) + 1) if np.all(labels >= 0) else 2
    if n_classes > MAX_NEURONS:
        raise ValueError(
            f"{name} holds class labels up to {n_classes - 1}; the diagram shows at most "
            f"{MAX_NEURONS} outputs, one per class"
        )
    return check.one_hot(labels, n_classes, name)


def check_rows(X: np.ndarray, Y: np.ndarray, output_activation: str) -> None:
    """Your rows within the playground's limits, their targets within the output's reach."""
    if len(X) > MAX_ROWS:
        raise ValueError(
            f"X has {len(X)} rows; the playground takes at most {MAX_ROWS:,} (training stays "
            "live and the plane legible); sample fewer, or train with MLP.fit"
        )
    for name, array, what in (("X", X, "inputs"), ("Y", Y, "outputs")):
        if array.shape[1] > MAX_NEURONS:
            raise ValueError(
                f"{name} has {array.shape[1]} columns; the diagram shows at most {MAX_NEURONS} "
                f"{what}"
            )
    try:
        own_data.check_reachable(Y, output_activation)
    except ValueError as error:
        whole = Y.shape[1] == 1 and np.all(Y == np.round(Y)) and np.all(Y >= 0)
        if not whole:
            raise
        raise ValueError(
            f"{error}; for class labels 0 … K−1 choose output_activation='softmax' (one output "
            "per class, trained with cross-entropy)"
        ) from None
    if output_activation == "softmax":
        check.one_hot_rows(Y, "Y")


def drawing_classes(Y: np.ndarray, output_activation: str) -> list[float]:
    """The classes a drawn point may take: 0 and 1 (−1 and 1 for a tanh output) when every
    target is one of them; 0 … K−1 for one-hot rows of K classes; [] (any number) for a
    regression."""
    if Y.shape[1] > 1 and class_labels(Y) is not None:
        return [float(k) for k in range(Y.shape[1])]
    low = -1.0 if output_activation == "tanh" else 0.0
    return [low, 1.0] if np.isin(Y, [low, 1.0]).all() else []


# -- a network given ------------------------------------------------------------------------


class GivenNetwork:
    """``Playground(net=net)``'s network and the weights it had when given."""

    def __init__(self, net: MLP) -> None:
        self.net, self.weights = net, net.snapshot()

    def fits(self, settings: Settings, sizes: list[int]) -> bool:
        """Whether the settings still describe this network (none of its settings changed)."""
        net = self.net
        return (
            net.sizes == sizes
            and net.activation == settings.activation
            and net.output_activation == settings.output_activation
            and net.loss_name == settings.loss
            and (net.seed is None or net.seed == settings.seed)
        )

    def fresh(self) -> MLP:
        """The network, back at the weights it was given with."""
        self.net.restore(self.weights)
        return self.net


NETWORK_ARGUMENTS = ("hidden", "activation", "output_activation", "loss", "seed")


def network_settings(net: object, arguments: dict) -> dict:
    """The settings of a given network (hidden, activation, output_activation, seed), checked
    against the playground's limits; an argument given beside it that disagrees raises."""
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a backprop_widgets.MLP; got {type(net).__name__}")
    if not net.bias:
        raise ValueError(
            "net must have bias units (bias=True): the playground draws and trains them"
        )
    for name, size in (("inputs", net.sizes[0]), ("outputs", net.sizes[-1])):
        if size > MAX_NEURONS:
            raise ValueError(f"net has {size} {name}; the diagram shows at most {MAX_NEURONS}")
    own = {
        "hidden": check_hidden(net.sizes[1:-1], "net's hidden layers"),
        "activation": net.activation,
        "output_activation": net.output_activation,
        "loss": net.loss_name,
        "seed": 0 if net.seed is None else net.seed,
    }
    for name, names in (("activation", ACTIVATION_NAMES), ("output_activation", OUTPUT_NAMES)):
        if own[name] not in names:
            raise ValueError(f"net's {name} must be one of {names}; got {own[name]!r}")
    for name in NETWORK_ARGUMENTS:
        if name in arguments and _differs(arguments[name], own[name], name, net):
            raise SettingError(
                f"{name}={arguments[name]!r} disagrees with net, whose {name} is {own[name]!r}; "
                f"leave {name} out to use net's"
            )
    return own


def _differs(given, own, name: str, net: MLP) -> bool:
    if name == "hidden":
        return isinstance(given, str) or not hasattr(given, "__iter__") or list(given) != own
    if name == "seed":
        return net.seed is not None and given != own
    return given != own


def arguments_of(args: tuple, kwargs: dict) -> dict:
    """The settings' arguments by name, positional ones included (``Playground("moons")``)."""
    bound = inspect.signature(Settings.__init__).bind(None, *args, **kwargs).arguments
    return {name: value for name, value in bound.items() if name != "self"}


def fits_data(net: MLP, X: np.ndarray, Y: np.ndarray, where: str) -> None:
    """A given network must take the data's inputs and give its outputs."""
    if net.sizes[0] != X.shape[1] or net.sizes[-1] != Y.shape[1]:
        raise ValueError(
            f"net {net.sizes} takes {net.sizes[0]} input(s) and gives {net.sizes[-1]} "
            f"output(s); {where} has {X.shape[1]} input(s) and {Y.shape[1]} output(s)"
        )


def settings_of(args: tuple, kwargs: dict, net, X, Y, target) -> tuple:
    """The settings of ``Playground(*args, net=net, X=X, Y=Y, target=target, **kwargs)``, and
    the given network (or None), all checked before anything is built."""
    arguments = arguments_of(args, kwargs)
    own = None
    if X is not None or Y is not None or target is not None:
        if "dataset" in arguments:
            raise ValueError("give a dataset or your own X and Y, not both")
        if X is None:
            raise ValueError("X is missing: give your inputs as X and your targets as Y")
        X, Y = read(X, Y, target)
        output = arguments.get("output_activation") or arguments.get("activation", "sigmoid")
        output = net.output_activation if net is not None else output
        Y = as_classes(Y, output)
        check_rows(X, Y, output)
        own = OwnData.split(X, Y, 0.0)
        arguments["dataset"] = OWN
    if net is not None:
        arguments.update(network_settings(net, arguments))
    settings = Settings(**arguments, own=own)
    if own is not None and settings.test_fraction > 0:
        settings.own = own.resplit(settings.test_fraction)
    if net is None:
        return settings, None
    X, Y = settings.data()[:2]
    fits_data(net, X, Y, "X and Y" if own is not None else f"dataset {settings.dataset!r}")
    return settings, GivenNetwork(net)
