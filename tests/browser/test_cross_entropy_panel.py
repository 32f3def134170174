"""The derivation panel under the cross-entropy, in a real JupyterLab: the section "output" (the
chain rule through the softmax's Jacobian, simplified to δ = y − ŷ) drawn as MathML that fits."""

from conftest import OVERFLOW_JS
from playwright.sync_api import expect

CELLS = [
    "import numpy as np\n"
    "import backprop_widgets as bw\n"
    "from backprop_widgets.widgets.derivation_panel import DerivationView, derivation_state",
    "net = bw.MLP([2, 3, 3], output_activation='softmax', loss='cross_entropy', seed=1)\n"
    "panel = DerivationView()\n"
    "panel.add_class('bw-derivation')\n"
    "panel.set_trait('value', derivation_state(net, (0, 1, 0), np.array([0.5, -1.0]),\n"
    "                np.array([0.0, 1.0, 0.0]), 0, 0.5)['value'])\n"
    "panel",
]


def test_softmax_cross_entropy_derivation_is_drawn_and_fits(
    browser, lab_server, open_running, screenshot
):
    ready = '.bw-derivation [data-section="output"] math'
    with open_running(browser, lab_server, "cross_entropy", *CELLS, ready=ready) as view:
        view.page.set_viewport_size({"width": 900, "height": 1400})
        panel = view.page.locator(".bw-derivation").first
        output = panel.locator('[data-section="output"]')
        expect(output).to_contain_text("Through the softmax")
        expect(panel.locator(".bw-check")).to_have_attribute("data-agree", "true")
        expect(panel).to_contain_text("for the cross-entropy")
        assert output.locator("math").count() > 8
        assert panel.evaluate(OVERFLOW_JS) <= 1
        screenshot(view, panel)
