"""One-line boxes that send on Enter or when they are left, in every host: ``TextBox`` for
text and ``WholeNumberBox`` for a whole number in a range.

ipywidgets' ``Text`` and ``BoundedIntText`` send on the input's ``change`` event, which
JupyterLite 0.5's notebook never fires on Enter; these boxes listen to Enter themselves
(``static/text_box.js``). They look like ``Text`` (the same ``widget-text`` classes) and have
its ``value``, ``description`` and ``placeholder``; ``tooltip`` is ``DOMWidget``'s.
"""

from __future__ import annotations

import anywidget
import traitlets

from ..views import STATIC, esm


class _Box(anywidget.AnyWidget):
    _esm = esm("text_box")
    _css = STATIC / "widgets.css"

    kind = traitlets.Unicode("text").tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    description_width = traitlets.Unicode("").tag(sync=True)  # CSS width, e.g. "110px"
    placeholder = traitlets.Unicode("").tag(sync=True)


class TextBox(_Box):
    """A text box: ``value`` is the text last sent (Enter, Tab, a click elsewhere).

    Python may set ``value`` at any time, also in answer to what was sent (a refused entry is
    replaced by the value kept), and the box shows it; Escape puts it back while typing.
    """

    value = traitlets.Unicode("").tag(sync=True)


class WholeNumberBox(_Box):
    """A box of a whole number from ``min`` to ``max`` (``value``): what is typed is rounded
    and clamped to the range, like ``BoundedIntText``; what is no number is not sent."""

    kind = traitlets.Unicode("integer").tag(sync=True)
    value = traitlets.Int(0).tag(sync=True)
    min = traitlets.Int(0).tag(sync=True)
    max = traitlets.Int(100).tag(sync=True)

    @traitlets.validate("value")
    def _in_range(self, proposal) -> int:
        return min(max(proposal["value"], self.min), self.max)
