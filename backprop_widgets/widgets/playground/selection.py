"""The θ slider of the selected weight, and how it tells a person's edit from its own echo.

ipywidgets' browser slider sends back a value Python gives it (re-rounded by an ulp, sometimes
late or twice when the browser is busy). Values sent in the last ``ECHO_SECONDS`` are therefore
not taken as edits; a person does not drag to a value Python sent, to 1e-9.
"""

from __future__ import annotations

import collections
import math
import time
from collections.abc import Callable

import ipywidgets as w
import traitlets

from ...engine.mlp import MLP
from ...notation import Parameter, theta_name
from .settings import SettingError

ECHO_SECONDS = 5.0  # how long a value sent to the θ slider may come back from the browser
MIN_BOUND = 4.0  # the slider spans at least −4 … 4


def check_selected(net: MLP, value):
    """A selection for ``net``: None, or its ``Parameter`` (l, i, j) / (l, i, "bias"); anything
    else raises ``SettingError`` naming ``selected``."""
    if value is None:
        return None
    if not isinstance(value, (tuple, list)) or len(value) != 3:
        raise SettingError(f'selected must be None, (l, i, j) or (l, i, "bias"); got {value!r}')
    try:
        return net.check_parameter(*value)
    except (TypeError, ValueError) as error:
        raise SettingError(f"selected: {error}") from None


class WeightSlider:
    """Shows the selected θ on ``slider`` and hands a person's edits to ``on_edit(value)``.

    Parameters
    ----------
    slider : FloatSlider
        The ``.bw-weight`` control.
    on_edit : callable
        Called with a value a person set (not an echo of one Python sent).
    """

    def __init__(self, slider: w.FloatSlider, on_edit: Callable[[float], None]) -> None:
        self.slider = slider
        self._on_edit = on_edit
        self._sent: collections.deque = collections.deque(maxlen=256)
        self._updating = False
        slider.observe(self._on_value, "value")

    def show(self, net: MLP, selected) -> None:
        """Point the slider at ``selected`` (or disable it for None), its range around θ."""
        slider = self.slider
        self._updating = True
        try:
            if selected is None:
                slider.disabled, slider.description = True, "θ"
                return
            value = net.get_parameter(*selected)
            bound = max(MIN_BOUND, float(math.ceil(abs(value) * 1.5)))
            # The browser clamps the value it shows into a new range before the new value
            # arrives, and sends the clamped value back: an echo too, not a person's edit.
            clamped = min(max(slider.value, -bound), bound)
            if clamped != slider.value:
                self._sent.append((time.perf_counter(), clamped))
            with slider.hold_trait_notifications(), slider.hold_sync():
                slider.min, slider.max = -bound, bound
                self._send(value)
                slider.description = theta_name(*selected)
                slider.disabled = False
        finally:
            self._updating = False

    def follow(self, net: MLP, selected) -> None:
        """Move the slider to the weight's current value (training changed it)."""
        if selected is None or self._updating:
            return
        value = net.get_parameter(*selected)
        if abs(value) > self.slider.max:
            self.show(net, selected)
            return
        self._updating = True
        try:
            self._send(value)
        finally:
            self._updating = False

    def _send(self, value: float) -> None:
        """Move the slider to ``value``, remembering when, to recognise its echo."""
        if value != self.slider.value:
            self._sent.append((time.perf_counter(), value))
            self.slider.value = value

    def is_echo(self, value: float) -> bool:
        """Whether ``value`` is one the slider was sent in the last ``ECHO_SECONDS``."""
        recent = time.perf_counter() - ECHO_SECONDS
        return any(
            sent_at >= recent and abs(value - sent) <= 1e-9 * max(1.0, abs(sent))
            for sent_at, sent in self._sent
        )

    def _on_value(self, change) -> None:
        if self._updating or self.slider.disabled or self.is_echo(change["new"]):
            return
        self._on_edit(change["new"])


class Selection:
    """The selected parameter of a playground: checked, shown on the θ slider, edited there.

    Parameters
    ----------
    pg : Playground
        Its ``selected`` trait is validated by ``check`` and observed by ``changed``.
    """

    def __init__(self, pg) -> None:
        self.pg = pg
        self.slider = WeightSlider(pg.controls.weight_slider, self.edit)

    def check(self, value):
        """``selected`` as it may be set: None or a parameter the network has."""
        return check_selected(self.pg.net, value)

    def changed(self, change) -> None:
        """Another weight was clicked: the slice, the slider and the derivation follow."""
        pg = self.pg
        if change["new"] is None:
            pg.slice_view.parameter = None
        pg.presenter.slice_throttle.reset()
        self.slider.show(pg.net, change["new"])
        if change["new"] is not None:
            pg.controls.show_weight_views()
        pg.presenter.show_derivation()  # first: the panel is what the click asks for
        pg.refresh(derive=False)

    def edit(self, value: float) -> None:
        """A person set θ on the slider: the network, the loss curve and the views follow.
        While training plays it pauses first, and says so: training would move θ on at once."""
        pg = self.pg
        try:
            pg.net.set_parameter(*pg.selected, value)
        except (TypeError, ValueError) as error:
            pg.say(str(error), error=True)
            self.slider.show(pg.net, pg.selected)
            return
        self.set_by_hand(pg.selected, immediately=False)  # the derivation waits for a pause

    def set_by_hand(self, parameter, immediately: bool = True) -> None:
        """θ was set by hand (the slider, the weights table): the loss curve and every view
        follow. While training plays it pauses first, and says so: training would move θ on."""
        pg = self.pg
        if pg.playing:
            pg.pause()
            pg.say(
                f"Paused while you set {theta_name(*parameter)} by hand; "
                "Play trains on from the value you set."
            )
        pg.session.record_loss()
        pg.refresh(immediately=immediately)

    def on_diagram_message(self, _widget, content, _buffers) -> None:
        """A message from the diagram: ``{"type": "select", "weight": "l,i,j"}`` (a click) or
        ``{"type": "resize", "layer": l, "delta": ±1}`` (the − and + under a hidden layer).
        Everything is checked; a refused message is said and changes nothing."""
        pg = self.pg
        try:
            if not isinstance(content, dict):
                raise ValueError("message must be an object")
            kind = content.get("type")
            if kind == "select":
                pg.selected = pg.net.check_parameter(*Parameter.parse(content.get("weight")))
                pg.say("")
            elif kind == "resize":
                pg.layers.resize(content.get("layer"), content.get("delta"))  # says it restarts
            else:
                raise ValueError(f"unknown message type {kind!r}")
        except (TypeError, ValueError, traitlets.TraitError) as error:
            pg.say(f"Refused: {error}", error=True)
