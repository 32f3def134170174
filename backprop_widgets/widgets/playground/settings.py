"""The playground's settings: every choice a person makes, with its limits, checked once.

The constructor's arguments, the controls and the save files all go through ``Settings``: a
value outside a control's range would be clamped silently by the slider, so it is refused here
with a message that names the setting, and nothing changes.
"""

from __future__ import annotations

import inspect
import math
import os

import traitlets

from ...engine import datasets
from ...engine import validation as check
from ...engine.losses import LOSSES, get_loss
from ...engine.mlp import MLP
from ...engine.own_data import check_reachable
from ...engine.session import TrainingSession

LEARNING_RATE_RANGE = (1e-3, 10.0)  # the η log slider, 10^-3 … 10^1
NOISE_RANGE = (0.0, 0.5)
TEST_FRACTION_RANGE = (0.0, 0.5)
MIN_BATCH_SIZE = 2
MAX_SEED = 2**31 - 1
MAX_SAMPLES = 100_000  # points of a sampled dataset
MAX_LAYERS = 6  # a diagram that stays readable on a projector
MAX_NEURONS = 8
MODES = ("online", "mini-batch", "full batch")
ACTIVATION_NAMES = ["sigmoid", "tanh", "relu", "linear"]
OUTPUT_NAMES = [*ACTIVATION_NAMES, "softmax"]  # softmax: an output's only, with cross-entropy
LOSS_NAMES = ("squared", "cross_entropy")
SPEED_RANGE = (0.1, 10_000.0)  # epochs per second while playing; None is as fast as it goes
CPU_SHARE_VARIABLE = "BACKPROP_WIDGETS_CPU_SHARE"  # a hub's default cap, set in the environment
OWN = "own"  # the dataset name of your own data (``Playground(X=..., Y=...)``, drawn points)


class SettingError(traitlets.TraitError, ValueError):
    """A playground setting refused; nothing changed."""


def check_hidden(hidden, name: str = "hidden") -> list[int]:
    """Hidden layer sizes within the playground's limits (a diagram that fits a projector)."""
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__iter__"):
        raise TypeError(f"{name} must be a list of neuron counts such as [4, 3]")
    hidden = list(hidden)
    if len(hidden) + 2 > MAX_LAYERS:
        raise ValueError(
            f"{name}: at most {MAX_LAYERS} layers ({MAX_LAYERS - 2} hidden); got {len(hidden) + 2}"
        )
    for k, size in enumerate(hidden):
        size = check.integer(size, f"{name}[{k}]")
        if not 1 <= size <= MAX_NEURONS:
            raise ValueError(
                f"hidden layer {k + 2} must have 1 … {MAX_NEURONS} neurons; got {size}"
            )
    return [int(size) for size in hidden]


def parse_hidden(text: str) -> list[int]:
    """Hidden layer sizes typed as "4, 3" (empty: no hidden layer)."""
    if not text.strip():
        return []
    sizes = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part.lstrip("-").isdigit():
            raise ValueError(
                f"hidden layers must be whole numbers separated by commas; got {text!r}"
            )
        sizes.append(int(part))
    return sizes


def hidden_text(hidden: list[int]) -> str:
    """How the hidden layers are typed: "4, 3"."""
    return ", ".join(map(str, hidden))


def learning_rate_in_range(value: float, name: str = "learning_rate") -> float:
    """η checked as a number > 0 (``check.learning_rate``), then against the slider's range."""
    value = check.learning_rate(value, name)
    low, high = LEARNING_RATE_RANGE
    if not low <= value <= high:
        raise SettingError(
            f"{name} must be between {low} and {high} (the η slider's range); got {value}"
        )
    return value


def as_slider_keeps(value: float) -> float:
    """η as the playground keeps it: 12 significant digits, so that 0.5 stays 0.5 and not the
    log slider's 10^log10(0.5) = 0.49999999999999994."""
    return float(f"{value:.12g}")


def dragged_learning_rate(value: float, current: float) -> float:
    """η a person dragged the log slider to, kept to 3 significant digits (what its readout
    shows: 0.473, not 0.473151259); a value that is the current η's own echo, re-rounded by the
    browser, keeps the current η exactly (a typed 0.4567 stays 0.4567)."""
    if math.isclose(value, current, rel_tol=1e-9):
        return current
    low, high = LEARNING_RATE_RANGE
    return min(max(float(f"{value:.3g}"), low), high)


def typed_learning_rate(text: str) -> float:
    """η typed in the η box: a number in the slider's range, or ``SettingError`` saying so."""
    low, high = LEARNING_RATE_RANGE
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        value = math.nan
    if not low <= value <= high:
        raise SettingError(f"η must be a number from {low:g} to {high:g}; got {text.strip()!r}")
    return value


def slider_learning_rate(value) -> float:
    """η as set on a live playground (``pg.learning_rate = …``): any number in the slider's
    range; the message says so for anything else, text and NaN included."""
    low, high = LEARNING_RATE_RANGE
    if isinstance(value, bool) or not (isinstance(value, (int, float)) and low <= value <= high):
        raise SettingError(
            f"learning_rate must be a number between {low} and {high} (the η slider's range); "
            f"got {value!r}"
        )
    return float(value)


def check_speed(value, name: str = "epochs_per_second") -> float | None:
    """Epochs per second while playing: a number in ``SPEED_RANGE``, or None (or "max") for as
    fast as it goes."""
    if value is None or value == "max":
        return None
    low, high = SPEED_RANGE
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise SettingError(
            f"{name} must be a number of epochs per second from {low:g} to {high:g}, or None "
            f"for as fast as it goes; got {value!r}"
        )
    return float(value)


def check_cpu_share(value, name: str = "cpu_share") -> float:
    """The share of one CPU core a playing kernel may use: 0 < share ≤ 1 (None: the
    environment's ``BACKPROP_WIDGETS_CPU_SHARE``, else 1, no cap)."""
    if value is None:
        text = os.environ.get(CPU_SHARE_VARIABLE, "").strip()
        if not text:
            return 1.0
        try:
            value = float(text)
        except ValueError:
            value = text
        name = f"the environment variable {CPU_SHARE_VARIABLE}"
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or not 0 < value <= 1
    ):
        raise SettingError(
            f"{name} must be a share of one CPU core, a number with 0 < share <= 1 (0.5 is half "
            f"a core); got {value!r}"
        )
    return float(value)


def with_play_options(signature: inspect.Signature) -> inspect.Signature:
    """The settings' signature with the keyword-only options of how Play runs and your own
    network and data: the playground's constructor as ``help()`` shows it."""
    options = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None)
        for name in ("epochs_per_second", "cpu_share", "net", "X", "Y", "target")
    ]
    return signature.replace(parameters=[*signature.parameters.values(), *options])


def in_range(value, name: str, bounds: tuple[float, float]) -> float:
    """A real number within ``bounds`` (noise, test fraction)."""
    low, high = bounds
    value = check.real(value, name)
    if not low <= value <= high:
        raise SettingError(f"{name} must be between {low} and {high}; got {value}")
    return value


def _choice(value, name: str, choices) -> str:
    if not isinstance(value, str) or value not in list(choices):
        raise SettingError(f"{name} must be one of {list(choices)}; got {value!r}")
    return value


def _bounded_integer(value, name: str, low: int, high: int, why: str = "") -> int:
    value = check.integer(value, name, minimum=low)
    if value > high:
        raise SettingError(f"{name} must be at most {high}{why}; got {value}")
    return value


# Every setting's check, in the order the playground has always checked its arguments. The
# constructor runs them all before keeping anything; setting one trait later runs its own.
CHECKS: dict = {
    "mode": lambda v: _choice(v, "mode", MODES),
    "dataset": lambda v: _choice(v, "dataset", (*datasets.NAMES, OWN)),
    "activation": lambda v: _choice(v, "activation", ACTIVATION_NAMES),
    "output_activation": lambda v: _choice(v, "output_activation", OUTPUT_NAMES),
    "loss": lambda v: _choice(v, "loss", LOSS_NAMES),
    "learning_rate": learning_rate_in_range,
    "seed": lambda v: _bounded_integer(v, "seed", 0, MAX_SEED, " (the seed box's range)"),
    "hidden": check_hidden,
    "noise": lambda v: in_range(v, "noise", NOISE_RANGE),
    "test_fraction": lambda v: in_range(v, "test_fraction", TEST_FRACTION_RANGE),
    "batch_size": lambda v: check.integer(v, "batch_size", minimum=MIN_BATCH_SIZE),
    "n": lambda v: _bounded_integer(v, "n", 2, MAX_SAMPLES),
}


def restart_words(name: str, settings: Settings, epoch: int, sizes: list[int]) -> str:
    """What the message line says when the architecture (now ``sizes``), an activation or the
    seed changed: the playground starts a new network, from epoch 0."""
    changed = {
        "hidden": f"Architecture {sizes}",
        "activation": f"Hidden g = {settings.activation}",
        "output_activation": f"Output g = {settings.output_activation}",
        "seed": f"Seed {settings.seed}",
        "loss": f"Loss: {LOSSES[settings.loss].title}",
    }[name]
    lost = ""
    if epoch:
        lost = (
            " (the epoch trained is gone)"
            if epoch == 1
            else f" (the {epoch} epochs trained are gone)"
        )
    return (
        f"{changed}: a new network from the initial weights of seed {settings.seed}; "
        f"training restarts from epoch 0{lost}."
    )


class Settings(traitlets.HasTraits):
    """Data, architecture, training mode and η of a playground, each checked as it is set.

    Parameters are those of ``Playground``; ``output_activation=None`` means the hidden
    activation. Setting a trait to a value out of its limits raises ``SettingError`` (a
    ``ValueError``) naming it, and the trait keeps its value.

    ``own`` is your own data (``sources.OwnData``, already checked), used when ``dataset`` is
    ``"own"``; its targets must stay within the output activation's reach.
    """

    dataset = traitlets.Unicode("xor")
    noise = traitlets.Float(0.1)
    test_fraction = traitlets.Float(0.0)
    n = traitlets.Int(200)
    mode = traitlets.Unicode("online")
    batch_size = traitlets.Int(8)
    learning_rate = traitlets.Float(0.5)
    seed = traitlets.Int(0)
    hidden = traitlets.List(traitlets.Int(), [2])
    activation = traitlets.Unicode("sigmoid")
    output_activation = traitlets.Unicode("sigmoid")
    loss = traitlets.Unicode("squared")

    def __init__(
        self,
        dataset: str = "xor",
        hidden=(2,),
        activation: str = "sigmoid",
        output_activation: str | None = None,
        learning_rate: float = 0.5,
        mode: str = "online",
        seed: int = 0,
        noise: float = 0.1,
        test_fraction: float = 0.0,
        n: int = 200,
        batch_size: int = 8,
        loss: str | None = None,
        own=None,
    ) -> None:
        super().__init__()
        self.own = own
        if output_activation is None:  # several classes: softmax; else the hidden layers' g
            several = isinstance(dataset, str) and self.outputs_of(dataset) > 2
            output_activation = "softmax" if several else activation
        if loss is None:
            loss = "cross_entropy" if output_activation == "softmax" else "squared"
        given = {
            "dataset": dataset, "hidden": hidden, "activation": activation,
            "output_activation": output_activation, "learning_rate": learning_rate,
            "mode": mode, "seed": seed, "noise": noise, "test_fraction": test_fraction, "n": n,
            "batch_size": batch_size, "loss": loss,
        }  # fmt: skip
        values = {name: check(given[name]) for name, check in CHECKS.items()}
        self._check_own(values["dataset"], values["output_activation"])
        self._check_loss(values["dataset"], values["output_activation"], values["loss"])
        with self.hold_trait_notifications():
            for name, value in values.items():
                setattr(self, name, value)
        self.own = own  # as given, not split again for the test fraction just set

    @traitlets.validate(*CHECKS)
    def _valid(self, proposal):
        """Each setting passes its check; η, set live, may be any number in the slider's range."""
        name, value = proposal["trait"].name, proposal["value"]
        if name == "learning_rate":
            return slider_learning_rate(value)
        value = CHECKS[name](value)
        if name in ("dataset", "output_activation", "loss"):
            combination = {
                "dataset": self.dataset, "output_activation": self.output_activation,
                "loss": self.loss, name: value,
            }  # fmt: skip
            self._check_own(combination["dataset"], combination["output_activation"])
            self._check_loss(**combination)
        return value

    def outputs_of(self, dataset: str) -> int:
        """The number of outputs the data of ``dataset`` needs (your data's target columns)."""
        if dataset == OWN:
            return 1 if self.own is None else self.own.Y.shape[1]
        return datasets.n_outputs(dataset)

    def _check_loss(self, dataset: str, output_activation: str, loss: str) -> None:
        """The loss fits the output (``engine.losses.get_loss``): softmax with cross-entropy
        and at least two outputs, cross-entropy with a softmax or sigmoid output."""
        try:
            get_loss(loss, output_activation, self.outputs_of(dataset))
        except ValueError as error:
            raise SettingError(
                f"{error}. A sigmoid output takes either loss: change one at a time through it, "
                "or both at once with configure(output_activation=…, loss=…)"
            ) from None

    def following(self, changes: dict) -> dict:
        """The output and loss that new data imply when ``changes`` leave them out: a dataset
        of several classes picks a softmax output with cross-entropy, and data of one output
        leaves softmax for the lecture's sigmoid with squared error. {} when nothing follows."""
        if "output_activation" in changes or "loss" in changes:
            return {}
        dataset = changes.get("dataset", self.dataset)
        own = changes.get("own", self.own)
        if dataset == OWN:
            outputs = None if own is None else own.Y.shape[1]
        else:
            outputs = datasets.n_outputs(dataset) if dataset in datasets.NAMES else None
        if outputs is None:
            return {}
        if outputs > 2 and self.output_activation != "softmax":
            return {"output_activation": "softmax", "loss": "cross_entropy"}
        if outputs == 1 and self.output_activation == "softmax":
            return {"output_activation": "sigmoid", "loss": "squared"}
        return {}

    def _check_own(self, dataset: str, output_activation: str) -> None:
        """Your own data exists when it is chosen, and the output can reach its targets."""
        if dataset != OWN:
            return
        if self.own is None:
            raise SettingError(f"dataset={OWN!r} needs your data: give X and Y")
        try:
            check_reachable(self.own.Y, output_activation)
        except ValueError as error:
            raise SettingError(f"output_activation={output_activation!r}: {error}") from None

    @traitlets.observe("test_fraction")
    def _split_own(self, change) -> None:
        if self.own is not None:
            self.own = self.own.resplit(change["new"])

    # -- what follows from them ------------------------------------------------------------

    @property
    def sampled(self) -> bool:
        """Whether the dataset is sampled (noise and test fraction apply), not a truth table."""
        return self.dataset in datasets.SAMPLED

    @property
    def updates_batch(self) -> int | None:
        """Instances per update: 1 online, ``batch_size`` in mini-batch mode, None full batch."""
        if self.mode == "online":
            return 1
        return self.batch_size if self.mode == "mini-batch" else None

    def data(self) -> tuple:
        """The training and test data of these settings: (X, Y, X_test, Y_test)."""
        if self.dataset == OWN:
            return self.own.parts()
        if not self.sampled:
            X, Y = datasets.load(self.dataset)
            return X, Y, X[:0], Y[:0]
        X, Y = datasets.load(self.dataset, n=self.n, noise=self.noise, seed=0)
        if self.test_fraction > 0:
            return datasets.train_test_split(X, Y, self.test_fraction, seed=0)
        return X, Y, X[:0], Y[:0]

    def fit_batch_size(self, n_train: int) -> None:
        """Lower the batch size to the training set's size (but not below 2), as the batch
        slider, whose range ends there, would."""
        self.batch_size = min(self.batch_size, max(MIN_BATCH_SIZE, n_train))

    def session(self, data: tuple | None = None, given=None) -> TrainingSession:
        """A fresh network of these settings (same seed, same initial weights) in a training
        session on ``data`` = (X, Y, X_test, Y_test), the settings' own data by default. A
        batch size larger than the training set is lowered to it. ``given`` (a
        ``sources.GivenNetwork``) is used instead, at its given weights, while it fits."""
        X, Y, X_test, Y_test = self.data() if data is None else data
        self.fit_batch_size(len(X))
        sizes = [X.shape[1], *self.hidden, Y.shape[1]]
        if given is not None and given.fits(self, sizes):
            net = given.fresh()
        else:
            net = MLP(
                sizes, self.activation, self.output_activation, seed=self.seed, loss=self.loss
            )
        return TrainingSession(net, X, Y, X_test, Y_test, self.learning_rate, self.updates_batch)

    def checked(self, **changes) -> Settings:
        """These settings with ``changes``, all checked together (as the constructor checks
        them); raises naming the first bad one, and nothing changes here. ``own`` may be among
        the changes (your data, already checked: a loaded file's)."""
        changes = {**self.following(changes), **changes}
        own = changes.pop("own", self.own)
        unknown = sorted(set(changes) - set(ARGUMENTS))
        if unknown:
            raise TypeError(f"unknown setting(s) {unknown}; the settings are {list(ARGUMENTS)}")
        return Settings(**{**self.as_dict(), **changes}, own=own)

    def update(self, other: Settings) -> None:
        """Take every setting of ``other`` (already checked)."""
        self.own = other.own
        self.set_together(**{name: getattr(other, name) for name in ARGUMENTS})
        self.own = other.own  # as it was split, not split again for a new test fraction

    def set_together(self, **values) -> None:
        """Set several settings, checked together once all are set (softmax and its loss);
        a bad combination raises ``SettingError`` and leaves every one as it was."""
        with self.hold_trait_notifications():
            for name, value in values.items():
                setattr(self, name, value)

    def as_dict(self) -> dict:
        """The ``Playground(...)`` arguments that give these settings."""
        return {name: getattr(self, name) for name in ARGUMENTS}

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.as_dict().items())
        return f"Settings({shown})"


ARGUMENTS = (
    "dataset",
    "hidden",
    "activation",
    "output_activation",
    "learning_rate",
    "mode",
    "seed",
    "noise",
    "test_fraction",
    "n",
    "batch_size",
    "loss",
)
