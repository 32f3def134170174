"""In JupyterLite's Pyodide kernel: widget messages reach the page with None as null.

Pyodide hands a Python dict to JavaScript with ``None`` turned into ``undefined``, not ``null``
(pyodide/pyodide#3968), and the Pyodide kernel sends comm messages that way. A front end then
reads a trait set to None as missing and takes its default: ipywidgets' ``FloatLogSlider`` with
``step=None`` rounds η = 0.5 to 0.501 and sends that back, and the speed dial's "as fast as it
goes" (None) shows "not finite". Every other kernel sends JSON, where None is ``null``.

``send_none_as_null()`` makes the Pyodide kernel's shell send each comm message's content and
metadata as a JavaScript object parsed from its JSON text, so the page receives exactly what any
other kernel would send. A message that is not plain JSON (NaN, a NumPy number) goes the
kernel's own way, as before. Anywhere but Pyodide this does nothing.
"""

from __future__ import annotations

import json
import sys


def send_none_as_null() -> bool:
    """Patch the Pyodide kernel's ``send_comm`` once; return whether it is patched."""
    if sys.platform != "emscripten":
        return False
    try:
        import js  # Pyodide's bridge to JavaScript
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    send = getattr(shell, "send_comm", None)
    if send is None:
        return False
    if getattr(send, "sends_none_as_null", False):
        return True

    def send_comm(msg_type, content, metadata, ident, buffers):
        try:
            content_js = js.JSON.parse(json.dumps(content, allow_nan=False))
            metadata_js = js.JSON.parse(json.dumps(metadata, allow_nan=False))
        except (TypeError, ValueError):
            return send(msg_type, content, metadata, ident, buffers)
        return send(msg_type, content_js, metadata_js, ident, buffers)

    send_comm.sends_none_as_null = True
    shell.send_comm = send_comm
    return True
