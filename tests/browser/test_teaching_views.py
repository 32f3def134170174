"""The error slice, the decision surface and saving/loading, in a real JupyterLab."""

import pytest
from playwright.sync_api import expect

CELL = "import backprop_widgets as bw\npg = bw.Playground()\npg"
PARAMETERS = "[W.tolist() for W in pg.net.weights] + [b.tolist() for b in pg.net.biases]"


@pytest.fixture(scope="module")
def playground(browser, lab_server, open_running):
    with open_running(browser, lab_server, "teaching", CELL) as view:
        yield view


def type_into(page, selector: str, text: str) -> None:
    readout = page.locator(f"{selector} .widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_the_error_slice_follows_a_slider_move(playground, screenshot):
    page, kernel = playground.page, playground.kernel
    playground.click_svg('.bw-network [data-weight="1,0,0"]')
    kernel.wait_for("pg.selected", lambda selected: selected == [1, 0, 0])
    slice_view = page.locator(".bw-slice")
    expect(slice_view).to_have_attribute("data-weight", "1,0,0")
    type_into(page, ".bw-weight", "-1.5")
    kernel.wait_for("float(pg.net.weights[1][0, 0])", lambda value: value == -1.5)
    expect(slice_view).to_have_attribute("data-theta", "-1.5")
    # The slope drawn is the kernel's ∂E/∂θ over the instance every panel shows.
    n = int(slice_view.get_attribute("data-instance"))
    assert n == kernel.eval("pg.instance")
    gradients = f"pg.net.gradients(pg.X[{n}:{n + 1}], pg.Y[{n}:{n + 1}])"
    slope = kernel.eval(f"float({gradients}[0][1][0, 0])")
    assert float(slice_view.get_attribute("data-slope")) == pytest.approx(slope, rel=1e-12)
    expect(page.locator(".bw-surface")).to_have_attribute("data-kind", "2d")
    screenshot(playground, page.locator(".bw-playground"))


def test_save_and_load_round_trip_through_the_controls(playground):
    page, kernel = playground.page, playground.kernel
    kernel.run("import os, tempfile; os.chdir(tempfile.mkdtemp())")
    page.locator(".bw-step-epoch").click()
    kernel.wait_for("pg.epoch", lambda epoch: epoch >= 1)
    saved = kernel.eval(PARAMETERS)
    kernel.run("pg.panels.selected_index = 1")
    page.locator(".bw-save").click()
    expect(page.locator(".bw-message")).to_contain_text("Saved to playground.json")
    page.locator(".bw-reset").click()
    kernel.wait_for("pg.epoch", lambda epoch: epoch == 0)
    assert kernel.eval(PARAMETERS) != saved
    page.locator(".bw-load").click()
    expect(page.locator(".bw-message")).to_contain_text("Loaded playground.json")
    assert kernel.eval(PARAMETERS) == saved
    expect(page.locator(".bw-network")).to_have_attribute("data-epoch", "1")
    # A file that is not a saved playground is refused, and nothing changes.
    kernel.run("open('broken.json', 'w').write('{\"format\": \"something else\"}')")
    page.locator(".bw-file input").fill("broken.json")
    page.locator(".bw-file input").press("Enter")
    kernel.wait_for("pg.controls.file_text.value", lambda name: name == "broken.json")
    page.locator(".bw-load").click()
    expect(page.locator(".bw-message .bw-error")).to_contain_text("Could not load broken.json")
    assert kernel.eval(PARAMETERS) == saved


def test_the_playground_follows_the_dark_theme(playground, screenshot):
    page = playground.page
    page.evaluate(
        "window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})"
    )
    page.wait_for_function("document.body.dataset.jpThemeLight === 'false'")
    fill = page.locator(".bw-network [data-node='1,0'] circle").evaluate(
        "c => getComputedStyle(c).fill"
    )
    ink = page.locator(".bw-network .bw-layer-label").first.evaluate(
        "t => getComputedStyle(t).fill"
    )
    channels = lambda colour: [int(v) for v in colour[colour.index("(") + 1 : -1].split(",")[:3]]  # noqa: E731
    assert sum(channels(fill)) < 3 * 100, f"node fill should be dark in the dark theme: {fill}"
    assert sum(channels(ink)) > 3 * 150, f"labels should be light in the dark theme: {ink}"
    screenshot(playground, page.locator(".bw-playground"), suffix="dark")
    page.evaluate(
        "window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})"
    )
    page.wait_for_function("document.body.dataset.jpThemeLight === 'true'")
