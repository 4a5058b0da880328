"""Managing many stories and the moderation queue in Chromium (issue 20, item 6): search the
text, tick stories and trash them, restore one, and restore a comment from spam.

With UPDATE_SCREENSHOTS=1 the pages are kept in docs/screenshots/ for docs/newsroom.md."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from broadsheet.accounts import create_user
from broadsheet.clock import utcnow
from broadsheet.stories import prepare
from extensions import db
from models import Article, Category, Comment

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def newsroom(live_app):
    local = Category(name="Local", slug="local", nav_order=1)
    db.session.add(local)
    create_user("edna@example.org", PASSWORD, "editor", "Edna Editor")
    for n, (headline, body) in enumerate(
        [
            ("Dredging starts in the harbour", "The dredger arrives on Tuesday."),
            ("Council approves budget", "Spending on the dredger rises."),
            ("Ferry timetable changes", "Later sailings from Monday."),
        ]
    ):
        db.session.add(
            prepare(
                Article(
                    headline=headline,
                    body=body,
                    category=local,
                    status="published",
                    published_at=utcnow() - timedelta(hours=n + 1),
                )
            )
        )
    db.session.commit()
    story = db.session.scalar(db.select(Article).where(Article.headline.like("Ferry%")))
    first = Comment(
        article_id=story.id,
        author_name="Bea",
        author_email="bea@example.org",
        body="Will the early boat stay?",
        status="approved",
    )
    db.session.add(first)
    db.session.flush()
    first.root_id = first.id
    held = [
        Comment(
            article_id=story.id,
            parent_id=first.id,
            root_id=first.id,
            depth=1,
            author_name="Cal",
            author_email="cal@example.org",
            body="Yes, the 6:10 stays.",
            status="pending",
            held_reason="first",
        ),
        Comment(
            article_id=story.id,
            author_name="Dee",
            author_email="dee@example.org",
            body="Timetables: https://a.example https://b.example https://c.example",
            status="pending",
            held_reason="links",
        ),
        Comment(
            article_id=story.id,
            author_name="Eve",
            author_email="eve@example.org",
            body="Good point about the ferry.",
            status="spam",
            held_reason="honeypot",
        ),
    ]
    db.session.add_all(held)
    db.session.flush()
    for comment in held:
        comment.root_id = comment.root_id or comment.id
    db.session.commit()
    return live_app


def sign_in(page) -> None:
    page.goto("/newsroom/login")
    page.get_by_label("Email").fill("edna@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Stories")).to_be_visible()


def test_editor_searches_trashes_and_restores_stories(newsroom, page, screenshots):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page)
    page.get_by_label("Words in the story").fill("dredger")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator(".story-table tbody tr")
    expect(rows).to_have_count(2)

    page.get_by_label("Select “Dredging starts in the harbour”").check()
    page.get_by_label("Select “Council approves budget”").check()
    page.get_by_label("With the selected stories").select_option(label="Move to the trash")
    page.screenshot(path=screenshots / "newsroom-stories-bulk.png", full_page=True)
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("2 stories moved to the trash.")).to_be_visible()
    expect(rows).to_have_count(0)

    page.goto("/")
    expect(page.get_by_text("Dredging starts in the harbour")).to_have_count(0)

    page.goto("/newsroom/stories?status=trash")
    page.get_by_role("button", name="Restore “Council approves budget”").click()
    expect(page.get_by_text("is back, as a draft")).to_be_visible()
    expect(page.get_by_label("Headline")).to_have_value("Council approves budget")


def test_moderator_sees_why_and_restores_from_spam_with_a_choice(newsroom, page, screenshots):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page)
    page.get_by_role("link", name="Comments").click()
    cal = page.locator(".mod-comment", has_text="Cal")
    expect(cal).to_contain_text("Held: the first comment from this email address.")
    expect(cal).to_contain_text("In reply to Bea:")
    expect(page.locator(".mod-comment", has_text="Dee")).to_contain_text("more links")
    page.screenshot(path=screenshots / "newsroom-moderation-queue.png", full_page=True)

    page.get_by_role("link", name="Spam").click()
    eve = page.locator("#moderation .mod-comment", has_text="Eve")
    expect(eve).to_contain_text("hidden field only robots fill in")
    eve.get_by_role("link", name="Restore").click()
    expect(page.get_by_text("Restore the comment by Eve from spam?")).to_be_visible()
    page.get_by_role("button", name="Restore and approve").click()
    expect(page.locator("#count-spam")).to_have_text("0")
    expect(page.locator("#count-approved")).to_have_text("2")
    assert page.errors == []
