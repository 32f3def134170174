"""One story on screen, and controls that behave, in a real JupyterLab.

The diagram, the error slice and the derivation carry the same ``data-instance`` and the
``.bw-instance-label`` says which instance that is; the η box sets η; the status line keeps its
size while training plays; the loss chart's legend stays off its curves; the selected edge
stands out in light and dark themes; an empty slice is a short strip.
"""

import re

import pytest
from playwright.sync_api import expect

CELL = "import backprop_widgets as bw\npg = bw.Playground()\npg"
VIEWS = (".bw-network", ".bw-slice", ".bw-derivation")

# The WCAG contrast ratio of an element's computed colour property against the page behind it.
CONTRAST_JS = """([selector, property]) => {
  const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = ([r, g, b]) => {
    const linear = (c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const element = document.querySelector(selector);
  const page = getComputedStyle(document.querySelector('.jp-Notebook')).backgroundColor;
  const [a, b] = [luminance(rgb(getComputedStyle(element)[property])), luminance(rgb(page))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.fixture(scope="module")
def playground(browser, lab_server, open_running):
    with open_running(browser, lab_server, "one-story", CELL) as view:
        yield view


def expect_instance(page, n: int) -> None:
    for view in VIEWS:
        expect(page.locator(view)).to_have_attribute("data-instance", str(n))


def type_text(page, selector: str, text: str) -> None:
    box = page.locator(f"{selector} input")
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_an_empty_slice_is_a_short_strip_not_a_blank_plot(playground, screenshot):
    page = playground.page
    playground.kernel.run("pg.views.selected_index = 2")  # the tab of E against θ
    expect(page.locator(".bw-slice")).to_have_attribute("data-weight", "")
    expect(page.locator(".bw-slice-message")).to_have_text(
        "Select a weight to see E as a function of it"
    )
    expect(page.locator(".bw-slice-message")).to_be_visible()  # the tab is shown
    expect(page.locator(".bw-slice-svg")).to_be_hidden()
    assert page.locator(".bw-slice").bounding_box()["height"] < 100
    screenshot(playground, page.locator(".bw-playground"))


def test_every_panel_shows_the_same_instance_and_says_which(playground, screenshot):
    page, kernel = playground.page, playground.kernel
    # The start: XOR's (1, 1), where a first-layer weight's slope is not 0.
    expect_instance(page, 3)
    label = page.locator(".bw-instance-label")
    start = "instance n = 3: x = (1, 1), y = 0 · the next update trains on n = 0"
    expect(label).to_have_text(start)
    playground.click_svg('.bw-network [data-weight="0,0,0"]')
    kernel.wait_for("pg.selected", lambda selected: selected == [0, 0, 0])
    expect(page.locator(".bw-derivation")).to_contain_text("instance n = 3: x = (1, 1), y = 0")
    expect(page.locator(".bw-slice")).to_have_attribute("data-weight", "0,0,0")
    slope = kernel.eval("float(pg.net.gradients(pg.X[3:4], pg.Y[3:4])[0][0][0, 0])")
    assert slope != 0
    assert float(page.locator(".bw-slice").get_attribute("data-slope")) == slope
    check = page.locator(".bw-derivation .bw-check")
    expect(check).to_have_attribute("data-backprop", repr(slope))
    expect(check).to_contain_text("an online update on it")
    expect_instance(page, 3)
    screenshot(playground, page.locator(".bw-playground"), "start")

    kernel.run("pg.instance_slider.value = 2")
    expect_instance(page, 2)
    expect(label).to_contain_text("instance n = 2: x = (1, 0), y = 1")
    page.locator(".bw-step").click()  # trains on n = 0; the panels move to the next, n = 1
    expect_instance(page, 1)
    expect(label).to_have_text("instance n = 1: x = (0, 1), y = 1 · the next online update")
    expect(check).to_contain_text("the next online update")
    expect(page.locator(".bw-status")).to_contain_text("E(n = 1) = ")
    screenshot(playground, page.locator(".bw-playground"), "after-step")


def test_the_eta_box_sets_eta_and_refuses_what_is_not_a_rate(playground):
    page, kernel = playground.page, playground.kernel
    type_text(page, ".bw-lr-input", "0.25")
    kernel.wait_for("pg.learning_rate", lambda rate: rate == 0.25)
    expect(page.locator(".bw-lr .widget-readout")).to_have_text("0.250")  # 3 digits
    type_text(page, ".bw-lr-input", "fast")
    expect(page.locator(".bw-message")).to_contain_text(
        "Refused: η must be a number from 0.001 to 10; got 'fast'; η stays 0.25."
    )
    expect(page.locator(".bw-lr-input input")).to_have_value("0.25")
    assert kernel.eval("pg.learning_rate") == 0.25
    page.locator(".bw-lr-preset", has_text="0.5").click()
    kernel.wait_for("pg.learning_rate", lambda rate: rate == 0.5)
    expect(page.locator(".bw-lr-input input")).to_have_value("0.5")


def test_the_eta_box_sends_on_enter_or_tab_and_escape_takes_the_typing_back(playground):
    page, kernel = playground.page, playground.kernel
    kernel.run("pg.learning_rate = 0.5")
    box = page.locator(".bw-lr-input input")
    expect(box).to_have_value("0.5")

    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("0.3")
    page.wait_for_timeout(300)
    assert kernel.eval("pg.learning_rate") == 0.5  # typing alone sends nothing
    page.keyboard.press("Escape")
    expect(box).to_have_value("0.5")

    page.keyboard.press("Control+A")
    page.keyboard.type("0.3")
    page.keyboard.press("Tab")  # leaving the box sends it
    kernel.wait_for("pg.learning_rate", lambda rate: rate == 0.3)

    kernel.run("pg.learning_rate = 0.05")  # Python's value is shown at once
    expect(box).to_have_value("0.05")
    type_text(page, ".bw-lr-input", "0.05")  # the same value again: nothing to refuse
    expect(page.locator(".bw-message")).to_have_text("")


def test_the_seed_box_sends_on_enter_clamps_and_keeps_its_value_for_what_is_no_number(
    playground,
):
    page, kernel = playground.page, playground.kernel
    box = page.locator(".bw-seed input")
    if not box.is_visible():
        page.get_by_text("Data, training mode and architecture").click()
    before = kernel.eval("pg.settings.seed")
    box.fill(str(before + 3))
    box.press("Enter")
    kernel.wait_for("pg.net.seed", lambda seed: seed == before + 3)
    expect(page.locator(".bw-message")).to_contain_text(f"Seed {before + 3}: a new network")

    box.fill("99999999999")  # past the largest seed: the largest seed, as BoundedIntText does
    box.press("Enter")
    kernel.wait_for("pg.settings.seed", lambda seed: seed == 2**31 - 1)
    expect(box).to_have_value(str(2**31 - 1))

    box.fill("")  # no number: the box shows the seed again and nothing is sent
    box.press("Enter")
    expect(box).to_have_value(str(2**31 - 1))
    kernel.run(f"pg.settings.seed = {before}")
    expect(box).to_have_value(str(before))


def test_a_message_coming_or_going_does_not_move_the_diagram(playground):
    page, kernel = playground.page, playground.kernel
    diagram = page.locator(".bw-network")
    kernel.run("pg.say('')")
    expect(page.locator(".bw-message")).to_have_text("")
    page.locator(".bw-play").scroll_into_view_if_needed()
    without = diagram.bounding_box()
    kernel.run("pg.say('Refused: a one-line message', True)")
    expect(page.locator(".bw-message")).to_contain_text("one-line message")
    assert diagram.bounding_box()["y"] == without["y"]
    kernel.run("pg.say('')")


def test_the_status_line_keeps_its_size_and_place_while_playing(playground):
    page, kernel = playground.page, playground.kernel
    status, diagram = page.locator(".bw-status"), page.locator(".bw-network")
    before = status.bounding_box(), diagram.bounding_box()
    page.locator(".bw-play").click()
    try:
        kernel.wait_for("pg.epoch", lambda epoch: epoch >= 1000)  # four-digit numbers
        expect(diagram).not_to_have_attribute("data-epoch", "0")
        expect(status).to_contain_text(re.compile(r"epoch \d{4,}"))  # four-digit numbers shown
        during = status.bounding_box(), diagram.bounding_box()
    finally:
        page.locator(".bw-play").click()
        kernel.wait_for("pg.playing", lambda playing: playing is False)
    assert during[0] == before[0]
    assert during[1]["y"] == before[1]["y"]


def test_the_loss_legend_stays_off_the_curves_and_log_scale_off_the_edge(playground):
    page, kernel = playground.page, playground.kernel
    kernel.run("pg.configure(dataset='moons', test_fraction=0.25, n=80); pg.train(40)")
    kernel.run("pg.views.selected_index = 0")  # the loss tab
    loss = page.locator(".bw-loss")
    expect(loss).to_have_attribute("data-points", "41")
    expect(page.locator(".bw-loss-legend .bw-legend-key:visible")).to_have_count(2)
    legend = page.locator(".bw-loss-legend").bounding_box()
    for curve in page.locator(".bw-loss-svg .bw-curve").all():
        assert not overlap(legend, curve.bounding_box())
    toggle, frame = page.locator(".bw-log-toggle").bounding_box(), loss.bounding_box()
    assert toggle["x"] + toggle["width"] <= frame["x"] + frame["width"] - 4
    kernel.run("pg.configure(dataset='xor', test_fraction=0.0)")


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_the_selected_edge_stands_out_in_light_and_dark_themes(playground, theme, screenshot):
    page = playground.page
    page.evaluate(
        "theme => window.jupyterapp.commands.execute('apputils:change-theme', { theme })", theme
    )
    expect(page.locator("body")).to_have_attribute(
        "data-jp-theme-light", "true" if theme.endswith("Light") else "false"
    )
    playground.click_svg('.bw-network [data-weight="1,0,1"]')
    hit = '.bw-network [data-weight="1,0,1"].bw-selected .bw-edge-hit'
    expect(page.locator(hit)).to_have_count(1)
    width = page.locator(hit).evaluate("e => parseFloat(getComputedStyle(e).strokeWidth)")
    assert width >= 3
    assert page.evaluate(CONTRAST_JS, [hit, "stroke"]) >= 7
    screenshot(playground, page.locator(".bw-network"))
    page.evaluate(
        "() => window.jupyterapp.commands.execute('apputils:change-theme', "
        "{ theme: 'JupyterLab Light' })"
    )
