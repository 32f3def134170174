"""The old path ``backprop_widgets.exercises``, kept so that users' imports keep working.

Since the package was split into layers this name is the module
``backprop_widgets.teaching.exercises``.
"""

import sys

from .teaching import exercises as _module

sys.modules[__name__] = _module
