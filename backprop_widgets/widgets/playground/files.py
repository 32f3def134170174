"""A playground's state as JSON: save a worked example, hand it to a class, load it back exactly.

The file holds the settings (data, architecture, training mode, η, seed), the network with its
trained weights (``MLP.to_dict``), the selected weight, the instance shown, the place in training
(epoch, updates, the position within a part-done epoch) and the loss curves::

    {"format": "backprop_widgets.Playground", "version": 1, "dataset": "xor", ...,
     "net": {"format": "backprop_widgets.MLP", ...}}

``check_state`` checks every field, and how the fields fit together, before anything is used: a
bad file raises ``ValueError`` or ``TypeError`` naming the field, and changes nothing.
"""

from __future__ import annotations

import json
import sys
from os import PathLike

import numpy as np

from ...engine import datasets
from ...engine import validation as check
from ...engine.mlp import MLP
from . import sources
from .settings import (  # noqa: F401 - the limits a file is checked against, for its readers
    ACTIVATION_NAMES,
    ARGUMENTS,
    LEARNING_RATE_RANGE,
    LOSS_NAMES,
    MAX_SAMPLES,
    MAX_SEED,
    MIN_BATCH_SIZE,
    MODES,
    NOISE_RANGE,
    OUTPUT_NAMES,
    OWN,
    TEST_FRACTION_RANGE,
    Settings,
    as_slider_keeps,
    check_hidden,
)

FORMAT = "backprop_widgets.Playground"
VERSION = 3  # 2 added "data", your own rows; 3 "loss"; versions 1 and 2 are read too

MAX_LOSS_POINTS = 1000  # LossHistory's capacity

FIELDS = (
    "format",
    "version",
    "dataset",
    "noise",
    "test_fraction",
    "n",
    "mode",
    "batch_size",
    "learning_rate",
    "seed",
    "hidden",
    "activation",
    "output_activation",
    "loss",
    "selected",
    "instance",
    "epoch",
    "updates",
    "cursor",
    "train_loss",
    "test_loss",
    "net",
    "data",
)


def playground_state(pg) -> dict:
    """Everything needed to rebuild ``pg`` exactly, as a JSON-ready dict."""
    settings, session = pg.settings, pg.session
    selected = None if pg.selected is None else list(pg.selected)
    return {
        "format": FORMAT,
        "version": VERSION,
        "dataset": settings.dataset,
        "noise": float(settings.noise),
        "test_fraction": float(settings.test_fraction),
        "n": int(settings.n),
        "mode": settings.mode,
        "batch_size": int(settings.batch_size),
        "learning_rate": float(settings.learning_rate),
        "seed": int(settings.seed),
        "hidden": list(pg.net.sizes[1:-1]),
        "activation": settings.activation,
        "output_activation": settings.output_activation,
        "loss": settings.loss,
        "selected": selected,
        "instance": int(pg.instance),
        "epoch": int(session.epoch),
        "updates": int(session.updates),
        "cursor": int(session.cursor),
        "train_loss": [list(point) for point in session.train_history.points],
        "test_loss": [list(point) for point in session.test_history.points],
        "net": pg.net.to_dict(),
        "data": None if settings.dataset != OWN else settings.own.to_json(),
    }


def _name(key: str) -> str:
    return f'state["{key}"]'


def _choice(data: dict, key: str, choices) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise TypeError(f"{_name(key)} must be one of {list(choices)}; got {value!r}")
    if value not in choices:
        raise ValueError(f"{_name(key)} must be one of {list(choices)}; got {value!r}")
    return value


def _integer(data: dict, key: str, low: int, high: int | None = None) -> int:
    value = check.integer(data[key], _name(key))
    if value < low or (high is not None and value > high):
        upper = "" if high is None else f" … {high}"
        kind = f"an integer {low}{upper}" if upper else f"an integer >= {low}"
        raise ValueError(f"{_name(key)} must be {kind}; got {value}")
    return value


def _number(data: dict, key: str, low: float, high: float) -> float:
    value = check.real(data[key], _name(key))
    if not low <= value <= high:
        raise ValueError(f"{_name(key)} must be a number from {low:g} to {high:g}; got {value:g}")
    return value


def _learning_rate(data: dict) -> float:
    value = check.learning_rate(data["learning_rate"], _name("learning_rate"))
    low, high = LEARNING_RATE_RANGE
    if not low <= value <= high:
        raise ValueError(
            f"{_name('learning_rate')} must be a number from {low:g} to {high:g} (the η slider's "
            f"range); got {value:g}"
        )
    return as_slider_keeps(value)


def _hidden(data: dict) -> list[int]:
    hidden = data["hidden"]
    if not isinstance(hidden, list):
        raise TypeError(
            f"{_name('hidden')} must be a list of neuron counts such as [4, 3]; got {hidden!r}"
        )
    try:
        return check_hidden(hidden, _name("hidden"))
    except ValueError as error:
        if str(error).startswith(_name("hidden")):
            raise
        raise ValueError(f"{_name('hidden')}: {error}") from None


def _training_set(dataset: str, n: int, noise: float, test_fraction: float, own) -> tuple:
    """The playground's training data for these settings, as the playground makes it:
    X of shape (N, n_inputs), Y of shape (N, n_outputs)."""
    settings = Settings(dataset, noise=noise, test_fraction=test_fraction, n=n, own=own)
    return settings.data()[:2]


def _own(data: dict, output: str):
    """Your rows from ``state["data"]``: X, Y and which rows are test rows."""
    rows = data["data"]
    if not isinstance(rows, dict) or sorted(rows) != ["X", "Y", "test"]:
        raise TypeError(f'{_name("data")} must be an object with "X", "Y" and "test"; got {rows!r}')
    try:
        X, Y = sources.read(rows["X"], rows["Y"])
        sources.check_rows(X, Y, output)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{_name('data')}: {error}") from None
    test = rows["test"]
    if not isinstance(test, list) or len(test) != len(X) or any(type(t) is not bool for t in test):
        raise TypeError(
            f'{_name("data")}["test"] must be {len(X)} true/false flags, one per row; got {test!r}'
        )
    if all(test):
        raise ValueError(f'{_name("data")}["test"]: at least one row must be for training')
    return sources.OwnData(X, Y, np.array(test, dtype=bool))


def _loss_points(data: dict, key: str, epoch: int) -> list[list[float]]:
    points = data[key]
    if not isinstance(points, list):
        raise TypeError(f"{_name(key)} must be a list of [epoch, loss] pairs; got {points!r}")
    if len(points) > MAX_LOSS_POINTS:
        raise ValueError(
            f"{_name(key)} must hold at most {MAX_LOSS_POINTS} points; got {len(points)}"
        )
    result = []
    for k, point in enumerate(points):
        where = f"{_name(key)}[{k}]"
        if not isinstance(point, list) or len(point) != 2:
            raise TypeError(f"{where} must be an [epoch, loss] pair; got {point!r}")
        at = check.real(point[0], f"{where}[0] (the epoch)", minimum=0.0)
        loss = check.real(point[1], f"{where}[1] (the loss)", minimum=0.0)
        if at > epoch or (result and at < result[-1][0]):
            raise ValueError(
                f"{where}: epochs must rise from 0 to state['epoch'] = {epoch}; got {at:g}"
            )
        result.append([at, loss])
    return result


def _net(data: dict, sizes: list[int], activation: str, output: str, loss: str, seed: int) -> dict:
    try:
        net = MLP.from_dict(data["net"])
    except (TypeError, ValueError) as error:
        message = str(error).replace("data[", 'state["net"][').replace("data ", 'state["net"] ')
        if not message.startswith(_name("net")):
            message = f"{_name('net')}: {message}"
        raise type(error)(message) from None
    expected = {
        "sizes": (net.sizes, sizes),
        "activation": (net.activation, activation),
        "output_activation": (net.output_activation, output),
        "loss": (net.loss_name, loss),
        "seed": (net.seed, seed),
        "bias": (net.bias, True),
    }
    if net.seed is None:  # a network given with its own weights (Playground(net=...))
        del expected["seed"]
    for key, (got, want) in expected.items():
        if got != want:
            raise ValueError(
                f'{_name("net")}["{key}"] must be {want!r} to fit the other settings (dataset, '
                f"hidden, activation, output_activation, loss, seed); got {got!r}"
            )
    return net.to_dict()


def check_state(data: object) -> dict:
    """Check a playground state (from ``playground_state`` or a JSON file) field by field.

    Returns a normalized copy, still JSON-ready. Raises ``TypeError`` for a field of the wrong
    type and ``ValueError`` for a wrong value, naming the field (``state["learning_rate"]``);
    the state is used by nobody until it has passed every check.
    """
    if not isinstance(data, dict):
        raise TypeError(
            f"a playground state must be a dict (a JSON object); got {type(data).__name__}"
        )
    if data.get("format") != FORMAT:
        raise ValueError(
            f"{_name('format')} must be {FORMAT!r}: this is not a saved playground; got "
            f"{data.get('format')!r}"
        )
    if data.get("version") not in (1, 2, VERSION):
        raise ValueError(
            f"{_name('version')} must be 1, 2 or {VERSION} (the versions this backprop_widgets "
            f"reads); got {data.get('version')!r}"
        )
    if data["version"] == 1:
        data = {**data, "version": 2, "data": None}
    if data["version"] == 2:  # before cross-entropy: the lecture's squared error
        data = {**data, "version": VERSION, "loss": "squared"}
    missing = [key for key in FIELDS if key not in data]
    if missing:
        raise ValueError(f"state is missing the field(s) {missing}")
    unknown = sorted(set(data) - set(FIELDS), key=str)
    if unknown:
        raise ValueError(f"state has unknown field(s) {unknown}; expected only {list(FIELDS)}")

    dataset = _choice(data, "dataset", (*datasets.NAMES, OWN))
    noise = _number(data, "noise", *NOISE_RANGE)
    test_fraction = _number(data, "test_fraction", *TEST_FRACTION_RANGE)
    n = _integer(data, "n", 2, MAX_SAMPLES)
    output = _choice(data, "output_activation", OUTPUT_NAMES)
    loss = _choice(data, "loss", LOSS_NAMES)
    if (dataset == OWN) != (data["data"] is not None):
        raise ValueError(
            f'{_name("data")} must hold your rows when {_name("dataset")} is "own", and be '
            f"null otherwise; got dataset {dataset!r} with data {type(data['data']).__name__}"
        )
    own = _own(data, output) if dataset == OWN else None
    X, Y = _training_set(dataset, n, noise, test_fraction, own)
    n_train = len(X)
    has_test = (dataset in datasets.SAMPLED and test_fraction > 0) or (
        own is not None and bool(own.is_test.any())
    )
    mode = _choice(data, "mode", MODES)
    batch_size = _integer(data, "batch_size", MIN_BATCH_SIZE, max(MIN_BATCH_SIZE, n_train))
    learning_rate = _learning_rate(data)
    seed = _integer(data, "seed", 0, MAX_SEED)
    hidden = _hidden(data)
    activation = _choice(data, "activation", ACTIVATION_NAMES)
    instance = _integer(data, "instance", 0, n_train - 1)
    epoch = _integer(data, "epoch", 0)
    updates = _integer(data, "updates", 0)
    cursor = _integer(data, "cursor", 0, n_train - 1)
    train_loss = _loss_points(data, "train_loss", epoch)
    test_loss = _loss_points(data, "test_loss", epoch)
    if test_loss and not has_test:
        raise ValueError(
            f"{_name('test_loss')} must be empty: these settings leave no test set "
            f"(test_fraction 0, or a truth table); got {len(test_loss)} points"
        )
    sizes = [X.shape[1], *hidden, Y.shape[1]]
    net = _net(data, sizes, activation, output, loss, seed)

    selected = data["selected"]
    if selected is not None:
        if not isinstance(selected, list) or len(selected) != 3:
            raise TypeError(
                f'{_name("selected")} must be null, [l, i, j] or [l, i, "bias"]; got {selected!r}'
            )
        try:
            selected = list(MLP.from_dict(net).check_parameter(*selected))
        except (TypeError, ValueError) as error:
            raise type(error)(f"{_name('selected')}: {error}") from None

    return {
        "format": FORMAT,
        "version": VERSION,
        "dataset": dataset,
        "noise": noise,
        "test_fraction": test_fraction,
        "n": n,
        "mode": mode,
        "batch_size": batch_size,
        "learning_rate": learning_rate,
        "seed": seed,
        "hidden": hidden,
        "activation": activation,
        "output_activation": output,
        "loss": loss,
        "selected": selected,
        "instance": instance,
        "epoch": epoch,
        "updates": updates,
        "cursor": cursor,
        "train_loss": train_loss,
        "test_loss": test_loss,
        "net": net,
        "data": None if own is None else own.to_json(),
    }


def playground_kwargs(state: dict) -> dict:
    """The ``Playground(...)`` arguments of a (checked) state: its settings, without weights;
    your rows as ``X`` and ``Y`` (split again as saved by ``apply_state``)."""
    state = check_state(state)
    kwargs = {name: state[name] for name in ARGUMENTS}
    if state["data"] is not None:
        del kwargs["dataset"]
        kwargs["X"], kwargs["Y"] = state["data"]["X"], state["data"]["Y"]
    return kwargs


def apply_state(pg, state: dict) -> None:
    """Make ``pg`` show ``state``: settings, trained weights, selection, place in training.

    The whole state is checked first; a bad one raises and leaves ``pg`` as it was. Training
    is paused.
    """
    state = check_state(state)
    net = MLP.from_dict(state["net"])
    pg.selected = None  # no derivation typeset for each intermediate network
    own = None if state["data"] is None else _own(state, state["output_activation"])
    settings = {name: state[name] for name in ARGUMENTS}
    pg.configure(**settings, own=own)  # pauses; data and network from these settings
    if pg.net.sizes != net.sizes:
        raise RuntimeError(f"the playground built {pg.net.sizes}, not the saved {net.sizes}")
    pg.net.restore(net.snapshot())
    pg.session.resume(
        state["epoch"], state["updates"], state["cursor"], state["train_loss"], state["test_loss"]
    )
    pg.instance_slider.value = state["instance"]
    if state["selected"] is None:
        pg.refresh()
    else:
        pg.selected = tuple(state["selected"])  # refreshes the views and the derivation


def save_from_ui(pg) -> tuple[str, bool]:
    """Save to the file named in the settings panel: (what to say, whether it failed)."""
    path = pg.file_text.value.strip()
    try:
        save_state(pg, path)
    except (OSError, TypeError, ValueError) as error:
        return f"Could not save: {error}", True
    if sys.platform == "emscripten":  # JupyterLite: no server; the file is in the browser
        where = "in this browser's storage (no server: download it from the file browser)"
    else:
        where = "(in the notebook's folder)"
    return f"Saved to {path} {where}: settings, weights, η, mode.", False


def load_from_ui(pg) -> tuple[str, bool]:
    """Load the file named in the settings panel into ``pg``; a bad file changes nothing."""
    path = pg.file_text.value.strip()
    try:
        apply_state(pg, load_state(path))
    except (OSError, TypeError, ValueError) as error:
        return f"Could not load {path}: {error}", True
    return f"Loaded {path}.", False


def save_state(pg, path: str | PathLike) -> None:
    """Write ``pg``'s state as JSON to ``path``."""
    check.path(path)
    text = json.dumps(playground_state(pg), indent=1, allow_nan=False)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def load_state(path: str | PathLike) -> dict:
    """Read and check a state saved with ``save_state``; a malformed file raises ``ValueError``."""
    data = check.read_json(path)
    try:
        return check_state(data)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{str(path)!r}: {error}") from None


class Saving:
    """The playground's ``save`` and ``load`` (mixed into ``Playground``)."""

    def save(self, path) -> None:
        """Write this playground (settings, your data, weights, selection, place in training)
        as JSON, so a lecturer can hand a class the exact worked example."""
        save_state(self, path)

    @classmethod
    def load(cls, path):
        """A playground exactly as ``save`` wrote it; a bad file raises ValueError or TypeError
        and creates nothing."""
        state = load_state(path)
        pg = cls(**playground_kwargs(state))
        apply_state(pg, state)
        return pg
