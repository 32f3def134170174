"""The lecture notebook, opened and run in JupyterLab: every widget it promises renders."""

import shutil
from pathlib import Path

from playwright.sync_api import expect

LECTURE = Path(__file__).parents[2] / "notebooks" / "01_lecture.ipynb"


def test_the_lecture_notebook_runs_and_its_widgets_render(
    browser, lab_server, open_notebook, screenshot
):
    shutil.copy(LECTURE, lab_server.root_dir / LECTURE.name)
    with open_notebook(browser, lab_server, LECTURE.name, workspace="lecture") as view:
        view.run_all()  # fails on any error output
        page = view.page
        for selector in (
            ".bw-network [data-weight]",  # the playground
            ".bw-demo-network [data-weight]",  # the step-through demo
            ".bw-slice",  # gradient descent: E against one weight
            ".bw-surface",  # the decision surface
        ):
            expect(page.locator(selector).first).to_be_attached()
        expect(page.locator(".bw-phase").first).to_contain_text("Receive input")
        page.locator(".bw-demo .bw-next").first.click()
        expect(page.locator(".bw-phase").first).to_contain_text("Forward pass")
        expect(page.locator(".jp-OutputArea-output mjx-container").first).to_be_attached()
        screenshot(view, page.locator(".bw-demo").first, suffix="demo")
