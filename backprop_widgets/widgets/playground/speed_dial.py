"""The speed dial: epochs per second while training plays, from 1 to as fast as it goes."""

from __future__ import annotations

import anywidget
import traitlets

from ..views import STATIC, esm
from .settings import check_speed

PRESETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]  # the dial's stops; past the last: max


class SpeedDial(anywidget.AnyWidget):
    """A dial of epochs per second (``.bw-speed``, with ``data-epochs-per-second``).

    ``value`` is epochs per second, or None for as fast as it goes (the dial's last stop);
    the dial moves in ``presets`` stops, and Python may set any value in ``SPEED_RANGE``.
    """

    _esm = esm("speed")
    _css = STATIC / "widgets.css"

    value = traitlets.Float(None, allow_none=True).tag(sync=True)
    presets = traitlets.List(traitlets.Float(), PRESETS).tag(sync=True)

    @traitlets.validate("value")
    def _valid_value(self, proposal):
        return check_speed(proposal["value"])
