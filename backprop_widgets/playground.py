"""The old path ``backprop_widgets.playground``, kept so that users' imports keep working.

Since the package was split into layers this name is the module
``backprop_widgets.widgets.playground.playground``.
"""

import sys

from .widgets.playground import playground as _module

sys.modules[__name__] = _module
