"""The playground as a Voila app: it renders without code, a click derives the weight as MathML,
training runs, and nothing the widget needs comes from the internet.

Voila runs the notebook ``pg = bw.Playground(); pg`` in a kernel of its own for each page load
and shows only the outputs: what a lecturer hands out as an app.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest
from conftest import (
    ARTIFACTS,
    CLEAR_POINT_JS,
    PAGE_TIMEOUT_MS,
    SERVER_START_TIMEOUT,
    VIEWPORT,
    free_port,
    poll,
)
from playwright.sync_api import expect

pytest.importorskip("voila", reason="voila is not installed (pip install -e '.[test]')")

PLAYGROUND_CELL = "import backprop_widgets as bw\npg = bw.Playground()\npg"
# Voila's page template asks a CDN for Font Awesome's CSS; ipywidgets bundles the icons itself,
# so the buttons keep them offline. Anything else fetched off this machine is a failure.
KNOWN_CDN = ("cdn.jsdelivr.net/npm/@fortawesome/",)


def _listening(port: int, process: subprocess.Popen, log: Path) -> bool:
    if process.poll() is not None:
        raise RuntimeError(f"voila exited with {process.returncode}:\n{log.read_text()}")
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory: pytest.TempPathFactory):
    """``voila playground.ipynb`` on a free loopback port, with its own Jupyter directories.

    Readiness is a listening port: a GET of the page would already start a kernel.
    """
    base = tmp_path_factory.mktemp("voila")
    dirs = {name: base / name for name in ("root", "config", "data", "runtime", "ipython")}
    for path in dirs.values():
        path.mkdir()
    notebook = dirs["root"] / "playground.ipynb"
    nbformat.write(
        nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell(PLAYGROUND_CELL)],
            metadata={
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
            },
        ),
        notebook,
    )
    port = free_port()
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
        "JUPYTER_CONFIG_DIR": str(dirs["config"]),
        "JUPYTER_DATA_DIR": str(dirs["data"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
        "IPYTHONDIR": str(dirs["ipython"]),
    }
    command = [
        sys.executable, "-m", "voila", str(notebook),
        "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
    ]  # fmt: skip
    log = base / "voila.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        poll(lambda: _listening(port, process, log), SERVER_START_TIMEOUT, f"voila on {port}")
        yield f"http://127.0.0.1:{port}/"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)  # voila shuts its kernels down on SIGTERM
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


@pytest.fixture(scope="module")
def app(browser, voila_url):
    """The Voila page, once the playground's diagram is drawn; ``app.external`` lists every
    request that left this machine."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    page.external = []
    page.on(
        "request",
        lambda request: (
            page.external.append(request.url)
            if urlparse(request.url).hostname not in ("127.0.0.1", "localhost", None)
            and not request.url.startswith(("data:", "blob:"))
            else None
        ),
    )
    try:
        page.goto(voila_url)
        expect(page.locator(".bw-network [data-weight]")).to_have_count(9, timeout=90_000)
        yield page
    except BaseException:
        shoot(page, "voila-failure")
        raise
    finally:
        context.close()


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with contextlib.suppress(Exception):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def click_edge(page, key: str) -> None:
    """Click an edge on its own outline (not where another edge crosses it)."""
    element = page.locator(f'.bw-network [data-weight="{key}"]')
    element.scroll_into_view_if_needed()
    point = element.evaluate(CLEAR_POINT_JS)
    assert point is not None, f"no point of edge {key} can be clicked"
    page.mouse.click(point["x"], point["y"])


def test_voila_shows_the_playground_without_its_code(app):
    expect(app.locator(".bw-network [data-node]")).to_have_count(5 + 2)  # and the bias units
    expect(app.locator(".bw-network")).to_have_attribute("data-epoch", "0")
    expect(app.locator(".bw-play")).to_be_visible()
    expect(app.get_by_text("bw.Playground()")).to_have_count(0)


def test_voila_click_on_an_edge_draws_its_derivation(app):
    click_edge(app, "0,1,bias")
    expect(app.locator('.bw-network [data-weight="0,1,bias"]')).to_contain_class("bw-selected")
    math = app.locator('.bw-derivation [data-weight="0,1,bias"] math')
    math.first.wait_for()  # MathML written by the package: no MathJax, nothing fetched
    expect(app.locator(".bw-weight")).to_contain_text("θ¹₂₀")
    shoot(app, "voila-derivation")


def test_voila_trains_an_epoch(app):
    app.locator(".bw-step-epoch").click()
    expect(app.locator(".bw-network")).to_have_attribute("data-epoch", "1")


def test_voila_fetches_nothing_the_playground_needs_from_the_internet(app):
    unexpected = [url for url in app.external if not any(cdn in url for cdn in KNOWN_CDN)]
    assert unexpected == [], f"requests left this machine: {unexpected}"
