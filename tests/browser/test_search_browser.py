"""Search in Chromium at a phone's width: whatever a reader pastes, the page fits."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("query", ["x" * 5000, "ferry " * 900])
def test_a_pasted_essay_does_not_make_the_page_scroll_sideways(page, story, query):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/search?" + f"q={query}")
    expect(page.locator(".notice").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
