"""The old path ``backprop_widgets.demo``, kept so that users' imports keep working.

Since the package was split into layers this name is the module
``backprop_widgets.widgets.demo``.
"""

import sys

from .widgets import demo as _module

sys.modules[__name__] = _module
