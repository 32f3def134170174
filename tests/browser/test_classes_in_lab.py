"""Several classes in a real JupyterLab: a playground on blobs3 (softmax + cross-entropy) shows
the winning class's colours on the decision surface, a picture per class, and the accuracy
beside the loss curve."""

import pytest
from playwright.sync_api import expect

CELL = (
    "import backprop_widgets as bw\n"
    'pg = bw.Playground("blobs3", hidden=[4], learning_rate=0.1, n=150, noise=0.3)\n'
    "pg.train(20)\n"
    "pg.controls.views.selected_index = 3  # the decision surface\n"
    "pg"
)

# The share of the surface's pixels each class colours, read from the image the page drew: a
# pixel belongs to the class whose colour its tint points to (its distance from white, as a
# direction), whatever the shading.
CLASS_SHARES_JS = """async (image) => {
  const colours = [[27, 158, 119], [217, 95, 2], [117, 112, 179]];
  const picture = new Image();
  picture.src = image.getAttribute('href');
  await picture.decode();
  const canvas = document.createElement('canvas');
  canvas.width = picture.width;
  canvas.height = picture.height;
  const context = canvas.getContext('2d');
  context.drawImage(picture, 0, 0);
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const unit = (v) => { const n = Math.hypot(...v); return v.map((x) => x / n); };
  const directions = colours.map((c) => unit(c.map((x) => 255 - x)));
  const counts = [0, 0, 0];
  for (let p = 0; p < data.length; p += 4) {
    const d = unit([255 - data[p], 255 - data[p + 1], 255 - data[p + 2]]);
    const scores = directions.map((u) => u[0] * d[0] + u[1] * d[1] + u[2] * d[2]);
    counts[scores.indexOf(Math.max(...scores))] += 1;
  }
  return counts.map((c) => c / (data.length / 4));
}"""

KERNEL_SHARES = (
    "[float(v) for v in __import__('numpy').bincount("
    "__import__('numpy').frombuffer(pg.surface.winners, 'uint8'), minlength=3) / 3600]"
)


@pytest.fixture(scope="module")
def playground(browser, lab_server, open_running):
    with open_running(
        browser, lab_server, "classes", CELL, ready='.bw-surface[data-classes="3"]'
    ) as view:
        yield view


def test_the_surface_shows_the_winning_class_in_its_colour(playground, screenshot):
    page, kernel = playground.page, playground.kernel
    surface = page.locator('.bw-surface[data-classes="3"]')
    expect(surface).to_have_attribute("data-kind", "2d")
    expect(surface.locator(".bw-surface-title")).to_contain_text("winning class")
    expect(surface.locator(".bw-class-thumb")).to_have_count(3)
    expect(surface.locator(".bw-key-class")).to_have_count(3)
    image = surface.locator(".bw-surface-image")
    # Compare once the page shows the kernel's latest surface (no update still on its way).
    kernel.wait_for("pg.surface._pending is None", bool)
    expect(surface).to_have_attribute("data-updates", str(kernel.eval("pg.surface.updates")))
    shares = image.evaluate(CLASS_SHARES_JS)
    expected = kernel.eval(KERNEL_SHARES)
    assert all(share > 0.1 for share in expected)  # three regions, each drawn
    assert shares == pytest.approx(expected, abs=0.02)
    # Each training point is drawn in its class's colour.
    labels = kernel.eval("pg.Y.argmax(axis=1).tolist()")
    drawn = surface.locator('[data-set="train"]').evaluate_all(
        "points => points.map((p) => Number(p.dataset.class))"
    )
    assert drawn == labels
    screenshot(playground, page.locator(".bw-playground"))


def test_the_accuracy_stands_beside_the_cross_entropy_curve(playground, screenshot):
    page, kernel = playground.page, playground.kernel
    page.locator(".bw-views .lm-TabBar-tab", has_text="Loss").click()
    loss = page.locator(".bw-loss")
    expect(loss.locator(".bw-loss-title")).to_have_text("cross-entropy E over epochs")
    accuracy = loss.locator(".bw-accuracy")
    expect(accuracy).to_be_visible()
    expect(accuracy).to_have_text(kernel.eval("pg.loss_view.accuracy_text"))
    train = kernel.eval("pg.loss_view.accuracy[0]")
    assert float(accuracy.get_attribute("data-train")) == pytest.approx(train, rel=1e-12)
    assert train > 0.8
    expect(page.locator(".bw-status")).to_contain_text("cross-entropy E(n = ")
    screenshot(playground, page.locator(".bw-playground"))


def test_a_clicked_weight_of_the_softmax_network_is_derived_through_the_softmax(playground):
    page, kernel = playground.page, playground.kernel
    playground.click_svg('.bw-network [data-weight="1,2,1"]')
    panel = page.locator(".bw-derivation")
    body = panel.locator('.bw-derivation-body[data-weight="1,2,1"]')
    body.locator("math").first.wait_for()
    expect(panel).to_contain_text("cross-entropy")
    check = panel.locator(".bw-check")
    expect(check).to_have_attribute("data-agree", "true")
    story = kernel.eval("(pg.X[pg.instance].tolist(), pg.Y[pg.instance].tolist())")
    expected = kernel.eval(
        "float(pg.net.gradients(pg.X[pg.instance:pg.instance + 1],"
        " pg.Y[pg.instance:pg.instance + 1])[0][1][2, 1])"
    )
    assert float(check.get_attribute("data-backprop")) == expected, story
    # The demo steps through the same update: its backward pass shows δ = y − ŷ at the output.
    kernel.run("pg.controls.panels.selected_index = 0")
    demo = page.locator(".bw-playground .bw-demo")
    for _ in range(4):
        demo.locator(".bw-next").click()
    expect(demo.locator(".bw-phase")).to_contain_text("Backward pass")
    delta = kernel.eval("pg.demo.trace.delta[-1].tolist()")
    y_minus = kernel.eval("(pg.demo.trace.y - pg.demo.trace.y_hat).tolist()")
    assert delta == pytest.approx(y_minus, abs=1e-15)
