"""The playground: a network to touch, train and take apart, in one widget.

It is assembled from parts that each do one thing (see ``docs/architecture.md``):

- ``Settings`` (settings.py): every choice, checked once; ``Controls`` (controls.py): the
  widgets, linked to the settings, and their layout;
- a ``TrainingSession`` (engine/session.py): network, data, the books of training;
- ``Player`` (player.py): training in the background, frame by frame;
- ``Selection`` (selection.py): the selected θ, its slider and that slider's echo filter,
  and the clicks on the diagram; ``HiddenLayers`` (layers.py): editing the architecture;
- ``Presenter`` (presenter.py): the session's numbers sent to the views;
- files.py: save and load through this class's public state.

This class wires them: it turns a change of a setting, a click or a message from the browser
into a change of the session, and asks the presenter to show it.
"""

from __future__ import annotations

import html
import inspect

import ipywidgets as w
import traitlets

from ...engine import datasets
from ...engine import validation as check
from ..demo import StepThrough
from ..fallback import Pictured, playground_picture
from . import files, sources
from .controls import Controls
from .layers import HiddenLayers
from .player import Player
from .presenter import Presenter
from .rate import LearningRateBox
from .selection import Selection
from .settings import (  # noqa: F401 - also importable from here, their home until 0.1
    ACTIVATION_NAMES,
    ARGUMENTS,
    MAX_LAYERS,
    MAX_NEURONS,
    MAX_SEED,
    MODES,
    SettingError,
    Settings,
    check_hidden,
    check_speed,
    parse_hidden,
    restart_words,
    slider_learning_rate,
    with_play_options,
)
from .your_data import YourData

DATA = ("dataset", "noise", "test_fraction", "n")  # settings whose change means new data
NETWORK = ("activation", "output_activation", "loss", "seed", "hidden")  # … a new network
MODE = ("mode", "batch_size")  # … another way to go through the same epoch


class Playground(Pictured, files.Saving, w.VBox):
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
    net : MLP, optional
        Your own network, shown and trained as it is (``pg.net is net``): its sizes,
        activations and weights; Reset returns to the weights it had when given.
    X, Y : array-likes, optional
        Your own data instead of a dataset (``X`` a DataFrame with ``target="column"`` too);
        see ``set_data``.
    epochs_per_second, cpu_share : how Play runs (see ``Player``): epochs per second, two-way
        with the speed dial (None: as fast as it goes); the share of one core it may use.

    The settings (all but how Play runs) are checked by ``Settings`` and become ``pg.settings``.

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

    The controls and views are attributes too (``pg.lr_slider``; see ``Controls``).
    """

    selected = traitlets.Any(None, allow_none=True)
    playing = traitlets.Bool(False)
    learning_rate = traitlets.Float(0.5, help="η, two-way with the η slider (1e-3 … 10)")
    epoch = traitlets.Int(0, help="Epochs done (the session's)")
    epochs_per_second = traitlets.Any(
        None, help="How fast Play trains, in epochs per second; None: as fast as it goes"
    )

    def __init__(
        self, *args, epochs_per_second=None, cpu_share=None, net=None, X=None, Y=None,
        target=None, **kwargs,
    ) -> None:  # fmt: skip
        self.settings, self._given = sources.settings_of(args, kwargs, net, X, Y, target)
        speed = check_speed(epochs_per_second)
        player = Player(self, cpu_share)  # checks cpu_share before anything is built
        self.learning_rate = self.settings.learning_rate
        traitlets.link((self, "learning_rate"), (self.settings, "learning_rate"))
        self.controls = Controls(self.settings)
        self.epochs_per_second = self.controls.speed_dial.value = speed
        traitlets.link((self, "epochs_per_second"), (self.controls.speed_dial, "value"))
        super().__init__(children=self.controls.children)
        self.add_class("bw-playground")
        self.selection = Selection(self)
        refuse = self.controls.refused = lambda text: self.say(f"Refused: {text}", True)
        self.controls.reconfigure = lambda said, **s: (self.configure(**s), self.say(said))
        self.layers = HiddenLayers(self.settings, self.controls.hidden_text, refuse)
        self.rate_box = LearningRateBox(
            self.settings, self.controls.lr_input, self.controls.lr_presets, self.say
        )
        self.presenter = Presenter(self)
        self.your_data = YourData(self)
        self.player = player
        self._quiet = False  # True while the playground changes its own settings and controls
        self._build(data=True)
        self._connect()

    __init__.__signature__ = with_play_options(inspect.signature(Settings.__init__))  # for help()

    def __getattr__(self, name: str):
        """The controls and views, as attributes of the playground (``pg.lr_slider``)."""
        controls = self.__dict__.get("controls")
        if controls is not None and name in vars(controls):
            return getattr(controls, name)
        raise AttributeError(f"'Playground' object has no attribute {name!r}")

    def _connect(self) -> None:
        c = self.controls
        c.network.on_msg(self.selection.on_diagram_message)
        c.play_button.on_click(lambda _: self.pause() if self.playing else self.play())
        c.step_button.on_click(lambda _: self.player.guarded(self.step))
        c.epoch_button.on_click(lambda _: self.player.guarded(self.step_epoch))
        c.reset_button.on_click(lambda _: self.reset())
        c.add_layer_button.on_click(lambda _: self.layers.change(add_layer=True))
        c.remove_layer_button.on_click(lambda _: self.layers.change(add_layer=False))
        c.save_button.on_click(lambda _: self.say(*files.save_from_ui(self)))
        c.load_button.on_click(lambda _: self.say(*files.load_from_ui(self)))
        c.instance_slider.observe(self.presenter.instance_moved, "value")
        c.panels.observe(lambda _: self.presenter.panel_opened(), "selected_index")
        c.derivation.observe(lambda _: self.presenter.derivation.request(True), "show_sympy")
        self.settings.observe(self._on_setting, list(ARGUMENTS))
        self.observe(self.selection.changed, "selected")
        self.observe(self.player.playing_changed, "playing")

    # -- the session's parts, as attributes ------------------------------------------------

    net = property(lambda self: self.session.net, doc="The live MLP being trained.")
    X = property(lambda self: self.session.X, doc="Training inputs, (N, sizes[0]).")
    Y = property(lambda self: self.session.Y, doc="Training targets, (N, sizes[-1]).")
    X_test = property(lambda self: self.session.X_test, doc="Test inputs (none: 0 rows).")
    Y_test = property(lambda self: self.session.Y_test, doc="Test targets.")
    updates = property(lambda self: self.session.updates, doc="Updates made.")
    train_history = property(lambda self: self.session.train_history)
    test_history = property(lambda self: self.session.test_history)
    batch_size = property(lambda self: self.settings.updates_batch, doc="1, k or None.")
    instance = property(lambda self: self.controls.instance_slider.value, doc="Instance shown.")
    play_stats = property(lambda self: self.player.stats, doc="Frames, updates and seconds.")
    slice_view = property(lambda self: self.presenter.slice_view, doc="The E(θ) slice.")
    weights_table = property(lambda self: self.presenter.weights_table, doc="θ, exactly.")
    surface = property(lambda self: self.presenter.surface, doc="The decision surface.")

    # -- building from the settings --------------------------------------------------------

    def _build(self, data: bool = False) -> None:
        """A fresh network from the settings, on new data when ``data`` is true."""
        old = self.__dict__.get("session")
        keep = None if data or old is None else (old.X, old.Y, old.X_test, old.Y_test)
        was_quiet, self._quiet = self._quiet, True
        try:
            self.session = self.settings.session(keep, self._given)
            self.controls.show_settings(self.settings, len(self.X))
            if data:
                self.controls.instance_slider.value = datasets.first_informative(self.X)
        finally:
            self._quiet = was_quiet
        try:
            self.selected = self.selected  # checked against the new network
        except ValueError:
            self.selected = None  # that weight no longer exists
        self.presenter.attach()
        self._show(derive=True)

    def _rebuild(self, data: bool = False, said: str = "") -> None:
        self.pause()
        try:
            self._build(data)
        except (TypeError, ValueError) as error:
            self.say(str(error), error=True)
            return
        self.say(said)

    def set_data(self, X, Y=None, target=None) -> None:
        """Train on your own data: ``X`` (N, d) and ``Y`` (N, k) or (N,), or ``X`` a DataFrame
        and ``target`` its target column(s). A network sized for it starts again; bad data
        raises naming the row and column, and nothing changes."""
        self.your_data.set(X, Y, target)

    def configure(self, **settings) -> None:
        """Change several settings at once (``pg.configure(dataset="moons", hidden=[4])``),
        then build once. A bad value raises and changes nothing; training is paused."""
        checked = self.settings.checked(**settings)  # raises before anything changes
        self.pause()
        self._quiet = True
        try:
            self.settings.own = checked.own
            self.controls.show_datasets(checked, checked.dataset)  # the menu, with your data
            self.settings.update(checked)
        finally:
            self._quiet = False
        self._rebuild(data=True)

    def _on_setting(self, change) -> None:
        if self._quiet:
            return
        name = change["name"]
        if name in DATA:
            self._rebuild(data=True)
        elif name in NETWORK:
            sizes = [self.X.shape[1], *self.settings.hidden, self.Y.shape[1]]
            self._rebuild(said=restart_words(name, self.settings, self.epoch, sizes))
        elif name in MODE:
            self._quiet = True
            try:
                self.settings.fit_batch_size(len(self.X))
                self.controls.show_settings(self.settings, len(self.X))
            finally:
                self._quiet = False
            self.session.change_batch_size(self.settings.updates_batch)
            self._show(derive=True)  # another batch, and another update to derive for
        else:
            self.session.learning_rate = change["new"]
            self.presenter.show_learning_rate()

    # -- training --------------------------------------------------------------------------

    def step(self) -> None:
        """One update: one instance online, one batch otherwise (the next in the epoch); the
        diagram animates it (``Player.animated``)."""
        self.session.step()
        self.presenter.follow_next_update()
        self.player.animated(lambda: self._show(derive=True))

    def step_epoch(self) -> None:
        """Finish the current epoch (or run a whole one)."""
        self.train(1)

    def train(self, epochs: int) -> None:
        """Train ``epochs`` epochs (finishing a part-done one first) and show where it got to;
        on divergence ``DivergenceError`` is raised with the books of what was done kept."""
        try:
            self.session.train(check.integer(epochs, "epochs", minimum=1))
        finally:
            self.presenter.follow_next_update()
            self._show(derive=True)

    def play(self) -> None:
        """Start training in the background (an asyncio task in the kernel)."""
        self.say("")
        self.playing = True

    def pause(self) -> None:
        """Stop training after the current chunk (within one frame)."""
        self.playing = False

    def reset(self) -> None:
        """Back to the initial weights of the current seed; the history starts again."""
        self.pause()
        self._build()
        self.say(f"Reset to the initial weights of seed {self.settings.seed}.")

    # -- selection, the θ slider, messages from the browser --------------------------------

    @traitlets.validate("epochs_per_second")
    def _valid_speed(self, proposal):
        return check_speed(proposal["value"])

    @traitlets.validate("learning_rate")
    def _valid_learning_rate(self, proposal):
        return slider_learning_rate(proposal["value"])

    @traitlets.observe("epoch")
    def _on_epoch(self, change) -> None:
        if "session" in self.__dict__:
            self.session.epoch = change["new"]  # the presenter mirrors it the other way

    @traitlets.validate("selected")
    def _valid_selected(self, proposal):
        return self.selection.check(proposal["value"])

    # -- what the views show ---------------------------------------------------------------

    def say(self, text: str, error: bool = False) -> None:
        """Show ``text`` in the message line (an error in the error colour; "" clears it)."""
        kind = "bw-error" if error else "bw-info"
        self.message.value = f'<span class="{kind}">{html.escape(text)}</span>' if text else ""

    def refresh(self, immediately: bool = True, derive: bool = True) -> None:
        """Show the current numbers in every view, the derivation too (at once, or when no
        other refresh follows within 0.15 s): after the network was changed by hand,
        ``pg.net.weights[0][...] = …``."""
        self._show(derive=derive, immediately=immediately)

    def _show(self, derive: bool = False, immediately: bool = False) -> None:
        """Every view up to date; the open demo too, unless training plays."""
        if self._quiet:
            return
        self.presenter.show(derive, immediately)
        if not self.playing:
            self.presenter.sync_demo()

    @property
    def demo(self) -> StepThrough:
        """The step-through demo of this playground's network, built on first use; it restarts
        from "Receive input" whenever the network or the data change."""
        return self.presenter.demo

    # -- pictures (save and load: ``files.Saving``) -------------------------------------------

    _fallback_picture_ = playground_picture  # shown where no kernel runs (fallback.Pictured)

    def __repr__(self) -> str:
        return (
            f"Playground({self.net!r}, dataset={self.settings.dataset!r}, "
            f"learning_rate={self.learning_rate}, mode={self.settings.mode!r}, "
            f"epoch={self.epoch}, selected={self.selected})"
        )
