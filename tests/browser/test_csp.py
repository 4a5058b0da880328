"""The comment flow in real Chromium with the Content-Security-Policy enforced.

A reader opens a story, fills in the form by its labels and posts; htmx must swap the
comment in without a page load, and the browser must report no CSP violation.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any, NamedTuple

import pytest
from werkzeug.serving import make_server

from ..apps import require

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Runs before any page script (Chromium applies it outside the page's CSP).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config):
    app_config.update(WTF_CSRF_ENABLED=True, COMMENT_MODERATION="none")
    return app_config


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The app served over real HTTP on a free loopback port, in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


class Tab(NamedTuple):
    page: Any
    console: list[str]

    def csp_problems(self) -> list[str]:
        """Violations the page reported, and the browser's own CSP console errors."""
        violations = self.page.evaluate("window.__cspViolations")
        return violations + [m for m in self.console if "Content Security Policy" in m]


@pytest.fixture
def browser_page():
    require(os.access(CHROMIUM, os.X_OK), "Chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        page.add_init_script(RECORD_VIOLATIONS)
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        try:
            yield Tab(page, console)
        finally:
            browser.close()


def test_comment_posts_in_place_with_the_policy_enforced(live_server, browser_page, make_article):
    from playwright.sync_api import expect

    article = make_article("Harbour ferry returns", body="The ferry is back.")
    url = f"{live_server}/{article.category.slug}/{article.slug}"
    page = browser_page.page
    response = page.goto(url)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_function("() => typeof window.htmx !== 'undefined'")

    page.get_by_role("textbox", name="Comment", exact=True).fill("Good to have the ferry back.")
    page.get_by_role("textbox", name="Name", exact=True).fill("Ana Ruiz")
    page.get_by_role("textbox", name="Email", exact=True).fill("ana@example.org")
    page.get_by_role("button", name="Post Comment").click()

    expect(page.locator("#comment-list")).to_contain_text("Good to have the ferry back.")
    expect(page.locator("#comments-title")).to_contain_text("1 comment")
    # Swapped in by htmx: the plain-form fallback would have navigated to the permalink.
    assert page.url == url
    expect(page.get_by_role("textbox", name="Comment", exact=True)).to_have_value("")
    assert browser_page.csp_problems() == []


def test_the_check_notices_a_violation(live_server, browser_page, make_article):
    """Guards the test above: an inline style is blocked and reported."""
    article = make_article("Harbour ferry returns")
    page = browser_page.page
    page.goto(f"{live_server}/{article.category.slug}/{article.slug}")
    page.evaluate(
        "document.head.appendChild(Object.assign(document.createElement('style'),"
        " {textContent: 'body { color: red }'}))"
    )
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert any(p.startswith("style-src") for p in browser_page.csp_problems())
