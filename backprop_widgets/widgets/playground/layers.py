"""Editing the hidden layers: typed in the settings, added and removed with buttons, resized
with the − and + under a layer of the diagram. Every edit goes through ``Settings.hidden``,
which refuses what the diagram cannot show."""

from __future__ import annotations

from collections.abc import Callable

from ...engine import validation as check
from .settings import Settings, hidden_text, parse_hidden
from .text_box import TextBox


class HiddenLayers:
    """Turns edits of the hidden layers into ``settings.hidden``; a refused edit is said with
    ``refuse(text)`` and changes nothing.

    Parameters
    ----------
    settings : Settings
    text : TextBox
        The ``.bw-architecture`` box, "4, 3"; it always shows ``settings.hidden``.
    refuse : callable
        Shows why an edit was refused.
    """

    def __init__(self, settings: Settings, text: TextBox, refuse: Callable[[str], None]) -> None:
        self.settings, self.text, self._refuse = settings, text, refuse
        self._writing = False
        text.observe(self._on_text, "value")
        settings.observe(lambda _: self.show(), "hidden")

    def resize(self, layer, delta) -> None:
        """One neuron more (``delta`` 1) or fewer (−1) in hidden ``layer`` (1 … L−2, 0-based
        as the diagram's ``data-layer``); raises ``ValueError`` when refused."""
        hidden = list(self.settings.hidden)
        layer = check.integer(layer, "layer")
        if not 0 < layer <= len(hidden):
            raise ValueError(f"layer must be a hidden layer 1 … {len(hidden)}; got {layer}")
        if delta not in (-1, 1):
            raise ValueError(f"delta must be -1 or 1; got {delta!r}")
        hidden[layer - 1] += delta
        self.settings.hidden = hidden

    def change(self, add_layer: bool) -> None:
        """Add a layer (as wide as the last) or remove the last one."""
        hidden = list(self.settings.hidden)
        if not add_layer and not hidden:
            self._refuse("there is no hidden layer to remove")
            return
        try:
            self.settings.hidden = (
                hidden + [hidden[-1] if hidden else 2] if add_layer else hidden[:-1]
            )
        except ValueError as error:
            self._refuse(str(error))

    def show(self) -> None:
        """The box shows the settings' hidden layers, typed the usual way."""
        self._writing = True
        try:
            self.text.value = hidden_text(self.settings.hidden)
        finally:
            self._writing = False

    def _on_text(self, change) -> None:
        if self._writing:
            return
        try:
            self.settings.hidden = parse_hidden(change["new"])
        except ValueError as error:
            self._refuse(str(error))
        self.show()
