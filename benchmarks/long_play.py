"""A long lecture in a real browser: does memory grow while the playground plays?

Run from the repository root (needs ``pip install -e ".[test]"`` and Debian's chromium)::

    .venv/bin/python benchmarks/long_play.py [--minutes 60] [--every 60]

The script starts its own ``jupyter lab`` on a free loopback port and a headless Chromium with
the browser tests' harness (``tests/browser/conftest.py``, loaded by path), and plays the
notebook of the memory test (``tests/browser/test_memory.py``, loaded by path for its scene and
its readings): spiral data on [2, 8, 8, 1], the weight θ¹₁₁ clicked (its derivation is redrawn
once a second while playing), the step-through demo's panel open, Play pressed. Then, every
``--every`` seconds for ``--minutes`` minutes (an hour by default), it reads:

- the epochs trained so far (``pg.epoch``);
- the page's JS heap retained after a forced garbage collection (CDP
  ``HeapProfiler.collectGarbage``, then ``Runtime.getHeapUsage``'s ``usedSize``): the figure
  the memory test bounds;
- Blink's own heap after that collection (``embedderHeapUsedSize``: DOM, layout, styles) and
  the page's DOM nodes (``Memory.getDOMCounters``);
- the resident memory of all of Chromium's renderer processes (``VmRSS`` in ``/proc``);
- the kernel's resident memory (``VmRSS`` of ``/proc/self/status``, read in the kernel).

It prints a Markdown table of the readings and a summary: each figure's growth per hour, the
least-squares slope over the readings after the first minute (the warm-up). It is a
benchmark, not a test: nothing is asserted.

Reading the renderers' RSS: Playwright drives Chromium through DevTools with the Network domain
on, and DevTools then keeps a copy of every resource the page loads, up to 200 MB (Chromium's
default buffer), the decision surface's ``data:`` image (5 a second) included. So under this
script the renderers grow by up to that much in the first minutes and then stop; a browser
with no DevTools attached keeps no such copies. Chromium's cache of decoded images (discardable,
with a fixed budget) also fills up in the first minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

from reporting import (
    find_chromium,
    lab_and_chromium,
    load_module,
    progress,
    reproduce_command,
    slope_per_hour,
)

ROOT = Path(__file__).resolve().parent.parent
MEMORY_TEST_PATH = ROOT / "tests" / "browser" / "test_memory.py"
WARM_UP_MINUTES = 1.0  # readings before this are left out of the slopes

COLUMNS = {  # key: (heading, digits)
    "js_heap": ("JS heap after GC (MiB)", 1),
    "dom_heap": ("Blink heap after GC (MiB)", 1),
    "nodes": ("DOM nodes", 0),
    "renderers": ("renderers' RSS (MiB)", 0),
    "kernel": ("kernel RSS (MiB)", 1),
}


def play(memory: Any, browser: Any, view: Any, minutes: float, every: float) -> list[dict]:
    """Press Play in ``view`` and read every ``every`` seconds for ``minutes``; then pause."""
    kernel = memory.start_playing(view)
    started = time.monotonic()
    heap = memory.BrowserHeap(view.page)
    rows = []
    try:
        for n in range(int(minutes * 60 // every) + 1):
            time.sleep(max(0.0, started + n * every - time.monotonic()))
            row = {"minute": (time.monotonic() - started) / 60, **heap.retained()}
            row["renderers"] = memory.renderers_rss(browser)
            row["kernel"] = kernel.rss()
            row["epoch"] = kernel.eval("pg.epoch")
            row["playing"] = kernel.eval("pg.playing")
            rows.append(row)
            progress(
                f"minute {row['minute']:.1f}: epoch {row['epoch']}, JS heap "
                f"{row['js_heap']:.1f} MiB, kernel {row['kernel']:.1f} MiB"
            )
            if not row["playing"]:
                progress("the playground stopped playing; no more readings")
                break
    finally:
        with contextlib.suppress(Exception):
            memory.stop_playing(view, kernel)
        kernel.close()
    return rows


def report(rows: list[dict], about: str, began: float, load_before: float) -> str:
    lines = [
        "# backprop_widgets in the browser: memory through a long play\n",
        f"reproduce:\n\n    {reproduce_command(__file__)}\n",
        f"python {platform.python_version()} on {platform.platform()}, {os.cpu_count()} cores",
        f"{about}; JupyterLab and Chromium started by this script, headless",
        f"load average {load_before:.2f} at start, {os.getloadavg()[0]:.2f} at the end; "
        f"{time.perf_counter() - began:.0f} s in all\n",
        "Spiral [2, 8, 8, 1], θ¹₁₁ selected, the demo's panel open, playing from minute 0.\n",
        "| minute | epochs | " + " | ".join(head for head, _ in COLUMNS.values()) + " |",
        "|---:|---:|" + "---:|" * len(COLUMNS),
    ]
    for row in rows:
        cells = [f"{row['minute']:.1f}", f"{row['epoch']:,}"]
        cells += [f"{row[key]:,.{digits}f}" for key, (_, digits) in COLUMNS.items()]
        lines.append("| " + " | ".join(cells) + " |")
    warm = [row for row in rows if row["minute"] >= WARM_UP_MINUTES - 0.05]
    growth = []
    for key, (head, digits) in COLUMNS.items():
        per_hour = slope_per_hour([(row["minute"], row[key]) for row in warm])
        unit = "" if key == "nodes" else " MiB"
        name = head.split(" (")[0]
        growth.append(f"{name} {per_hour:+,.{max(digits, 1)}f}{unit}/h")
    if len(warm) < 2:
        lines += ["", "**Growth per hour**: too few readings after the warm-up for a slope."]
    else:
        span = f"minutes {warm[0]['minute']:.0f}…{warm[-1]['minute']:.0f}"
        lines += [
            "",
            f"**Growth per hour** (least-squares slope over {span}, after the warm-up): "
            + "; ".join(growth)
            + ".",
        ]
    if rows and not rows[-1]["playing"]:
        lines.append("\n**The playground stopped playing before the end.**")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0, help="how long to play")
    parser.add_argument("--every", type=float, default=60.0, help="seconds between readings")
    args = parser.parse_args(argv)

    chromium = find_chromium()
    if chromium is None:
        return 2
    harness = load_module("browser_harness")
    memory = load_module("memory_test", MEMORY_TEST_PATH)

    began = time.perf_counter()
    load_before = os.getloadavg()[0]
    with contextlib.ExitStack() as stack:
        server, browser, about = lab_and_chromium(stack, harness, chromium, "bw-long-play-")
        path = server.write_notebook("long-play.ipynb", memory.PLAYGROUND_CELL)
        with harness.notebook_page(browser, server, path, workspace="long-play") as view:
            progress(f"playing for {args.minutes:g} minutes")
            rows = play(memory, browser, view, args.minutes, args.every)
    print(report(rows, about, began, load_before))
    return 0


if __name__ == "__main__":
    sys.exit(main())
