"""Setting η precisely: the η box (type a number) and its preset buttons, beside the log slider.

All three show and set ``Settings.learning_rate``; a typed value that is not a number in the
slider's range is refused with a message, and η stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from .settings import SettingError, Settings, typed_learning_rate
from .text_box import TextBox


def rate_text(value: float) -> str:
    """η as the box shows it: every digit it has (0.5, 0.4567, 0.001)."""
    return f"{value:.12g}"


class LearningRateBox:
    """Turns what is typed in the η box, or a preset pressed, into ``settings.learning_rate``.

    Parameters
    ----------
    settings : Settings
    text : TextBox
        The ``.bw-lr-input`` box; it always shows η.
    presets : list of Button
        Each sets η to the number it shows.
    say : callable
        ``say(text, error)`` shows a refusal (or clears the message line with "").
    """

    def __init__(
        self,
        settings: Settings,
        text: TextBox,
        presets: list[w.Button],
        say: Callable[[str, bool], None],
    ) -> None:
        self.settings, self.text, self._say = settings, text, say
        self._writing = False
        text.observe(self._on_text, "value")
        settings.observe(lambda _: self.show(), "learning_rate")
        for button in presets:
            button.on_click(lambda b: self.set(b.description))
        self.show()

    def set(self, typed: str) -> None:
        """η from text: a number from 1e-3 to 10 is taken, anything else refused and said."""
        try:
            self.settings.learning_rate = typed_learning_rate(typed)
        except SettingError as error:
            self._say(f"Refused: {error}; η stays {rate_text(self.settings.learning_rate)}.", True)
        else:
            self._say("", False)
        self.show()

    def show(self) -> None:
        """The box shows the current η."""
        self._writing = True
        try:
            self.text.value = rate_text(self.settings.learning_rate)
        finally:
            self._writing = False

    def _on_text(self, change) -> None:
        if not self._writing:
            self.set(change["new"])
