"""The JupyterLite site (build/lite/, ``make lite``) served on loopback and driven offline.

Used by ``test_lite_site.py`` and by ``benchmarks/lite_speed.py`` (loaded there by path).

- ``ensure_site()`` runs ``make lite-site`` (a no-op when build/lite/ is newer than its sources)
  and returns the site's folder; when the build fails because PyPI or npm cannot be reached it
  returns the reason instead, for a skip. Any other failure is an error.
- ``serve(folder)`` serves the folder on a free port of 127.0.0.1 from a thread.
- ``offline_context(browser)`` is a browser context that reaches nothing but 127.0.0.1: every
  other request is aborted (and recorded in ``context.blocked``), and a proxy that does not exist
  catches whatever a route would not see (requests of the kernel's web worker).
- ``LiteNotebook`` opens a notebook in JupyterLite's JupyterLab, waits for its Pyodide kernel,
  runs all cells and evaluates Python in that kernel (through the page: a JupyterLite kernel has
  no connection file).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import socket
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "build" / "lite"
ARTIFACTS = REPO / "test-artifacts"
REGISTRIES = (("pypi.org", 443), ("files.pythonhosted.org", 443), ("registry.npmjs.org", 443))

KERNEL_TIMEOUT_MS = 120_000  # Pyodide's start on a busy 2-core machine, with some margin
PAGE_TIMEOUT_MS = 30_000


# --------------------------------------------------------------------------------- the site


def unreachable_registries() -> list[str]:
    """The package registries this machine cannot open a connection to."""
    failed = []
    for host, port in REGISTRIES:
        try:
            socket.create_connection((host, port), timeout=10).close()
        except OSError:
            failed.append(host)
    return failed


def ensure_site() -> Path | str:
    """build/lite/, built when missing or older than its sources; or why it could not be built
    (only when a registry is unreachable: any other failure raises)."""
    result = subprocess.run(
        ["make", "--no-print-directory", "lite-site"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if result.returncode == 0 and (SITE / "jupyter-lite.json").exists():
        return SITE
    unreachable = unreachable_registries()
    if unreachable:
        return (
            "the JupyterLite site could not be built: cannot reach "
            + ", ".join(unreachable)
            + " (`make lite` needs PyPI and npm)"
        )
    raise RuntimeError(
        f"`make lite-site` failed ({result.returncode}):\n{result.stdout[-3000:]}\n"
        f"{result.stderr[-3000:]}"
    )


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on a free loopback port; yield its URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def offline_context(browser: Any, viewport: dict | None = None) -> Any:
    """A new context that reaches 127.0.0.1 only; ``context.blocked`` lists what it refused."""
    context = browser.new_context(
        viewport=viewport or {"width": 1400, "height": 1000},
        proxy={"server": "http://127.0.0.1:9", "bypass": "127.0.0.1"},
        service_workers="allow",
    )
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    context.blocked = []

    def route(route: Any) -> None:
        host = urllib.parse.urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            context.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    return context


# --------------------------------------------------------------------------------- notebooks

# The notebook's kernel: idle and connected (JupyterLite's kernel is a web worker).
KERNEL_IDLE_JS = """(path) => {
  const app = window.jupyterapp;
  if (!app) return false;
  if (document.querySelector('.jp-Dialog .jp-mod-accept')) {
    document.querySelector('.jp-Dialog .jp-mod-accept').click();
    return false;
  }
  const widget = [...app.shell.widgets('main')].find(w => w.context && w.context.path === path);
  const kernel = widget && widget.sessionContext.session && widget.sessionContext.session.kernel;
  return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
}"""

RUN_ALL_JS = """async (path) => {
  const app = window.jupyterapp;
  const widget = [...app.shell.widgets('main')].find(w => w.context && w.context.path === path);
  app.shell.activateById(widget.id);
  await app.commands.execute('notebook:run-all-cells');
  const cells = widget.content.model.cells;
  const result = [];
  for (let n = 0; n < cells.length; n++) {
    const cell = cells.get(n);
    if (cell.type !== 'code') continue;
    const outputs = cell.toJSON().outputs;
    const errors = outputs.filter(output => output.output_type === 'error');
    const stderr = outputs.filter(o => o.output_type === 'stream' && o.name === 'stderr')
      .map(o => Array.isArray(o.text) ? o.text.join('') : o.text);
    result.push({ count: cell.executionCount, errors, stderr });
  }
  return result;
}"""

# Execute code in the notebook's kernel beside its cells; resolve to what it printed.
EXECUTE_JS = """async ([path, code]) => {
  const app = window.jupyterapp;
  const widget = [...app.shell.widgets('main')].find(w => w.context && w.context.path === path);
  const kernel = widget.sessionContext.session.kernel;
  const future = kernel.requestExecute({ code, store_history: false });
  let printed = '', error = null;
  future.onIOPub = (msg) => {
    const type = msg.header.msg_type;
    if (type === 'stream' && msg.content.name === 'stdout') printed += msg.content.text;
    if (type === 'error') error = `${msg.content.ename}: ${msg.content.evalue}`;
  };
  await future.done;
  return { printed, error };
}"""


# Where a click on an SVG shape lands on it, not on a neighbour (clear_point.js, past its
# three lines of comment), as conftest.py's NotebookView.click_svg finds it.
CLEAR_POINT_JS = (Path(__file__).parent / "clear_point.js").read_text().split("\n", 3)[3]


class LiteError(RuntimeError):
    """A cell or a piece of code raised an exception in the site's Pyodide kernel."""


class LiteNotebook:
    """One notebook of the site, open in JupyterLite's JupyterLab in its own page."""

    def __init__(self, context: Any, url: str, path: str):
        self.context = context
        self.page = context.new_page()
        self.path = path
        self.url = f"{url}/lab/index.html?path={urllib.parse.quote(path)}"
        self.opened_at = 0.0
        self.idle_after = 0.0  # seconds from opening the page until the kernel was idle

    def open(self) -> LiteNotebook:
        self.opened_at = time.perf_counter()
        self.page.goto(self.url)
        self.wait_for_kernel()
        self.idle_after = time.perf_counter() - self.opened_at
        self.page.evaluate("() => window.jupyterapp.shell.collapseLeft?.()")
        return self

    def wait_for_kernel(self) -> None:
        self.page.wait_for_function(
            KERNEL_IDLE_JS, arg=self.path, timeout=KERNEL_TIMEOUT_MS, polling=100
        )

    def run_all(self) -> list[dict]:
        """Run every cell; fail on an error output or a cell that did not run."""
        cells = self.page.evaluate(RUN_ALL_JS, self.path)
        errors = [error for cell in cells for error in cell["errors"]]
        if errors:
            raise LiteError("; ".join(f"{error['ename']}: {error['evalue']}" for error in errors))
        not_run = [n for n, cell in enumerate(cells) if cell["count"] is None]
        assert not not_run, f"code cells {not_run} of {self.path} did not run"
        return cells

    def run(self, code: str) -> str:
        """Execute ``code`` in the notebook's kernel; return what it printed."""
        result = self.page.evaluate(EXECUTE_JS, [self.path, code])
        if result["error"]:
            raise LiteError(f"{code!r} raised {result['error']}")
        return result["printed"]

    def eval(self, expression: str) -> Any:
        """The value of a Python expression in the kernel, round-tripped through JSON."""
        return json.loads(self.run(f"print(__import__('json').dumps({expression}))"))

    def clear_point(self, selector: str) -> dict:
        """Where to click the SVG element ``selector`` so that the click lands on it."""
        element = self.page.locator(selector)
        element.evaluate("element => element.scrollIntoView({ block: 'center' })")
        deadline = time.monotonic() + 10
        while (point := element.evaluate(CLEAR_POINT_JS)) is None:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no point of {selector} is free of other elements")
            time.sleep(0.05)
        return point

    def click_svg(self, selector: str) -> None:
        point = self.clear_point(selector)
        self.page.mouse.click(point["x"], point["y"])

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.page.close()
