"""axe-core finds no accessibility violations on the reader pages, in real Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import story_url

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"


@pytest.fixture
def axe_page(browser, live_app):
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("node_modules/axe-core is missing (npm ci)", pytrace=False)
        pytest.skip("node_modules/axe-core is missing (npm ci)")
    # The test injects axe itself, so the page's own script policy must not stop it.
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], bypass_csp=True)
    yield context.new_page()
    context.close()


def violations(page, path: str) -> list[str]:
    page.goto(path)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [f"{path}: {v['id']} ({v['impact']}): {v['help']}" for v in found]


def test_reader_pages_have_no_axe_violations(axe_page, story):
    paths = ["/", "/local/", story_url(story), "/search?q=ferry", "/search", "/no-such-page/"]
    found = [problem for path in paths for problem in violations(axe_page, path)]
    assert found == []


def test_comment_form_with_errors_has_no_axe_violations(axe_page, story):
    axe_page.goto(story_url(story))
    axe_page.get_by_role("button", name="Post Comment").click()
    axe_page.locator("#name-error").wait_for()
    axe_page.add_script_tag(path=str(AXE))
    found = axe_page.evaluate("async () => (await axe.run(document)).violations")
    assert [v["id"] for v in found] == []
