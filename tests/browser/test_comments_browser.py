"""A reader in Chromium: posting, fixing a mistake, replying, editing and deleting comments,
with JavaScript and without, and hostile text that must not run."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from broadsheet.discussion import set_status
from extensions import db
from models import Comment

from .conftest import story_url

pytestmark = pytest.mark.browser


def fill_comment(page, body: str, name: str = "Ana Ruiz", email: str = "ana@example.org"):
    page.get_by_role("textbox", name="Comment", exact=True).fill(body)
    page.get_by_role("textbox", name="Name", exact=True).fill(name)
    page.get_by_role("textbox", name="Email", exact=True).fill(email)


def test_comment_posts_in_place_without_navigation(page, story):
    page.goto(story_url(story))
    page.evaluate("window.stillHere = true")
    expect(page.locator("#comment-count")).to_have_text("0 comments")

    fill_comment(page, "The new ferry times suit commuters.")
    page.get_by_role("button", name="Post Comment").click()

    comment = page.locator("#comment-list .comment").first
    expect(comment).to_contain_text("The new ferry times suit commuters.")
    expect(page.locator("#comment-count")).to_have_text("1 comment")
    expect(page.locator("#comment-status")).to_have_text(re.compile("Your comment was posted"))
    assert page.evaluate("window.stillHere") is True
    expect(page.get_by_role("textbox", name="Comment", exact=True)).to_have_value("")
    assert page.errors == []


def test_invalid_submission_shows_error_and_keeps_text(page, story):
    page.goto(story_url(story))
    page.evaluate("window.stillHere = true")
    fill_comment(page, "Text I do not want to lose", email="not-an-email")
    page.get_by_role("button", name="Post Comment").click()

    expect(page.locator("#email-error")).to_have_text("That does not look like an email address.")
    expect(page.get_by_role("textbox", name="Email", exact=True)).to_be_focused()
    expect(page.get_by_role("textbox", name="Comment", exact=True)).to_have_value(
        "Text I do not want to lose"
    )
    expect(page.locator("#comment-list .comment")).to_have_count(0)
    assert page.evaluate("window.stillHere") is True

    page.get_by_role("textbox", name="Email", exact=True).fill("ana@example.org")
    page.get_by_role("button", name="Post Comment").click()
    expect(page.locator("#comment-list .comment")).to_have_count(1)


def test_reply_moves_form_under_comment_and_lands_nested(page, story):
    page.goto(story_url(story))
    fill_comment(page, "First thought.")
    page.get_by_role("checkbox", name=re.compile("Save my name and email")).check()
    page.get_by_role("button", name="Post Comment").click()
    first = page.locator("#comment-list > .comment").first
    expect(first).to_contain_text("First thought.")

    first.get_by_role("link", name="Reply to Ana Ruiz").click()
    form = first.locator("#comment-form")
    expect(form).to_be_visible()
    expect(page.locator("#reply-title")).to_have_text("Reply to Ana Ruiz")
    expect(page.locator("#comment-form")).to_have_count(1)
    expect(form.get_by_role("textbox", name="Comment", exact=True)).to_be_focused()

    expect(form.get_by_role("textbox", name="Email", exact=True)).to_have_value("ana@example.org")
    form.get_by_role("textbox", name="Comment", exact=True).fill("A reply, nested.")
    form.get_by_role("textbox", name="Name", exact=True).fill("Ben Osei")
    form.get_by_role("button", name="Post Comment").click()

    expect(first.locator(".replies .comment")).to_contain_text("A reply, nested.")
    expect(page.locator("#comment-count")).to_have_text("2 comments")
    expect(page.locator("#respond-home #comment-form")).to_have_count(1)
    expect(page.locator("#reply-title")).to_have_text("Leave a Reply")


def test_cancel_reply_puts_form_back(page, story):
    page.goto(story_url(story))
    fill_comment(page, "Something.")
    page.get_by_role("button", name="Post Comment").click()
    page.get_by_role("link", name="Reply to Ana Ruiz").click()
    expect(page.locator("#reply-title")).to_have_text("Reply to Ana Ruiz")
    page.get_by_role("link", name="Cancel reply").click()
    expect(page.locator("#respond-home #reply-title")).to_have_text("Leave a Reply")
    expect(page.locator("#comment-form")).to_have_count(1)


def test_edit_and_delete_own_comment_in_place(page, story):
    page.goto(story_url(story))
    fill_comment(page, "Tpyo here.")
    page.get_by_role("button", name="Post Comment").click()
    card = page.locator("#comment-list .comment-card").first
    card.get_by_role("link", name="Edit").click()
    editor = page.get_by_role("textbox", name="Edit your comment")
    editor.fill("Typo fixed.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#comment-list")).to_contain_text("Typo fixed.")
    expect(page.locator("#comment-list")).to_contain_text("(edited)")

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#comment-list").get_by_role("link", name="Delete").click()
    expect(page.locator("#comment-count")).to_have_text("0 comments")
    expect(page.locator("#comment-list")).not_to_contain_text("Typo fixed.")


def test_comment_lands_with_javascript_disabled(nojs_page, story):
    page = nojs_page
    page.goto(story_url(story))
    fill_comment(page, "Posted the old-fashioned way.")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    expect(page.locator("#comment-list")).to_contain_text("Posted the old-fashioned way.")
    expect(page.locator("#comment-count")).to_have_text("1 comment")


def test_errors_without_javascript_keep_the_text(nojs_page, story):
    page = nojs_page
    page.goto(story_url(story))
    fill_comment(page, "Still here after the error", name="")
    page.get_by_role("button", name="Post Comment").click()
    expect(page.locator("#name-error")).to_have_text("Please give your name.")
    expect(page.get_by_role("textbox", name="Comment", exact=True)).to_have_value(
        "Still here after the error"
    )


def test_reply_without_javascript(nojs_page, story):
    page = nojs_page
    page.goto(story_url(story))
    fill_comment(page, "Parent comment.")
    page.get_by_role("button", name="Post Comment").click()
    page.get_by_role("link", name="Reply to Ana Ruiz").click()
    expect(page.locator("#reply-title")).to_have_text("Reply to Ana Ruiz")
    fill_comment(page, "Reply without scripts.", name="Ben")
    page.get_by_role("button", name="Post Comment").click()
    expect(page.locator(".replies .comment")).to_contain_text("Reply without scripts.")


HOSTILE = [
    '<img src=x onerror="window.hacked=1">',
    "<script>window.hacked=1</script>",
    '"><svg onload="window.hacked=1">',
]


def test_hostile_text_in_every_field_runs_nothing(page, story):
    page.goto(story_url(story))
    for payload in HOSTILE:
        fill_comment(page, payload, name=payload[:80])
        page.get_by_role("textbox", name="Website", exact=True).fill("javascript:window.hacked=1")
        page.get_by_role("button", name="Post Comment").click()
        expect(page.locator("#website-error")).to_be_visible()
        page.get_by_role("textbox", name="Website", exact=True).fill(
            'https://example.org/"><script>window.hacked=1</script>'
        )
        page.get_by_role("button", name="Post Comment").click()
        expect(page.locator("#comment-list")).to_contain_text(payload[:20])
    page.reload()
    expect(page.locator("#comment-list .comment")).to_have_count(len(HOSTILE))
    for link in page.locator("#comment-list a").all():
        page.evaluate("(a) => a.getAttribute('href')", link.element_handle())
    page.locator("#comment-list .comment-author a").first.hover()
    assert page.evaluate("window.hacked") is None
    assert page.errors == []


def test_comment_approved_elsewhere_appears_without_reload(page, story, live_app):
    live_app.config["COMMENT_POLL_SECONDS"] = 1
    page.goto(story_url(story))
    page.evaluate("window.stillHere = true")
    comment = Comment(
        article_id=story.id,
        author_name="Moderated Reader",
        author_email="m@example.org",
        body="Approved a moment ago.",
        status="pending",
    )
    db.session.add(comment)
    db.session.flush()
    comment.root_id = comment.id
    db.session.commit()
    set_status(comment, "approved")
    db.session.commit()

    expect(page.locator("#comment-list")).to_contain_text("Approved a moment ago.", timeout=8000)
    expect(page.locator("#comment-count")).to_have_text("1 comment")
    assert page.evaluate("window.stillHere") is True
