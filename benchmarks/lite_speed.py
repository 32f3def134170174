"""How fast the JupyterLite site (build/lite/, ``make lite``) feels: Pyodide in the browser.

Run from the repository root after ``make lite`` (needs the test tools and Debian's chromium)::

    .venv/bin/python benchmarks/lite_speed.py [--opens 3] [--clicks 12] [--plays 3]

The site is served on 127.0.0.1 and opened in headless Chromium with every other request
refused, as its browser test does (``tests/browser/lite_site.py``, loaded by path). The script
prints Markdown: medians against the targets of issue #16, then the numbers behind them. It is a
benchmark, not a test: it never asserts on time.

1. Kernel idle after the page opens: ``00_start_here.ipynb`` opened ``--opens`` times, each in a
   fresh browser context (nothing cached between them but the HTTP cache of the machine's disk),
   from ``page.goto`` until the Pyodide kernel is connected and idle. Target ≤ 20 s.
2. Playground drawn after the kernel is idle: from Run All (its first cell installs the package
   from the site, the second imports it and shows ``bw.Playground()``) until the diagram's first
   edge is in the page. Target ≤ 10 s.
3. Click → derivation: every edge clicked in turn (``--clicks`` clicks, after one warm-up click
   that imports SymPy), timed in the page with ``performance.now()`` from just before the click
   is dispatched until the clicked weight's derivation (its MathML) is in the panel. Target
   median ≤ 300 ms.
4. Play as fast as it goes, ``--plays`` times for ``--play-seconds`` each, nothing selected:
   training steps per second from the kernel's update count over the time between pressing Play
   and Pause (both timed in the page), and view updates per second: the kernel's renders of the
   diagram (each sets ``.bw-network``'s ``data-epoch``, counted by a MutationObserver). Targets
   ≥ 5,000 steps/s at ≥ 20 view updates/s.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import time
from pathlib import Path

from reporting import load_module, progress, reproduce_command  # benchmarks/reporting.py

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT / "tests" / "browser" / "lite_site.py"
NOTEBOOK = "00_start_here.ipynb"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


# Click the edge ``key`` at a point no other element covers; resolve with the ms until its
# derivation's MathML is in the panel.
CLICK_JS = """async ({ key, timeout, clearPoint }) => {
  const edge = document.querySelector(`.bw-network [data-weight="${key}"]`);
  edge.scrollIntoView({ block: 'center' });
  const point = eval(clearPoint)(edge);
  if (!point) throw new Error(`no point of ${key} can be clicked: others cover it`);
  const target = document.elementFromPoint(point.x, point.y);
  const drawn = `.bw-derivation .bw-derivation-body[data-weight="${key}"] math`;
  let start = 0;
  const done = new Promise((resolve, reject) => {
    const observer = new MutationObserver(() => {
      if (!document.querySelector(drawn)) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve(performance.now() - start);
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true,
                                      attributeFilter: ['data-weight'] });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`no derivation of ${key} after ${timeout} ms`));
    }, timeout);
  });
  start = performance.now();
  target.dispatchEvent(new MouseEvent('click', {
    bubbles: true, cancelable: true, view: window, clientX: point.x, clientY: point.y,
  }));
  return await done;
}"""

# Count the diagram's renders (each sets data-epoch) between pressing Play and pressing Pause.
PLAY_JS = """async ({ seconds }) => {
  const root = document.querySelector('.bw-network');
  const button = document.querySelector('.bw-play');
  let renders = 0;
  const observer = new MutationObserver(records => { renders += records.length; });
  observer.observe(root, { attributes: true, attributeFilter: ['data-epoch'] });
  const start = performance.now();
  button.click();
  await new Promise(resolve => setTimeout(resolve, seconds * 1000));
  const stop = performance.now();
  button.click();
  observer.disconnect();
  return { seconds: (stop - start) / 1000, renders, epoch: Number(root.dataset.epoch) };
}"""

LOOP_DONE = "not pg.playing and (pg.player._task is None or pg.player._task.done())"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def measure(args: argparse.Namespace) -> dict:
    lite = load_module("lite_site", HARNESS)
    site = lite.ensure_site()
    if isinstance(site, str):
        raise SystemExit(site)
    from playwright.sync_api import sync_playwright

    results: dict = {"idle": [], "drawn": [], "clicks": [], "warm_up_click": None, "plays": []}
    with lite.serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
        )
        results["chromium"] = browser.version
        view = None
        for n in range(args.opens):
            context = lite.offline_context(browser)
            view = lite.LiteNotebook(context, url, NOTEBOOK).open()
            results["idle"].append(view.idle_after)
            start = time.perf_counter()
            view.run_all()
            view.page.locator(".bw-network [data-weight]").first.wait_for(state="attached")
            results["drawn"].append(time.perf_counter() - start)
            progress(f"open {n + 1}: idle after {view.idle_after:.1f} s, "
                     f"playground drawn {results['drawn'][-1]:.1f} s later")  # fmt: skip
            if n + 1 < args.opens:
                context.close()
        page = view.page
        keys = page.evaluate(
            "() => [...document.querySelectorAll('.bw-network [data-weight]')]"
            ".map(e => e.dataset.weight)"
        )
        click = {"timeout": 30_000, "clearPoint": lite.CLEAR_POINT_JS}
        results["warm_up_click"] = page.evaluate(CLICK_JS, {**click, "key": keys[-1]})
        for k in range(args.clicks):
            key = keys[k % len(keys)]
            results["clicks"].append(page.evaluate(CLICK_JS, {**click, "key": key}))
        progress(f"clicks: median {median(results['clicks']):.0f} ms")
        view.run("pg.selected = None")
        for _ in range(args.plays):
            before = view.eval("pg.session.updates")
            play = page.evaluate(PLAY_JS, {"seconds": args.play_seconds})
            deadline = time.monotonic() + 30
            while not view.eval(LOOP_DONE) and time.monotonic() < deadline:
                time.sleep(0.1)
            play["updates"] = view.eval("pg.session.updates") - before
            play["steps_per_second"] = play["updates"] / play["seconds"]
            play["views_per_second"] = play["renders"] / play["seconds"]
            results["plays"].append(play)
            progress(f"play: {play['steps_per_second']:.0f} steps/s, "
                     f"{play['views_per_second']:.1f} view updates/s")  # fmt: skip
        results["blocked"] = list(view.context.blocked)
        view.context.close()
        browser.close()
    return results


def report(results: dict, args: argparse.Namespace) -> str:
    site = ROOT / "build" / "lite"
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6
    steps = median([p["steps_per_second"] for p in results["plays"]])
    views = median([p["views_per_second"] for p in results["plays"]])
    rows = [
        ("Kernel idle after the page opens", f"{median(results['idle']):.1f} s", "≤ 20 s"),
        ("Playground drawn after the kernel is idle", f"{median(results['drawn']):.1f} s",
         "≤ 10 s"),
        ("Click → derivation drawn", f"{median(results['clicks']):.0f} ms", "≤ 300 ms"),
        ("Play: training steps per second", f"{steps:,.0f}", "≥ 5,000"),
        ("Play: view updates per second", f"{views:.1f}", "≥ 20"),
        ("Site size (build/lite/)", f"{size:.1f} MB", "≤ 60 MB"),
    ]  # fmt: skip
    config = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]
    lines = [
        "| JupyterLite site, Pyodide kernel | median | target |",
        "|---|---|---|",
        *(f"| {what} | {value} | {target} |" for what, value, target in rows),
        "",
        f"Measured with `{reproduce_command(__file__)}`: {platform.machine()}, "
        f"{len(__import__('os').sched_getaffinity(0))} cores, JupyterLite "
        f"{config.get('appVersion')}, chromium {results['chromium']}.",
        "",
        "Details: idle after opening (s): "
        + ", ".join(f"{t:.1f}" for t in results["idle"])
        + "; playground drawn (s): "
        + ", ".join(f"{t:.1f}" for t in results["drawn"])
        + f"; warm-up click (imports SymPy): {results['warm_up_click']:.0f} ms"
        + "; clicks (ms): "
        + ", ".join(f"{t:.0f}" for t in results["clicks"])
        + "; plays: "
        + "; ".join(
            f"{p['updates']} updates in {p['seconds']:.1f} s, {p['renders']} renders"
            for p in results["plays"]
        )
        + f"; requests refused (outside 127.0.0.1): {len(results['blocked'])}.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opens", type=int, default=3)
    parser.add_argument("--clicks", type=int, default=12)
    parser.add_argument("--plays", type=int, default=3)
    parser.add_argument("--play-seconds", type=float, default=5.0)
    args = parser.parse_args()
    print(report(measure(args), args))


if __name__ == "__main__":
    main()
