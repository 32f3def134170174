"""The playground in a real JupyterLab: clicks, sliders, play/pause and refusals reach the kernel.

One notebook (``pg = bw.Playground()``) and one page serve the whole module; each test brings
the state it needs (a selection, a reset) and waits for the kernel or the page to show it.
"""

import pytest
from playwright.sync_api import expect

PLAYGROUND_CELL = "import backprop_widgets as bw\npg = bw.Playground()\npg"

SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

# The parameters ∂E/∂θ is taken for in the derivation, read from its MathML: every fraction
# ∂E / ∂θ^l_ij, as "θ^l_ij".
DERIVED_THETAS_JS = """(panel) => {
  const found = new Set();
  for (const fraction of panel.querySelectorAll('math mfrac')) {
    const [top, bottom] = fraction.children;
    if (top.textContent.replace(/\\s/g, '') !== '∂E') continue;
    const theta = bottom.querySelector('msubsup');
    if (!theta || theta.children[0].textContent.trim() !== 'θ') continue;
    const [, sub, sup] = theta.children;
    found.add(`θ^${sup.textContent.trim()}_${sub.textContent.trim()}`);
  }
  return [...found];
}"""

RECORD_FRAMES_JS = """() => {
  const root = document.querySelector('.bw-network');
  window.bwFrames = [];
  window.bwObserver?.disconnect();
  window.bwObserver = new MutationObserver(() => window.bwFrames.push(
    { epoch: Number(root.dataset.epoch), loss: Number(root.dataset.loss) }));
  window.bwObserver.observe(root, { attributes: true, attributeFilter: ['data-epoch'] });
}"""


def parameter(key: str) -> list:
    """The kernel's ``pg.selected`` for a ``data-weight`` key, as JSON gives it back."""
    layer, i, j = key.split(",")
    return [int(layer), int(i), j if j == "bias" else int(j)]


def lecture_label(key: str) -> tuple[str, str]:
    """θ^(l+1)_(i+1)(j+1) of a key, 1-based as in the lecture: ("θ^1_20", "θ¹₂₀") for 0,1,bias."""
    layer, i, j = parameter(key)
    sup, sub = str(layer + 1), f"{i + 1}{0 if j == 'bias' else j + 1}"
    return f"θ^{sup}_{sub}", f"θ{sup.translate(SUP)}{sub.translate(SUB)}"


def edge(key: str) -> str:
    return f'.bw-network [data-weight="{key}"]'


def select(view, key: str) -> None:
    """Click the edge of ``key`` and wait until the kernel has it selected."""
    view.click_svg(edge(key))
    view.kernel.wait_for("pg.selected", lambda selected: selected == parameter(key))


def reset(view) -> None:
    """Click Reset and wait for its message (cleared first, so an old one cannot answer)."""
    view.kernel.run("pg.message.value = ''")
    expect(view.page.locator(".bw-message")).to_have_text("")
    view.page.locator(".bw-reset").click()
    expect(view.page.locator(".bw-message")).to_contain_text(
        "Reset to the initial weights of seed 0"
    )


PARAMETERS = "[W.tolist() for W in pg.net.weights] + [b.tolist() for b in pg.net.biases]"
FLAT_PARAMETERS = "[float(v) for p in pg.net.weights + pg.net.biases for v in p.ravel()]"

# How far the playground's network is from the engine trained from the same seed for as many
# online epochs (0.0 when nothing but training touched the weights).
REPLAY_GAP = """
def replay_gap(pg, epochs):
    replay = bw.MLP(pg.net.sizes, seed=0)
    replay.fit(pg.X, pg.Y, pg.learning_rate, epochs)
    pairs = zip(replay.weights + replay.biases, pg.net.weights + pg.net.biases)
    return max(float(abs(a - b).max()) for a, b in pairs)
"""


def network_state(page) -> dict:
    return page.locator(".bw-network").evaluate(
        "root => ({ epoch: Number(root.dataset.epoch), loss: Number(root.dataset.loss) })"
    )


@pytest.fixture(scope="module")
def playground(browser, lab_server, open_running):
    with open_running(browser, lab_server, "playground", PLAYGROUND_CELL) as view:
        yield view


@pytest.mark.parametrize("key", ["0,1,0", "0,1,bias", "1,0,1", "1,0,bias", "0,0,1"])
def test_clicking_an_edge_shows_its_derivation_and_selects_it(playground, key, screenshot):
    page = playground.page
    tex_label, unicode_label = lecture_label(key)

    playground.click_svg(edge(key))

    expect(page.locator(edge(key))).to_contain_class("bw-selected")
    expect(page.locator(".bw-network .bw-selected")).to_have_count(1)
    body = page.locator(f'.bw-derivation [data-weight="{key}"]')
    body.locator("math").first.wait_for()
    assert body.evaluate(DERIVED_THETAS_JS) == [tex_label]
    expect(page.locator(".bw-derivation mjx-container")).to_have_count(0)  # no MathJax
    expect(body.locator(".bw-check")).to_have_attribute("data-agree", "true")
    expect(page.locator(".bw-weight .widget-label")).to_have_text(unicode_label)
    assert playground.kernel.eval("pg.selected") == parameter(key)
    screenshot(playground, page.locator(".bw-playground"))


def test_selecting_an_edge_leaves_every_weight_unchanged(playground):
    page = playground.page
    playground.kernel.run("pg.selected = None")
    reset(playground)
    before = playground.kernel.eval(PARAMETERS)

    select(playground, "0,1,0")
    expect(page.locator(".bw-weight .widget-label")).to_have_text(lecture_label("0,1,0")[1])

    assert playground.kernel.stays(PARAMETERS, before)


def test_typing_into_the_weight_slider_sets_that_weight_in_the_kernel(playground):
    page = playground.page
    reset(playground)
    select(playground, "1,0,1")
    assert playground.kernel.eval("float(pg.net.weights[1][0, 1])") > 0
    # The slider must be the selected weight's before typing (it follows the kernel's selection).
    expect(page.locator(".bw-weight .widget-label")).to_have_text(lecture_label("1,0,1")[1])

    page.locator(".bw-weight .widget-readout").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("-1.25")
    page.keyboard.press("Enter")

    playground.kernel.wait_for("float(pg.net.weights[1][0, 1])", lambda theta: theta == -1.25)
    expect(page.locator(edge("1,0,1"))).to_contain_class("bw-negative")


def test_typing_into_the_learning_rate_slider_sets_the_kernel_learning_rate(playground):
    page = playground.page
    page.locator(".bw-lr .widget-readout").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("0.1")
    page.keyboard.press("Enter")

    playground.kernel.wait_for("pg.learning_rate", lambda eta: eta == pytest.approx(0.1))
    playground.kernel.run("pg.learning_rate = 0.5")
    expect(page.locator(".bw-lr .widget-readout")).to_have_text("0.500")


def test_step_does_one_online_update_on_the_first_instance(playground):
    page = playground.page
    playground.kernel.run("pg.selected = None\npg.learning_rate = 0.5")
    reset(playground)

    page.locator(".bw-step").click()

    playground.kernel.wait_for("pg.updates", lambda updates: updates == 1)
    expected = playground.kernel.eval(
        "(lambda m: (m.step(pg.X[:1], pg.Y[:1], 0.5), "
        "[float(v) for p in m.weights + m.biases for v in p.ravel()])[1])"
        "(bw.MLP([2, 2, 1], seed=0))"
    )
    assert playground.kernel.eval(FLAT_PARAMETERS) == pytest.approx(expected, abs=1e-12)


def test_play_trains_xor_live_and_pause_stops_it(playground):
    page = playground.page
    play = page.locator(".bw-play")
    playground.kernel.run("pg.learning_rate = 0.5")
    select(playground, "1,0,1")  # a teacher watches one weight's derivation while it trains
    reset(playground)
    expect(page.locator(".bw-network")).to_have_attribute("data-epoch", "0")
    # The diagram's E is the reset weights' (not a frame from before the reset) before it is read.
    page.wait_for_function(
        "(loss) => Math.abs(Number(document.querySelector('.bw-network').dataset.loss) - loss)"
        " < 1e-12",
        arg=playground.kernel.eval("float(pg.network.loss)"),
    )
    start = network_state(page)
    page.evaluate(RECORD_FRAMES_JS)

    play.click()
    expect(play).to_contain_text("Pause")
    page.wait_for_function(
        """(start) => {
          const data = document.querySelector('.bw-network').dataset;
          return Number(data.epoch) >= 500 && Number(data.loss) < start.loss / 2;
        }""",
        arg=start,
    )
    play.click()

    playground.kernel.wait_for("pg.playing", lambda playing: playing is False)
    stopped_at = playground.kernel.eval("pg.epoch")
    assert playground.kernel.stays("pg.epoch", stopped_at, duration=0.5)
    expect(page.locator(".bw-network")).to_have_attribute("data-epoch", str(stopped_at))
    expect(play).to_contain_text("Play")
    page.locator('.bw-derivation [data-weight="1,0,1"] math').first.wait_for()
    # Once paused, the derivation shows the final weights' numbers, not an older frame's.
    n = playground.kernel.eval("pg.instance_slider.value")  # the instance the panel shows
    gradient = playground.kernel.eval(
        f"float(pg.net.gradients(pg.X[{n}:{n + 1}], pg.Y[{n}:{n + 1}])[0][1][0, 1])"
    )
    expect(page.locator(".bw-derivation .bw-check")).to_contain_text(f"backprop {gradient:.10g}")
    playground.screenshot("playground", page.locator(".bw-playground"))

    frames = page.evaluate("() => window.bwFrames")
    epochs = [frame["epoch"] for frame in frames]
    losses = [frame["loss"] for frame in frames]
    assert len(set(epochs)) >= 3, f"the diagram should update live while training: {frames}"
    assert epochs == sorted(epochs)
    # Online XOR from seed 0 at η = 0.5 lowers E every epoch (the engine's own history does).
    rises = [(a, b) for a, b in zip(frames, frames[1:]) if b["loss"] > a["loss"]]
    assert not rises, f"E rose between frames while training: {rises}"
    assert losses[-1] < start["loss"] / 2
    playground.kernel.run(REPLAY_GAP)
    assert playground.kernel.eval(f"pg.updates == 4 * {stopped_at}")
    assert playground.kernel.eval(f"replay_gap(pg, {stopped_at})") < 1e-12


@pytest.mark.parametrize(
    ("tampered", "complaint"),
    [
        ("9,9,9", "got 9"),
        ("0,5,0", "got 5"),
        ("0,0", 'weight must be "l,i,j" or "l,i,bias"'),
        ("0,0,x", 'weight must be "l,i,j" or "l,i,bias"'),
    ],
)
def test_a_tampered_edge_address_is_refused_with_a_message(playground, tampered, complaint):
    page = playground.page
    select(playground, "0,0,0")
    expect(page.locator(".bw-message")).to_have_text("")
    victim = page.locator(edge("0,1,1"))
    victim.evaluate("(element, key) => element.setAttribute('data-weight', key)", tampered)
    try:
        playground.click_svg(edge(tampered))

        expect(page.locator(".bw-message")).to_contain_text("Refused: ")
        expect(page.locator(".bw-message")).to_contain_text(complaint)
        expect(page.locator(".bw-message .bw-error")).to_be_visible()
        assert playground.kernel.eval("pg.selected") == [0, 0, 0]
        expect(page.locator(".bw-network .bw-selected")).to_have_attribute("data-weight", "0,0,0")
    finally:
        page.locator(edge(tampered)).evaluate(
            "element => element.setAttribute('data-weight', '0,1,1')"
        )


@pytest.mark.parametrize(
    ("typed", "complaint"),
    [
        ("2, 0, 1", "hidden layer 3 must have 1 … 8 neurons; got 0"),
        ("9", "hidden layer 2 must have 1 … 8 neurons; got 9"),
        ("two", "hidden layers must be whole numbers separated by commas"),
        ("1, 1, 1, 1, 1", "hidden: at most 6 layers (4 hidden); got 7"),
    ],
)
def test_an_impossible_architecture_is_refused_and_the_network_kept(playground, typed, complaint):
    page = playground.page
    select(playground, "0,0,0")
    expect(page.locator(".bw-message")).to_have_text("")
    architecture = page.locator(".bw-architecture input")
    if not architecture.is_visible():
        page.get_by_text("Data, training mode and architecture").click()

    architecture.fill(typed)
    architecture.press("Enter")

    expect(page.locator(".bw-message")).to_contain_text(f"Refused: {complaint}")
    expect(architecture).to_have_value("2")
    assert playground.kernel.eval("pg.net.sizes") == [2, 2, 1]
    expect(page.locator(".bw-network [data-weight]")).to_have_count(9)


def test_arrow_keys_and_enter_select_edges_layer_by_layer(playground):
    page = playground.page
    playground.kernel.run("pg.selected = None")
    expect(page.locator(".bw-network .bw-selected")).to_have_count(0)
    diagram = page.locator(".bw-network svg")
    diagram.focus()

    chosen = []
    for keys in (["ArrowDown"], ["ArrowRight"], ["ArrowDown"]):
        for key in keys:
            diagram.press(key)
        previous = playground.kernel.eval("pg.selected")
        diagram.press("Enter")
        selected = playground.kernel.wait_for("pg.selected", lambda now, p=previous: now != p)
        key = ",".join(map(str, selected))
        expect(page.locator(".bw-network .bw-selected")).to_have_attribute("data-weight", key)
        chosen.append(selected)

    first, second, third = chosen
    assert second[0] != first[0], "ArrowRight should move to the next layer's edges"
    assert third[0] == second[0] and third != second, "ArrowDown should stay in the layer"
