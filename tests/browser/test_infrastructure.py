"""The browser-test plumbing works: a widget in a real JupyterLab talks to the kernel we read."""

import pytest

PROBE_CELL = """\
import ipywidgets as widgets
probe = widgets.IntSlider(value=3, min=0, max=100, description="probe")
probe.add_class("probe")
probe"""


@pytest.fixture(scope="module")
def lab_probe(browser, lab_server, open_notebook):
    path = lab_server.write_notebook("probe_lab.ipynb", PROBE_CELL)
    with open_notebook(browser, lab_server, path, workspace="infrastructure") as view:
        view.run_all()
        view.page.locator(".probe .widget-readout").wait_for()
        yield view


def type_into_readout(page, value: int) -> None:
    readout = page.locator(".probe .widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(value))
    page.keyboard.press("Enter")


def test_typed_slider_value_reaches_the_kernel(lab_probe, screenshot):
    type_into_readout(lab_probe.page, 42)

    assert lab_probe.kernel.wait_for("probe.value", lambda v: v == 42) == 42
    screenshot(lab_probe)


def test_dragging_the_handle_to_the_end_sets_the_maximum(lab_probe):
    handle = lab_probe.page.locator(".probe .noUi-handle")
    track = lab_probe.page.locator(".probe .noUi-target").bounding_box()
    handle.hover()
    lab_probe.page.mouse.down()
    lab_probe.page.mouse.move(track["x"] + track["width"] + 50, track["y"] + track["height"] / 2)
    lab_probe.page.mouse.up()

    assert lab_probe.kernel.wait_for("probe.value", lambda v: v == 100) == 100


def test_kernel_value_shows_in_the_browser(lab_probe):
    lab_probe.kernel.run("probe.value = 7")

    lab_probe.page.wait_for_function(
        "() => document.querySelector('.probe .widget-readout').textContent.trim() === '7'"
    )


def test_kernel_client_reports_errors_raised_in_the_kernel(lab_probe):
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        lab_probe.kernel.eval("1 / 0")


def test_notebook7_runs_a_widget_and_shares_its_kernel(
    browser, notebook_server, open_notebook, screenshot
):
    path = notebook_server.write_notebook("probe_notebook7.ipynb", PROBE_CELL)
    with open_notebook(browser, notebook_server, path) as view:
        view.run_all()
        type_into_readout(view.page, 58)

        assert view.kernel.wait_for("probe.value", lambda v: v == 58) == 58
        screenshot(view)
