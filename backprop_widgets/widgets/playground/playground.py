"""The playground: a network to touch, train and take apart, in one widget.

Python owns the state and the maths (the ``MLP``, the data, the loss history, the derivation);
the views in ``views.py`` draw it. Training runs as an asyncio task in the kernel that trains
for about 1/30 s, sends one coalesced view update, and yields, so pause, η, sliders and clicks
act at once and other cells can run meanwhile.
"""

from __future__ import annotations

import asyncio
import collections
import html
import time

import ipywidgets as w
import numpy as np
import traitlets

from ...engine import datasets
from ...engine import validation as check
from ...engine.history import LossHistory
from ...engine.mlp import MLP
from ...engine.validation import DivergenceError
from ...notation import theta_name
from ..views import LossView, NetworkView
from .limits import (
    LEARNING_RATE_RANGE,
    MAX_LAYERS,
    MAX_NEURONS,
    MAX_SAMPLES,
    MAX_SEED,
    NOISE_RANGE,
    TEST_FRACTION_RANGE,
)

LR_MIN, LR_MAX = LEARNING_RATE_RANGE
ECHO_SECONDS = 5.0  # how long a value sent to the θ slider may come back from the browser
FRAME = 1 / 40  # seconds of training per view update; with the update itself ~28 a second
MODES = ("online", "mini-batch", "full batch")
ACTIVATION_NAMES = ["sigmoid", "tanh", "relu", "linear"]


def _parse_weight(text: object):
    """A weight address sent by the browser: "l,i,j" or "l,i,bias"."""
    if not isinstance(text, str) or text.count(",") != 2:
        raise ValueError(f'weight must be "l,i,j" or "l,i,bias"; got {text!r}')
    parts = [part.strip() for part in text.split(",")]
    try:
        l, i = int(parts[0]), int(parts[1])
        j = "bias" if parts[2] == "bias" else int(parts[2])
    except ValueError:
        raise ValueError(f'weight must be "l,i,j" or "l,i,bias"; got {text!r}') from None
    return l, i, j


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


class SettingError(traitlets.TraitError, ValueError):
    """A playground setting (``selected``, ``learning_rate``) refused; nothing changed."""


def first_informative(X: np.ndarray) -> int:
    """The first instance with no zero input (else 0): at x = 0 every first-layer gradient is
    0, which makes a poor first derivation to show (XOR's first instance is (0, 0))."""
    nonzero = np.flatnonzero(np.all(X != 0, axis=1))
    return int(nonzero[0]) if len(nonzero) else 0


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
    return hidden


class Playground(w.VBox):
    """A multi-layer perceptron to click, drag, train and derive, in one widget.

    Parameters
    ----------
    dataset : str
        One of ``datasets.NAMES``; default "xor" (all 4 instances used for training).
    hidden : list of int
        Neurons per hidden layer; default [2], giving the lecture's [2, 2, 1] for XOR.
    activation, output_activation : str
        Activations of the hidden and output layers.
    learning_rate : float
        η, two-way with the η slider.
    mode : str
        "online" (the lecture's algorithm), "mini-batch" or "full batch".
    seed : int
        Seed of the initial weights; reset returns to exactly them.
    noise, test_fraction, n : dataset settings for the sampled datasets.

    Attributes
    ----------
    net : MLP
        The live network being trained.
    selected : tuple or None
        ``(l, i, j)`` or ``(l, i, "bias")`` of the clicked weight.
    """

    learning_rate = traitlets.Float(0.5)
    selected = traitlets.Any(None, allow_none=True)
    epoch = traitlets.Int(0)
    playing = traitlets.Bool(False)

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
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {list(MODES)}; got {mode!r}")
        if dataset not in datasets.NAMES:
            raise ValueError(f"dataset must be one of {list(datasets.NAMES)}; got {dataset!r}")
        for name, value in (("activation", activation), ("output_activation", output_activation)):
            if value is not None and value not in ACTIVATION_NAMES:
                raise ValueError(f"{name} must be one of {ACTIVATION_NAMES}; got {value!r}")
        learning_rate = check.learning_rate(learning_rate)
        seed = check.integer(seed, "seed", minimum=0)
        if seed > MAX_SEED:
            raise ValueError(f"seed must be at most {MAX_SEED} (the seed box's range); got {seed}")
        hidden = check_hidden(hidden)
        # The controls' ranges: a value outside one would be clamped silently, so refuse it.
        if not LR_MIN <= learning_rate <= LR_MAX:
            raise ValueError(
                f"learning_rate must be between {LR_MIN} and {LR_MAX} (the η slider's range); "
                f"got {learning_rate}"
            )
        for name, value, (low, high) in (
            ("noise", noise, NOISE_RANGE),
            ("test_fraction", test_fraction, TEST_FRACTION_RANGE),
        ):
            if not low <= check.real(value, name) <= high:
                raise ValueError(f"{name} must be between {low} and {high}; got {value}")
        batch_size = check.integer(batch_size, "batch_size", minimum=2)
        self._task: asyncio.Task | None = None
        self._derive_handle: asyncio.TimerHandle | None = None
        self._last_derivation = 0.0
        self._updating = False
        self._sent_weights: collections.deque = collections.deque(maxlen=256)
        self._demo = None
        self._last_slice = self._last_slider = 0.0
        self._loading = False
        self.play_stats = dict.fromkeys(
            ("frames", "updates", "seconds", "training_seconds", "refresh_seconds"), 0
        )
        self.train_history = LossHistory()
        self.test_history = LossHistory()

        self.network = NetworkView(max_neurons=MAX_NEURONS, layout=w.Layout(width="100%"))
        self.loss_view = LossView(layout=w.Layout(width="100%"))
        self.network.on_msg(self._on_view_message)
        self.status = w.HTML(layout=w.Layout(margin="0 0 0 12px"))
        self.status.add_class("bw-status")
        self.message = w.HTML()
        self.message.add_class("bw-message")

        button = dict(layout=w.Layout(width="auto"))
        self.play_button = w.Button(
            description="Play", icon="play", button_style="success", **button
        )
        self.play_button.add_class("bw-play")
        self.step_button = w.Button(description="Step", icon="step-forward", **button)
        self.step_button.add_class("bw-step")
        self.epoch_button = w.Button(description="Epoch", icon="fast-forward", **button)
        self.epoch_button.add_class("bw-step-epoch")
        self.reset_button = w.Button(description="Reset", icon="undo", **button)
        self.reset_button.add_class("bw-reset")
        self.lr_slider = w.FloatLogSlider(
            value=learning_rate,
            base=10,
            min=-3,
            max=1,
            step=None,
            description="η",
            readout_format=".3g",
            continuous_update=True,
            layout=w.Layout(width="340px"),
        )
        self.lr_slider.add_class("bw-lr")
        self.weight_slider = w.FloatSlider(
            value=0.0,
            min=-4.0,
            max=4.0,
            # Any value: a slider with a step rounds a value Python sets and sends the rounded
            # (and, while training, stale) value back, which would overwrite the weight.
            step=None,
            description="θ",
            readout_format=".4f",
            disabled=True,
            continuous_update=True,
            layout=w.Layout(width="460px"),
            style={"description_width": "60px"},
        )
        self.weight_slider.add_class("bw-weight")
        self.derivation = w.HTMLMath(layout=w.Layout(width="100%"))
        self.derivation.add_class("bw-derivation")

        narrow = {"description_width": "110px"}
        self.dataset_select = w.Dropdown(
            options=list(datasets.NAMES), value=dataset, description="dataset", style=narrow
        )
        self.dataset_select.add_class("bw-dataset")
        self.noise_slider = w.FloatSlider(
            value=noise,
            min=0.0,
            max=0.5,
            step=0.01,
            description="noise",
            style=narrow,
            continuous_update=False,
        )
        self.test_slider = w.FloatSlider(
            value=test_fraction,
            min=0.0,
            max=0.5,
            step=0.05,
            description="test fraction",
            style=narrow,
            continuous_update=False,
        )
        self.mode_select = w.ToggleButtons(
            options=list(MODES), value=mode, style={"button_width": "96px"}
        )
        self.mode_select.add_class("bw-mode")
        self.batch_slider = w.IntSlider(
            value=batch_size,
            min=2,
            max=max(batch_size, 64),
            description="batch size",
            style=narrow,
            continuous_update=False,
        )
        self.hidden_text = w.Text(
            value=", ".join(map(str, hidden)),
            description="hidden layers",
            placeholder="e.g. 4, 3",
            continuous_update=False,
            style=narrow,
        )
        self.hidden_text.add_class("bw-architecture")
        self.add_layer_button = w.Button(description="+ layer", layout=w.Layout(width="auto"))
        self.remove_layer_button = w.Button(description="− layer", layout=w.Layout(width="auto"))
        self.activation_select = w.Dropdown(
            options=ACTIVATION_NAMES, value=activation, description="hidden g", style=narrow
        )
        self.output_select = w.Dropdown(
            options=ACTIVATION_NAMES,
            value=output_activation or activation,
            description="output g",
            style=narrow,
        )
        self.seed_text = w.BoundedIntText(
            value=seed,
            min=0,
            max=MAX_SEED,
            description="seed",
            style=narrow,
            layout=w.Layout(width="220px"),
        )
        self.file_text = w.Text(
            value="playground.json",
            description="file",
            style=narrow,
            layout=w.Layout(width="340px"),
        )
        self.file_text.add_class("bw-file")
        self.save_button = w.Button(description="Save", icon="save", layout=w.Layout(width="auto"))
        self.save_button.add_class("bw-save")
        self.load_button = w.Button(
            description="Load", icon="folder-open", layout=w.Layout(width="auto")
        )
        self.load_button.add_class("bw-load")
        self.instance_slider = w.IntSlider(
            value=0, min=0, max=3, description="instance n", style=narrow
        )
        self.instance_slider.add_class("bw-instance")
        self._sample_n = check.integer(n, "n", minimum=2)
        if self._sample_n > MAX_SAMPLES:
            raise ValueError(f"n must be at most {MAX_SAMPLES}; got {self._sample_n}")

        super().__init__(children=self._layout())
        self.add_class("bw-playground")
        self.learning_rate = learning_rate
        # The log slider sends 10**log10(η) back, which can differ in the last digit; keep the
        # η a person typed or chose (0.5, not 0.49999999999999994).
        traitlets.dlink((self, "learning_rate"), (self.lr_slider, "value"))
        traitlets.dlink(
            (self.lr_slider, "value"),
            (self, "learning_rate"),
            transform=lambda value: float(f"{value:.12g}"),
        )

        self._load_data()
        self._new_network()
        self._connect()

    # -- layout ------------------------------------------------------------------------

    def _layout(self) -> list:
        controls = w.HBox(
            [
                self.play_button,
                self.step_button,
                self.epoch_button,
                self.reset_button,
                self.lr_slider,
                self.status,
            ],
            layout=w.Layout(align_items="center", flex_flow="row wrap"),
        )
        views = w.HBox(
            [
                w.Box([self.network], layout=w.Layout(flex="3 1 0", min_width="320px")),
                w.Box([self.loss_view], layout=w.Layout(flex="2 1 0", min_width="260px")),
            ],
            layout=w.Layout(width="100%", align_items="flex-start", flex_flow="row wrap"),
        )
        weight_row = w.HBox(
            [self.weight_slider, self.instance_slider], layout=w.Layout(flex_flow="row wrap")
        )
        settings = w.VBox(
            [
                w.HBox(
                    [self.dataset_select, self.noise_slider, self.test_slider],
                    layout=w.Layout(flex_flow="row wrap"),
                ),
                w.HBox(
                    [self.mode_select, self.batch_slider], layout=w.Layout(flex_flow="row wrap")
                ),
                w.HBox(
                    [self.hidden_text, self.add_layer_button, self.remove_layer_button],
                    layout=w.Layout(flex_flow="row wrap"),
                ),
                w.HBox(
                    [self.activation_select, self.output_select, self.seed_text],
                    layout=w.Layout(flex_flow="row wrap"),
                ),
                w.HBox(
                    [self.file_text, self.save_button, self.load_button],
                    layout=w.Layout(flex_flow="row wrap", align_items="center"),
                ),
            ]
        )
        # Teaching views are built when their panel is first opened, and follow the playground.
        self.demo_box = w.VBox()
        self.panels = w.Accordion(
            [self.demo_box, settings],
            titles=(
                "Step through one update (the lecture's demo)",
                "Data, training mode and architecture",
            ),
        )
        self.panels.add_class("bw-panels")
        # E against the selected weight, and the decision surface: built with the first network.
        self.slice_view = self.surface = None
        self.teaching_row = w.HBox(
            layout=w.Layout(width="100%", flex_flow="row wrap", align_items="flex-start")
        )
        return [
            controls, self.message, views, weight_row, self.teaching_row, self.derivation,
            self.panels,
        ]  # fmt: skip

    def _connect(self) -> None:
        self.play_button.on_click(lambda _: self.pause() if self.playing else self.play())
        self.step_button.on_click(lambda _: self._guarded(self.step))
        self.epoch_button.on_click(lambda _: self._guarded(self.step_epoch))
        self.reset_button.on_click(lambda _: self.reset())
        self.weight_slider.observe(self._on_weight_slider, "value")
        self.instance_slider.observe(self._on_instance, "value")
        self.observe(self._on_learning_rate, "learning_rate")
        self.observe(self._on_selected, "selected")
        self.observe(self._on_playing, "playing")
        for control in (self.dataset_select, self.noise_slider, self.test_slider):
            control.observe(lambda _: self._rebuild(data=True), "value")
        for control in (self.activation_select, self.output_select, self.seed_text):
            control.observe(lambda _: self._rebuild(), "value")
        self.mode_select.observe(self._on_mode, "value")
        self.batch_slider.observe(lambda _: self._restart_epoch(), "value")
        self.hidden_text.observe(self._on_hidden_text, "value")
        self.panels.observe(lambda _: self._sync_teaching_views(), "selected_index")
        self.save_button.on_click(lambda _: self._save_from_ui())
        self.load_button.on_click(lambda _: self._load_from_ui())
        self.add_layer_button.on_click(lambda _: self._change_hidden(add_layer=True))
        self.remove_layer_button.on_click(lambda _: self._change_hidden(add_layer=False))

    # -- data and network ----------------------------------------------------------------

    def _load_data(self) -> None:
        """The dataset of the settings; the network is rebuilt to fit it afterwards, so views
        are not refreshed meanwhile."""
        self._loading = True
        try:
            self._load_data_quietly()
        finally:
            self._loading = False

    def _load_data_quietly(self) -> None:
        name = self.dataset_select.value
        sampled = name in datasets.SAMPLED
        self.noise_slider.disabled = not sampled
        self.test_slider.disabled = not sampled
        if sampled:
            X, Y = datasets.load(name, n=self._sample_n, noise=self.noise_slider.value, seed=0)
        else:
            X, Y = datasets.load(name)
        if sampled and self.test_slider.value > 0:
            self.X, self.Y, self.X_test, self.Y_test = datasets.train_test_split(
                X, Y, self.test_slider.value, seed=0
            )
        else:
            self.X, self.Y, self.X_test, self.Y_test = X, Y, X[:0], Y[:0]
        self.batch_slider.max = max(2, len(self.X))
        if self.batch_slider.value > len(self.X):
            self.batch_slider.value = max(2, len(self.X))
        with self.instance_slider.hold_trait_notifications():
            self.instance_slider.max = len(self.X) - 1
            self.instance_slider.value = first_informative(self.X)

    def _sizes(self) -> list[int]:
        return [self.X.shape[1], *parse_hidden(self.hidden_text.value), self.Y.shape[1]]

    def _new_network(self) -> None:
        """A fresh network from the settings: same seed, same initial weights."""
        self.net = MLP(
            self._sizes(),
            activation=self.activation_select.value,
            output_activation=self.output_select.value,
            seed=self.seed_text.value,
        )
        self.epoch = 0
        self.updates = 0
        self._cursor = 0
        self.train_history.clear()
        self.test_history.clear()
        self._record_loss()
        if self.selected is not None:
            try:
                self.net.check_parameter(*self.selected)
            except (TypeError, ValueError):
                self.selected = None
        self._new_teaching_views()
        with self.network.hold_sync():
            self.network.sizes = self.net.sizes
            self.network.bias = self.net.bias
            self._refresh(derive=True)

    def _new_teaching_views(self) -> None:
        """Point the slice and the decision surface at the new network and data."""
        from ..slice_view import ErrorSlice
        from ..surface_view import DecisionSurface

        if self.slice_view is None:
            box = w.Layout(flex="1 1 0", min_width="300px")
            self.slice_view = ErrorSlice(
                self.net, self.X, self.Y, self.selected, self.learning_rate
            )
            self.surface = DecisionSurface(self.net, self.X, self.Y, self.X_test, self.Y_test)
            traitlets.dlink((self, "learning_rate"), (self.slice_view, "learning_rate"))
            self.teaching_row.children = [
                w.Box([self.slice_view], layout=box),
                w.Box([self.surface], layout=box),
            ]
        else:
            self.surface.update(self.net, self.X, self.Y, self.X_test, self.Y_test)
        self._last_slice = 0.0

    def _next_batch(self) -> slice:
        """The instances the next update trains on (one online, a batch, or all of them)."""
        n = len(self.X)
        size = n if self.batch_size is None else self.batch_size
        return slice(self._cursor, min(self._cursor + size, n))

    def _rebuild(self, data: bool = False) -> None:
        self.pause()
        try:
            if data:
                self._load_data()
            self._new_network()
        except (TypeError, ValueError) as error:
            self._say(str(error), error=True)
            return
        self._say("")

    # -- training ------------------------------------------------------------------------

    @property
    def batch_size(self) -> int | None:
        """Instances per update: 1 online, the batch slider's value, or None for full batch."""
        mode = self.mode_select.value
        if mode == "online":
            return 1
        return self.batch_slider.value if mode == "mini-batch" else None

    def step(self) -> None:
        """One update: one instance online, one batch otherwise (the next in the epoch)."""
        n = len(self.X)
        batch = self._next_batch()
        before = [p.copy() for p in self.net.weights + self.net.biases]
        self.net.step(self.X[batch], self.Y[batch], self.learning_rate)
        with np.errstate(over="ignore", invalid="ignore"):
            finite = np.isfinite(self.net.loss(self.X, self.Y))
        if not finite:  # fit's rule: finite weights whose loss overflows have diverged too
            for p, old in zip(self.net.weights + self.net.biases, before):
                p[...] = old
            raise DivergenceError(
                f"training diverged: with learning_rate={self.learning_rate} this update makes "
                "the loss non-finite; the weights were left as they were. Try a smaller η."
            )
        self.updates += 1
        self._cursor = batch.stop % n
        if self._cursor == 0:
            self.epoch += 1
            self._record_loss()
        self._refresh(derive=True)

    def step_epoch(self) -> None:
        """Finish the current epoch (or run a whole one)."""
        self._train(1)
        self._refresh(derive=True)

    def _train(self, epochs: int) -> None:
        """Train ``epochs`` epochs (finishing a part-done one first), recording the loss."""
        if self._cursor:
            while self._cursor:
                self.step()
            epochs -= 1
        if epochs <= 0:
            return
        per_epoch = -(-len(self.X) // (self.batch_size or len(self.X)))
        try:
            history = self.net.fit(
                self.X, self.Y, self.learning_rate, epochs, batch_size=self.batch_size
            )
        except DivergenceError as error:  # keep the books of what was done before it
            self._count_epochs(error.history, per_epoch)
            self.updates += error.updates
            self._cursor = min(error.updates * (self.batch_size or len(self.X)), len(self.X))
            self._cursor %= len(self.X)
            raise
        self._count_epochs(history, per_epoch)
        self._record_loss(train=False)

    def _count_epochs(self, history: list[float], per_epoch: int) -> None:
        for loss in history:
            self.epoch += 1
            self.train_history.add(self.epoch, loss)
        self.updates += len(history) * per_epoch

    def _record_loss(self, train: bool = True) -> None:
        if train:
            self.train_history.add(self.epoch, self.net.loss(self.X, self.Y))
        if len(self.X_test):
            self.test_history.add(self.epoch, self.net.loss(self.X_test, self.Y_test))

    def play(self) -> None:
        """Start training in the background (an asyncio task in the kernel)."""
        self._say("")
        self.playing = True

    def pause(self) -> None:
        """Stop training after the current chunk (within one frame, 1/30 s)."""
        self.playing = False

    def reset(self) -> None:
        """Back to the initial weights of the current seed; the history starts again."""
        self.pause()
        self._new_network()
        self._say(f"Reset to the initial weights of seed {self.seed_text.value}.")

    def _on_playing(self, change) -> None:
        self.play_button.description = "Pause" if change["new"] else "Play"
        self.play_button.icon = "pause" if change["new"] else "play"
        self.play_button.button_style = "warning" if change["new"] else "success"
        if change["new"] and (self._task is None or self._task.done()):
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # plain Python, not a Jupyter kernel: nothing would run it
                self.playing = False
                self._say(
                    "Play trains in the background of a Jupyter kernel, and none is running "
                    "here; use Step, Epoch or pg.net.fit() instead.",
                    error=True,
                )
                return
            self._task = loop.create_task(self._run())

    async def _run(self) -> None:
        epochs = 1
        stats = self.play_stats
        try:
            while self.playing:
                frame_start = time.perf_counter()
                deadline = frame_start + FRAME
                updates = self.updates
                while self.playing and time.perf_counter() < deadline:
                    start = time.perf_counter()
                    self._train(epochs)
                    spent = time.perf_counter() - start
                    # Aim at chunks of ~5 ms: fine-grained enough to stop on time.
                    epochs = max(1, min(epochs * 2, int(epochs * 0.005 / max(spent, 1e-6))))
                trained = time.perf_counter()
                # Typesetting is slow: re-derive at most once a second while playing.
                stale = trained - self._last_derivation > 1.0
                self._refresh(derive=stale, immediately=stale)
                refreshed = time.perf_counter()
                await asyncio.sleep(0.002)
                stats["frames"] += 1
                stats["updates"] += self.updates - updates
                stats["training_seconds"] += trained - frame_start
                stats["refresh_seconds"] += refreshed - trained
                stats["seconds"] += time.perf_counter() - frame_start
            self._refresh(derive=True, immediately=True)  # paused: show the final numbers
        except DivergenceError as error:
            self.playing = False
            self._refresh(derive=True)
            self._say(f"Paused: {error}", error=True)
        except Exception as error:  # noqa: BLE001 - shown in the widget, never a traceback
            self.playing = False
            self._say(f"Paused: {type(error).__name__}: {error}", error=True)

    def _guarded(self, action) -> None:
        try:
            action()
        except DivergenceError as error:
            self._refresh(derive=True)
            self._say(str(error), error=True)
            return
        except (TypeError, ValueError) as error:  # e.g. a NaN weight set by hand
            self._say(f"Refused: {error}", error=True)
            return
        self._say("")

    def _on_instance(self, _change) -> None:
        if not self._loading:  # while new data loads, the network still fits the old
            self._refresh(derive=True)

    def _restart_epoch(self) -> None:
        self._cursor = 0
        if not self._loading:
            self._refresh()

    def _on_mode(self, change) -> None:
        self.batch_slider.layout.display = None if change["new"] == "mini-batch" else "none"
        self._restart_epoch()

    def _on_learning_rate(self, change) -> None:
        if not self.playing:
            self._sync_teaching_views()  # the demo's Δθ = η δ a
        if self.selected is not None:
            self._schedule_derivation(immediately=False)  # it shows Δθ = −η ∂E/∂θ

    # -- selection and the weight slider -------------------------------------------------

    @traitlets.validate("selected")
    def _valid_selected(self, proposal):
        value = proposal["value"]
        if value is None:
            return None
        if not isinstance(value, (tuple, list)) or len(value) != 3:
            raise SettingError(f'selected must be None, (l, i, j) or (l, i, "bias"); got {value!r}')
        try:
            return self.net.check_parameter(*value)
        except (TypeError, ValueError) as error:
            raise SettingError(f"selected: {error}") from None

    @traitlets.validate("learning_rate")
    def _valid_learning_rate(self, proposal):
        value = proposal["value"]
        if not (isinstance(value, (int, float)) and LR_MIN <= value <= LR_MAX):
            raise SettingError(
                f"learning_rate must be a number between {LR_MIN} and {LR_MAX} (the η slider's "
                f"range); got {value!r}"
            )
        return float(value)

    def _on_selected(self, change) -> None:
        value = change["new"]
        self.network.selected = "" if value is None else ",".join(map(str, value))
        if value is None:
            self.slice_view.parameter = None
        else:
            self.slice_view.update(parameter=value)
        self._sync_weight_slider()
        self._refresh(derive=True, immediately=True)

    def _sync_weight_slider(self) -> None:
        slider = self.weight_slider
        self._updating = True
        try:
            if self.selected is None:
                slider.disabled, slider.description = True, "θ"
                return
            value = self.net.get_parameter(*self.selected)
            bound = max(4.0, float(np.ceil(abs(value) * 1.5)))
            with slider.hold_trait_notifications():
                slider.min, slider.max = -bound, bound
                self._show_weight(value)
                slider.description = theta_name(*self.selected)
                slider.disabled = False
        finally:
            self._updating = False

    def _show_weight(self, value: float) -> None:
        """Move the θ slider to ``value``, remembering when: the browser's slider sends a value
        it is given back (re-rounded, and late while training), and that is not an edit."""
        if value != self.weight_slider.value:
            self._sent_weights.append((time.perf_counter(), value))
            self.weight_slider.value = value

    def _is_echo(self, value: float) -> bool:
        """Whether ``value`` is one the slider was sent in the last few seconds. A busy browser
        can echo late, or twice; a person does not drag to a value Python sent, to 1e-9."""
        recent = time.perf_counter() - ECHO_SECONDS
        return any(
            sent_at >= recent and abs(value - sent) <= 1e-9 * max(1.0, abs(sent))
            for sent_at, sent in self._sent_weights
        )

    def _on_weight_slider(self, change) -> None:
        if self._updating or self.selected is None or self._is_echo(change["new"]):
            return
        try:
            self.net.set_parameter(*self.selected, change["new"])
        except (TypeError, ValueError) as error:
            self._say(str(error), error=True)
            self._sync_weight_slider()
            return
        self._record_loss()
        self._refresh(derive=True)

    # -- messages from the browser ---------------------------------------------------------

    def _on_view_message(self, _widget, content, _buffers) -> None:
        try:
            if not isinstance(content, dict):
                raise ValueError("message must be an object")
            kind = content.get("type")
            if kind == "select":
                self.selected = self.net.check_parameter(*_parse_weight(content.get("weight")))
            elif kind == "resize":
                self._resize_layer(content.get("layer"), content.get("delta"))
            else:
                raise ValueError(f"unknown message type {kind!r}")
        except (TypeError, ValueError, traitlets.TraitError) as error:
            self._say(f"Refused: {error}", error=True)
            return
        self._say("")

    def _resize_layer(self, layer, delta) -> None:
        sizes = self.net.sizes
        layer = check.integer(layer, "layer")
        if not 0 < layer < len(sizes) - 1:
            raise ValueError(f"layer must be a hidden layer 1 … {len(sizes) - 2}; got {layer}")
        if delta not in (-1, 1):
            raise ValueError(f"delta must be -1 or 1; got {delta!r}")
        hidden = sizes[1:-1]
        hidden[layer - 1] += delta
        self._set_hidden(hidden)

    def _change_hidden(self, add_layer: bool) -> None:
        hidden = self.net.sizes[1:-1]
        if not add_layer and not hidden:
            self._say("Refused: there is no hidden layer to remove", error=True)
            return
        hidden = hidden + [hidden[-1] if hidden else 2] if add_layer else hidden[:-1]
        try:
            self._set_hidden(hidden)
        except ValueError as error:
            self._say(f"Refused: {error}", error=True)

    def _on_hidden_text(self, change) -> None:
        if self._updating:
            return
        try:
            self._set_hidden(parse_hidden(change["new"]))
        except ValueError as error:
            self._set_hidden_text(change["old"])
            self._say(f"Refused: {error}", error=True)

    def _set_hidden_text(self, text: str) -> None:
        self._updating = True
        try:
            self.hidden_text.value = text
        finally:
            self._updating = False

    def _set_hidden(self, hidden: list[int]) -> None:
        """Change the hidden layers after checking the limits; nothing changes when refused."""
        check_hidden(hidden)
        self._set_hidden_text(", ".join(map(str, hidden)))
        if hidden != self.net.sizes[1:-1]:  # the same layers typed again keep the training
            self._rebuild()

    # -- teaching views -------------------------------------------------------------------

    @property
    def demo(self):
        """The step-through demo (``StepThrough``) of this playground's network, built on first
        use; it restarts from "Receive input" whenever the network or the data change."""
        if self._demo is None:
            from ..demo import StepThrough

            self._demo = StepThrough(
                self.net,
                self.X,
                self.Y,
                self.learning_rate,
                self.selected,
                on_update=lambda: self._refresh(derive=True, sync_demo=False),
                instance=self.instance_slider.value,
            )
            self.demo_box.children = [self._demo]
        return self._demo

    def _sync_teaching_views(self) -> None:
        """Bring the open teaching views up to date with the network (cheap when closed)."""
        if self.panels.selected_index == 0 or self._demo is not None:
            demo = self.demo
            demo.net, demo.X, demo.Y = self.net, self.X, self.Y
            demo.learning_rate, demo.selected = self.learning_rate, self.selected
            demo.restart(min(self.instance_slider.value, len(self.X) - 1))

    # -- what the views show -------------------------------------------------------------

    def _say(self, text: str, error: bool = False) -> None:
        kind = "bw-error" if error else "bw-info"
        self.message.value = f'<span class="{kind}">{html.escape(text)}</span>' if text else ""

    def _refresh(
        self, derive: bool = False, immediately: bool = False, sync_demo: bool = True
    ) -> None:
        """Send the current numbers to the views in one message; update the derivation and,
        unless training is running, the open teaching views."""
        n = self.instance_slider.value
        x, y = self.X[n], self.Y[n]
        trace = self.net.trace(x, y)
        # ∂E/∂θ of this instance from its trace: −δ^(l+1) (a^l)ᵀ, and −δ^(l+1) for biases.
        L = self.net.n_layers
        dW = [-np.outer(trace.delta[l + 1], trace.a[l]) for l in range(L - 1)]
        db = [-trace.delta[l + 1] * self.net.bias for l in range(L - 1)]
        loss = self.net.loss(self.X, self.Y)
        with self.network.hold_sync():
            self.network.weights = [W.tolist() for W in self.net.weights]
            self.network.biases = [b.tolist() for b in self.net.biases]
            self.network.grad_weights = [g.tolist() for g in dW]
            self.network.grad_biases = [g.tolist() for g in db]
            self.network.a = [a.tolist() for a in trace.a]
            self.network.z = [[]] + [z.tolist() for z in trace.z[1:]]
            self.network.instance_label = f"instance n = {n}"
            self.network.epoch = self.epoch
            self.network.loss = loss
        with self.loss_view.hold_sync():
            self.loss_view.train = list(self.train_history.points)
            self.loss_view.test = list(self.test_history.points)
        self._refresh_slice()
        self.surface.request_update()
        self.status.value = (
            f"epoch <b>{self.epoch}</b> · updates {self.updates} · E = {loss:.5g}"
            + (
                f" · test E = {self.net.loss(self.X_test, self.Y_test):.5g}"
                if len(self.X_test)
                else ""
            )
        )
        # While training plays, the θ slider follows 5 times a second: it is read, not watched.
        now = time.perf_counter()
        slider_due = not self.playing or now - self._last_slider >= 0.2
        if self.selected is not None and not self._updating and slider_due:
            self._last_slider = now
            self._updating = True
            try:
                value = self.net.get_parameter(*self.selected)
                if abs(value) > self.weight_slider.max:
                    self._sync_weight_slider()
                self._show_weight(value)
            finally:
                self._updating = False
        if derive:
            self._schedule_derivation(immediately)
        if sync_demo and not self.playing:
            self._sync_teaching_views()

    def _refresh_slice(self) -> None:
        """E over the next update's instances against the selected weight, with the step that
        update takes (at most 5 times a second while training plays)."""
        now = time.perf_counter()
        if self.playing and now - self._last_slice < 0.2:
            return
        self._last_slice = now
        batch = self._next_batch()
        if batch.stop - batch.start == len(self.X):
            label = "all training instances"
        elif batch.stop - batch.start == 1:
            label = f"the next update's instance n = {batch.start}"
        else:
            label = f"the next update's batch, instances {batch.start} … {batch.stop - 1}"
        self.slice_view.data_label = label
        self.slice_view.update(net=self.net, X=self.X[batch], Y=self.Y[batch])

    def _schedule_derivation(self, immediately: bool) -> None:
        """Typesetting is the slow part: coalesce requests that come within 0.15 s."""
        if self._derive_handle is not None:
            self._derive_handle.cancel()
            self._derive_handle = None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if immediately or loop is None:
            self._show_derivation()
        else:
            self._derive_handle = loop.call_later(0.15, self._show_derivation)

    def _show_derivation(self) -> None:
        from ..derivation_panel import derivation_html

        self._derive_handle = None
        self._last_derivation = time.perf_counter()
        n = self.instance_slider.value
        self.derivation.value = derivation_html(
            self.net, self.selected, self.X[n], self.Y[n], n, self.learning_rate
        )

    # -- files and pictures ---------------------------------------------------------------

    def save(self, path) -> None:
        """Write this playground (settings, weights, selection, place in training) as JSON, so
        a lecturer can hand a class the exact worked example."""
        from .files import save_state

        save_state(self, path)

    @classmethod
    def load(cls, path) -> Playground:
        """A playground exactly as ``save`` wrote it; a bad file raises ValueError or TypeError
        and creates nothing."""
        from .files import apply_state, load_state, playground_kwargs

        state = load_state(path)
        pg = cls(**playground_kwargs(state))
        apply_state(pg, state)
        return pg

    def _save_from_ui(self) -> None:
        path = self.file_text.value.strip()
        try:
            self.save(path)
        except (OSError, TypeError, ValueError) as error:
            self._say(f"Could not save: {error}", error=True)
            return
        self._say(f"Saved to {path} (in the notebook's folder): settings, weights, η, mode.")

    def _load_from_ui(self) -> None:
        """Load the file named in the box into this playground; a bad file changes nothing."""
        from .files import apply_state, load_state

        path = self.file_text.value.strip()
        try:
            apply_state(self, load_state(path))
        except (OSError, TypeError, ValueError) as error:
            self._say(f"Could not load {path}: {error}", error=True)
            return
        self._say(f"Loaded {path}.")

    def _repr_mimebundle_(self, **kwargs):
        """The widget, and a picture of the network for where no kernel runs (nbviewer)."""
        from ..static_image import mimebundle_with_image, playground_png

        bundle = super()._repr_mimebundle_(**kwargs)
        try:
            png = playground_png(self)
        except Exception:  # noqa: BLE001 - the live widget matters more than its picture
            return bundle
        return mimebundle_with_image(bundle, png)

    def __repr__(self) -> str:
        return (
            f"Playground({self.net!r}, dataset={self.dataset_select.value!r}, "
            f"learning_rate={self.learning_rate}, mode={self.mode_select.value!r}, "
            f"epoch={self.epoch}, selected={self.selected})"
        )
