"""The weights table in a real JupyterLab: typing a number sets it exactly in the kernel, text is
refused with a message and puts the box back, undo, copy as Python, and a big network that
stays readable in light and dark themes."""

import re

import pytest
from playwright.sync_api import expect

SMALL = """import backprop_widgets as bw
from backprop_widgets.widgets.weights_table import WeightsTable
net = bw.MLP([2, 3, 1], seed=0)
edits = []
table = WeightsTable(net, on_edit=edits.append)
table"""
BIG = "big = WeightsTable(bw.MLP([8, 8, 8, 8, 8, 8], activation='tanh', seed=1))\nbig"
PARAMETERS = "[W.tolist() for W in net.weights] + [b.tolist() for b in net.biases]"

# Any two boxes, or a box and a title, of the table that overlap; their keys.
OVERLAPS_JS = """(root) => {
  const boxes = [...root.querySelectorAll('input[data-weight], .bw-weights-title, th')];
  const rects = boxes.map((b) => b.getBoundingClientRect());
  const name = (b) => b.dataset.weight || b.textContent;
  const apart = (a, b) => a.right - 0.5 <= b.left || a.bottom - 0.5 <= b.top;
  const found = [];
  for (let m = 0; m < rects.length; m++)
    for (let n = m + 1; n < rects.length; n++)
      if (!apart(rects[m], rects[n]) && !apart(rects[n], rects[m]))
        found.push([name(boxes[m]), name(boxes[n])]);
  return found;
}"""


@pytest.fixture(scope="module")
def tables(browser, lab_server, open_running):
    with open_running(
        browser, lab_server, "weights_table", SMALL, BIG, ready=".bw-weights-table input"
    ) as view:
        yield view


def box(view, key: str, n: int = 0):
    return view.page.locator(".bw-weights-table").nth(n).locator(f'input[data-weight="{key}"]')


def type_into(view, key: str, text: str, then: str = "Enter") -> None:
    field = box(view, key)
    field.click()
    view.page.keyboard.press("Control+A")
    view.page.keyboard.type(text)
    view.page.keyboard.press(then)


def test_every_parameter_is_a_box_showing_its_exact_number(tables):
    kernel = tables.kernel
    keys = kernel.eval("[p.key() for p in net.parameters()]")
    small = tables.page.locator(".bw-weights-table").first
    expect(small.locator("input[data-weight]")).to_have_count(len(keys))
    for key in keys:
        assert box(tables, key).input_value() == kernel.eval(f"table.values[{key!r}]")
    expect(small.locator(".bw-weights-title").first).to_have_text("θ¹: layer 1 → layer 2")
    expect(box(tables, "0,1,bias")).to_have_attribute("title", "θ¹₂₀")


def test_a_typed_number_is_set_exactly_with_enter_and_with_tab(tables):
    kernel = tables.kernel
    type_into(tables, "0,1,0", "0.30000000000000004")
    kernel.wait_for("repr(float(net.weights[0][1, 0]))", lambda text: text == "0.30000000000000004")
    expect(box(tables, "0,1,0")).to_have_value("0.30000000000000004")
    type_into(tables, "1,0,bias", "1e-300", then="Tab")
    kernel.wait_for("float(net.biases[1][0]) == 1e-300", lambda same: same)
    expect(box(tables, "1,0,bias")).to_have_value("1e-300")
    assert kernel.eval("[list(p) for p in edits]")[-2:] == [[0, 1, 0], [1, 0, "bias"]]
    expect(tables.page.locator(".bw-weights-error").first).to_have_text("")


def test_text_is_refused_with_a_message_and_changes_nothing(tables, screenshot):
    kernel, page = tables.kernel, tables.page
    before = kernel.eval(PARAMETERS)
    exact = kernel.eval("table.values['0,2,1']")
    type_into(tables, "0,2,1", "abc")
    error = page.locator(".bw-weights-error").first
    expect(error).to_contain_text("θ¹₃₂ (weights[0][2, 1]) must be a number such as 0.25")
    expect(box(tables, "0,2,1")).to_have_value(exact)
    expect(box(tables, "0,2,1")).to_have_attribute("aria-invalid", "")
    type_into(tables, "0,2,1", "inf")  # the same box refused again: put back again
    expect(error).to_contain_text("must be a finite number")
    expect(box(tables, "0,2,1")).to_have_value(exact)
    kernel.stays(PARAMETERS, before, duration=0.5)
    screenshot(tables, page.locator(".bw-weights-table").first)
    type_into(tables, "0,2,1", "0.5")  # a good entry: the mark and the message go
    expect(box(tables, "0,2,1")).not_to_have_attribute("aria-invalid", "")
    expect(error).to_have_text("")
    assert kernel.eval("float(net.weights[0][2, 1])") == 0.5


def test_undo_puts_back_the_edits_and_is_disabled_when_there_is_nothing_left(tables):
    kernel, page = tables.kernel, tables.page
    kernel.run("table.attach(net)")  # a history of its own: the two edits below
    start = kernel.eval("table.values['0,0,0']")
    undo = page.locator(".bw-weights-undo").first
    expect(undo).to_be_disabled()
    type_into(tables, "0,0,0", "-0.75")
    kernel.wait_for("float(net.weights[0][0, 0])", lambda value: value == -0.75)
    expect(box(tables, "0,0,0")).not_to_have_class(re.compile(r"\bbw-pending\b"))  # answered
    type_into(tables, "0,0,0", "2.5")
    kernel.wait_for("float(net.weights[0][0, 0])", lambda value: value == 2.5)
    expect(undo).to_be_enabled()
    expect(undo).to_have_attribute("title", "Undo: θ¹₁₁ back to -0.75")
    undo.click()
    expect(box(tables, "0,0,0")).to_have_value("-0.75")
    undo.click()
    expect(box(tables, "0,0,0")).to_have_value(start)
    assert kernel.eval("table.values['0,0,0']") == start
    expect(undo).to_be_disabled()


def test_training_in_the_kernel_shows_after_refresh(tables):
    kernel = tables.kernel
    kernel.run("X, Y = bw.datasets.xor(); net.fit(X, Y, 0.5, epochs=5); table.refresh()")
    expect(box(tables, "1,0,2")).to_have_value(kernel.eval("repr(float(net.weights[1][0, 2]))"))


def test_copy_as_python_shows_and_copies_the_tables_code(tables, screenshot):
    page, kernel = tables.page, tables.kernel
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    widget = page.locator(".bw-weights-table").first
    widget.locator(".bw-weights-copy").click()
    expect(widget.locator(".bw-weights-copy")).to_have_attribute("data-copied", "true")
    code = kernel.eval("table.python_code()")
    assert widget.locator(".bw-weights-code").text_content() == code
    assert page.evaluate("() => navigator.clipboard.readText()") == code
    screenshot(tables, widget)
    # Where the browser offers no clipboard (plain http), the code is shown selected instead.
    page.evaluate("() => Object.defineProperty(navigator, 'clipboard', { value: undefined })")
    expect(widget.locator(".bw-weights-copy")).to_have_text("Copy as Python")
    widget.locator(".bw-weights-copy").click()
    expect(widget.locator(".bw-weights-copy")).to_contain_text("Ctrl+C")
    assert page.evaluate("() => String(window.getSelection())") == code.rstrip("\n")
    widget.locator(".bw-weights-hide-code").click()
    expect(widget.locator(".bw-weights-code")).to_be_hidden()


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_a_big_network_fits_without_overlap_in_both_themes(tables, theme, screenshot):
    page = tables.page
    page.evaluate(
        "theme => window.jupyterapp.commands.execute('apputils:change-theme', { theme })", theme
    )
    expect(page.locator("body")).to_have_attribute(
        "data-jp-theme-light", "true" if theme.endswith("Light") else "false"
    )
    big = page.locator(".bw-weights-table").nth(1)
    expect(big.locator("input[data-weight]")).to_have_count(5 * (8 * 8 + 8))
    assert big.evaluate(OVERLAPS_JS) == []
    # Each layer's table scrolls on its own; none pokes out of the widget.
    right = big.evaluate("e => e.getBoundingClientRect().right")
    for scroller in big.locator(".bw-weights-scroll").all():
        assert scroller.evaluate("e => e.getBoundingClientRect().right") <= right + 1
    size = big.locator("input").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 13
    screenshot(tables, big, suffix=theme.split()[-1].lower())
    page.evaluate(
        "() => window.jupyterapp.commands.execute('apputils:change-theme', "
        "{ theme: 'JupyterLab Light' })"
    )
