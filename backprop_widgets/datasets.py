"""The old path ``backprop_widgets.datasets``, kept so that users' imports keep working.

Since the package was split into layers this name is the module
``backprop_widgets.engine.datasets``.
"""

import sys

from .engine import datasets as _module

sys.modules[__name__] = _module
