"""The playground in Notebook 7: it renders, and a click on an edge selects that weight."""

from playwright.sync_api import expect


def test_playground_renders_in_notebook7_and_a_click_selects_an_edge(
    browser, notebook_server, open_notebook, screenshot
):
    path = notebook_server.write_notebook(
        "playground_notebook7.ipynb", "import backprop_widgets as bw\npg = bw.Playground()\npg"
    )
    with open_notebook(browser, notebook_server, path) as view:
        view.run_all()
        page = view.page
        expect(page.locator(".bw-network [data-weight]")).to_have_count(9)
        expect(page.locator(".bw-network [data-node]")).to_have_count(5 + 2)  # and bias units
        expect(page.locator(".bw-network")).to_have_attribute("data-epoch", "0")

        view.click_svg('.bw-network [data-weight="0,1,bias"]')

        expect(page.locator('.bw-network [data-weight="0,1,bias"]')).to_contain_class("bw-selected")
        page.locator('.bw-derivation [data-weight="0,1,bias"] math').first.wait_for()
        assert view.kernel.wait_for("pg.selected", lambda s: s == [0, 1, "bias"])
        screenshot(view, page.locator(".bw-playground"))
