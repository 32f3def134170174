"""The old path ``backprop_widgets.slice_view``, kept so that users' imports keep working.

Since the package was split into layers this name is the module
``backprop_widgets.widgets.slice_view``.
"""

import sys

from .widgets import slice_view as _module

sys.modules[__name__] = _module
