"""The JupyterLite site (``make lite``, build/lite/) works with no server and no internet.

The site is served from 127.0.0.1 and opened in headless Chromium with every other request
refused (lite_site.offline_context). In its Pyodide kernel, 01_lecture and 02_exercises run top
to bottom without an error output; in the lecture's playground an edge click draws the
derivation, Play advances the epoch and Pause stops it, Step makes one update, the η box and the
speed dial reach the kernel, Save and Load use the browser's storage, and the demo steps; an
exercise's check judges an answer.

The fixture builds the site first when it is missing or older than its sources (``make
lite-site``); the test is skipped only when that build fails because PyPI or npm cannot be reached.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import lite_site
import pytest
from playwright.sync_api import expect

# The lecture's first playground, `pg` (the slide's network by hand, `slide`, comes after it).
PLAYGROUND = ".bw-playground:not(.jp-Cell:has(.bw-playground) ~ .jp-Cell .bw-playground)"


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    site = lite_site.ensure_site()
    if isinstance(site, str):
        pytest.skip(site)
    with lite_site.serve(site) as url:
        yield url


@pytest.fixture
def offline(browser: Any) -> Iterator[Any]:
    context = lite_site.offline_context(browser)
    yield context
    context.close()
    assert not context.blocked, f"the site asked for something outside it: {context.blocked}"


@pytest.fixture
def open_lite(site_url: str, offline: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """``open_lite(path)`` opens a notebook of the site; each is shot to test-artifacts/ at the
    end (passed or failed: the picture of what the browser's kernel drew)."""
    views: list[lite_site.LiteNotebook] = []

    def open_notebook(path: str) -> lite_site.LiteNotebook:
        views.append(lite_site.LiteNotebook(offline, site_url, path))
        return views[-1].open()

    yield open_notebook
    for view in views:
        view.screenshot(f"{request.node.name}-{view.path.removesuffix('.ipynb')}")
        view.close()


def test_the_lecture_runs_in_the_browser_kernel_and_its_playground_teaches(open_lite):
    lecture = open_lite("01_lecture.ipynb")
    lecture.run_all()  # fails on any error output
    page = lecture.page
    assert lecture.eval("__import__('sys').platform") == "emscripten"
    for selector in (f"{PLAYGROUND} .bw-network [data-weight]", ".bw-demo-network [data-weight]",
                     ".bw-slice", ".bw-surface"):  # fmt: skip
        expect(page.locator(selector).first).to_be_attached()

    # None reaches the page as null: η stays 0.5 (a log slider with no step), the dial says max.
    assert lecture.eval("pg.learning_rate") == 0.5
    expect(page.locator(f"{PLAYGROUND} .bw-speed")).to_have_attribute(
        "data-epochs-per-second", "max"
    )

    # Click an edge: its derivation is drawn, as MathML.
    lecture.click_svg(f'{PLAYGROUND} .bw-network [data-weight="1,0,0"]')
    expect(page.locator(f'{PLAYGROUND} .bw-network [data-weight="1,0,0"]')).to_have_class(
        has_class("bw-selected")
    )
    expect(page.locator(f"{PLAYGROUND} .bw-derivation math").first).to_be_attached()
    assert lecture.eval("list(pg.selected)") == [1, 0, 0]

    # Step makes one update; Play advances the epoch while the kernel answers; Pause stops it.
    page.locator(f"{PLAYGROUND} .bw-step").click()
    expect(page.locator(f"{PLAYGROUND} .bw-network")).to_have_attribute("data-epoch", "0")
    assert wait_for(lecture, "pg.session.updates", 1)
    page.locator(f"{PLAYGROUND} .bw-play").click()
    page.wait_for_function(
        "(selector) => Number(document.querySelector(selector).dataset.epoch) >= 3",
        arg=f"{PLAYGROUND} .bw-network",
    )
    assert lecture.eval("pg.playing") is True
    page.locator(f"{PLAYGROUND} .bw-play").click()
    page.wait_for_function("(s) => !document.querySelector(s).textContent.includes('Pause')",
                           arg=f"{PLAYGROUND} .bw-play")  # fmt: skip
    assert lecture.eval("pg.playing") is False
    assert lecture.eval("pg.epoch") >= 3

    # The η box and the speed dial set the kernel's values.
    page.locator(f"{PLAYGROUND} .bw-lr-input input").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("0.1")
    page.keyboard.press("Enter")  # the box sends on Enter itself (ipywidgets' Text did not here)
    assert wait_for(lecture, "pg.learning_rate", 0.1)
    page.locator(f"{PLAYGROUND} .bw-speed-input").focus()
    page.keyboard.press("Home")
    expect(page.locator(f"{PLAYGROUND} .bw-speed")).to_have_attribute("data-epochs-per-second", "1")

    # Save writes to the browser's storage (there is no server) and says so; Load reads it back.
    lecture.run("pg.save_button.click()")
    message = page.locator(f"{PLAYGROUND} .bw-message")
    expect(message).to_contain_text("Saved to playground.json in this browser's storage")
    lecture.run("pg.load_button.click()")
    expect(message).to_contain_text("Loaded playground.json")

    # The demo steps through the lecture's phases.
    expect(page.locator(".bw-phase").first).to_contain_text("Receive input")
    page.locator(".bw-demo .bw-next").first.click()
    expect(page.locator(".bw-phase").first).to_contain_text("Forward pass")


def test_the_exercises_run_in_the_browser_kernel_and_check_answers(open_lite):
    exercises = open_lite("02_exercises.ipynb")
    exercises.run_all()
    right = "ex.network().weights[0] @ ex.instance()[0] + ex.network().biases[0]"
    assert exercises.eval(f"bool(ex.check_z_hidden({right}))") is True
    assert exercises.eval("bool(ex.check_z_hidden([0.0, 0.0]))") is False
    exercises.run(f"ex.assert_z_hidden({right})")


def has_class(name: str) -> Any:
    """A class matcher for expect(...).to_have_class: the element has class ``name``."""
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def wait_for(view: lite_site.LiteNotebook, expression: str, value: Any, timeout=10.0) -> bool:
    """Poll ``expression`` in the kernel until it equals ``value``."""
    deadline = time.monotonic() + timeout
    while (now := view.eval(expression)) != value:
        assert time.monotonic() < deadline, f"{expression} is {now!r}, not {value!r}"
        time.sleep(0.1)
    return True
