"""The renderers' memory of a Chromium that no DevTools client drives, while a playground plays.

``long_play.py`` reads the page's heaps through DevTools, and Playwright's DevTools session
records the network, which keeps a copy of every image the page loads: the renderers' RSS it
reports grows for that reason alone. This script leaves DevTools out. It serves a notebook that
builds the long-play scene and presses Play itself (spiral data on [2, 8, 8, 1], θ¹₁₁ selected,
the demo's panel open) with Voila, opens it in a headless Chromium started with no remote
debugging, and reads the ``VmRSS`` of that Chromium's renderer processes from ``/proc`` every
``--every`` seconds. Run from the repository root::

    .venv/bin/python benchmarks/voila_memory.py [--minutes 30] [--every 60] [--speed 50]

``--speed`` is the dial's epochs per second (0 for as fast as it goes). It prints one line per
reading and the least-squares growth per hour after the first ``--warm-up`` minutes. A benchmark,
not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reporting import slope_per_hour  # benchmarks/reporting.py

ROOT = Path(__file__).resolve().parent.parent
SCENE = """import backprop_widgets as bw
pg = bw.Playground(dataset="spiral", hidden=[8, 8], epochs_per_second={speed})
pg.selected = (0, 0, 0)
pg.panels.selected_index = 0
pg.play()
pg"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def renderers_rss_mib(profile: str) -> float:
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            cmdline = (status.parent / "cmdline").read_bytes().decode(errors="replace")
            if "--type=renderer" not in cmdline or profile not in cmdline:
                continue
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--every", type=float, default=60.0, help="seconds between readings")
    parser.add_argument("--speed", type=float, default=50.0, help="epochs/s; 0: as fast as it goes")
    parser.add_argument("--warm-up", type=float, default=5.0, help="minutes left out of the slope")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium")
    voila = Path(sys.executable).with_name("voila")
    if not chromium or not voila.exists():
        print("needs Debian's chromium and voila (pip install -e '.[test]')")
        return 1
    work = Path(tempfile.mkdtemp(prefix="bw-voila-memory-"))
    speed = "None" if args.speed == 0 else repr(args.speed)
    cell = {"cell_type": "code", "execution_count": None, "id": "scene", "metadata": {},
            "outputs": [], "source": SCENE.format(speed=speed)}  # fmt: skip
    notebook = {"cells": [cell], "metadata": {"kernelspec": {"name": "python3",
                "display_name": "Python 3", "language": "python"}}, "nbformat": 4,
                "nbformat_minor": 5}  # fmt: skip
    (work / "scene.ipynb").write_text(json.dumps(notebook))
    port, profile = free_port(), str(work / "profile")
    server = subprocess.Popen(
        [str(voila), "scene.ipynb", f"--port={port}", "--no-browser"],
        cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    browser = None
    # Stopped early (kill, or Ctrl-C where a shell ignores it), it still stops what it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        time.sleep(8)
        browser = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", f"--user-data-dir={profile}",
             "--window-size=1400,1000", f"http://127.0.0.1:{port}/"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        began, points = time.monotonic(), []
        while (minute := (time.monotonic() - began) / 60) <= args.minutes:
            rss = renderers_rss_mib(profile)
            print(f"minute {minute:5.1f}: renderers' RSS {rss:6.0f} MiB", flush=True)
            if minute >= args.warm_up:
                points.append((minute, rss))
            time.sleep(args.every)
        print(f"growth after minute {args.warm_up:g}: {slope_per_hour(points):+.0f} MiB an hour")
    finally:
        for process in (browser, server):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
