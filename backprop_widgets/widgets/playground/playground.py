"""The playground: a network to touch, train and take apart, in one widget.

It is assembled from parts that each do one thing (see ``docs/architecture.md``):

- ``Settings`` (settings.py): every choice, checked once; ``Controls`` (controls.py): the
  widgets, linked to the settings, and their layout;
- a ``TrainingSession`` (engine/session.py): network, data, the books of training;
- ``Player`` (player.py): training in the background, frame by frame;
- ``WeightSlider`` (selection.py): the selected θ's slider and its echo filter;
- ``Presenter`` (presenter.py): the session's numbers sent to the views;
- files.py: save and load through this class's public state.

This class wires them: it turns a change of a setting, a click or a message from the browser
into a change of the session, and asks the presenter to show it.
"""

from __future__ import annotations

import html

import ipywidgets as w
import numpy as np
import traitlets

from ...engine.mlp import MLP
from ...engine.session import TrainingSession
from ...engine.validation import DivergenceError
from ...notation import Parameter
from ..demo import StepThrough
from . import files
from .controls import Controls
from .player import Player
from .presenter import Presenter
from .selection import WeightSlider
from .settings import ARGUMENTS, SettingError, Settings, hidden_text, parse_hidden

DATA = ("dataset", "noise", "test_fraction", "n")  # settings whose change means new data
NETWORK = ("activation", "output_activation", "seed", "hidden")  # … a new network
MODE = ("mode", "batch_size")  # … another way to go through the same epoch


def first_informative(X: np.ndarray) -> int:
    """The first instance with no zero input (else 0): at x = 0 every first-layer gradient is
    0, which makes a poor first derivation to show (XOR's first instance is (0, 0))."""
    nonzero = np.flatnonzero(np.all(X != 0, axis=1))
    return int(nonzero[0]) if len(nonzero) else 0


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
    noise, test_fraction, n, batch_size : dataset and mini-batch settings.

    Attributes
    ----------
    net : MLP
        The live network being trained.
    selected : tuple or None
        ``(l, i, j)`` or ``(l, i, "bias")`` of the clicked weight.
    settings : Settings
        Every setting; ``configure`` changes several at once.
    session : TrainingSession
        The network, the data and the books of training (epoch, updates, loss histories).

    The controls and views are attributes too (``play_button``, ``lr_slider``, ``network``,
    ``derivation``, …; see ``Controls``).
    """

    selected = traitlets.Any(None, allow_none=True)
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
        self.settings = Settings(
            dataset, hidden, activation, output_activation, learning_rate, mode, seed, noise,
            test_fraction, n, batch_size,
        )  # fmt: skip
        self.controls = Controls(self.settings)
        super().__init__(children=self.controls.children)
        self.add_class("bw-playground")
        self.weight = WeightSlider(self.controls.weight_slider, self._edit_weight)
        self.presenter = Presenter(self)
        self.player = Player(
            lambda: self.session, lambda: self.playing, self.presenter.show_frame, self._stopped
        )
        self._demo: StepThrough | None = None
        self._quiet = False  # True while the playground changes its own settings and controls
        self._build(data=True)
        self._connect()

    def __getattr__(self, name: str):
        """The controls and views, as attributes of the playground (``pg.lr_slider``)."""
        controls = self.__dict__.get("controls")
        if controls is not None and name in vars(controls):
            return getattr(controls, name)
        raise AttributeError(f"'Playground' object has no attribute {name!r}")

    def _connect(self) -> None:
        c = self.controls
        c.network.on_msg(self._on_view_message)
        c.play_button.on_click(lambda _: self.pause() if self.playing else self.play())
        c.step_button.on_click(lambda _: self._guarded(self.step))
        c.epoch_button.on_click(lambda _: self._guarded(self.step_epoch))
        c.reset_button.on_click(lambda _: self.reset())
        c.add_layer_button.on_click(lambda _: self._change_hidden(add_layer=True))
        c.remove_layer_button.on_click(lambda _: self._change_hidden(add_layer=False))
        c.save_button.on_click(lambda _: self._say(*files.save_from_ui(self)))
        c.load_button.on_click(lambda _: self._say(*files.load_from_ui(self)))
        c.hidden_text.observe(self._on_hidden_text, "value")
        c.instance_slider.observe(lambda _: self._show(derive=True), "value")
        c.panels.observe(lambda _: self._sync_demo(), "selected_index")
        self.settings.observe(self._on_setting, list(ARGUMENTS))
        self.observe(self._on_selected, "selected")
        self.observe(self._on_playing, "playing")

    # -- the session's parts, as attributes ------------------------------------------------

    net = property(lambda self: self.session.net, doc="The live MLP being trained.")
    X = property(lambda self: self.session.X, doc="Training inputs, (N, sizes[0]).")
    Y = property(lambda self: self.session.Y, doc="Training targets, (N, sizes[-1]).")
    X_test = property(lambda self: self.session.X_test, doc="Test inputs (none: 0 rows).")
    Y_test = property(lambda self: self.session.Y_test, doc="Test targets.")
    epoch = property(lambda self: self.session.epoch, doc="Epochs done.")
    updates = property(lambda self: self.session.updates, doc="Updates made.")
    train_history = property(lambda self: self.session.train_history)
    test_history = property(lambda self: self.session.test_history)
    batch_size = property(lambda self: self.settings.updates_batch, doc="1, k or None.")
    instance = property(lambda self: self.controls.instance_slider.value, doc="Instance shown.")
    play_stats = property(lambda self: self.player.stats, doc="Frames, updates and seconds.")
    slice_view = property(lambda self: self.presenter.slice_view, doc="The E(θ) slice.")
    surface = property(lambda self: self.presenter.surface, doc="The decision surface.")

    @property
    def learning_rate(self) -> float:
        """η, two-way with the η slider (1e-3 … 10)."""
        return self.settings.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self.settings.learning_rate = value

    # -- building from the settings --------------------------------------------------------

    def _build(self, data: bool = False) -> None:
        """A fresh network from the settings (same seed, same initial weights), on new data
        when ``data`` is true."""
        s, old = self.settings, self.__dict__.get("session")
        X, Y, X_test, Y_test = (
            s.data() if data or old is None else (old.X, old.Y, old.X_test, old.Y_test)
        )
        was_quiet, self._quiet = self._quiet, True
        try:
            s.batch_size = min(s.batch_size, max(2, len(X)))
            net = MLP(
                s.sizes(X.shape[1], Y.shape[1]), s.activation, s.output_activation, seed=s.seed
            )
            self.session = TrainingSession(
                net, X, Y, X_test, Y_test, s.learning_rate, s.updates_batch
            )
            self.controls.show_settings(s, len(X))
            if data:
                self.controls.instance_slider.value = first_informative(X)
        finally:
            self._quiet = was_quiet
        if self.selected is not None:
            try:
                net.check_parameter(*self.selected)
            except (TypeError, ValueError):
                self.selected = None  # that weight no longer exists
        self.presenter.attach()
        self._show(derive=True)

    def _rebuild(self, data: bool = False) -> None:
        self.pause()
        try:
            self._build(data)
        except (TypeError, ValueError) as error:
            self._say(str(error), error=True)
            return
        self._say("")

    def configure(self, **settings) -> None:
        """Change several settings at once (``pg.configure(dataset="moons", hidden=[4])``),
        then build once. A bad value raises and changes nothing; training is paused."""
        unknown = sorted(set(settings) - set(ARGUMENTS))
        if unknown:
            raise TypeError(f"configure() got unknown setting(s) {unknown}; known: {ARGUMENTS}")
        checked = Settings(**{**self.settings.as_dict(), **settings})  # raises before any change
        self.pause()
        self._quiet = True
        try:
            for name in ARGUMENTS:
                setattr(self.settings, name, getattr(checked, name))
        finally:
            self._quiet = False
        self._set_hidden_text()
        self._rebuild(data=True)

    def _on_setting(self, change) -> None:
        if self._quiet:
            return
        name = change["name"]
        if name in DATA:
            self._rebuild(data=True)
        elif name in NETWORK:
            self._set_hidden_text()
            self._rebuild()
        elif name in MODE:
            self.controls.show_settings(self.settings, len(self.X))
            self.session.batch_size = self.settings.updates_batch
            self.session.cursor = 0
            self._show()
        else:  # learning_rate
            self.session.learning_rate = change["new"]
            self.slice_view.learning_rate = change["new"]
            if not self.playing:
                self._sync_demo()  # the demo's Δθ = η δ a
            if self.selected is not None:
                self.presenter.derivation.request()  # it shows Δθ = −η ∂E/∂θ

    # -- training --------------------------------------------------------------------------

    def step(self) -> None:
        """One update: one instance online, one batch otherwise (the next in the epoch)."""
        self.session.step()
        self._show(derive=True)

    def step_epoch(self) -> None:
        """Finish the current epoch (or run a whole one)."""
        self.session.train(1)
        self._show(derive=True)

    def play(self) -> None:
        """Start training in the background (an asyncio task in the kernel)."""
        self._say("")
        self.playing = True

    def pause(self) -> None:
        """Stop training after the current chunk (within one frame)."""
        self.playing = False

    def reset(self) -> None:
        """Back to the initial weights of the current seed; the history starts again."""
        self.pause()
        self._build()
        self._say(f"Reset to the initial weights of seed {self.settings.seed}.")

    def _on_playing(self, change) -> None:
        self.controls.show_playing(change["new"])
        if change["new"] and not self.player.start():
            self.playing = False
            self._say(
                "Play trains in the background of a Jupyter kernel, and none is running "
                "here; use Step, Epoch or pg.net.fit() instead.",
                error=True,
            )

    def _stopped(self, error: BaseException | None) -> None:
        """Play ended: paused, diverged, or failed; show the final numbers and say why."""
        self.playing = False
        self._show(derive=True, immediately=error is None)
        if isinstance(error, DivergenceError):
            self._say(f"Paused: {error}", error=True)
        elif error is not None:
            self._say(f"Paused: {type(error).__name__}: {error}", error=True)

    def _guarded(self, action) -> None:
        try:
            action()
        except DivergenceError as error:
            self._show(derive=True)
            self._say(str(error), error=True)
            return
        except (TypeError, ValueError) as error:  # e.g. a NaN weight set by hand
            self._say(f"Refused: {error}", error=True)
            return
        self._say("")

    # -- selection, the θ slider, messages from the browser --------------------------------

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

    def _on_selected(self, change) -> None:
        if change["new"] is None:
            self.slice_view.parameter = None
        self.presenter.slice_throttle.reset()
        self.weight.show(self.net, change["new"])
        self._show(derive=True, immediately=True)

    def _edit_weight(self, value: float) -> None:
        try:
            self.net.set_parameter(*self.selected, value)
        except (TypeError, ValueError) as error:
            self._say(str(error), error=True)
            self.weight.show(self.net, self.selected)
            return
        self.session.record_loss()
        self._show(derive=True)

    def _on_view_message(self, _widget, content, _buffers) -> None:
        try:
            if not isinstance(content, dict):
                raise ValueError("message must be an object")
            kind = content.get("type")
            if kind == "select":
                self.selected = self.net.check_parameter(*Parameter.parse(content.get("weight")))
            elif kind == "resize":
                self._resize_layer(content.get("layer"), content.get("delta"))
            else:
                raise ValueError(f"unknown message type {kind!r}")
        except (TypeError, ValueError, traitlets.TraitError) as error:
            self._say(f"Refused: {error}", error=True)
            return
        self._say("")

    # -- hidden layers ---------------------------------------------------------------------

    def _resize_layer(self, layer, delta) -> None:
        hidden = list(self.settings.hidden)
        if not isinstance(layer, int) or isinstance(layer, bool) or not 0 < layer <= len(hidden):
            raise ValueError(f"layer must be a hidden layer 1 … {len(hidden)}; got {layer!r}")
        if delta not in (-1, 1):
            raise ValueError(f"delta must be -1 or 1; got {delta!r}")
        hidden[layer - 1] += delta
        self.settings.hidden = hidden

    def _change_hidden(self, add_layer: bool) -> None:
        hidden = list(self.settings.hidden)
        if not add_layer and not hidden:
            self._say("Refused: there is no hidden layer to remove", error=True)
            return
        try:
            self.settings.hidden = (
                hidden + [hidden[-1] if hidden else 2] if add_layer else hidden[:-1]
            )
        except ValueError as error:
            self._say(f"Refused: {error}", error=True)

    def _on_hidden_text(self, change) -> None:
        if self._quiet:
            return
        try:
            self.settings.hidden = parse_hidden(change["new"])
        except ValueError as error:
            self._say(f"Refused: {error}", error=True)
        self._set_hidden_text()

    def _set_hidden_text(self) -> None:
        was_quiet, self._quiet = self._quiet, True
        try:
            self.controls.hidden_text.value = hidden_text(self.settings.hidden)
        finally:
            self._quiet = was_quiet

    # -- what the views show ---------------------------------------------------------------

    def _say(self, text: str, error: bool = False) -> None:
        kind = "bw-error" if error else "bw-info"
        self.message.value = f'<span class="{kind}">{html.escape(text)}</span>' if text else ""

    def refresh(self) -> None:
        """Show the current numbers in every view, the derivation too: after the network was
        changed by hand (``pg.net.weights[0][...] = …``)."""
        self._show(derive=True, immediately=True)

    def _show(self, derive: bool = False, immediately: bool = False) -> None:
        """Every view up to date; the open demo too, unless training plays."""
        if self._quiet:
            return
        self.presenter.show(derive, immediately)
        if not self.playing:
            self._sync_demo()

    @property
    def demo(self) -> StepThrough:
        """The step-through demo of this playground's network, built on first use; it restarts
        from "Receive input" whenever the network or the data change."""
        if self._demo is None:
            self._demo = StepThrough(
                self.net,
                self.X,
                self.Y,
                self.learning_rate,
                self.selected,
                on_update=lambda: self.presenter.show(derive=True),
                instance=self.instance,
            )
            self.controls.demo_box.children = [self._demo]
        return self._demo

    def _sync_demo(self) -> None:
        """Bring the demo up to date with the network, when it is open or was built."""
        if self.controls.panels.selected_index == 0 or self._demo is not None:
            demo = self.demo
            demo.net, demo.X, demo.Y = self.net, self.X, self.Y
            demo.learning_rate, demo.selected = self.learning_rate, self.selected
            demo.restart(min(self.instance, len(self.X) - 1))

    # -- files and pictures ----------------------------------------------------------------

    def save(self, path) -> None:
        """Write this playground (settings, weights, selection, place in training) as JSON, so
        a lecturer can hand a class the exact worked example."""
        files.save_state(self, path)

    @classmethod
    def load(cls, path) -> Playground:
        """A playground exactly as ``save`` wrote it; a bad file raises ValueError or TypeError
        and creates nothing."""
        state = files.load_state(path)
        pg = cls(**files.playground_kwargs(state))
        files.apply_state(pg, state)
        return pg

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
            f"Playground({self.net!r}, dataset={self.settings.dataset!r}, "
            f"learning_rate={self.learning_rate}, mode={self.settings.mode!r}, "
            f"epoch={self.epoch}, selected={self.selected})"
        )
