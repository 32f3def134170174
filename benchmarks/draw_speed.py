"""How fast the views follow a point drawn on the decision surface, in a real JupyterLab.

Run from the repository root (needs ``pip install -e ".[test]"`` and Debian's chromium)::

    .venv/bin/python benchmarks/draw_speed.py [--points 30] [--undo-every 10] [--while-playing]

The target (issue 11): "adding a drawn point: the surface and the loss curve follow within
100 ms". The script starts its own ``jupyter lab`` on a free loopback port and a headless
Chromium with the browser tests' harness (``tests/browser/conftest.py``, loaded by path), opens
``pg = bw.Playground('xor')``, its ŷ(x) tab, chooses class 1 and adds ``--points`` points, each
with a real mouse click (``page.mouse.click``) at a spot of the plot spread over the plane (an
R2 low-discrepancy sequence, the same every run; a spot within 8 % of the plot's width of a
training point, or where something else than the plot is on screen, is skipped). It prints
Markdown: medians and 90th percentiles against the target, then the details. It is a benchmark,
not a test: it never asserts on time, and a missed target is reported, not failed.

Each click is timed in the page with ``performance.now()``, from its ``pointerup`` (the surface
sends the point on pointerup), by observers installed before the click:

(a) **surface**: until the surface shows one more ``g.bw-point[data-set="train"]``
    (``WATCH_REDRAW_JS`` of ``tests/browser/test_your_own_in_lab.py``);
(b) **loss curve**: until the loss view (``.bw-loss``) is redrawn after its widget model
    received a curve computed on the new data. A point drawn while paused changes no count:
    the session records the loss on the new data at the *current* epoch, which replaces the
    curve's last point in place, so ``data-points`` stays; at epoch 0 the curve is that one
    point, always drawn at the top left, so the train path's ``d`` stays too (only the y ticks
    and the legend's three digits can change). So the page cannot tell the right redraw from its
    DOM alone; instead the script listens to the loss view's model in the page (found through
    the widget manager of the notebook's widget outputs: ``_manager`` of ipywidgets'
    ``WidgetRenderer``, which is private, so a new ipywidgets may need this adapted; the script
    then fails, it does not guess) and notes, for each message, the curve's last (epoch, E). The
    kernel, whose drawing callback is wrapped on the instance (the package is not changed),
    records the epoch and E at which the point was taken in. (b) ends at the first redraw of
    ``.bw-loss`` (a MutationObserver) after the first message whose curve ends at that epoch
    with exactly that E, or goes past that epoch (trained on the new data since: while Play
    runs). Afterwards the kernel is checked: ``len(pg.X)`` grew by one and, while paused,
    ``pg.loss_view.train[-1][1] == pg.session.loss()``;
(c) **both**: the later of the two.

The details split each click: when the kernel's drawing callback began and how long it took
(the new data, the surface's heat map and every view refreshed), when the kernel set the loss
view's curve on the new data (while Play runs the loss view follows at most 20 times a second,
so that can be a later frame's), and when each view's model received its message in the page,
before it was drawn. Kernel times are ``time.time()``, page times ``performance.now()`` plus
``Date.now() − performance.now()`` taken before the click: both clocks of this machine, to
about 1 ms.

One warm-up click first, not counted. Every ``--undo-every`` points (default 10) the drawing is
undone (``pg.pause(); pg.your_data.undo_drawing(); pg.surface.update()``) and XOR's four points
awaited, so the data stay small (5 to 4 + N points); ``--undo-every 0`` keeps adding instead.
``--train-first`` trains that many epochs first, so the paused curve has a shape. With
``--while-playing`` the same clicks are timed again with Play pressed: XOR online with
η = 0.5 as fast as it goes (a student draws while training runs); undoing pauses, and Play is
pressed again after it.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import os
import platform
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from browser_speed import Table, fmt, median, met, percentile  # benchmarks/
from reporting import (
    ROOT,
    find_chromium,
    lab_and_chromium,
    load_module,
    progress,
    reproduce_command,
)

YOUR_OWN_TEST = ROOT / "tests" / "browser" / "test_your_own_in_lab.py"
CELL = "import backprop_widgets as bw\npg = bw.Playground('xor')\npg"
TARGET_MS = 100.0
CLASS = "1"  # the class of the points drawn
CLEARANCE = 0.08  # a spot is at least this share of the plot's width from every training point
MARGIN = 0.06  # and this share inside the plot's edges
CLICK_TIMEOUT_MS = 30_000  # the page gives up on one click's views after this
BETWEEN_CLICKS = 0.3  # seconds between two clicks (the surface and the loss view settle)
PLAY_WARMUP_EPOCHS = 100  # epochs played before the first click while playing
MEASURES = (
    ("surface", "surface shows the new point"),
    ("loss", "loss curve drawn with the new data"),
    ("both", "both done (the later)"),
)


# -------------------------------------------------------------------------------- in the kernel

# Wrap the drawing callback of pg's data (the surface calls it with a checked gesture) to note,
# after each point is taken in, when the kernel began and ended it and at which epoch and E the
# session recorded the loss on the new data (the loss curve's last point then); and note when
# the loss view's curve is set (its message leaves the kernel). The package is not changed;
# presenter.attach registers pg.your_data.drawn again on each new data, which is then the
# wrapper. Times are time.time() in ms, as Date.now() in the page.
INSTRUMENT = """
def _bw_time_drawing(pg, wall=__import__('time').time):
    drawn = type(pg.your_data).drawn.__get__(pg.your_data)
    pg.bench_edits = []
    def timed(edit):
        start = wall()
        said = drawn(edit)
        end = wall()
        epoch, loss = pg.session.train_history.points[-1]
        pg.bench_edits.append({
            'start': 1e3 * start, 'end': 1e3 * end, 'rows': len(pg.session.X),
            'epoch': epoch, 'loss': loss,
        })
        return said
    pg.your_data.drawn = timed
    pg.surface.on_draw(timed, pg.your_data.classes())
    pg.bench_curves = __import__('collections').deque(maxlen=100)  # when the curve was set
    pg.loss_view.observe(lambda _: pg.bench_curves.append(1e3 * wall()), 'train')
_bw_time_drawing(pg)
"""
SETTLED = (
    "[len(pg.X), pg.loss_view.train[-1][1] == pg.session.loss(), pg.playing, list(pg.bench_curves)]"
)
LOOP_DONE = "not pg.playing and (pg.player._task is None or pg.player._task.done())"


# -------------------------------------------------------------------------------- in the page

# Find the widget models of the loss view and the surface (by their ids, from the kernel)
# through the widget manager of the notebook's widget outputs, once; then, until the next call,
# record each message of the loss view's curve (its last epoch and E, as loss.js decodes them)
# and of the surface's training points, and every redraw of .bw-loss.
WATCH_LOSS_JS = """async ({ loss, surface }) => {
  if (!window.bwModels) {
    const renderers = [];
    const walk = (widget) => {
      if (widget._manager && widget._manager.promise) renderers.push(widget);
      for (const child of widget.children ? widget.children() : []) walk(child);
    };
    walk(window.jupyterapp.shell.currentWidget.content);
    if (!renderers.length) throw new Error('no widget output found in the notebook');
    const manager = await renderers[0]._manager.promise;
    window.bwModels = {
      loss: await manager.get_model(loss), surface: await manager.get_model(surface),
    };
  }
  window.bwLoss?.stop();
  const models = window.bwModels;
  const root = document.querySelector('.bw-loss');
  const path = root.querySelector('path.bw-curve-train');
  const legend = root.querySelector('.bw-legend-train .bw-legend-text');
  const snapshot = () => ({
    d: path.getAttribute('d'), points: root.dataset.points, legend: legend.textContent,
  });
  const floats = (view) => (view && view.byteLength
    ? new Float64Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength))
    : new Float64Array(0));
  const record = window.bwLoss = {
    before: snapshot(), messages: [], draws: [], surface: [],
    wall: Date.now() - performance.now(),  // + performance.now(): ms since 1970 (time.time())
  };
  const onLoss = () => {
    const now = performance.now();
    const head = floats(models.loss.get('train_head'));
    const tail = floats(models.loss.get('train_tail'));
    const last = tail.length ? tail : head;
    record.messages.push({
      t: now, epoch: last[last.length - 2], loss: last[last.length - 1],
      points: (head.length + tail.length) / 2,
    });
  };
  const onSurface = () => {
    record.surface.push({ t: performance.now(), train: models.surface.get('train').length });
  };
  models.loss.on('change:train_head change:train_tail', onLoss);
  models.surface.on('change:train', onSurface);
  const observer = new MutationObserver(() => {
    record.draws.push({ t: performance.now(), ...snapshot() });
  });
  observer.observe(root, { subtree: true, childList: true, attributes: true,
                           characterData: true });
  record.stop = () => {
    observer.disconnect();
    models.loss.off('change:train_head change:train_tail', onLoss);
    models.surface.off('change:train', onSurface);
  };
}"""

# The click's times (ms from its pointerup) once the surface shows the new point and the loss
# view was redrawn after a message with the new data (ending at [epoch, loss] or past epoch);
# false until then.
CLICK_RESULT_JS = """({ epoch, loss }) => {
  const redraw = window.bwRedraw;
  const record = window.bwLoss;
  if (redraw.up === null || redraw.drawn === null) return false;
  const message = record.messages.find(
    (m) => m.epoch > epoch || (m.epoch === epoch && m.loss === loss));
  if (!message) return false;
  const draw = record.draws.find((d) => d.t >= message.t);
  if (!draw) return false;
  const received = record.surface.find((m) => m.train > redraw.before);
  const since = (t) => (t === undefined ? null : t - redraw.up);
  return {
    up_wall: redraw.up + record.wall,
    surface: since(redraw.drawn),
    surface_received: since(received?.t),
    loss: since(draw.t),
    loss_received: since(message.t),
    loss_messages: record.messages.filter((m) => m.t <= message.t).length,
    loss_draws_before: record.draws.filter((d) => d.t < draw.t && d.t >= redraw.up).length,
    d_changed: draw.d !== record.before.d,
    points_changed: draw.points !== record.before.points,
    legend_changed: draw.legend !== record.before.legend,
  };
}"""

# Whether the surface shows ``count`` training points.
TRAIN_POINTS_JS = """(count) =>
  document.querySelectorAll('.bw-surface g.bw-point[data-set="train"]').length === count"""


# -------------------------------------------------------------------------------- the clicks


def spots() -> Iterator[tuple[int, tuple[float, float]]]:
    """Points of the unit square spread evenly, the same every run: the R2 sequence (Roberts,
    2018), its k-th point (frac(½ + k/g), frac(½ + k/g²)) with g the plastic number."""
    g = 1.324717957244746
    for k in itertools.count():
        yield k, ((0.5 + k / g) % 1.0, (0.5 + k / g**2) % 1.0)


class Drawer:
    """Clicks on the plane of ``view``'s playground ``pg``, each timed in the page."""

    def __init__(self, own: Any, view: Any) -> None:
        self.own, self.view = own, view
        self.page, self.kernel = view.page, view.kernel
        self.surface = own.open_surface(view)
        self.spots = spots()
        self.ids = self.kernel.eval(
            "{'loss': pg.loss_view.model_id, 'surface': pg.surface.model_id}"
        )

    def next_spot(self) -> tuple[int, float, float, dict]:
        """The next spot of the sequence that lies on the plot, clear of every training point:
        its index, its place in data units and on screen."""
        rows, extent = self.kernel.eval("[pg.X.tolist(), pg.surface.extent]")
        ax, bx, ay, by = extent
        for k, (u, v) in self.spots:
            x = ax + (MARGIN + (1 - 2 * MARGIN) * u) * (bx - ax)
            y = ay + (MARGIN + (1 - 2 * MARGIN) * v) * (by - ay)
            if any(math.hypot(x - p, y - q) < CLEARANCE * (bx - ax) for p, q in rows):
                continue
            at = self.own.screen_point(self.surface, x, y, extent)
            hit = self.page.evaluate(self.own.HIT_JS, [at["x"], at["y"]])
            if hit["onPlot"] and "bw-point" not in (hit["what"] or ""):
                return k, x, y, at
        raise AssertionError("unreachable: the sequence is endless")

    def click(self, playing: bool) -> dict:
        """Add one point with a mouse click; the times of its views (ms from pointerup)."""
        page, kernel = self.page, self.kernel
        k, x, y, at = self.next_spot()
        rows = kernel.eval("len(pg.X)")
        kernel.run("pg.bench_edits.clear()")
        self.surface.evaluate(self.own.WATCH_REDRAW_JS)
        page.evaluate(WATCH_LOSS_JS, self.ids)
        page.mouse.click(at["x"], at["y"])
        try:
            # The surface shows the point once the kernel took it in: then ask the kernel at
            # which epoch and E it did, without polling it while it answers the click.
            page.wait_for_function(
                "() => window.bwRedraw.drawn !== null", polling=20, timeout=CLICK_TIMEOUT_MS
            )
            (edit,) = kernel.eval("pg.bench_edits")
            times = page.wait_for_function(
                CLICK_RESULT_JS, arg=edit, polling=20, timeout=CLICK_TIMEOUT_MS
            ).json_value()
        except Exception as error:
            seen = page.evaluate("() => [window.bwRedraw, window.bwLoss.messages.slice(-3)]")
            said = kernel.eval("pg.surface.draw_message")
            raise RuntimeError(
                f"spot {k} ({x:.3f}, {y:.3f}): {error}; seen {seen}; the surface says {said!r}"
            ) from None
        finally:
            page.evaluate("() => window.bwLoss.stop()")
        count, curve_is_e, still_playing, curves = kernel.eval(SETTLED)
        sent = min((t for t in curves if t >= edit["start"]), default=None)
        if count != rows + 1 or edit["rows"] != rows + 1:
            raise RuntimeError(f"spot {k}: {rows} rows became {count} (kernel saw {edit})")
        if not playing and not curve_is_e:
            raise RuntimeError(f"spot {k}: the loss curve does not end at pg.session.loss()")
        if still_playing != playing:
            raise RuntimeError(f"spot {k}: playing is {still_playing}, expected {playing}")
        return {
            **times,
            "both": max(times["surface"], times["loss"]),
            "to_kernel": edit["start"] - times["up_wall"],
            "kernel": edit["end"] - edit["start"],
            "loss_sent": None if sent is None else sent - times["up_wall"],
            "spot": k,
            "x": x,
            "y": y,
            "rows": count,
        }

    def undo(self, playing: bool) -> None:
        """Back to XOR's four points (pausing), then Play again when it was playing."""
        self.own.back_to_xor(self.view)
        if playing:
            self.kernel.wait_for(LOOP_DONE, bool)
        self.page.wait_for_function(TRAIN_POINTS_JS, arg=len(self.own.XOR_X))
        if playing:
            self.press_play()

    def press_play(self) -> None:
        self.page.locator(".bw-play").get_by_text("Play").click()
        self.page.locator(".bw-play").get_by_text("Pause").wait_for()
        self.kernel.wait_for("pg.playing", bool)

    def series(self, points: int, undo_every: int, playing: bool) -> list[dict]:
        """A warm-up click, then ``points`` timed ones; undone every ``undo_every`` points."""
        label = "playing" if playing else "paused"
        if playing:
            self.press_play()
            epoch = self.kernel.eval("pg.epoch")
            self.kernel.wait_for("pg.epoch", lambda e: e >= epoch + PLAY_WARMUP_EPOCHS)
        progress(f"{label}: warm-up click")
        self.click(playing)
        self.undo(playing)
        clicks = []
        try:
            for n in range(points):
                if n and undo_every and n % undo_every == 0:
                    self.undo(playing)
                time.sleep(BETWEEN_CLICKS)
                clicks.append({**self.click(playing), "n": n})
                c = clicks[-1]
                progress(
                    f"{label}: point {n + 1}/{points} ({c['rows']} rows): surface "
                    f"{c['surface']:.0f} ms, loss {c['loss']:.0f} ms"
                )
        finally:
            self.own.back_to_xor(self.view)  # pauses
            self.kernel.wait_for(LOOP_DONE, bool)
        return clicks


# -------------------------------------------------------------------------------- the report


def summary_rows(table: Table, case: str, clicks: list[dict]) -> None:
    for key, what in MEASURES:
        values = [c[key] for c in clicks]
        table.add(
            f"click → {what} (ms)", case, str(len(values)), fmt(median(values)),
            f"p90 {fmt(percentile(values, 90))}, max {fmt(max(values, default=math.nan))}",
            f"≤ {TARGET_MS:g}", met(median(values), TARGET_MS, at_most=True),
        )  # fmt: skip


STAGES = (
    ("to_kernel", "pointerup → the kernel's drawing callback starts"),
    ("kernel", "the kernel's drawing callback (new data, heat map, every view refreshed)"),
    ("surface_received", "pointerup → the surface's message with the point in the page"),
    ("surface", "pointerup → the surface drawn with the point"),
    ("loss_sent", "pointerup → the kernel sets the loss view's curve on the new data"),
    ("loss_received", "pointerup → the loss view's message with the new data in the page"),
    ("loss", "pointerup → the loss curve drawn with it"),
    ("both", "pointerup → both drawn"),
)


def details(case: str, clicks: list[dict]) -> list[str]:
    def count(key: str) -> int:
        return sum(bool(c[key]) for c in clicks)

    over = sorted((c for c in clicks if c["both"] > TARGET_MS), key=lambda c: -c["both"])
    lines = [f"**{case}** ({len(clicks)} clicks; ms):", "", "| stage | median | p90 | max |"]
    lines.append("|---|---|---|---|")
    for key, stage in STAGES:
        values = [c[key] for c in clicks if c[key] is not None]
        lines.append(
            f"| {stage} | {fmt(median(values), 1)} | {fmt(percentile(values, 90), 1)} "
            f"| {fmt(max(values, default=math.nan), 1)} |"
        )
    lines += [
        "",
        f"At the loss curve's redraw with the new data, against before the click: the train "
        f"path's `d` had changed in {count('d_changed')} of {len(clicks)} clicks, "
        f"`data-points` in {count('points_changed')}, the legend's text in "
        f"{count('legend_changed')}. Redraws of the loss view between pointerup and that one "
        f"(older data): {sum(c['loss_draws_before'] for c in clicks)} in all.",
        "",
        f"Over {TARGET_MS:g} ms (both): {len(over)} of {len(clicks)}"
        + "".join(
            f"; #{c['n'] + 1} ({c['rows']} rows) surface {fmt(c['surface'])}, loss "
            f"{fmt(c['loss'])}, to kernel {fmt(c['to_kernel'])}, kernel {fmt(c['kernel'])}"
            for c in over[:5]
        )
        + ".",
        "",
    ]
    return lines


# -------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=30, help="timed clicks per series")
    parser.add_argument(
        "--undo-every", type=int, default=10,
        help="undo the drawing every N points (0: keep adding)",
    )  # fmt: skip
    parser.add_argument(
        "--while-playing", action="store_true", help="also time the clicks while Play runs"
    )
    parser.add_argument(
        "--train-first", type=int, default=0, help="epochs trained before the paused clicks"
    )
    parser.add_argument("--json", type=Path, help="also write the raw results to this file")
    args = parser.parse_args(argv)

    chromium = find_chromium()
    if chromium is None:
        return 2
    harness = load_module("browser_harness")
    own = load_module("your_own_test", YOUR_OWN_TEST)  # its JS snippets and helpers

    began = time.perf_counter()
    load_before = os.getloadavg()
    results: dict[str, Any] = {"args": vars(args) | {"json": str(args.json)}, "series": {}}
    cases = {False: "XOR, paused"}
    if args.while_playing:
        cases[True] = "XOR online, η = 0.5, playing as fast as it goes"

    with contextlib.ExitStack() as stack:
        server, browser, about = lab_and_chromium(stack, harness, chromium)
        view = stack.enter_context(harness.running_notebook(browser, server, "draw-speed", CELL))
        drawer = Drawer(own, view)
        own.choose_class(drawer.surface, CLASS)
        view.kernel.run(INSTRUMENT)
        if args.train_first:
            view.kernel.run(f"pg.train({args.train_first})")
        for playing, case in cases.items():
            if playing:
                view.kernel.run(
                    "pg.learning_rate = 0.5\npg.mode_select.value = 'online'\n"
                    "pg.epochs_per_second = None"
                )
            progress(f"{case}: {args.points} points")
            results["series"][case] = drawer.series(args.points, args.undo_every, playing)
        epoch = view.kernel.eval("pg.epoch")

    table = Table()
    for case, clicks in results["series"].items():
        summary_rows(table, case, clicks)
    most = 4 + (min(args.undo_every, args.points) if args.undo_every else args.points)
    data = (
        f"undone every {args.undo_every} points (5 to {most} training points)"
        if args.undo_every
        else f"kept adding (5 to {most} training points)"
    )
    print("# backprop_widgets: drawing a point, how fast the views follow\n")
    print(f"reproduce:\n\n    {reproduce_command(__file__)}\n")
    print(f"python {platform.python_version()} on {platform.platform()}, {os.cpu_count()} cores")
    print(f"{about}; JupyterLab and Chromium started by this script, headless")
    print(
        f"load average {' '.join(f'{v:.2f}' for v in load_before)} (1, 5, 15 min) before, "
        f"{os.getloadavg()[0]:.2f} at the end; {time.perf_counter() - began:.0f} s in all\n"
    )
    print(
        f"`pg = bw.Playground('xor')`, class {CLASS} drawn with real mouse clicks on the ŷ(x) "
        f"plane; one warm-up click per series not counted; the data {data}; "
        f"{args.train_first} epochs trained before the paused clicks, epoch {epoch} at the end. "
        "Times from the click's pointerup, in the page (performance.now()).\n"
    )
    print(table.markdown())
    print(
        "\nsurface: one more training point drawn; loss curve: .bw-loss redrawn after its model "
        "received the curve computed on the new data; both: the later. Nothing here is "
        "asserted.\n"
    )
    print("## Details\n")
    for case, clicks in results["series"].items():
        print("\n".join(details(case, clicks)))
    if args.json:
        results |= {"versions": about, "load_before": load_before, "epoch_at_end": epoch}
        args.json.write_text(json.dumps(results, indent=1))
        print(f"raw results: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
