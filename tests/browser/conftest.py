"""Browser-test plumbing: real Jupyter servers, headless Chromium, and a line to the kernel.

Every test in this folder is marked ``browser``. The fixtures start one ``jupyter lab`` (and, when
a test asks for it, one ``jupyter notebook``) per session on a free loopback port, with their own
config, data and runtime directories, and one headless Debian Chromium. ``open_notebook`` opens a
notebook in a fresh page and workspace; the ``NotebookView`` it yields runs the notebook's cells,
evaluates Python in the notebook's own kernel (``view.kernel.eval("pg.selected")``) and saves
screenshots to ``test-artifacts/`` at the repository root.

Nothing here waits by sleeping: it waits for selectors and page state, or polls the server or the
kernel against a deadline.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pytest
from jupyter_client import BlockingKernelClient

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ARTIFACTS = REPO / "test-artifacts"

SERVER_START_TIMEOUT = 90  # seconds; a cold JupyterLab start on a busy 2-core machine
KERNEL_TIMEOUT = 60  # seconds for a kernel to start, run all cells, or answer one request
POLL_INTERVAL = 0.05  # seconds between two polls of the kernel or the server
PAGE_TIMEOUT_MS = 30_000  # how long Playwright waits for a selector, a page function or expect()
VIEWPORT = {"width": 1400, "height": 1000}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# JupyterLab settings for a quiet test run: no "Jupyter news" toast, no update check.
USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test collected from this folder as ``browser``."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    """Screenshot every open notebook page when a browser test fails."""
    report = yield
    if report.when == "call" and report.failed and item.path.is_relative_to(HERE):
        for n, view in enumerate(NotebookView.open_views):
            with contextlib.suppress(Exception):
                view.screenshot(f"{artifact_name(item.name)}-failure-{n}")
    return report


def artifact_name(text: str) -> str:
    """A file-name-safe version of a test's name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")


# --------------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def poll(
    condition: Callable[[], Any], timeout: float, what: str, interval: float = POLL_INTERVAL
) -> Any:
    """Call ``condition`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


@dataclass
class JupyterServer:
    """A ``jupyter lab`` or ``jupyter notebook`` process serving ``root_dir`` on loopback."""

    app: str
    url: str
    root_dir: Path
    runtime_dir: Path
    log_path: Path
    process: subprocess.Popen = field(repr=False)

    @classmethod
    def start(cls, app: str, base: Path) -> JupyterServer:
        """Start ``jupyter <app>`` with its own config, data and runtime directories in ``base``.

        The lab extensions of ipywidgets and anywidget are found as usual in the virtualenv's
        ``share/jupyter``, which stays on the data path.
        """
        dirs = {name: base / name for name in ("root", "config", "data", "runtime", "ipython")}
        for path in dirs.values():
            path.mkdir(parents=True, exist_ok=True)
        for name, settings in USER_SETTINGS.items():
            path = dirs["config"] / "lab" / "user-settings" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(settings))

        port = free_port()
        app_class = {"lab": "LabApp", "notebook": "JupyterNotebookApp"}[app]
        command = [
            sys.executable, "-m", "jupyter", app,
            "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=", "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True",
            f"--{app_class}.expose_app_in_browser=True",
            f"--ServerApp.root_dir={dirs['root']}",
        ]  # fmt: skip
        env = {
            **os.environ,
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
            "JUPYTER_CONFIG_DIR": str(dirs["config"]),
            "JUPYTER_DATA_DIR": str(dirs["data"]),
            "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
            "IPYTHONDIR": str(dirs["ipython"]),
        }
        log_path = base / f"jupyter-{app}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        server = cls(
            app=app,
            url=f"http://127.0.0.1:{port}",
            root_dir=dirs["root"],
            runtime_dir=dirs["runtime"],
            log_path=log_path,
            process=process,
        )
        try:
            poll(server._answers, SERVER_START_TIMEOUT, f"jupyter {app} on port {port}")
        except BaseException:
            server.stop()
            raise
        return server

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(
                f"jupyter {self.app} exited with {self.process.returncode}:\n{self.log()}"
            )
        try:
            self.api("/api/status")
        except (OSError, urllib.error.URLError):
            return False
        return True

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def api(self, path: str, method: str = "GET") -> Any:
        """Call the server's REST API and return the decoded JSON answer (None if empty)."""
        request = urllib.request.Request(self.url + path, method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def write_notebook(self, name: str, *sources: str) -> str:
        """Write a notebook of code cells into the server's root; return its path there."""
        notebook = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell(source) for source in sources],
            metadata={
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
            },
        )
        nbformat.write(notebook, self.root_dir / name)
        return name

    def session(self, notebook: str) -> dict:
        """The server's session of ``notebook`` (its ``kernel`` entry carries the kernel id)."""
        sessions = poll(
            lambda: [s for s in self.api("/api/sessions") if s["path"] == notebook],
            KERNEL_TIMEOUT,
            f"a session for {notebook}",
        )
        return sessions[0]

    def stop(self) -> None:
        """Shut the kernels down, then terminate the server's process group."""
        if self.process.poll() is None:
            with contextlib.suppress(Exception):
                for kernel in self.api("/api/kernels"):
                    self.api(f"/api/kernels/{kernel['id']}", method="DELETE")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    server = JupyterServer.start("lab", tmp_path_factory.mktemp("jupyter-lab"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def notebook_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    server = JupyterServer.start("notebook", tmp_path_factory.mktemp("jupyter-notebook"))
    yield server
    server.stop()


# --------------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (``playwright install`` is not needed)."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not installed; `make chromium` installs Debian's package")
    for old in ARTIFACTS.glob("*.png"):  # the screenshots of this run only
        old.unlink()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=PAGE_TIMEOUT_MS)  # a busy machine typesets slowly
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# --------------------------------------------------------------------------------- kernel


class KernelError(RuntimeError):
    """Code sent to a notebook's kernel raised an exception there."""


class Kernel:
    """A second client of a notebook's kernel: runs code there beside the notebook's own cells."""

    def __init__(self, connection_file: Path):
        self.client = BlockingKernelClient(connection_file=str(connection_file))
        self.client.load_connection_file()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=KERNEL_TIMEOUT)

    def run(self, code: str) -> str:
        """Execute ``code`` in the kernel; return what it printed to stdout."""
        printed: list[str] = []

        def collect(message: dict) -> None:
            content = message["content"]
            if message["msg_type"] == "stream" and content["name"] == "stdout":
                printed.append(content["text"])

        reply = self.client.execute_interactive(
            code, store_history=False, output_hook=collect, timeout=KERNEL_TIMEOUT
        )
        content = reply["content"]
        if content["status"] != "ok":
            raise KernelError(f"{code!r} raised {content.get('ename')}: {content.get('evalue')}")
        return "".join(printed)

    def eval(self, expression: str) -> Any:
        """The value of a Python expression in the kernel, round-tripped through JSON."""
        return json.loads(self.run(f"print(__import__('json').dumps({expression}))"))

    def wait_for(
        self, expression: str, predicate: Callable[[Any], bool], timeout: float = 30
    ) -> Any:
        """Poll ``expression`` in the kernel until ``predicate`` holds for its value; return it."""
        seen: list[Any] = []

        def holds() -> bool:
            seen.append(self.eval(expression))
            return predicate(seen[-1])

        try:
            poll(holds, timeout, f"{expression} to satisfy {predicate}")
        except TimeoutError as error:
            raise TimeoutError(f"{error}; last value: {seen[-1] if seen else None!r}") from None
        return seen[-1]

    def stays(self, expression: str, value: Any, duration: float = 1.0) -> bool:
        """Poll ``expression`` for ``duration`` seconds; fail as soon as it differs from ``value``.

        For what must *not* happen (a paused loop that keeps training, a click that changes a
        weight): the window gives a late message from the browser the time to arrive.
        """
        deadline = time.monotonic() + duration
        while time.monotonic() < deadline:
            now = self.eval(expression)
            assert now == value, f"{expression} changed from {value!r} to {now!r}"
            time.sleep(POLL_INTERVAL)
        return True

    def close(self) -> None:
        self.client.stop_channels()


# --------------------------------------------------------------------------------- notebooks

# A notebook page's state, for ``page.wait_for_function``: "dialog" when a dialog waits for an
# answer (such as "Select Kernel"), "idle" when the notebook's kernel is connected and idle.
KERNEL_STATE_JS = """(path) => {
  if (document.querySelector('.jp-Dialog .jp-mod-accept')) return 'dialog';
  const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!widget || !widget.context || widget.context.path !== path) return false;
  const kernel = widget.sessionContext.session && widget.sessionContext.session.kernel;
  return kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle'
    ? 'idle' : false;
}"""

RUN_ALL_JS = """async () => {
  const app = window.jupyterapp;
  await app.commands.execute('notebook:run-all-cells');
  const cells = app.shell.currentWidget.content.model.cells;
  const result = [];
  for (let n = 0; n < cells.length; n++) {
    const cell = cells.get(n);
    if (cell.type !== 'code') continue;
    const errors = cell.toJSON().outputs.filter(output => output.output_type === 'error');
    result.push({ count: cell.executionCount, errors });
  }
  return result;
}"""


# How far the widest row or title of a derivation panel pokes out of it (each must fit).
OVERFLOW_JS = """(panel) => {
  const right = panel.getBoundingClientRect().right;
  let worst = 0;
  for (const piece of panel.querySelectorAll('.bw-math-piece, .bw-math-title, .bw-math-lhs')) {
    worst = Math.max(worst, piece.getBoundingClientRect().right - right);
  }
  return worst;
}"""


# Where a click on an SVG shape lands on it, not on a neighbour (clear_point.js, past its
# three lines of comment).
CLEAR_POINT_JS = (Path(__file__).parent / "clear_point.js").read_text().split("\n", 3)[3]


class NotebookView:
    """One notebook open in its own browser page, with a line to its kernel."""

    open_views: list[NotebookView] = []
    # Uncaught errors of the pages' scripts since the last check, (path, error), of views open
    # or closed since (a view's draw that throws leaves it half drawn): no_page_errors.
    page_errors: list[tuple[str, str]] = []

    def __init__(self, page: Any, server: JupyterServer, path: str):
        self.page = page
        self.server = server
        self.path = path
        self._kernel: Kernel | None = None
        page.on("pageerror", self._page_error)

    def _page_error(self, error: Any) -> None:
        """Keep an uncaught error unless only Jupyter's own bundles threw it (their frames are
        all under /static/; the package's views run from the blob: URLs anywidget makes)."""
        stack = error.stack or ""
        if "/static/" in stack and "blob:" not in stack:
            return
        NotebookView.page_errors.append((self.path, f"{error.name}: {error.message}\n{stack}"))

    def wait_for_kernel(self) -> None:
        """Wait until the notebook's kernel is idle, accepting any dialog on the way."""
        for _ in range(5):
            state = self.page.wait_for_function(KERNEL_STATE_JS, arg=self.path).json_value()
            if state == "idle":
                return
            self.page.locator(".jp-Dialog .jp-mod-accept").click()
        raise RuntimeError(f"dialogs kept appearing while opening {self.path}")

    def run_all(self) -> None:
        """Run every cell and wait until all have run; fail on any error output."""
        self.wait_for_kernel()
        cells = self.page.evaluate(RUN_ALL_JS)
        errors = [error for cell in cells for error in cell["errors"]]
        if errors:
            raise KernelError("; ".join(f"{error['ename']}: {error['evalue']}" for error in errors))
        not_run = [n for n, cell in enumerate(cells) if cell["count"] is None]
        assert not not_run, f"code cells {not_run} of {self.path} did not run"

    def click_svg(self, selector: str) -> None:
        """Click an SVG element (such as an edge) where no other element is drawn over it.

        Playwright clicks the middle of an element's bounding box, which for crossing edges of
        a network is often another edge; this clicks a point on the element's own outline.
        """
        element = self.page.locator(selector)
        element.scroll_into_view_if_needed()
        # Something may cover the page for a moment (JupyterLab's splash while a theme loads).
        point = poll(
            lambda: element.evaluate(CLEAR_POINT_JS),
            timeout=10,
            what=f"a point of {selector} that no other element covers",
        )
        self.page.mouse.click(point["x"], point["y"])

    @property
    def kernel(self) -> Kernel:
        """A client connected to this notebook's kernel (the same process that ran its cells)."""
        if self._kernel is None:
            kernel_id = self.server.session(self.path)["kernel"]["id"]
            self._kernel = Kernel(self.server.runtime_dir / f"kernel-{kernel_id}.json")
        return self._kernel

    def screenshot(self, name: str, target: Any = None) -> Path:
        """Save a PNG of ``target`` (a locator; the whole page if None) to test-artifacts/.

        A target taller than the window is shot whole: the window grows for the shot.
        """
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{artifact_name(name)}.png"
        if target is None:
            self.page.screenshot(path=str(path))
            return path
        viewport = self.page.viewport_size
        height = target.evaluate("element => element.scrollHeight")
        try:
            if height + 200 > viewport["height"]:
                self.page.set_viewport_size({**viewport, "height": height + 200})
            target.scroll_into_view_if_needed()
            target.screenshot(path=str(path))
        finally:
            self.page.set_viewport_size(viewport)
        return path

    def close(self) -> None:
        if self._kernel is not None:
            self._kernel.close()
        with contextlib.suppress(Exception):
            session = self.server.session(self.path)
            self.server.api(f"/api/sessions/{session['id']}", method="DELETE")
        self.page.context.close()


def notebook_url(server: JupyterServer, path: str, workspace: str) -> str:
    """Where ``path`` opens: a fresh JupyterLab workspace, or Notebook 7's notebook page."""
    if server.app == "lab":
        return f"{server.url}/lab/workspaces/{workspace}/tree/{path}?reset"
    return f"{server.url}/notebooks/{path}"


@contextlib.contextmanager
def notebook_page(
    browser: Any,
    server: JupyterServer,
    path: str,
    workspace: str = "test",
    viewport: dict | None = None,
) -> Iterator[NotebookView]:
    """Open ``path`` in a new browser context (of ``VIEWPORT`` unless ``viewport`` is given);
    yield it once its kernel is idle.

    On exit the page closes and the notebook's kernel shuts down, so a training loop left running
    by one test module does not slow the next one down.
    """
    context = browser.new_context(viewport=viewport or VIEWPORT)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    view = NotebookView(page, server, path)
    NotebookView.open_views.append(view)
    try:
        page.goto(notebook_url(server, path, workspace))
        view.wait_for_kernel()
        page.evaluate("() => window.jupyterapp.shell.collapseLeft?.()")  # room for the widget
        yield view
    except BaseException:
        with contextlib.suppress(Exception):
            test = os.environ.get("PYTEST_CURRENT_TEST", path).split("::")[-1].split(" ")[0]
            view.screenshot(f"{test}-failure")
        raise
    finally:
        NotebookView.open_views.remove(view)
        view.close()


@pytest.fixture(autouse=True)
def no_page_errors() -> Iterator[None]:
    """Fail the test in whose time a page open for it threw an uncaught error."""
    yield
    errors = NotebookView.page_errors[:]
    NotebookView.page_errors.clear()
    if errors:
        pytest.fail(f"uncaught errors in the page: {errors}")


@contextlib.contextmanager
def running_notebook(
    browser: Any,
    server: JupyterServer,
    name: str,
    *cells: str,
    ready: str = ".bw-network [data-weight]",
    viewport: dict | None = None,
) -> Iterator[NotebookView]:
    """``cells`` as the notebook ``name``.ipynb, opened in workspace ``name`` and run; yielded
    once an element matching ``ready`` is attached (the playground's first edge by default)."""
    path = server.write_notebook(f"{name}.ipynb", *cells)
    with notebook_page(browser, server, path, workspace=name, viewport=viewport) as view:
        view.run_all()
        view.page.locator(ready).first.wait_for(state="attached")
        yield view


@pytest.fixture(scope="session")
def open_running() -> Callable[..., contextlib.AbstractContextManager[NotebookView]]:
    """``with open_running(browser, server, name, *cells, ready=…) as view:`` (see
    ``running_notebook``)."""
    return running_notebook


@pytest.fixture(scope="session")
def open_notebook() -> Callable[..., contextlib.AbstractContextManager[NotebookView]]:
    """``with open_notebook(browser, server, path, workspace) as view:`` (see ``notebook_page``)."""
    return notebook_page


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """``screenshot(view, target=None, suffix="")`` saves a PNG named after the running test."""

    def take(view: NotebookView, target: Any = None, suffix: str = "") -> Path:
        name = request.node.name + (f"-{suffix}" if suffix else "")
        return view.screenshot(name, target)

    return take
