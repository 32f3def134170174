"""The widgets: thin ipywidgets and anywidget classes whose traits are the synced state.

They present what the engine and the symbolic layer compute; they do not compute maths. The
ES modules they draw with are in ``backprop_widgets/static``.
"""

from .pyodide import send_none_as_null

send_none_as_null()  # JupyterLite's Pyodide kernel only; a no-op in any other kernel
