"""The comment flow in real Chromium with the Content-Security-Policy enforced.

A reader opens a story, fills in the form and posts; htmx must swap the comment in
without a page load, and the browser must report no CSP violation.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import story_url

pytestmark = pytest.mark.browser

# Runs before any page script (Chromium applies it outside the page's CSP).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def csp_problems(page):
    """Call it to get the violations the page reported and the browser's CSP errors."""
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)

    def problems() -> list[str]:
        violations = page.evaluate("window.__cspViolations")
        return violations + [m for m in console if "Content Security Policy" in m]

    return problems


def test_comment_posts_in_place_with_the_policy_enforced(page, story, csp_problems):
    response = page.goto(story_url(story))
    assert "script-src 'self';" in response.headers["content-security-policy"]
    url = page.url

    page.get_by_role("textbox", name="Comment", exact=True).fill("Good to have the ferry back.")
    page.get_by_role("textbox", name="Name", exact=True).fill("Ana Ruiz")
    page.get_by_role("textbox", name="Email", exact=True).fill("ana@example.org")
    page.get_by_role("button", name="Post Comment").click()

    expect(page.locator("#comment-list")).to_contain_text("Good to have the ferry back.")
    expect(page.locator("#comment-count")).to_have_text("1 comment")
    # Swapped in by htmx: the plain-form fallback would have navigated to the permalink.
    assert page.url == url
    expect(page.get_by_role("textbox", name="Comment", exact=True)).to_have_value("")
    assert csp_problems() == []
    assert page.errors == []


def test_the_check_notices_a_violation(page, story, csp_problems):
    """Guards the test above: an inline style is blocked and reported."""
    page.goto(story_url(story))
    page.evaluate(
        "document.head.appendChild(Object.assign(document.createElement('style'),"
        " {textContent: 'body { color: red }'}))"
    )
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert any(p.startswith("style-src") for p in csp_problems())
