"""The old path ``backprop_widgets.surface_view``, kept so that users' imports keep working.

Since the package was split into layers this name is the module
``backprop_widgets.widgets.surface_view``.
"""

import sys

from .widgets import surface_view as _module

sys.modules[__name__] = _module
