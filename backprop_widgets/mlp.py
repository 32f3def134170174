"""The old path ``backprop_widgets.mlp``, kept so that users' imports keep working.

Since the package was split into layers this name is the module
``backprop_widgets.engine.mlp``.
"""

import sys

from .engine import mlp as _module

sys.modules[__name__] = _module
