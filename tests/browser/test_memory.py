"""Flat memory while the playground plays: the browser's heap must not grow through a lecture.

Spiral data on [2, 8, 8, 1], a weight selected (its derivation is redrawn once a second while
training plays) and the step-through demo open: after a warm-up, the heap the page retains
after garbage collection may grow by at most ``HEAP_BOUND_MIB`` over two minutes of play. This
is a memory bound, not a timing bound: how fast the machine trains does not change the verdict,
only that it trains at all (the epochs grow).

The measuring helpers are here for ``benchmarks/long_play.py``, which loads this file by path
and plays the same notebook for an hour.
"""

from __future__ import annotations

import ast
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyter_client import BlockingKernelClient
from playwright.sync_api import expect

MIB = 2**20
NOTEBOOK = "memory.ipynb"
PLAYGROUND_CELL = """import backprop_widgets as bw
pg = bw.Playground(dataset="spiral", hidden=[8, 8])
pg"""
WEIGHT = "0,0,0"  # θ¹₁₁, as the diagram's data-weight key; pg.selected == (0, 0, 0)
WARM_UP_SECONDS = 20  # caches, JIT code and the loss curve's buffer fill up first
PLAY_SECONDS = 125  # from pressing Play to the last reading (at least two minutes)
READING_EVERY = 21  # seconds between two readings: at 20, 41, … 125 s (all shown on failure)
HEAP_BOUND_MIB = 10.0
REQUEST_TIMEOUT = 60  # seconds for the kernel to answer one request


# ----------------------------------------------------------------------------- the readings


class BrowserHeap:
    """The memory one page retains, read through a Chrome DevTools Protocol session.

    Only readings taken right after a forced garbage collection are compared: a raw reading
    also counts garbage not collected yet, which comes and goes with the collector's mood.
    """

    def __init__(self, page: Any):
        self.cdp = page.context.new_cdp_session(page)

    def collect(self) -> None:
        # Twice: the first collection runs finalizers and weak callbacks that free more.
        for _ in range(2):
            self.cdp.send("HeapProfiler.collectGarbage")

    def retained(self) -> dict[str, float]:
        """After a full collection: the JS heap in use and Blink's own (DOM) heap, in MiB,
        and the page's DOM nodes and JS event listeners (those still reachable or not freed)."""
        self.collect()
        usage = self.cdp.send("Runtime.getHeapUsage")
        counters = self.cdp.send("Memory.getDOMCounters")
        return {
            "js_heap": usage["usedSize"] / MIB,
            "dom_heap": usage.get("embedderHeapUsedSize", 0) / MIB,
            "nodes": counters["nodes"],
            "listeners": counters["jsEventListeners"],
        }


def renderers_rss(browser: Any) -> float:
    """The resident memory of all of Chromium's renderer processes together, in MiB (read in
    /proc; the browser runs on this machine)."""
    cdp = browser.new_browser_cdp_session()
    try:
        processes = cdp.send("SystemInfo.getProcessInfo")["processInfo"]
    finally:
        cdp.detach()
    total = 0
    for process in processes:
        if process["type"] != "renderer":
            continue
        try:
            status = Path(f"/proc/{process['id']}/status").read_text()
        except OSError:  # it ended meanwhile
            continue
        total += next(int(line.split()[1]) for line in status.splitlines() if line[:6] == "VmRSS:")
    return total / 1024


class QuietKernel:
    """A client of a notebook's kernel that listens on its shell channel only.

    The harness's ``Kernel`` subscribes to the kernel's IOPub, where a playing playground
    publishes dozens of widget messages a second. Left unread for a while, that subscription's
    queue fills up and ZeroMQ drops what comes next, the status and output of one's own
    requests among them, so an ``eval`` then times out. This client has no IOPub at all: values
    come back in the ``user_expressions`` of the execute reply.
    """

    def __init__(self, connection_file: Path):
        self.client = BlockingKernelClient(connection_file=str(connection_file))
        self.client.load_connection_file()
        self.client.start_channels(iopub=False, stdin=False, hb=False, control=False)

    @classmethod
    def of(cls, view: Any) -> QuietKernel:
        """A quiet client of the kernel behind a harness ``NotebookView``."""
        kernel_id = view.server.session(view.path)["kernel"]["id"]
        return cls(view.server.runtime_dir / f"kernel-{kernel_id}.json")

    def _execute(self, code: str, expressions: dict[str, str]) -> dict:
        msg_id = self.client.execute(
            code,
            silent=True,
            store_history=False,
            user_expressions=expressions,
            allow_stdin=False,
        )
        deadline = time.monotonic() + REQUEST_TIMEOUT
        while True:
            reply = self.client.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content["status"] != "ok":
            raise RuntimeError(f"{code!r} raised {content.get('ename')}: {content.get('evalue')}")
        return content["user_expressions"]

    def run(self, code: str) -> None:
        """Execute ``code`` in the kernel (its output, if any, goes nowhere)."""
        self._execute(code, {})

    def eval(self, expression: str) -> Any:
        """The value of a Python expression in the kernel, round-tripped through JSON."""
        found = self._execute("", {"value": f"__import__('json').dumps({expression})"})["value"]
        if found["status"] != "ok":
            raise RuntimeError(f"{expression!r} raised {found['ename']}: {found['evalue']}")
        return json.loads(ast.literal_eval(found["data"]["text/plain"]))

    def wait_for(
        self, expression: str, predicate: Callable[[Any], bool], timeout: float = 30
    ) -> Any:
        deadline = time.monotonic() + timeout
        while not predicate(value := self.eval(expression)):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{expression} is still {value!r} after {timeout} s")
            time.sleep(0.1)
        return value

    def rss(self) -> float:
        """The kernel process's resident memory (VmRSS), in MiB."""
        return (
            self.eval(
                "int(__import__('re').search(r'VmRSS:\\s+(\\d+)', "
                "open('/proc/self/status').read()).group(1))"
            )
            / 1024
        )

    def close(self) -> None:
        self.client.stop_channels()


# ----------------------------------------------------------------------------- the scene


def edge(key: str) -> str:
    return f'.bw-network [data-weight="{key}"]'


def start_playing(view: Any) -> QuietKernel:
    """Run the notebook, click ``WEIGHT``, open the demo's panel, press Play; return a quiet
    client of the kernel for what comes next (the harness's own is closed before Play)."""
    page = view.page
    view.run_all()
    page.locator(edge(WEIGHT)).wait_for(state="attached")
    view.click_svg(edge(WEIGHT))
    view.kernel.wait_for("pg.selected", lambda selected: selected == [0, 0, 0])
    # "Step through one update", the first panel of the accordion.
    page.locator(".bw-panels .jupyter-widget-Collapse-header").first.click()
    view.kernel.wait_for("pg.panels.selected_index", lambda index: index == 0)
    page.locator(".bw-demo .bw-phase").wait_for()
    derivation = f'.bw-derivation .bw-derivation-body[data-weight="{WEIGHT}"] math'
    page.locator(derivation).first.wait_for()
    kernel = QuietKernel.of(view)
    # The harness's client would now sit on IOPub unread: the kernel would queue up to ZeroMQ's
    # high-water mark of widget messages (megabytes) for it, and count them in its RSS.
    view.kernel.close()
    play = page.locator(".bw-play")
    play.click()
    expect(play).to_contain_text("Pause")
    return kernel


def stop_playing(view: Any, kernel: QuietKernel) -> None:
    play = view.page.locator(".bw-play")
    play.click()
    expect(play).to_contain_text("Play")
    kernel.wait_for("pg.playing", lambda playing: playing is False)


def derivation_text(page: Any) -> str:
    return page.locator(".bw-derivation .bw-derivation-body").first.text_content()


# ----------------------------------------------------------------------------- the test


def test_heap_stays_flat_through_two_minutes_of_play(browser, lab_server, open_notebook):
    path = lab_server.write_notebook(NOTEBOOK, PLAYGROUND_CELL)
    with open_notebook(browser, lab_server, path, workspace="memory") as view:
        page = view.page
        kernel = start_playing(view)
        started = time.monotonic()
        try:
            heap = BrowserHeap(page)
            readings: list[tuple[float, dict]] = []
            for at in range(WARM_UP_SECONDS, PLAY_SECONDS + 1, READING_EVERY):
                time.sleep(max(0.0, started + at - time.monotonic()))
                readings.append((time.monotonic() - started, heap.retained()))
                if len(readings) == 1:  # the warm-up's end: what the end is compared with
                    warm_epoch, warm_derivation = kernel.eval("pg.epoch"), derivation_text(page)
            end_epoch, end_derivation = kernel.eval("pg.epoch"), derivation_text(page)
            assert kernel.eval("pg.playing") is True, "the playground stopped playing"
        finally:
            stop_playing(view, kernel)
            kernel.close()

    warm, end = readings[0][1], readings[-1][1]
    growth = end["js_heap"] - warm["js_heap"]
    trail = ", ".join(f"{s:.0f} s: {r['js_heap']:.1f}" for s, r in readings)
    print(
        f"\nheap after GC (MiB) {trail}; growth {growth:+.2f} MiB over "
        f"{readings[-1][0] - readings[0][0]:.0f} s; epochs {warm_epoch} -> {end_epoch}; "
        f"DOM nodes {warm['nodes']} -> {end['nodes']}, "
        f"listeners {warm['listeners']} -> {end['listeners']}"
    )
    assert readings[-1][0] >= 120, "the play should last at least two minutes"
    assert end_epoch > warm_epoch, f"the playground did not train: epoch {warm_epoch} both times"
    assert end_derivation != warm_derivation, "the derivation was not redrawn while playing"
    assert growth <= HEAP_BOUND_MIB, (
        f"the heap retained after GC grew by {growth:.1f} MiB (bound {HEAP_BOUND_MIB}): {trail}"
    )
