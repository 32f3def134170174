"""What the browser benchmarks print alike: how to run them again, the versions, a slope."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BROWSER_HARNESS = ROOT / "tests" / "browser" / "conftest.py"  # JupyterServer, notebook_page, …


def load_module(name: str, path: Path = BROWSER_HARNESS) -> Any:
    """A Python file as a module (the browser tests' folder is no package): by default the
    browser tests' conftest.py."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def progress(text: str) -> None:
    """A time-stamped line on stderr, while the report goes to stdout."""
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def reproduce_command(script: str) -> str:
    """The shell line that runs ``script`` (a benchmark's ``__file__``) again, as it was run."""
    exe = Path(os.path.abspath(sys.executable))  # not resolved: keep the venv's own path
    with contextlib.suppress(ValueError):
        exe = exe.relative_to(ROOT)
    relative = os.path.relpath(Path(script).resolve(), ROOT)
    args = "".join(f" {shlex.quote(a)}" for a in sys.argv[1:])
    return f"cd {shlex.quote(str(ROOT))} && {shlex.quote(str(exe))} {relative}{args}"


def find_chromium() -> str | None:
    """Debian's chromium, or None after saying how to install it."""
    import shutil

    path = shutil.which("chromium")
    if path is None:
        print("chromium is not installed; `make chromium` installs Debian's package")
    return path


def lab_and_chromium(
    stack: contextlib.ExitStack, harness: Any, chromium: str, prefix: str = "bw-bench-"
) -> tuple[Any, Any, str]:
    """A ``jupyter lab`` in a new temporary folder and a headless Chromium, both stopped when
    ``stack`` closes: (server, browser, the versions line)."""
    import tempfile

    from playwright.sync_api import sync_playwright

    base = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=prefix)))
    progress("starting jupyter lab")
    server = harness.JupyterServer.start("lab", base)
    stack.callback(server.stop)
    playwright = stack.enter_context(sync_playwright())
    browser = playwright.chromium.launch(
        executable_path=chromium, headless=True, args=harness.CHROMIUM_ARGS
    )
    stack.callback(browser.close)
    return server, browser, versions(browser)


def versions(browser: Any) -> str:
    """The package, JupyterLab, the widget libraries, Playwright and Chromium, with versions."""
    from importlib.metadata import version

    packages = ("backprop_widgets", "jupyterlab", "ipywidgets", "anywidget", "playwright")
    return ", ".join(f"{name} {version(name)}" for name in packages) + (
        f", chromium {browser.version}"
    )


def slope_per_hour(points: list[tuple[float, float]]) -> float:
    """The least-squares slope of (minute, value) points, per hour; NaN for fewer than two."""
    if len(points) < 2:
        return float("nan")
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return 60 * sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else float("nan")
