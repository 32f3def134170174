"""The playground's controls and their layout: ipywidgets built, linked to the settings, placed.

Nothing here reacts to anything: ``Controls`` makes the widgets, ties each setting's control to
its trait of ``Settings`` (so a control can never hold a value the settings refuse), and lays
them out. The playground decides what a change means.
"""

from __future__ import annotations

import collections
import math

import ipywidgets as w
import traitlets

from ...engine import datasets
from ...engine.losses import LOSSES
from ..derivation_panel import DerivationView
from ..views import LossView, NetworkView
from .settings import (
    ACTIVATION_NAMES,
    LOSS_NAMES,
    MAX_NEURONS,
    MAX_SEED,
    MODES,
    OUTPUT_NAMES,
    OWN,
    Settings,
    dragged_learning_rate,
    hidden_text,
)
from .speed_dial import SpeedDial
from .text_box import TextBox, WholeNumberBox

OWN_LABEL = "your data"  # the dataset menu's name of your own data
LEARNING_RATE_PRESETS = ("0.01", "0.1", "0.5", "1", "3")
# The views beside the diagram, one tab each (``Controls.views``).
VIEW_TITLES = ("Loss", "∂E/∂θ", "E(θ)", "ŷ(x)")
LOSS_TAB, DERIVATION_TAB, SLICE_TAB, SURFACE_TAB = range(4)


def _button(description: str, icon: str, hook: str, **kwargs) -> w.Button:
    button = w.Button(description=description, icon=icon, layout=w.Layout(width="auto"), **kwargs)
    button.add_class(hook)
    return button


def _hooked(widget: w.Widget, hook: str) -> w.Widget:
    """``widget`` with the DOM hook class ``hook`` (``bw-lr``, …) that tests and CSS use."""
    widget.add_class(hook)
    return widget


def dataset_options(settings: Settings) -> list:
    """The dataset menu: the named datasets, and your own data once there is some."""
    options = [(name, name) for name in datasets.NAMES]
    return options + ([(OWN_LABEL, OWN)] if settings.own is not None else [])


def _row(*children, **layout) -> w.HBox:
    return w.HBox(list(children), layout=w.Layout(flex_flow="row wrap", **layout))


class Controls:
    """Every control and view of a playground, laid out in ``children``.

    The attribute names are the playground's public ones (``pg.play_button``, ``pg.network``,
    …); the DOM hooks (``bw-play``, ``bw-lr``, …) are the classes the browser tests use.
    """

    def __init__(self, settings: Settings) -> None:
        narrow = {"description_width": "110px"}
        self.network = NetworkView(max_neurons=MAX_NEURONS, layout=w.Layout(width="100%"))
        self.loss_view = LossView(layout=w.Layout(width="100%"))
        # Fixed width, one line: the numbers growing while training plays move nothing.
        self.status = _hooked(w.HTML(layout=w.Layout(margin="0 0 0 12px")), "bw-status")
        self.message = _hooked(w.HTML(), "bw-message")
        self.instance_label = _hooked(w.HTML(), "bw-instance-label")

        self.play_button = _button("Play", "play", "bw-play", button_style="success")
        self.step_button = _button("Step", "step-forward", "bw-step")
        self.epoch_button = _button("Epoch", "fast-forward", "bw-step-epoch")
        self.reset_button = _button("Reset", "undo", "bw-reset")
        self.speed_dial = SpeedDial()  # epochs per second while playing (the playground links it)
        log_range = dict(base=10, min=-3, max=1)  # η from 10^-3 to 10^1
        self.lr_slider = _hooked(
            w.FloatLogSlider(
                settings.learning_rate, step=None, description="η", readout_format=".3g",
                layout=w.Layout(width="380px"), style={"description_width": "24px"},
                **log_range,
            ),
            "bw-lr",
        )  # fmt: skip
        self.lr_input = _hooked(
            TextBox(
                layout=w.Layout(width="7em"),
                tooltip="η: type a number from 0.001 to 10 and press Enter",
            ),
            "bw-lr-input",
        )  # fmt: skip
        self.lr_presets = [
            _hooked(w.Button(description=value, layout=w.Layout(width="auto")), "bw-lr-preset")
            for value in LEARNING_RATE_PRESETS
        ]
        # Any value: a slider with a step rounds a value Python sets and sends the rounded (and,
        # while training, stale) value back, which would overwrite the weight.
        self.weight_slider = _hooked(
            w.FloatSlider(
                0.0, min=-4.0, max=4.0, step=None, description="θ", readout_format=".4f",
                disabled=True, layout=w.Layout(width="100%", max_width="520px"),
                style={"description_width": "60px"},
            ),
            "bw-weight",
        )  # fmt: skip
        self.instance_slider = w.IntSlider(
            value=0, min=0, max=3, description="instance n", style={"description_width": "initial"},
            layout=w.Layout(width="100%", max_width="520px"),
        )  # fmt: skip
        self.instance_slider.add_class("bw-instance")
        self.derivation = _hooked(DerivationView(layout=w.Layout(width="100%")), "bw-derivation")

        self.dataset_select = w.Dropdown(
            options=dataset_options(settings), description="dataset", style=narrow
        )
        self.dataset_select.add_class("bw-dataset")
        self.noise_slider = w.FloatSlider(
            min=0.0, max=0.5, step=0.01, description="noise", style=narrow, continuous_update=False
        )
        self.test_slider = w.FloatSlider(
            min=0.0,
            max=0.5,
            step=0.05,
            description="test fraction",
            style=narrow,
            continuous_update=False,
        )
        self.mode_select = w.ToggleButtons(options=list(MODES), style={"button_width": "96px"})
        self.mode_select.add_class("bw-mode")
        self.batch_slider = w.IntSlider(
            value=settings.batch_size,
            min=2,
            max=max(settings.batch_size, 64),
            description="batch size",
            style=narrow,
            continuous_update=False,
        )
        self.hidden_text = TextBox(
            value=hidden_text(settings.hidden),
            description="hidden layers",
            description_width=narrow["description_width"],
            placeholder="e.g. 4, 3",
        )
        self.hidden_text.add_class("bw-architecture")
        self.add_layer_button = w.Button(description="+ layer", layout=w.Layout(width="auto"))
        self.remove_layer_button = w.Button(description="− layer", layout=w.Layout(width="auto"))
        self.activation_select = w.Dropdown(
            options=ACTIVATION_NAMES, description="hidden g", style=narrow
        )
        self.output_select = w.Dropdown(options=OUTPUT_NAMES, description="output g", style=narrow)
        self.output_select.add_class("bw-output-g")
        self.loss_select = w.Dropdown(
            options=[(LOSSES[name].title, name) for name in LOSS_NAMES], description="loss E",
            style=narrow,
        )  # fmt: skip
        self.loss_select.add_class("bw-loss-choice")
        self.seed_text = _hooked(
            WholeNumberBox(
                min=0, max=MAX_SEED, description="seed",
                description_width=narrow["description_width"], layout=w.Layout(width="220px"),
            ),
            "bw-seed",
        )  # fmt: skip
        self.file_text = w.Text(
            value="playground.json",
            description="file",
            style=narrow,
            layout=w.Layout(width="340px"),
        )
        self.file_text.add_class("bw-file")
        self.upload = _hooked(
            w.FileUpload(accept=".csv,text/csv", multiple=False, description="CSV…"), "bw-upload"
        )
        self.upload.tooltip = "Your data: a CSV of numbers, inputs first, targets last"
        self.upload_outputs = WholeNumberBox(
            value=1, min=1, max=MAX_NEURONS, description="target columns",
            description_width=narrow["description_width"], layout=w.Layout(width="190px"),
        )  # fmt: skip
        self.save_button = _button("Save", "save", "bw-save")
        self.load_button = _button("Load", "folder-open", "bw-load")
        self.refused = lambda text: None  # what a refused setting says (the playground's)
        # New data that implies another output and loss (``Settings.following``): the
        # playground's ``configure`` of them all at once, and what to say.
        self.reconfigure = lambda said, **changes: None
        self._showing = False  # True while the playground shows its own dataset in the menu
        self._link(settings)
        self.children = self._layout()

    def _link(self, settings: Settings) -> None:
        """Each setting's control shows its trait, and sets it."""
        for control, name in (
            (self.dataset_select, "dataset"),
            (self.noise_slider, "noise"),
            (self.test_slider, "test_fraction"),
            (self.mode_select, "mode"),
            (self.batch_slider, "batch_size"),
            (self.activation_select, "activation"),
            (self.output_select, "output_activation"),
            (self.loss_select, "loss"),
            (self.seed_text, "seed"),
        ):
            traitlets.dlink((settings, name), (control, "value"))
            control.observe(self._setter(settings, name), "value")
        # The log slider sends back each η Python gives it, as 10**log10(η) (which can differ
        # in the last digit), and the echo of one η may arrive after Python has set the next
        # (two presets pressed quickly): an echo must neither undo the later η nor change the
        # η a person typed (0.5, not 0.49999999999999994). So the values Python gave the slider
        # are remembered, and a value from the slider is a drag only when it is none of them;
        # a drag is kept to 3 digits.
        given = collections.deque(maxlen=16)

        def to_slider(change) -> None:
            given.append(change["new"])
            self.lr_slider.value = change["new"]

        def from_slider(change) -> None:
            if not any(math.isclose(change["new"], value, rel_tol=1e-9) for value in given):
                settings.learning_rate = dragged_learning_rate(
                    change["new"], settings.learning_rate
                )

        given.append(self.lr_slider.value)
        settings.observe(to_slider, "learning_rate")
        self.lr_slider.observe(from_slider, "value")

    def _setter(self, settings: Settings, name: str):
        """A control's new value set on ``settings``; one the settings refuse (output g = tanh
        for targets of 2) is said through ``refused`` and the control shows the setting again."""

        def set_value(change) -> None:
            value = change["new"]
            following = settings.following({name: value}) if name == "dataset" else {}
            try:
                if following and self._showing:  # the playground's own change, quietly
                    settings.set_together(dataset=value, **following)
                elif following:  # a person chose data of another number of classes
                    self._reconfigure(settings, value, following)
                else:
                    setattr(settings, name, value)
            except ValueError as error:  # a SettingError, or new data configure refused
                if self._showing:
                    raise
                change["owner"].value = getattr(settings, name)
                self.refused(str(error))

        return set_value

    def _reconfigure(self, settings: Settings, dataset: str, following: dict) -> None:
        """A dataset chosen whose classes want another output: both changed at once."""
        output, loss = following["output_activation"], LOSSES[following["loss"]].title
        said = (
            f"{dataset}: {settings.outputs_of(dataset)} output(s), so output g = {output} "
            f"with {loss} (change them under the architecture)."
        )
        self.reconfigure(said, dataset=dataset, **following)

    def _layout(self) -> list:
        """Room for a projector: the toolbar and status on top, then the diagram beside the
        views of the selected weight (a tab each), then the demo and the settings, folded."""
        buttons = _row(
            self.play_button, self.step_button, self.epoch_button, self.reset_button,
            self.speed_dial,
            align_items="center",
        )  # fmt: skip
        rate = _row(self.lr_slider, self.lr_input, *self.lr_presets, align_items="center")
        toolbar = _row(buttons, rate, align_items="center")
        toolbar.add_class("bw-toolbar")
        # E against the selected weight, and the decision surface: filled with the first network.
        self.slice_box = w.Box(layout=w.Layout(width="100%"))
        self.surface_box = w.Box(layout=w.Layout(width="100%"))
        self.weights_box = w.Box(layout=w.Layout(width="100%"))  # the weights table
        self.views = w.Tab(
            [w.Box([self.loss_view]), self.derivation, self.slice_box, self.surface_box],
            titles=VIEW_TITLES,
            selected_index=LOSS_TAB,
        )
        self.views.add_class("bw-views")
        diagram = w.VBox(
            [self.instance_label, self.network],
            layout=w.Layout(flex="3 1 0", min_width="540px"),
        )
        side = w.VBox(
            [self.views, self.weight_slider, self.instance_slider],
            layout=w.Layout(flex="2 1 0", min_width="380px"),
        )
        stage = _row(diagram, side, width="100%", align_items="flex-start")
        stage.add_class("bw-stage")
        settings = w.VBox(
            [
                _row(self.dataset_select, self.noise_slider, self.test_slider),
                _row(
                    w.HTML("Your data, a CSV of numbers (inputs, then targets):"),
                    self.upload,
                    self.upload_outputs,
                    align_items="center",
                ),  # fmt: skip
                _row(self.mode_select, self.batch_slider),
                _row(self.hidden_text, self.add_layer_button, self.remove_layer_button),
                _row(self.activation_select, self.output_select, self.loss_select, self.seed_text),
                _row(self.file_text, self.save_button, self.load_button, align_items="center"),
                w.HTML("<b>Every weight, exactly</b> (type a number and press Enter):"),
                self.weights_box,
            ]
        )
        # The demo is built when its panel is first opened (``Playground.demo``).
        self.demo_box = w.VBox()
        self.panels = w.Accordion(
            [self.demo_box, settings],
            titles=(
                "Step through one update (the lecture's demo)",
                "Data, training mode and architecture",
            ),
        )
        self.panels.add_class("bw-panels")
        return [toolbar, self.status, self.message, stage, self.panels]

    def show_weight_views(self) -> None:
        """A weight was selected: show its derivation, unless one of its views is open."""
        if self.views.selected_index not in (DERIVATION_TAB, SLICE_TAB):
            self.views.selected_index = DERIVATION_TAB

    def show_settings(self, settings: Settings, n_train: int) -> None:
        """What the controls allow for the current data: noise and test fraction only for
        sampled data, the batch slider only in mini-batch mode and at most N, the instance
        slider over the training set."""
        self.show_datasets(settings, settings.dataset)
        self.noise_slider.disabled = not settings.sampled
        self.test_slider.disabled = not (settings.sampled or settings.dataset == OWN)
        self.batch_slider.layout.display = None if settings.mode == "mini-batch" else "none"
        self.batch_slider.max = max(2, n_train)
        self.batch_slider.value = settings.batch_size  # the max may have clamped it
        self.instance_slider.max = n_train - 1

    def show_datasets(self, settings: Settings, dataset: str) -> None:
        """The dataset menu with your data once there is some (``settings.own``), ``dataset``
        chosen in it (and so in the settings, which the menu is linked to)."""
        options = dataset_options(settings)
        self._showing = True
        try:
            if list(self.dataset_select.options) != options:
                self.dataset_select.options = options  # selects the first; the link follows
            self.dataset_select.value = dataset
        finally:
            self._showing = False

    def show_playing(self, playing: bool) -> None:
        """The play button says what pressing it will do."""
        self.play_button.description = "Pause" if playing else "Play"
        self.play_button.icon = "pause" if playing else "play"
        self.play_button.button_style = "warning" if playing else "success"
