"""Bring your own (issue 11) in a real JupyterLab: points drawn, moved and erased on the decision
surface, drawing while Play runs, an exact weight typed into the weights table, a CSV uploaded,
a playground with drawn data saved and loaded, two of four inputs on the plane, and a network
given with its own weights.

One notebook and one page serve the module: cell 0 holds the XOR playground ``pg`` that most
tests draw on, cell 1 ``pg4`` (four inputs of your own), cell 2 ``pgnet`` (a network set by
hand), cell 3 ``pg1`` (the 1-D sine), cell 4 ``pgr`` (a regression on the plane). Each test
brings the state it needs and waits for the kernel or the page to show it.
"""

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

CELLS = (
    "import backprop_widgets as bw\nimport numpy as np\npg = bw.Playground('xor')\npg",
    "rng = np.random.default_rng(4)\n"
    "X4 = rng.normal(size=(30, 4)) + [0, 0, 3, -2]\n"
    "Y4 = (X4[:, 0] + X4[:, 2] > 3).astype(float)\n"
    "pg4 = bw.Playground(X=X4, Y=Y4)\npg4",
    "net = bw.MLP([2, 2, 1])\n"
    "net.weights[0][:] = [[0.5, -1.25], [2.0, 0.75]]\n"
    "net.biases[0][:] = [0.125, -0.5]\n"
    "net.weights[1][:] = [[1.5, -2.25]]\n"
    "net.biases[1][:] = [0.25]\n"
    "pgnet = bw.Playground(net=net)\npgnet",
    "pg1 = bw.Playground('sine')\npg1",
    "rng = np.random.default_rng(1)\nXr = rng.uniform(-1, 1, (25, 2))\n"
    "Yr = 0.5 + 0.3 * Xr[:, :1] * Xr[:, 1:]\npgr = bw.Playground(X=Xr, Y=Yr)\npgr",
)
PG, PG4, PGNET, PG1, PGR = range(5)

# Client coordinates of a point given in data units on a plane of the surface (its root, which
# outlives redraws), the plot scrolled into view first: the plot's box is the heat map's
# <image> (SVG units), its data ranges the Python surface's ``extent``.
TO_SCREEN_JS = """(root, [x, y, extent]) => {
  const svg = root.querySelector('.bw-surface-svg');
  svg.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  const image = svg.querySelector('image.bw-surface-image');
  const [ix, iy, iw, ih] = ['x', 'y', 'width', 'height'].map((a) => Number(image.getAttribute(a)));
  const [ax, bx, ay, by] = extent;
  const px = ix + ((x - ax) / (bx - ax)) * iw;
  const py = iy + ih - ((y - ay) / (by - ay)) * ih;
  const m = svg.getScreenCTM();
  return { x: m.a * px + m.c * py + m.e, y: m.b * px + m.d * py + m.f };
}"""

# What is on screen at client coordinates [x, y]: the surface's svg (onPlot), or what else.
HIT_JS = """([x, y]) => {
  const e = document.elementFromPoint(x, y);
  return { onPlot: Boolean(e && e.closest('.bw-surface-svg')),
           what: e && (e.getAttribute('class') || e.tagName) };
}"""

# Client coordinates of a point of the SVG given in SVG units (for the axes' margins).
SVG_TO_SCREEN_JS = """(root, [px, py]) => {
  const m = root.querySelector('.bw-surface-svg').getScreenCTM();
  return { x: m.a * px + m.c * py + m.e, y: m.b * px + m.d * py + m.f };
}"""

# Watch the surface from the next pointerup to the first redraw that shows one more training
# point: ``window.bwRedraw`` holds the times (performance.now(), ms).
WATCH_REDRAW_JS = """(root) => {
  const count = () => root.querySelectorAll('g.bw-point[data-set="train"]').length;
  const before = count();
  const record = { before, up: null, drawn: null, updates: Number(root.dataset.updates) };
  window.bwRedraw = record;
  document.addEventListener('pointerup', () => { record.up ??= performance.now(); },
                            { capture: true, once: true });
  const observer = new MutationObserver(() => {
    if (count() > before) {
      record.drawn = performance.now();
      record.updatesAfter = Number(root.dataset.updates);
      observer.disconnect();
    }
  });
  observer.observe(root, { childList: true, subtree: true, attributes: true });
}"""

DATA = "[pg.X.tolist(), pg.Y.tolist(), pg.X_test.tolist(), pg.settings.dataset]"
XOR_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
# A click lands within a pixel or two of where it was aimed: in data units, about 1/200 of the
# plot's width (the plane is 334 SVG units across, shown at about its size).
TOLERANCE = 0.02


@pytest.fixture(scope="module")
def lab(browser, lab_server, open_running):
    with open_running(browser, lab_server, "your_own", *CELLS) as view:
        yield view


def cell(view, n: int):
    return view.page.locator(".jp-Notebook .jp-CodeCell").nth(n)


def open_surface(view, n: int = PG):
    """Open the ŷ(x) tab of cell ``n``'s playground; its ``.bw-surface``."""
    out = cell(view, n)
    out.locator(".bw-views .lm-TabBar-tab", has_text="ŷ(x)").click()
    surface = out.locator(".bw-surface")
    expect(surface.locator(".bw-surface-svg")).to_be_visible()
    surface.scroll_into_view_if_needed()
    # The tab shown, the plot redraws for its width on screen: measure it only after that.
    assert surface.evaluate(
        """(root) => new Promise((done) => {
          const start = performance.now();
          const drawn = () => {
            const svg = root.querySelector(".bw-surface-svg");  // a redraw replaces it
            const width = svg && Math.round(svg.getBoundingClientRect().width);
            return width === Number(svg?.dataset.drawnWidth);
          };
          const wait = () => drawn() ? done(true)
            : performance.now() - start > 10000 ? done(false) : requestAnimationFrame(wait);
          wait();
        })"""
    ), "the ŷ(x) plot was not redrawn for its width on screen"
    return surface


def open_settings(view, n: int = PG):
    out = cell(view, n)
    if not out.locator(".bw-weights-table").is_visible():
        out.locator(".bw-panels").get_by_text("Data, training mode and architecture").click()
    expect(out.locator(".bw-weights-table")).to_be_visible()


def screen_point(surface, x: float, y: float, extent: list) -> dict:
    """Where (x, y) is on screen, the plot scrolled into view first (the page and the tab
    scroll; clicking Play, for one, scrolls the page to its button)."""
    return surface.evaluate(TO_SCREEN_JS, [x, y, extent])


def point(surface, k: int, which: str = "train"):
    return surface.locator(f'g.bw-point[data-point="{k}"][data-set="{which}"]')


def centre(surface, k: int, which: str = "train") -> tuple[float, float]:
    """The middle of point ``k`` on screen, looked up and measured in one go: the surface
    redraws itself (again 0.2 s after a change, and while training plays), replacing its
    points, so a point found a moment ago may be gone."""
    x, y = surface.evaluate(
        """(root, [k, which]) => {
          const e = root.querySelector(`g.bw-point[data-point="${k}"][data-set="${which}"]`);
          const r = e.getBoundingClientRect();
          return [r.x + r.width / 2, r.y + r.height / 2];
        }""",
        [k, which],
    )
    return x, y


def choose_class(surface, target: str) -> None:
    button = surface.locator(f'.bw-draw-class[data-target="{target}"]')
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")


def draw_at(view, surface, x: float, y: float, name: str = "pg") -> int:
    """Click the plane at (x, y) (data units) and wait for the kernel's new row; the row count."""
    kernel = view.kernel
    rows = kernel.eval(f"len({name}.X)")
    at = screen_point(surface, x, y, kernel.eval(f"{name}.surface.extent"))
    hit = view.page.evaluate(HIT_JS, [at["x"], at["y"]])
    assert hit["onPlot"], f"({x}, {y}) is not on the plot on screen: {hit['what']!r} is there"
    view.page.mouse.click(at["x"], at["y"])
    try:
        return kernel.wait_for(f"len({name}.X)", lambda n: n == rows + 1, timeout=10)
    except TimeoutError as error:
        said = kernel.eval(f"{name}.surface.draw_message")
        raise AssertionError(f"{error}; the click hit {hit!r}; the surface says {said!r}") from None


def back_to_xor(view) -> None:
    """Undo every drawing on ``pg`` (when there is any): XOR's four points again."""
    view.kernel.run("pg.pause(); pg.your_data.undo_drawing(); pg.surface.update()")
    view.kernel.wait_for(DATA, lambda data: data[0] == XOR_X and data[3] == "xor")


def close(a, b, tolerance=TOLERANCE) -> bool:
    return all(abs(p - q) <= tolerance for p, q in zip(a, b))


# --------------------------------------------------------------------------------- drawing


def test_a_click_adds_a_point_of_the_chosen_class_and_everything_follows(lab, screenshot):
    page, kernel = lab.page, lab.kernel
    surface = open_surface(lab)
    expect(surface).to_have_attribute("data-kind", "2d")
    expect(surface.locator(".bw-surface-draw")).to_be_visible()
    expect(surface.locator("g.bw-point[data-set=train]")).to_have_count(4)
    status = cell(lab, PG).locator(".bw-status")
    expect(status).to_contain_text("E(all 4)")
    choose_class(surface, "1")
    expect(surface.locator('.bw-draw-class[data-target="0"]')).to_have_attribute(
        "aria-pressed", "false"
    )
    updates = int(surface.get_attribute("data-updates"))
    surface.evaluate(WATCH_REDRAW_JS)

    assert draw_at(lab, surface, 0.5, 0.5) == 5

    page.wait_for_function("() => window.bwRedraw.drawn !== null")
    timing = page.evaluate("() => window.bwRedraw")
    print(f"\nclick → surface redrawn with the new point: {timing['drawn'] - timing['up']:.1f} ms")
    X, Y, X_test, dataset = kernel.eval(DATA)
    assert dataset == "own" and X_test == []
    assert X[:4] == XOR_X and Y[:4] == [[0.0], [1.0], [1.0], [0.0]]
    assert close(X[4], [0.5, 0.5]), X[4]
    assert Y[4] == [1.0]
    expect(point(surface, 4)).to_have_count(1)
    assert int(surface.get_attribute("data-updates")) > updates
    # The menu says "your data"; the loss curve and the status line are about the five points.
    assert kernel.eval("pg.dataset_select.label") == "your data"
    assert kernel.eval("pg.loss_view.train[-1][1] == pg.session.loss()")
    expect(status).to_contain_text("E(all 5)")
    expect(surface.locator(".bw-draw-message")).to_have_text(
        "Point added: 5 points (5 for training)."
    )
    expect(surface.locator(".bw-draw-message")).not_to_have_class("bw-error")
    screenshot(lab, cell(lab, PG).locator(".bw-stage"), "drawn")


def test_dragging_a_point_moves_its_row(lab):
    page, kernel = lab.page, lab.kernel
    surface = open_surface(lab)
    if kernel.eval("len(pg.X)") != 5:
        draw_at(lab, surface, 0.5, 0.5)
    extent = kernel.eval("pg.surface.extent")
    to = screen_point(surface, 0.25, 0.3, extent)  # scrolls the plot into view
    x, y = centre(surface, 0)  # XOR's (0, 0)
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, 6):
        page.mouse.move(x + (to["x"] - x) * k / 5, y + (to["y"] - y) * k / 5)
    page.mouse.up()
    moved = kernel.wait_for("pg.X[0].tolist()", lambda row: row != [0.0, 0.0])
    assert close(moved, [0.25, 0.3]), moved
    assert kernel.eval("pg.Y[0].tolist()") == [0.0]  # its class stays
    assert kernel.eval("len(pg.X)") == 5
    expect(surface.locator(".bw-draw-message")).to_contain_text("Point moved")
    expect(point(surface, 0)).to_have_count(1)
    x, y = centre(surface, 0)
    assert abs(x - to["x"]) < 3 and abs(y - to["y"]) < 3, ((x, y), to)


def test_alt_click_and_erase_mode_remove_points_and_undo_brings_the_data_back(lab):
    kernel = lab.kernel
    surface = open_surface(lab)
    if kernel.eval("len(pg.X)") != 5:
        draw_at(lab, surface, 0.5, 0.5)
    rows = kernel.eval("pg.X.tolist()")

    point(surface, 4).click(modifiers=["Alt"])
    kernel.wait_for("len(pg.X)", lambda n: n == 4)
    assert kernel.eval("pg.X.tolist()") == rows[:4]
    expect(surface.locator("g.bw-point[data-set=train]")).to_have_count(4)
    expect(surface.locator(".bw-draw-message")).to_contain_text("Point removed: 4 points")

    erase = surface.locator(".bw-draw-erase")
    erase.click()
    expect(erase).to_have_attribute("aria-pressed", "true")
    point(surface, 1).click()  # XOR's (0, 1)
    kernel.wait_for("len(pg.X)", lambda n: n == 3)
    assert kernel.eval("pg.X.tolist()") == [rows[0], rows[2], rows[3]]
    # In erase mode a click on the empty plane adds nothing.
    at = screen_point(surface, 0.5, 0.8, kernel.eval("pg.surface.extent"))
    lab.page.mouse.click(at["x"], at["y"])
    kernel.stays("len(pg.X)", 3, duration=0.5)
    erase.click()
    expect(erase).to_have_attribute("aria-pressed", "false")

    surface.locator(".bw-draw-clear").click()
    kernel.wait_for(DATA, lambda data: data[0] == XOR_X and data[3] == "xor")
    expect(surface.locator("g.bw-point[data-set=train]")).to_have_count(4)
    expect(surface.locator(".bw-draw-message")).to_have_text(
        "Back to the data from before drawing."
    )
    assert kernel.eval("pg.dataset_select.value") == "xor"


def test_a_click_outside_the_plot_adds_nothing_and_python_refuses_a_point_outside(lab):
    page, kernel = lab.page, lab.kernel
    surface = open_surface(lab)
    surface.evaluate("root => root.querySelector('.bw-surface-svg').scrollIntoView()")
    rows = kernel.eval("len(pg.X)")
    for margin in ([200, 380], [20, 180], [395, 200]):  # the x label, the y label, the right
        at = surface.evaluate(SVG_TO_SCREEN_JS, margin)
        assert page.evaluate(HIT_JS, [at["x"], at["y"]])["onPlot"]  # on the svg, off the plot
        page.mouse.click(at["x"], at["y"])
    kernel.stays("len(pg.X)", rows, duration=0.7)
    # A message with a point outside the plot (as a tampered page could send) is refused.
    kernel.run(
        "pg.surface._on_message(pg.surface, "
        "{'type': 'point', 'action': 'add', 'x': [9.0, 0.5], 'target': 1.0}, [])"
    )
    message = surface.locator(".bw-draw-message")
    expect(message).to_contain_text("Refused: a drawn point must lie inside the plot: 9 is outside")
    expect(message).to_have_class("bw-draw-message bw-error")
    assert kernel.eval("len(pg.X)") == rows


def test_training_picks_up_a_point_drawn_while_play_runs(lab):
    page, kernel = lab.page, lab.kernel
    back_to_xor(lab)
    surface = open_surface(lab)
    choose_class(surface, "0")
    play = cell(lab, PG).locator(".bw-play")
    play.click()
    try:
        kernel.wait_for("pg.playing and pg.epoch", lambda epoch: epoch >= 20)
        assert draw_at(lab, surface, 0.3, 0.7) == 5
        at, playing = kernel.eval("[pg.epoch, pg.playing]")
        assert playing
        assert kernel.eval("pg.Y[-1].tolist()") == [0.0]
        kernel.wait_for("pg.epoch", lambda epoch: epoch >= at + 20)
        assert kernel.eval("[pg.playing, len(pg.session.X), pg.settings.dataset]") == [
            True, 5, "own",
        ]  # fmt: skip
        # The loss curve goes on with the five points: its last point is E of them all.
        kernel.wait_for("pg.loss_view.train[-1][0]", lambda epoch: epoch > at)
        expect(point(surface, 4)).to_have_count(1)
    finally:
        play.click()
        kernel.wait_for("pg.playing", lambda playing: playing is False)
    expect(cell(lab, PG).locator(".bw-message .bw-error")).to_have_count(0)
    expect(surface.locator(".bw-draw-message.bw-error")).to_have_count(0)
    errors = page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.content.model.cells.get(0).toJSON()"
        ".outputs.filter(o => o.output_type === 'error' || o.name === 'stderr').length"
    )
    assert errors == 0
    back_to_xor(lab)


# --------------------------------------------------------------------------------- weights table


def type_weight(view, key: str, text: str) -> None:
    box = cell(view, PG).locator(f'.bw-weights-table input[data-weight="{key}"]')
    box.click()
    view.page.keyboard.press("Control+A")
    view.page.keyboard.type(text)
    view.page.keyboard.press("Enter")


def test_a_weight_typed_into_the_table_is_set_exactly_and_every_view_follows(lab, screenshot):
    kernel = lab.kernel
    out = cell(lab, PG)
    open_settings(lab)
    box = out.locator('.bw-weights-table input[data-weight="0,1,0"]')
    start = kernel.eval("repr(float(pg.net.weights[0][1, 0]))")
    expect(box).to_have_value(start)
    status = out.locator(".bw-status")
    status_before = status.inner_text()
    title = out.locator('.bw-network [data-weight="0,1,0"] > title')
    points = kernel.eval("len(pg.loss_view.train)")

    type_weight(lab, "0,1,0", "0.30000000000000004")

    kernel.wait_for("repr(float(pg.net.weights[0][1, 0]))", lambda r: r == "0.30000000000000004")
    assert kernel.eval("pg.network.weights[0][1][0]") == 0.30000000000000004
    expect(title).to_contain_text("θ¹₂₁ = 0.300")
    expect(status).not_to_have_text(status_before)
    assert kernel.eval("pg.loss_view.train[-1][1] == pg.session.loss()")
    assert kernel.eval("len(pg.loss_view.train)") >= points
    expect(box).to_have_value("0.30000000000000004")
    expect(out.locator(".bw-weights-error")).to_have_text("")

    # Text is refused, said, and changes nothing.
    parameters = "[W.tolist() for W in pg.net.weights] + [b.tolist() for b in pg.net.biases]"
    before = kernel.eval(parameters)
    status_now = status.inner_text()
    type_weight(lab, "0,1,0", "abc")
    error = out.locator(".bw-weights-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("θ¹₂₁ (weights[0][1, 0]) must be a number such as 0.25")
    expect(box).to_have_value("0.30000000000000004")
    kernel.stays(parameters, before, duration=0.5)
    expect(status).to_have_text(status_now)
    screenshot(lab, out.locator(".bw-weights-table"), "refused")

    # Undo puts the weight back; the diagram follows.
    out.locator(".bw-weights-undo").click()
    kernel.wait_for("repr(float(pg.net.weights[0][1, 0]))", lambda r: r == start)
    expect(box).to_have_value(start)
    expect(title).to_contain_text(f"θ¹₂₁ = {float(start):.3f}")
    assert kernel.eval("pg.network.weights[0][1][0]") == float(start)


# --------------------------------------------------------------------------------- files


def test_a_playground_with_drawn_points_saves_and_loads_them(lab):
    kernel = lab.kernel
    out = cell(lab, PG)
    back_to_xor(lab)
    surface = open_surface(lab)
    choose_class(surface, "1")
    draw_at(lab, surface, 0.6, 0.4)
    open_settings(lab)
    name = out.locator(".bw-file input")
    name.fill("drawn.json")
    name.press("Enter")
    kernel.wait_for("pg.file_text.value", lambda value: value == "drawn.json")
    out.locator(".bw-save").click()
    expect(out.locator(".bw-message")).to_contain_text("Saved to drawn.json")
    saved = json.loads(kernel.run("print(open('drawn.json').read())"))
    assert saved["dataset"] == "own" and len(saved["data"]["X"]) == 5

    same = (
        "[q.X.tolist() == pg.X.tolist(), q.Y.tolist() == pg.Y.tolist(), "
        "all((a == b).all() for a, b in zip(q.net.weights + q.net.biases, "
        "pg.net.weights + pg.net.biases)), q.settings.dataset]"
    )
    kernel.run("q = bw.Playground.load('drawn.json')")
    assert kernel.eval(same) == [True, True, True, "own"]

    # The Load button brings the drawn point back into a playground that lost it.
    drawn = kernel.eval("pg.X.tolist()")
    surface.locator(".bw-draw-clear").click()
    kernel.wait_for("len(pg.X)", lambda n: n == 4)
    out.locator(".bw-load").click()
    expect(out.locator(".bw-message")).to_contain_text("Loaded drawn.json")
    assert kernel.eval("pg.X.tolist()") == drawn
    assert kernel.eval(same) == [True, True, True, "own"]
    expect(point(open_surface(lab), 4)).to_have_count(1)


def upload(view, path) -> None:
    """Choose ``path`` in the settings' CSV upload, through the browser's file chooser."""
    page = view.page
    with page.expect_file_chooser() as chooser:
        cell(view, PG).locator(".bw-upload").click()
    chooser.value.set_files(str(path))


def test_an_uploaded_csv_becomes_the_data_and_bad_files_are_refused(lab, tmp_path):
    kernel = lab.kernel
    out = cell(lab, PG)
    open_settings(lab)
    rows = [(k / 19, (k * 7 % 19) / 19, float(k % 3 == 0)) for k in range(20)]
    good = tmp_path / "twenty.csv"
    good.write_text("x1,x2,y\n" + "".join(f"{a!r},{b!r},{c!r}\n" for a, b, c in rows))
    upload(lab, good)
    expect(out.locator(".bw-message")).to_contain_text("Loaded twenty.csv.")
    assert kernel.eval("list(pg.X.shape)") == [20, 2]
    assert kernel.eval("pg.X.tolist()") == [[a, b] for a, b, _ in rows]
    assert kernel.eval("pg.Y[:, 0].tolist()") == [c for *_, c in rows]
    assert kernel.eval("[pg.settings.dataset, pg.dataset_select.label]") == ["own", "your data"]
    expect(open_surface(lab).locator("g.bw-point[data-set=train]")).to_have_count(20)
    data = kernel.eval(DATA)

    text = tmp_path / "words.csv"
    text.write_text("x1,colour,y\n0.5,red,1\n0.25,0.5,0\n")
    upload(lab, text)
    message = out.locator(".bw-message")
    expect(message).to_contain_text("Could not use words.csv")
    expect(message).to_contain_text("column 'colour' holds 'red'")
    expect(message.locator(".bw-error")).to_have_count(1)
    assert kernel.eval(DATA) == data

    empty = tmp_path / "empty.csv"
    empty.write_text("")
    upload(lab, empty)
    expect(message).to_contain_text("Could not use empty.csv: empty.csv is empty")
    assert kernel.eval(DATA) == data


# ------------------------------------------------------------------- four inputs, a given net


def test_two_of_four_inputs_are_chosen_for_the_plane(lab):
    kernel = lab.kernel
    surface = open_surface(lab, PG4)
    axes = surface.locator(".bw-surface-axes")
    expect(axes).to_be_visible()
    horizontal = axes.locator('select.bw-surface-axis[data-axis="0"]')
    expect(horizontal.locator("option")).to_have_count(4)
    expect(horizontal).to_have_value("0")
    expect(axes.locator('select.bw-surface-axis[data-axis="1"]')).to_have_value("1")
    held = axes.locator(".bw-surface-held")
    expect(held).to_contain_text("x₃ = ")
    expect(held).to_contain_text("x₄ = ")
    expect(held).to_contain_text("held at their means")
    label = surface.locator(".bw-surface-svg .bw-axis-label").first
    expect(label).to_have_text("x₁")
    updates = int(surface.get_attribute("data-updates"))

    horizontal.select_option("2")

    kernel.wait_for("pg4.surface.shown_inputs", lambda shown: shown == [2, 1])
    expect(surface.locator(".bw-surface-svg .bw-axis-label").first).to_have_text("x₃")
    expect(surface.locator(".bw-surface-held")).to_contain_text("x₁ = ")
    expect(surface.locator(".bw-surface-held")).not_to_contain_text("x₃ = ")
    assert int(surface.get_attribute("data-updates")) > updates
    # A point drawn there has x₃ and x₂ where it was clicked, x₁ and x₄ at their means.
    choose_class(surface, "1")
    extent = kernel.eval("pg4.surface.extent")
    x3, x2 = (extent[0] + extent[1]) / 2, (extent[2] + extent[3]) / 2
    draw_at(lab, surface, x3, x2, name="pg4")
    row = kernel.eval("pg4.X[-1].tolist()")
    means = kernel.eval("X4.mean(axis=0).tolist()")
    assert close([row[2], row[1]], [x3, x2], tolerance=0.03 * (extent[1] - extent[0])), row
    assert close([row[0], row[3]], [means[0], means[3]], tolerance=1e-12), (row, means)


def test_a_network_given_with_its_weights_is_shown_with_them(lab):
    kernel = lab.kernel
    out = cell(lab, PGNET)
    out.scroll_into_view_if_needed()
    assert kernel.eval("pgnet.net is net")
    expected = {
        "0,0,0": "θ¹₁₁ = 0.500", "0,0,1": "θ¹₁₂ = -1.250", "0,0,bias": "θ¹₁₀ = 0.125",
        "0,1,0": "θ¹₂₁ = 2.000", "0,1,1": "θ¹₂₂ = 0.750", "0,1,bias": "θ¹₂₀ = -0.500",
        "1,0,0": "θ²₁₁ = 1.500", "1,0,1": "θ²₁₂ = -2.250", "1,0,bias": "θ²₁₀ = 0.250",
    }  # fmt: skip
    for key, text in expected.items():
        title = out.locator(f'.bw-network [data-weight="{key}"] > title')
        expect(title).to_contain_text(text.split(" = ")[0])
        shown = title.text_content().split("\n")[0]
        assert shown.replace("−", "-") == text, (key, shown)
    assert kernel.eval("pgnet.network.weights") == [
        [[0.5, -1.25], [2.0, 0.75]], [[1.5, -2.25]],
    ]  # fmt: skip


# ------------------------------------------------------------------- 1-D, regression plane


def data_to_screen(surface, name: str, view) -> Callable[[float, float], tuple[float, float]]:
    """The 1-D plot's map from (x, y) in data units to the screen, read off two of its points
    (the plot's y range is the browser's own: the data's and the curve's, padded)."""
    first, last = view.kernel.eval(
        f"[int(np.argmin({name}.X[:, 0])), int(np.argmax({name}.X[:, 0]))]"
    )
    surface.evaluate(
        "root => root.querySelector('.bw-surface-svg').scrollIntoView("
        "{ block: 'nearest', inline: 'nearest' })"
    )
    (x0, y0), (x1, y1) = centre(surface, first), centre(surface, last)
    (u0, v0), (u1, v1) = view.kernel.eval(
        f"[[float({name}.X[k, 0]), float({name}.Y[k, 0])] for k in ({first}, {last})]"
    )
    return lambda u, v: (
        x0 + (u - u0) * (x1 - x0) / (u1 - u0),
        y0 + (v - v0) * (y1 - y0) / (v1 - v0),
    )


def test_a_click_on_the_sine_plot_with_a_sigmoid_output_adds_a_point(lab):
    kernel = lab.kernel
    surface = open_surface(lab, PG1)
    expect(surface).to_have_attribute("data-kind", "1d")
    x, y = data_to_screen(surface, "pg1", lab)(0.25, 0.2)
    lab.page.mouse.click(x, y)
    expect(surface.locator(".bw-draw-message")).not_to_have_text("")
    assert surface.locator(".bw-draw-message.bw-error").count() == 0, surface.locator(
        ".bw-draw-message"
    ).text_content()
    assert kernel.eval("len(pg1.X)") == 201


def test_on_the_1d_plot_a_click_adds_x_and_y_and_a_drag_moves_both(lab):
    page, kernel = lab.page, lab.kernel
    # The sine data as given (the previous test drew a point on it), with a linear output.
    kernel.run("pg1.your_data.undo_drawing()\npg1.configure(output_activation='linear')")
    kernel.wait_for("pg1.settings.output_activation", lambda g: g == "linear")
    rows = kernel.eval("len(pg1.X)")
    surface = open_surface(lab, PG1)
    expect(surface).to_have_attribute("data-kind", "1d")
    # Measure the plot only once it shows that data (it redraws when its update arrives).
    kernel.wait_for("pg1.surface._pending is None", bool)
    expect(surface).to_have_attribute("data-updates", str(kernel.eval("pg1.surface.updates")))
    expect(surface.locator('g.bw-point[data-set="train"]')).to_have_count(rows)
    expect(surface.locator(".bw-draw-hint")).to_have_text(
        "Click to add a point (x, y), drag to move it"
    )
    expect(surface.locator(".bw-draw-class")).to_have_count(0)
    to_screen = data_to_screen(surface, "pg1", lab)
    x, y = to_screen(0.25, 0.2)  # below the curve's crest at x = 0.25: no point there
    page.mouse.click(x, y)
    kernel.wait_for("len(pg1.X)", lambda n: n == rows + 1)
    ((u, v),) = kernel.eval("[[float(pg1.X[-1, 0]), float(pg1.Y[-1, 0])]]")
    assert abs(u - 0.25) < 0.01 and abs(v - 0.2) < 0.01, (u, v)
    expect(surface.locator('g.bw-point[data-set="train"]')).to_have_count(rows + 1)

    # Drag the new point (the last) up: x and y move, the target with it.
    to_screen = data_to_screen(surface, "pg1", lab)  # where the plot is now
    x, y = centre(surface, rows)
    tx, ty = to_screen(0.3, 0.35)
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, 6):
        page.mouse.move(x + (tx - x) * k / 5, y + (ty - y) * k / 5)
    page.mouse.up()
    row = kernel.wait_for(
        "[float(pg1.X[-1, 0]), float(pg1.Y[-1, 0])]", lambda row: abs(row[1] - 0.2) > 0.05
    )
    assert abs(row[0] - 0.3) < 0.01 and abs(row[1] - 0.35) < 0.01, row
    assert kernel.eval("len(pg1.X)") == rows + 1


def test_a_point_drawn_on_a_regression_plane_takes_the_typed_value(lab):
    kernel = lab.kernel
    surface = open_surface(lab, PGR)
    value = surface.locator("input.bw-draw-value")
    expect(value).to_be_visible()
    expect(surface.locator(".bw-draw-class")).to_have_count(0)
    value.fill("0.7")
    value.press("Enter")  # a number input's change event
    value.blur()
    # Where no point is near: the candidate farthest from every row.
    x, y = kernel.eval(
        "max(([u, v] for u in np.linspace(-0.8, 0.8, 9) for v in np.linspace(-0.8, 0.8, 9)), "
        "key=lambda p: np.hypot(*(Xr - p).T).min())"
    )
    draw_at(lab, surface, x, y, name="pgr")
    row, target = kernel.eval("[pgr.X[-1].tolist(), pgr.Y[-1].tolist()]")
    assert close(row, [x, y], tolerance=0.03), (row, x, y)
    assert target == [0.7]
    # The colour scale now reaches 0.7: the new point is the highest target.
    assert kernel.eval("pgr.surface.value_range[1]") == 0.7
    expect(surface.locator(".bw-surface-scale-text").last).to_have_text("0.7")
