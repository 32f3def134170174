"""How fast the playground feels in a real browser: a click's derivation, and live training.

Run from the repository root (needs ``pip install -e ".[test]"`` and Debian's chromium)::

    .venv/bin/python benchmarks/browser_speed.py [--min-clicks 15] [--play-seconds 5] [--plays 3]

The script starts its own ``jupyter lab`` on a free loopback port and a headless Chromium, with
the browser tests' harness (``tests/browser/conftest.py``, loaded by path), and prints Markdown:
a table of medians against the targets, then the details behind them. It is a benchmark, not a
test: it never asserts on time, and a missed target is reported, not failed.

1. Click → derivation drawn. Notebooks ``pg = bw.Playground()`` ([2, 2, 1], XOR) and
   ``pg = bw.Playground(hidden=[4, 4])`` ([2, 4, 4, 1]). Every edge is clicked in turn, layers
   interleaved, so every click changes the selection; whole passes over all edges until at
   least ``--min-clicks`` clicks (at least two passes: the first click on an edge fills
   ``derive``'s cache for that parameter, a repeat finds it filled). One warm-up click before
   (it imports SymPy and compiles in the kernel) is reported apart. The time
   is taken inside the page with ``performance.now()``: from just before the click event is
   dispatched, at a point of the edge that ``elementFromPoint`` hits, until a MutationObserver
   sees ``.bw-derivation .bw-derivation-body[data-weight="<key>"] math``. Playwright's
   round trips are outside it. Targets: median ≤ 60 ms on [2, 2, 1], ≤ 100 ms on [2, 4, 4, 1].
   The details split each click: the edge drawn selected (kernel round trip and one render),
   the derivation's HTML in the page (kernel has derived), and its MathML drawn; plus how long the
   kernel spent showing the derivation (``Presenter.show_derivation``, timed by wrapping it on
   the instance, in the kernel; the package is not changed).
2. Play XOR online on [2, 2, 1] for ``--play-seconds``, ``--plays`` times at each setting of
   the speed dial (1, 10, 100 epochs/s and as fast as it goes), with nothing selected, then as
   fast as it goes with a weight selected (its derivation is then re-derived and redrawn about
   once a second while training). The page counts, between pressing Play and pressing Pause
   (both timed in the page, MutationObservers installed before): the frames in which the
   diagram's drawing changed (**view updates**: the kernel's frames and, at slow settings, the
   frames of the tween that moves the edges between two updates) and the changes of
   ``.bw-network``'s ``data-epoch``. The kernel's ``pg.play_stats`` (zeroed before) gives
   training steps per second (``updates / seconds``), the frames it sent and the share of the
   loop's time spent training; ``/proc`` gives the kernel's CPU time (user + system, all its
   threads) and its resident memory (RSS) at the end. Targets: ≥ 30 view updates/s at every
   setting, ≥ 15,000 training steps/s as fast as it goes, the dial's epochs/s within 20 %. The
   details add the gaps between epoch changes, the page's long tasks (PerformanceObserver
   "longtask": main-thread work over 50 ms), the derivations drawn while playing and the kernel's
   time per frame: training, refresh (building and sending the view update) and the rest (yielded
   to the kernel: messages from the page, derivations).
3. A gesture while playing as fast as it goes: ``--gestures`` clicks on edges in turn, each timed
   in the page from the click to the edge drawn selected (``.bw-selected``: the kernel received
   the click, derived the weight's derivation, which it sends first, and sent the diagram
   back) and to the weight's derivation drawn (its MathML in the panel), after one warm-up click
   (which imports SymPy). Targets: medians ≤ 100 ms and ≤ 150 ms.
4. The same play as fast as it goes with another process keeping one core fully busy (a Python
   busy loop started and stopped by this script), and with the kernel capped by
   ``pg.player.cpu_share`` at 0.5 and 0.25 (CPU, view updates, steps). Target with a busy core:
   ≥ 15 view updates/s.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from reporting import (  # benchmarks/reporting.py
    find_chromium,
    lab_and_chromium,
    load_module,
    progress,
    reproduce_command,
)

ROOT = Path(__file__).resolve().parent.parent

NETWORKS = {
    "[2, 2, 1]": "pg = bw.Playground()",
    "[2, 4, 4, 1]": "pg = bw.Playground(hidden=[4, 4])",
}
CLICK_TARGETS_MS = {"[2, 2, 1]": 60.0, "[2, 4, 4, 1]": 100.0}
VIEW_UPDATES_TARGET = 30.0  # per second, in the browser, at every dial setting
BUSY_CORE_TARGET = 15.0  # view updates per second with another process using one core fully
STEPS_TARGET = 15_000.0  # training steps per second, in the kernel, as fast as it goes
GESTURE_TARGET_MS = 100.0  # a click answered while playing
PLAYING_DERIVATION_TARGET_MS = 150.0  # a click's derivation drawn while playing
SPEEDS = (1.0, 10.0, 100.0, None)  # the dial's settings measured; None: as fast as it goes
CLICK_TIMEOUT_MS = 60_000  # the page gives up on one click's derivation after this
PLAY_WEIGHT = "1,0,1"  # the weight watched in the "selected" play runs, as the browser tests do


# -------------------------------------------------------------------------------- in the kernel

# Wraps the presenter's show_derivation (a click calls it; later requests go through its
# debounce) to record how long each derivation takes in the kernel: derive, the three-way check
# and the MathML. The playground's code is not changed.
INSTRUMENT = """
def _bw_time_derivations(pg, clock=__import__('time').perf_counter):
    show = pg.presenter.show_derivation
    pg.bench_derivations = []
    def timed():
        start = clock()
        show()
        pg.bench_derivations.append(clock() - start)
    pg.presenter.show_derivation = pg.presenter.derivation.action = timed
_bw_time_derivations(pg)
"""
TAKE_DERIVATIONS = "(lambda d: (list(d), d.clear())[0])(pg.bench_derivations)"
RESET_STATS = "pg.play_stats.update(dict.fromkeys(pg.play_stats, 0))"
LOOP_DONE = "not pg.playing and (pg.player._task is None or pg.player._task.done())"


# -------------------------------------------------------------------------------- in the page

# Keys of all edges, layers interleaved (l = 0, 1, 0, 1, ...), so neighbours differ.
EDGE_KEYS_JS = """() => {
  const byLayer = [];
  for (const edge of document.querySelectorAll('.bw-network [data-weight]')) {
    const key = edge.dataset.weight;
    const l = Number(key.split(',')[0]);
    (byLayer[l] = byLayer[l] || []).push(key);
  }
  const keys = [];
  for (let k = 0; k < Math.max(...byLayer.map(layer => layer.length)); k++) {
    for (const layer of byLayer) if (k < layer.length) keys.push(layer[k]);
  }
  return keys;
}"""

# Click the edge ``key`` at a point where it is not covered, then wait for its derivation to be
# typeset. All times are performance.now() in the page, from just before the click is dispatched.
CLICK_JS = """async ({ key, timeout }) => {
  const edgeSelector = `.bw-network [data-weight="${key}"]`;
  const bodySelector = `.bw-derivation .bw-derivation-body[data-weight="${key}"]`;
  const edge = document.querySelector(edgeSelector);
  const point = (CLEAR_POINT_JS)(edge);
  if (!point) throw new Error(`no point of ${key} can be clicked: others cover it`);
  const target = document.elementFromPoint(point.x, point.y);
  const root = document.querySelector('.bw-playground');
  const marks = {};
  let start = 0;
  const done = new Promise((resolve, reject) => {
    const check = () => {
      const now = performance.now();
      if (marks.selected === undefined && document.querySelector(`${edgeSelector}.bw-selected`))
        marks.selected = now;
      const body = document.querySelector(bodySelector);
      if (body && marks.html === undefined) marks.html = now;
      if (body && body.querySelector('math')) {
        marks.typeset = now;
        observer.disconnect();
        clearTimeout(timer);
        resolve();
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(root, {
      subtree: true, childList: true, attributes: true, attributeFilter: ['class'],
    });
    const timer = setTimeout(() => {
      observer.disconnect();
      const seen = JSON.stringify(marks);
      reject(new Error(`no drawn derivation of ${key} after ${timeout} ms; seen ${seen}`));
    }, timeout);
  });
  start = performance.now();
  target.dispatchEvent(new MouseEvent('click', {
    bubbles: true, cancelable: true, view: window, clientX: point.x, clientY: point.y,
  }));
  await done;
  // The frame after: when the typeset math can first be on screen.
  await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const painted = performance.now();
  const since = t => (t === undefined ? null : t - start);
  return {
    selected: since(marks.selected), html: since(marks.html), typeset: since(marks.typeset),
    painted: since(painted),
  };
}"""

# Record, from now on, every render of the network (data-epoch set), the changes of the epoch,
# derivations drawn in the derivation panel, and the page's long tasks.
PLAY_RECORD_JS = """() => {
  const root = document.querySelector('.bw-network');
  const derivation = document.querySelector('.bw-derivation');
  window.bwPlay?.stopRecording();
  const rec = window.bwPlay = {
    renders: [], changes: [], drawn: [], typesets: [], longTasks: [], start: null, stop: null,
  };
  const drawing = new MutationObserver(() => rec.drawn.push(performance.now()));
  drawing.observe(root, {
    subtree: true, attributes: true, attributeFilter: ['style', 'data-epoch'],
  });
  let last = root.dataset.epoch;
  const epochs = new MutationObserver(records => {
    const now = performance.now();
    records.forEach((record, k) => {
      const value = k + 1 < records.length ? records[k + 1].oldValue : root.dataset.epoch;
      rec.renders.push(now);
      if (value !== last) rec.changes.push(now);
      last = value;
    });
  });
  epochs.observe(root, {
    attributes: true, attributeFilter: ['data-epoch'], attributeOldValue: true,
  });
  const maths = new MutationObserver(records => {
    const now = performance.now();
    for (const record of records)
      for (const node of record.addedNodes)
        if (node.classList?.contains('bw-derivation-body')) rec.typesets.push(now);
  });
  maths.observe(derivation, { subtree: true, childList: true });
  const tasks = new PerformanceObserver(list => {
    for (const task of list.getEntries())
      rec.longTasks.push({ start: task.startTime, duration: task.duration });
  });
  tasks.observe({ type: 'longtask' });
  rec.stopRecording = () => {
    epochs.disconnect(); maths.disconnect(); tasks.disconnect(); drawing.disconnect();
  };
}"""

# Press Play or Pause, noting the time just before as window.bwPlay.start or .stop.
PRESS_PLAY_JS = """({ expected, mark }) => {
  const button = document.querySelector('.bw-play');
  if (!button.textContent.includes(expected))
    throw new Error(`the play button says ${button.textContent.trim()}, not ${expected}`);
  window.bwPlay[mark] = performance.now();
  button.click();
}"""

# Click the edge ``key`` (at a point no other edge covers) while training plays; resolve with the
# ms until it is drawn selected, and until its derivation is drawn (its MathML in the panel).
GESTURE_JS = """async ({ key, timeout }) => {
  const edge = document.querySelector(`.bw-network [data-weight="${key}"]`);
  const point = (CLEAR_POINT_JS)(edge);
  if (!point) throw new Error(`no point of ${key} can be clicked: others cover it`);
  const target = document.elementFromPoint(point.x, point.y);
  const drawn = `.bw-derivation .bw-derivation-body[data-weight="${key}"] math`;
  let start = 0;
  const result = {};
  const done = new Promise((resolve, reject) => {
    const check = () => {
      const now = performance.now() - start;
      const selected = edge.classList.contains('bw-selected');
      if (result.selected === undefined && selected) result.selected = now;
      if (result.derivation === undefined && document.querySelector(drawn)) result.derivation = now;
      if (result.selected === undefined || result.derivation === undefined) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve(result);
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, attributes: true,
                                      attributeFilter: ['class', 'data-weight'] });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`${key} not drawn selected with its derivation after ${timeout} ms`));
    }, timeout);
  });
  start = performance.now();
  target.dispatchEvent(new MouseEvent('click', {
    bubbles: true, cancelable: true, view: window, clientX: point.x, clientY: point.y,
  }));
  return await done;
}"""

PLAY_RESULT_JS = """() => {
  const rec = window.bwPlay;
  rec.stopRecording();
  const during = times => times.filter(t => t >= rec.start && t <= rec.stop);
  return {
    seconds: (rec.stop - rec.start) / 1000,
    renders: during(rec.renders).length,
    changes: during(rec.changes),
    drawn: during(rec.drawn).length,
    typesets: during(rec.typesets).length,
    longTasks: rec.longTasks.filter(t => t.start >= rec.start && t.start <= rec.stop),
  };
}"""


# -------------------------------------------------------------------------------- statistics


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0 … 100), interpolated between the order statistics."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def fmt(value: float, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{digits}f}"


# -------------------------------------------------------------------------------- the measures


def open_playground(
    harness: Any, browser: Any, server: Any, name: str, cell: str
) -> contextlib.AbstractContextManager:
    source = f"import backprop_widgets as bw\n{cell}\npg"
    stem = "bench-" + name.strip("[]").replace(", ", "-")
    path = server.write_notebook(f"{stem}.ipynb", source)
    return harness.notebook_page(browser, server, path, workspace=stem)


@contextlib.contextmanager
def playground_view(harness: Any, browser: Any, server: Any, name: str) -> Iterator[Any]:
    with open_playground(harness, browser, server, name, NETWORKS[name]) as view:
        view.run_all()
        view.page.locator(".bw-network [data-weight]").first.wait_for(state="attached")
        view.kernel.run(INSTRUMENT)
        yield view


def click(harness: Any, view: Any, key: str) -> dict:
    """One click on edge ``key``, timed in the page; with the kernel's derivation times."""
    view.page.locator(".bw-network svg").scroll_into_view_if_needed()
    script = CLICK_JS.replace("CLEAR_POINT_JS", harness.CLEAR_POINT_JS)
    times = view.page.evaluate(script, {"key": key, "timeout": CLICK_TIMEOUT_MS})
    times["kernel"] = [1e3 * s for s in view.kernel.eval(TAKE_DERIVATIONS)]
    selected = view.kernel.eval("pg.selected")
    if ",".join(map(str, selected)) != key:
        raise RuntimeError(f"clicked {key} but the kernel has {selected} selected")
    return times


def measure_clicks(harness: Any, view: Any, min_clicks: int) -> dict:
    keys = view.page.evaluate(EDGE_KEYS_JS)
    passes = max(2, -(-min_clicks // len(keys)))
    warmup = click(harness, view, keys[-1])
    clicks = []
    for n in range(passes):
        for key in keys:
            times = click(harness, view, key)
            clicks.append({**times, "key": key, "first": n == 0})
    return {"edges": len(keys), "passes": passes, "warmup": warmup, "clicks": clicks}


KERNEL_PROCESS = """(lambda os: [os.getpid(), os.sysconf('SC_CLK_TCK')])(__import__('os'))"""


def kernel_usage(pid: int, ticks: int) -> tuple[float, float]:
    """The kernel process's CPU seconds so far (user + system, all threads) and its RSS in MiB,
    read in /proc (the kernel runs on this machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    status = Path(f"/proc/{pid}/status").read_text()
    rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return cpu, rss / 1024


def speed_label(speed: float | None) -> str:
    if speed is None:
        return "as fast as it goes"
    return f"{speed:g} {'epoch' if speed == 1 else 'epochs'}/s"


def measure_play(
    view: Any, seconds: float, selected: str | None, speed: float | None = None
) -> dict:
    """Play XOR online from the initial weights for ``seconds`` at ``speed`` epochs/s (None: as
    fast as it goes); counts in the page and the kernel."""
    page, kernel = view.page, view.kernel
    kernel.run(f"pg.selected = {tuple(map(int, selected.split(','))) if selected else None}")
    kernel.run(
        f"pg.learning_rate = 0.5\npg.mode_select.value = 'online'\n"
        f"pg.epochs_per_second = {speed!r}\npg.reset()"
    )
    # reset re-derives 0.15 s later
    kernel.wait_for("pg.presenter.derivation._handle is None", bool)
    page.wait_for_function(
        """(selected) => {
          const root = document.querySelector('.bw-network');
          const body = document.querySelector('.bw-derivation .bw-derivation-body');
          if (root.dataset.epoch !== '0' || !body) return false;
          if (!selected) return body.classList.contains('bw-derivation-empty');
          return body.dataset.weight === selected && !!body.querySelector('math');
        }""",
        arg=selected,
    )
    pid, ticks = kernel.eval(KERNEL_PROCESS)
    kernel.run(f"{RESET_STATS}\npg.bench_derivations.clear()")
    page.evaluate(PLAY_RECORD_JS)
    cpu_start, _ = kernel_usage(pid, ticks)
    page.evaluate(PRESS_PLAY_JS, {"expected": "Play", "mark": "start"})
    page.locator(".bw-play").get_by_text("Pause").wait_for()
    time.sleep(seconds)  # the run itself: train while the page and the kernel count
    page.evaluate(PRESS_PLAY_JS, {"expected": "Pause", "mark": "stop"})
    cpu_stop, rss = kernel_usage(pid, ticks)
    kernel.wait_for(LOOP_DONE, bool)
    browser = page.evaluate(PLAY_RESULT_JS)
    stats = kernel.eval("pg.play_stats")
    derivations = [1e3 * s for s in kernel.eval(TAKE_DERIVATIONS)]
    epoch, updates = kernel.eval("[pg.session.epoch, pg.session.updates]")
    if not browser["drawn"]:
        raise RuntimeError("the diagram never changed while playing")
    changes = browser["changes"]
    gaps = [b - a for a, b in zip(changes, changes[1:])]
    long_tasks = [task["duration"] for task in browser["longTasks"]]
    frames = max(stats["frames"], 1)
    return {
        "selected": selected,
        "speed": speed,
        "page_seconds": browser["seconds"],
        "view_updates": browser["drawn"],
        "view_updates_per_s": browser["drawn"] / browser["seconds"],
        "epoch_changes_per_s": len(changes) / browser["seconds"],
        "renders": browser["renders"],
        "gap_median_ms": median(gaps),
        "gap_p90_ms": percentile(gaps, 90),
        "gap_max_ms": max(gaps, default=math.nan),
        "typesets": browser["typesets"],
        "long_tasks": len(long_tasks),
        "long_task_ms": sum(long_tasks),
        "long_task_max_ms": max(long_tasks, default=0.0),
        "kernel": stats,
        "steps_per_s": stats["updates"] / stats["seconds"],
        "epochs_per_s": stats["updates"] / 4 / stats["seconds"],
        "frames_per_s": stats["frames"] / stats["seconds"],
        "training_share": stats["training_seconds"] / stats["seconds"],
        "refresh_share": stats["refresh_seconds"] / stats["seconds"],
        "steps_per_training_s": stats["updates"] / max(stats["training_seconds"], 1e-9),
        "frame_split": ", ".join(
            f"{1e3 * seconds / frames:.1f}"
            for seconds in (
                stats["training_seconds"],
                stats["refresh_seconds"],
                stats["seconds"] - stats["training_seconds"] - stats["refresh_seconds"],
            )
        ),
        "kernel_cpu": (cpu_stop - cpu_start) / browser["seconds"],
        "kernel_rss_mib": rss,
        "derivations": len(derivations),
        "derivation_ms": sum(derivations),
        "epoch": epoch,
        "updates": updates,
    }


def measure_gestures(harness: Any, view: Any, count: int) -> list[dict]:
    """Clicks on edges in turn while XOR plays as fast as it goes: ms until each is drawn
    selected (``selected``) and until its derivation is drawn (``derivation``)."""
    page, kernel = view.page, view.kernel
    kernel.run("pg.selected = None\npg.epochs_per_second = None\npg.reset()")
    keys = page.evaluate(EDGE_KEYS_JS)
    page.evaluate(PLAY_RECORD_JS)
    page.evaluate(PRESS_PLAY_JS, {"expected": "Play", "mark": "start"})
    page.locator(".bw-play").get_by_text("Pause").wait_for()
    kernel.wait_for("pg.epoch", lambda epoch: epoch > 100)
    script = GESTURE_JS.replace("CLEAR_POINT_JS", harness.CLEAR_POINT_JS)
    times = []
    try:  # a warm-up click first: the kernel's first derivation imports SymPy
        page.evaluate(script, {"key": keys[-1], "timeout": CLICK_TIMEOUT_MS})
        for n in range(count):
            key = keys[n % len(keys)]
            times.append(page.evaluate(script, {"key": key, "timeout": CLICK_TIMEOUT_MS}))
            time.sleep(0.2)  # between two clicks, as a person's
    finally:
        page.evaluate(PRESS_PLAY_JS, {"expected": "Pause", "mark": "stop"})
        kernel.wait_for(LOOP_DONE, bool)
    return times


@contextlib.contextmanager
def busy_core() -> Iterator[None]:
    """Another process keeping one core fully busy (a Python busy loop), stopped afterwards."""
    process = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


# -------------------------------------------------------------------------------- the report


def met(value: float, target: float, at_most: bool) -> str:
    if math.isnan(value):
        return "—"
    return "yes" if (value <= target if at_most else value >= target) else "**no**"


class Table:
    def __init__(self) -> None:
        self.rows: list[list[str]] = []

    def add(self, *cells: str) -> None:
        self.rows.append(list(cells))

    def markdown(self) -> str:
        header = ["measure", "case", "n", "median", "spread", "target", "met"]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)


def click_rows(table: Table, name: str, result: dict) -> None:
    typeset = [c["typeset"] for c in result["clicks"]]
    target = CLICK_TARGETS_MS[name]
    table.add(
        "click → derivation drawn (ms)",
        name,
        str(len(typeset)),
        fmt(median(typeset)),
        f"p90 {fmt(percentile(typeset, 90))}",
        f"≤ {target:g}",
        met(median(typeset), target, at_most=True),
    )


def play_rows(table: Table, label: str, plays: list[dict], updates_target: float) -> None:
    def row(
        measure: str, key: str, digits: int, target: str = "", ok: Callable | None = None
    ) -> None:
        values = [play[key] for play in plays]
        spread = f"{fmt(min(values), digits)} … {fmt(max(values), digits)}"
        value = median(values)
        table.add(
            measure, label, str(len(values)), fmt(value, digits), spread, target,
            ok(value) if ok else "",
        )  # fmt: skip

    speed = plays[0]["speed"]
    row(
        "view updates/s (page)", "view_updates_per_s", 1, f"≥ {updates_target:g}",
        lambda v: met(v, updates_target, at_most=False),
    )  # fmt: skip
    if speed is None:
        row(
            "training steps/s (kernel)", "steps_per_s", 0, f"≥ {STEPS_TARGET:,.0f}",
            lambda v: met(v, STEPS_TARGET, at_most=False),
        )  # fmt: skip
    else:
        row(
            "epochs/s (kernel)", "epochs_per_s", 2, f"{speed:g} ± 20 %",
            lambda v: "yes" if abs(v - speed) <= 0.2 * speed else "**no**",
        )  # fmt: skip
    row("frames sent/s (kernel)", "frames_per_s", 1)
    row("kernel CPU (cores)", "kernel_cpu", 2)
    row("kernel RSS at the end (MiB)", "kernel_rss_mib", 0)


def click_details(name: str, result: dict) -> list[str]:
    clicks = result["clicks"]
    lines = [
        f"**{name}**: {result['edges']} edges × {result['passes']} passes = {len(clicks)} clicks"
        " (medians / p90, ms from the click):",
        "",
        "| clicks | n | edge drawn selected | derivation HTML in page | typeset | next frame "
        "| kernel `show_derivation` | MathML in the page (drawn − HTML) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    groups = [
        ("all", clicks),
        ("first on an edge", [c for c in clicks if c["first"]]),
        ("repeat", [c for c in clicks if not c["first"]]),
    ]
    for label, group in groups:
        cells = [label, str(len(group))]
        for key in ("selected", "html", "typeset", "painted"):
            values = [c[key] for c in group if c[key] is not None]
            cells.append(f"{fmt(median(values))} / {fmt(percentile(values, 90))}")
        kernel = [sum(c["kernel"]) for c in group]
        cells.append(f"{fmt(median(kernel), 1)} / {fmt(percentile(kernel, 90), 1)}")
        mathjax = [c["typeset"] - c["html"] for c in group]
        cells.append(f"{fmt(median(mathjax))} / {fmt(percentile(mathjax, 90))}")
        lines.append("| " + " | ".join(cells) + " |")
    warm = result["warmup"]
    lines += [
        "",
        f"warm-up click (SymPy imported and compiled in the kernel): drawn after "
        f"{fmt(warm['typeset'])} ms, kernel derivation {fmt(sum(warm['kernel']))} ms.",
        "",
    ]
    slowest = sorted(clicks, key=lambda c: c["typeset"], reverse=True)[:3]
    lines.append(
        "slowest clicks: "
        + "; ".join(
            f"{c['key']} ({'first' if c['first'] else 'repeat'}) {fmt(c['typeset'])} ms, "
            f"kernel {fmt(sum(c['kernel']))} ms, MathML {fmt(c['typeset'] - c['html'])} ms"
            for c in slowest
        )
    )
    lines.append("")
    return lines


def play_details(label: str, plays: list[dict]) -> list[str]:
    lines = [
        f"**play, {label}** (one line per run):",
        "",
        "| run | page s | view updates | epoch changes/s | epoch gap median / p90 / max ms "
        "| long tasks (n, total, max ms) | typesets | kernel frames | kernel ms/frame: training, "
        "refresh, rest | steps/s training only | kernel CPU | derivations in kernel (n, total ms) "
        "| epochs |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n, p in enumerate(plays, 1):
        lines.append(
            f"| {n} | {p['page_seconds']:.2f} | {p['view_updates']} "
            f"| {p['epoch_changes_per_s']:.1f} "
            f"| {fmt(p['gap_median_ms'])} / {fmt(p['gap_p90_ms'])} / {fmt(p['gap_max_ms'])} "
            f"| {p['long_tasks']}, {fmt(p['long_task_ms'])}, {fmt(p['long_task_max_ms'])} "
            f"| {p['typesets']} | {p['kernel']['frames']} | {p['frame_split']} "
            f"| {fmt(p['steps_per_training_s'])} | {p['kernel_cpu']:.2f} "
            f"| {p['derivations']}, {fmt(p['derivation_ms'])} | {p['epoch']} |"
        )
    lines.append("")
    return lines


# -------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-clicks", type=int, default=15, help="timed clicks per network")
    parser.add_argument("--play-seconds", type=float, default=5.0, help="length of one play")
    parser.add_argument("--plays", type=int, default=3, help="plays per variant")
    parser.add_argument("--gestures", type=int, default=15, help="clicks timed while playing")
    parser.add_argument("--no-clicks", action="store_true", help="measure play only")
    parser.add_argument("--json", type=Path, help="also write the raw results to this file")
    args = parser.parse_args(argv)

    chromium = find_chromium()
    if chromium is None:
        return 2
    harness = load_module("browser_harness")

    began = time.perf_counter()
    load_before = os.getloadavg()[0]
    results: dict[str, Any] = {"clicks": {}, "plays": {}, "gestures": []}

    def plays(view: Any, label: str, selected: str | None, speed: float | None) -> None:
        runs = []
        for n in range(args.plays):
            progress(f"playing [2, 2, 1], {label}, run {n + 1}/{args.plays}")
            runs.append(measure_play(view, args.play_seconds, selected, speed))
        results["plays"][label] = runs

    with contextlib.ExitStack() as stack:
        server, browser, about = lab_and_chromium(stack, harness, chromium)

        for name in NETWORKS:
            if args.no_clicks and name != "[2, 2, 1]":
                continue
            with playground_view(harness, browser, server, name) as view:
                if not args.no_clicks:
                    progress(f"clicking the edges of {name}")
                    results["clicks"][name] = measure_clicks(harness, view, args.min_clicks)
                if name != "[2, 2, 1]":
                    continue
                for speed in SPEEDS:
                    plays(view, speed_label(speed), None, speed)
                plays(view, "as fast as it goes, θ selected", PLAY_WEIGHT, None)
                progress(f"{args.gestures} clicks while playing")
                results["gestures"] = measure_gestures(harness, view, args.gestures)
                with busy_core():
                    plays(view, "as fast as it goes, one core kept busy", None, None)
                    plays(view, "10 epochs/s, one core kept busy", None, 10.0)
                for share in (0.5, 0.25):
                    view.kernel.run(f"pg.player.cpu_share = {share}")
                    plays(view, f"as fast as it goes, cpu_share = {share}", None, None)
                view.kernel.run("pg.player.cpu_share = 1")

    table = Table()
    for name, result in results["clicks"].items():
        click_rows(table, name, result)
    for label, runs in results["plays"].items():
        target = BUSY_CORE_TARGET if "busy" in label else VIEW_UPDATES_TARGET
        play_rows(table, f"[2, 2, 1] XOR online, {label}", runs, target)
    for part, what, target in (
        ("selected", "edge drawn selected", GESTURE_TARGET_MS),
        ("derivation", "derivation drawn (MathML)", PLAYING_DERIVATION_TARGET_MS),
    ):
        times = [gesture[part] for gesture in results["gestures"]]
        if not times:
            continue
        table.add(
            f"click while playing → {what} (ms)", "[2, 2, 1], as fast as it goes",
            str(len(times)), fmt(median(times)), f"p90 {fmt(percentile(times, 90))}",
            f"≤ {target:g}", met(median(times), target, at_most=True),
        )  # fmt: skip

    print("# backprop_widgets in the browser: speed\n")
    print(f"reproduce:\n\n    {reproduce_command(__file__)}\n")
    print(f"python {platform.python_version()} on {platform.platform()}, {os.cpu_count()} cores")
    print(f"{about}; JupyterLab and Chromium started by this script, headless")
    print(
        f"load average {load_before:.2f} at start, {os.getloadavg()[0]:.2f} at the end; "
        f"{time.perf_counter() - began:.0f} s in all\n"
    )
    print(table.markdown())
    print(
        "\nspread: p90 over the clicks, or min … max over the plays. Timings in the page use "
        "performance.now(); the kernel's come from pg.play_stats and /proc. Nothing here is "
        "asserted.\n"
    )
    print("## Details\n")
    for name, result in results["clicks"].items():
        print("\n".join(click_details(name, result)))
    for label, runs in results["plays"].items():
        print("\n".join(play_details(label, runs)))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
        print(f"raw results: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
