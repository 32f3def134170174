"""The playground on a projector: 1280 × 720, JupyterLab's Presentation Mode.

The controls, the diagram and the derivation of the clicked weight are on screen together,
and every piece of text in the playground is drawn at 14 px or more (SVG text measured on
screen, after the diagram's scaling).
"""

import pytest
from playwright.sync_api import expect

PROJECTOR = {"width": 1280, "height": 720}
CELL = "import backprop_widgets as bw\npg = bw.Playground()\npg"

# Every visible text of the playground with its size on screen: for SVG text the font size
# times the SVG's scale; for HTML (MathML included) the computed font size.
TEXT_SIZES_JS = """() => {
  const root = document.querySelector('.bw-playground');
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!node.textContent.trim() || !element.getClientRects().length) continue;
    if (element.closest('.lm-mod-hidden, .bw-panels, [hidden]')) continue;
    // In maths, scripts are smaller by design: the formula's own size is what is measured.
    const sized = element.closest('math') ?? element;
    let size = parseFloat(getComputedStyle(sized).fontSize);
    const svg = element.closest('svg');
    if (svg) size *= svg.getScreenCTM().a;
    out.push({ text: node.textContent.trim().slice(0, 30), size: Math.round(size * 10) / 10,
               where: element.className?.baseVal ?? element.className ?? element.tagName });
  }
  return out;
}"""


@pytest.fixture(scope="module")
def projector(browser, lab_server, open_notebook):
    path = lab_server.write_notebook("projector.ipynb", CELL)
    with open_notebook(
        browser, lab_server, path, workspace="projector", viewport=PROJECTOR
    ) as view:
        page = view.page
        page.evaluate(
            "() => window.jupyterapp.commands.execute('application:toggle-presentation-mode')"
        )
        view.run_all()
        page.locator(".bw-network [data-weight]").first.wait_for(state="attached")
        view.click_svg('.bw-network [data-weight="1,0,1"]')
        page.locator(".bw-derivation .bw-math-row math").first.wait_for()
        page.evaluate("() => document.querySelector('.bw-playground').scrollIntoView()")
        yield view


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_controls_diagram_and_derivation_are_on_screen_together(projector, screenshot):
    page = projector.page
    assert page.locator(".jp-mod-presentationMode").count() == 1
    for selector in (".bw-play", ".bw-lr-input", ".bw-status"):
        b = box(page, selector)
        assert 0 <= b["y"] and b["y"] + b["height"] <= PROJECTOR["height"], selector
    diagram = box(page, ".bw-network svg")
    assert diagram["y"] >= 0 and diagram["y"] + diagram["height"] <= PROJECTOR["height"]
    derivation = box(page, ".bw-derivation")
    visible = min(derivation["y"] + derivation["height"], PROJECTOR["height"]) - derivation["y"]
    assert derivation["y"] >= 0 and visible >= 250, derivation
    # side by side: the derivation is beside the diagram, not under it
    assert derivation["x"] >= diagram["x"] + diagram["width"] - 1
    screenshot(projector, suffix="presentation")


def test_every_text_in_the_playground_is_at_least_14_px(projector):
    sizes = projector.page.evaluate(TEXT_SIZES_JS)
    assert len(sizes) > 40  # the diagram's labels, the controls, the status, the derivation
    small = [entry for entry in sizes if entry["size"] < 14]
    assert not small, small[:10]


# The tick labels of every plot in the shown tab that overlap one another (their boxes on screen).
OVERLAPPING_TICKS_JS = """() => {
  const clashes = [];
  for (const svg of document.querySelectorAll('.bw-views svg')) {
    if (!svg.getClientRects().length) continue;
    const boxes = [...svg.querySelectorAll('.bw-tick')]
      .map((t) => [t.textContent, t.getBoundingClientRect()]);
    boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
      const meet = p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom;
      if (meet) clashes.push([a, b]);
    }));
  }
  return clashes;
}"""


@pytest.mark.parametrize("tab", ["Loss", "E(θ)", "ŷ(x)"])
def test_every_tab_beside_the_diagram_draws_its_text_at_14_px_or_more(projector, tab, screenshot):
    """The plots scale with their column; their tick and axis labels are drawn at the page's
    text size whatever that scale, their ticks thinned so the labels do not overlap."""
    page = projector.page
    if tab == "Loss":  # a curve of thousands of epochs: five-digit tick labels
        page.locator(".bw-play").click()
        page.wait_for_function(
            "() => Number(document.querySelector('.bw-network').dataset.epoch) >= 2000"
        )
        page.locator(".bw-play").click()
        expect(page.locator(".bw-play")).not_to_contain_text("Pause")
    page.locator(".bw-views .lm-TabBar-tab", has_text=tab).click()
    shown = ".bw-views .widget-tab-contents > :not(.lm-mod-hidden)"
    page.locator(f"{shown} svg .bw-tick").first.wait_for()
    # The redraw for the tab's width on screen: each plot shown was drawn for its width.
    page.wait_for_function(
        """(shown) => [...document.querySelectorAll(`${shown} svg[data-drawn-width]`)]
          .filter((svg) => svg.getBoundingClientRect().width > 0)
          .every((svg) => Math.round(svg.getBoundingClientRect().width)
            === Number(svg.dataset.drawnWidth))""",
        arg=shown,
    )
    sizes = page.evaluate(TEXT_SIZES_JS)
    ticks = [entry for entry in sizes if "bw-tick" in str(entry["where"])]
    assert len(ticks) >= 4, sizes
    small = [entry for entry in sizes if entry["size"] < 14]
    assert not small, small[:10]
    assert page.evaluate(OVERLAPPING_TICKS_JS) == []
    if tab == "ŷ(x)":  # the plane and its legend fit the tab: nothing to scroll to
        contents = box(page, ".bw-views .widget-tab-contents")
        legend = box(page, ".bw-views .bw-surface-legend")
        assert legend["y"] + legend["height"] <= contents["y"] + contents["height"] + 1
    screenshot(projector, suffix=f"tab-{tab}")


def test_text_follows_presentation_mode(projector):
    page = projector.page
    size = lambda: page.evaluate(  # noqa: E731
        "() => parseFloat(getComputedStyle(document.querySelector('.bw-status')).fontSize)"
    )
    big = size()
    page.evaluate(
        "() => window.jupyterapp.commands.execute('application:toggle-presentation-mode')"
    )
    try:
        assert size() < big
    finally:
        page.evaluate(
            "() => window.jupyterapp.commands.execute('application:toggle-presentation-mode')"
        )
