"""The δ quiz in a real JupyterLab: typed entries are marked, right ones reach the diagram."""

import pytest
from playwright.sync_api import expect

QUIZ_CELL = """from backprop_widgets import exercises as ex
quiz = ex.delta_quiz()
quiz"""

DELTAS = "[float(v) for l in range(1, 4) for v in quiz.trace.delta[l]]"
KEYS = ["1,0", "1,1", "2,0", "2,1", "3,0"]


@pytest.fixture(scope="module")
def quiz(browser, lab_server, open_notebook):
    path = lab_server.write_notebook("quiz.ipynb", QUIZ_CELL)
    with open_notebook(browser, lab_server, path, workspace="quiz") as view:
        view.run_all()
        view.page.locator(".bw-quiz-input").first.wait_for()
        yield view


def box(page, key):
    return page.locator(f'.bw-quiz-input[data-node="{key}"]')


def type_into(page, key, text):
    """Type as a person does, key by key (JupyterLab's shortcuts must not take the keys)."""
    box(page, key).click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.keyboard.type(text)


def test_boxes_sit_under_their_nodes(quiz):
    page = quiz.page
    for key in KEYS:
        node = page.locator(f'.bw-quiz-network [data-node="{key}"] circle').bounding_box()
        field = box(page, key).bounding_box()
        centre = field["x"] + field["width"] / 2
        assert abs(centre - (node["x"] + node["width"] / 2)) < 40, key


def test_wrong_and_unreadable_entries_are_marked_and_right_ones_reach_the_diagram(quiz, screenshot):
    page, kernel = quiz.page, quiz.kernel
    deltas = kernel.eval(DELTAS)
    type_into(page, "3,0", f"{-deltas[4]:.4f}")  # the output's δ with the wrong sign
    type_into(page, "2,0", "abc")
    type_into(page, "2,1", f"{deltas[3]:.4f}")
    page.keyboard.press("Enter")

    expect(box(page, "3,0")).to_have_class("bw-quiz-input bw-wrong")
    expect(page.locator('.bw-quiz-node[data-node="3,0"] .bw-quiz-mark')).to_contain_text(
        "wrong sign"
    )
    expect(box(page, "2,0")).to_have_class("bw-quiz-input bw-invalid")
    expect(page.locator(".bw-quiz-message")).to_contain_text("'abc' is not a number")
    expect(box(page, "2,1")).to_have_class("bw-quiz-input bw-right")
    expect(page.locator('.bw-quiz-network [data-node="2,1"]')).to_have_attribute(
        "data-delta", str(deltas[3])
    )
    assert kernel.eval('quiz.inputs.marks["3,0"]["state"]') == "wrong"
    screenshot(quiz, page.locator(".bw-delta-quiz"), suffix="marked")

    for key, value in zip(KEYS, deltas):
        type_into(page, key, f"{value:.4f}")
    page.locator(".bw-quiz-check").click()

    for key in KEYS:
        expect(box(page, key)).to_have_class("bw-quiz-input bw-right")
    expect(page.locator(".bw-quiz-message")).to_contain_text("All 5 δ are right")
    for key in KEYS:
        expect(page.locator(f'.bw-quiz-network [data-node="{key}"]')).to_have_attribute(
            "data-delta", str(deltas[KEYS.index(key)])
        )
    assert kernel.eval("quiz.solved") is True
    assert kernel.eval("len(quiz.entries)") == 5
    screenshot(quiz, page.locator(".bw-delta-quiz"), suffix="solved")
