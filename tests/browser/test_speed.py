"""The speed dial and smooth play in a real JupyterLab: the dial's setting is the pace training
keeps, play keeps the diagram moving, Step animates its update, a click is answered while
training plays.

Rates here are checked with wide margins (the dial within 20 % of its setting, as the issue asks,
and at least 5 view updates a second): the speed targets themselves are measured by
``benchmarks/browser_speed.py``, never asserted.
"""

import re

import pytest
from playwright.sync_api import expect

PLAYGROUND_CELL = "import backprop_widgets as bw\npg = bw.Playground()\npg"
CLOCK = "(__import__('time').perf_counter(), pg.updates)"  # the kernel's clock and updates made

# Record every change of the diagram's epoch (the kernel's frames) and every animation frame in
# which the diagram's drawing changed (the kernel's frames and the tweens between them).
RECORD_JS = """() => {
  const root = document.querySelector('.bw-network');
  window.bwSpeed?.observer.disconnect();
  const rec = window.bwSpeed = { epochs: [], drawn: [], observer: null };
  let last = root.dataset.epoch;
  rec.observer = new MutationObserver(() => {
    const now = performance.now();
    rec.drawn.push(now);
    if (root.dataset.epoch !== last) rec.epochs.push(now);
    last = root.dataset.epoch;
  });
  rec.observer.observe(root, {
    subtree: true, attributes: true, attributeFilter: ['style', 'data-epoch'],
  });
}"""
RESULT_JS = """(since) => {
  const rec = window.bwSpeed;
  rec.observer.disconnect();
  const after = times => times.filter(t => t >= since);
  return { epochs: after(rec.epochs).length, drawn: after(rec.drawn).length };
}"""

# The width each edge must have once it stands still, from the kernel's weights (network.js draws
# 1 + 9 |θ| / max |θ|), and the width it is drawn with, by data-weight key.
WIDTHS = """{f'{l},{i},{j}': 1 + 9 * abs(v) / m for m in [max(float(abs(p).max()) for p in
pg.net.weights + pg.net.biases)] for l, (W, b) in enumerate(zip(pg.net.weights, pg.net.biases))
for i in range(W.shape[0]) for j, v in [*enumerate(W[i].tolist()), ('bias', float(b[i]))]}"""
DRAWN_WIDTHS_JS = """() => Object.fromEntries(
  [...document.querySelectorAll('.bw-network [data-weight]')].map(edge =>
    [edge.dataset.weight, Number(edge.querySelector('.bw-edge-line').style.strokeWidth)]))"""
FLASHES_JS = """() => [...document.querySelectorAll('.bw-network .bw-edge-pulse')]
  .map(pulse => Number(pulse.style.strokeOpacity))"""


@pytest.fixture(scope="module")
def playground(browser, lab_server, open_running):
    with open_running(browser, lab_server, "speed", PLAYGROUND_CELL) as view:
        yield view


def pause(view) -> None:
    view.kernel.run("pg.pause()")
    view.kernel.wait_for(
        "pg.player._task is None or pg.player._task.done()", lambda done: done is True
    )
    expect(view.page.locator(".bw-play")).to_contain_text("Play")


def turn_dial(view, stops_from_the_left: int) -> None:
    """Set the dial as a person does with the keyboard: Home, then Right arrow presses."""
    dial = view.page.locator(".bw-speed-input")
    dial.focus()
    dial.press("Home")
    for _ in range(stops_from_the_left):
        dial.press("ArrowRight")


@pytest.mark.parametrize(("speed", "stops", "seconds"), [(1, 0, 5.0), (10, 3, 3.0), (100, 6, 3.0)])
def test_play_trains_as_many_epochs_a_second_as_the_dial_says(playground, speed, stops, seconds):
    page, kernel = playground.page, playground.kernel
    kernel.run("pg.pause()\npg.reset()")
    turn_dial(playground, stops)
    dial = page.locator(".bw-speed")
    expect(dial).to_have_attribute("data-epochs-per-second", str(speed))
    unit = "epoch/s" if speed == 1 else "epochs/s"
    expect(page.locator(".bw-speed-readout")).to_have_text(f"{speed} {unit}")
    kernel.wait_for("pg.epochs_per_second", lambda value: value == speed)

    page.locator(".bw-play").click()
    kernel.wait_for("pg.updates", lambda updates: updates >= 1)
    (start, before) = kernel.eval(CLOCK)
    kernel.wait_for("__import__('time').perf_counter()", lambda now: now >= start + seconds)
    (stop, after) = kernel.eval(CLOCK)
    pause(playground)
    epochs_per_second = (after - before) / 4 / (stop - start)  # XOR online: 4 updates an epoch
    assert epochs_per_second == pytest.approx(speed, rel=0.2)
    if speed == 1:
        playground.screenshot("speed-dial-at-one-epoch-a-second", page.locator(".bw-playground"))


def test_the_dial_goes_up_to_as_fast_as_it_goes(playground):
    page, kernel = playground.page, playground.kernel
    dial = page.locator(".bw-speed-input")
    dial.focus()
    dial.press("End")
    expect(page.locator(".bw-speed")).to_have_attribute("data-epochs-per-second", "max")
    expect(page.locator(".bw-speed-readout")).to_have_text("as fast as it goes")
    kernel.wait_for("pg.epochs_per_second", lambda value: value is None)
    kernel.run("pg.epochs_per_second = 37")  # between two stops: shown as it is
    expect(page.locator(".bw-speed")).to_have_attribute("data-epochs-per-second", "37")
    expect(page.locator(".bw-speed-readout")).to_have_text("37 epochs/s")
    kernel.run("pg.epochs_per_second = None")


def test_play_updates_the_view_many_times_a_second_and_answers_a_click(playground):
    page, kernel = playground.page, playground.kernel
    kernel.run("pg.pause()\npg.epochs_per_second = None\npg.selected = None\npg.reset()")
    page.locator(".bw-play").click()
    kernel.wait_for("pg.epoch", lambda epoch: epoch > 0)
    page.evaluate(RECORD_JS)
    since = page.evaluate("() => performance.now()")
    page.wait_for_timeout(3000)  # the window measured, not a wait for the page
    result = page.evaluate(RESULT_JS, since)
    elapsed = (page.evaluate("() => performance.now()") - since) / 1000
    assert result["epochs"] / elapsed >= 5, f"{result} in {elapsed:.1f} s"

    playground.click_svg('.bw-network [data-weight="1,0,1"]')  # a click while training plays
    selected = page.locator('.bw-network [data-weight="1,0,1"]')
    expect(selected).to_have_class(re.compile(r"\bbw-selected\b"))
    assert kernel.eval("pg.selected") == [1, 0, 1] and kernel.eval("pg.playing") is True
    pause(playground)


def test_a_slow_dial_keeps_the_picture_moving_between_updates(playground):
    page, kernel = playground.page, playground.kernel
    kernel.run("pg.pause()\npg.epochs_per_second = 1\npg.reset()")
    page.locator(".bw-play").click()
    kernel.wait_for("pg.updates", lambda updates: updates >= 2)
    page.evaluate(RECORD_JS)
    since = page.evaluate("() => performance.now()")
    page.wait_for_timeout(2000)  # the window measured, not a wait for the page
    result = page.evaluate(RESULT_JS, since)
    pause(playground)
    # 4 updates a second, each moving the edges over 0.25 s: many frames drawn, few epochs
    assert result["drawn"] >= 10 * 2, result
    assert result["epochs"] <= 3, result
    kernel.run("pg.epochs_per_second = None")


def test_step_animates_the_update_and_lands_on_the_new_weights(playground, screenshot):
    page, kernel = playground.page, playground.kernel
    kernel.run("pg.pause()\npg.selected = None\npg.reset()\npg.train(200)")
    expect(page.locator(".bw-network")).to_have_attribute("data-epoch", "200")
    page.wait_for_function(f"() => ({FLASHES_JS})().every(o => o === 0)")
    page.locator(".bw-step").click()
    page.wait_for_function(f"() => ({FLASHES_JS})().some(o => o > 0.05)")  # the update flashes
    screenshot(playground, page.locator(".bw-network"), suffix="mid-step")
    page.wait_for_function(f"() => ({FLASHES_JS})().every(o => o === 0)")  # … and settles
    assert kernel.eval("pg.updates") == 801
    expected = kernel.eval(WIDTHS)
    drawn = page.evaluate(DRAWN_WIDTHS_JS)
    assert drawn.keys() == expected.keys()
    # the style keeps 6 significant digits
    assert all(drawn[key] == pytest.approx(expected[key], abs=1e-4) for key in expected)
    assert kernel.eval("pg.network.tween") == 0.0
