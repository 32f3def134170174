"""Run the browser tests after all the others.

Playwright's sync API keeps an asyncio event loop running in the main thread once a browser is
open; tests that create or expect no running loop (``asyncio.run``, the widgets' debouncing)
must come before it.
"""

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.parent.name == "browser")
