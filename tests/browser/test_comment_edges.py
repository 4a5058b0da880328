"""Comment edges a reader reaches on a busy story: tiny pages and a fast poll, so that
live updates, "Load more" and the edit window meet. Every comment the server sends must
end up on the page, in its thread, exactly once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from broadsheet.discussion import create
from extensions import db

from .conftest import story_url
from .test_comments_browser import fill_comment
from .test_csp import RECORD_VIOLATIONS

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config):
    app_config.update(COMMENTS_PER_PAGE=2, COMMENT_POLL_SECONDS=1)
    return app_config


def posted(story, body: str, parent=None, name: str = "Cai Lin"):
    """An approved comment, stored as if another reader had just posted it."""
    comment = create(
        story,
        name=name,
        email=f"{name.split()[0].lower()}@example.org",
        url="",
        body=body,
        parent=parent,
        address="192.0.2.9",
        user_agent="test",
        token=None,
    )
    db.session.commit()
    return comment


def test_reply_and_its_reply_arriving_in_one_poll_both_land_in_thread(page, story):
    top = posted(story, "Top of the thread.")
    page.goto(story_url(story))
    expect(page.locator("#comment-list .comment")).to_have_count(1)

    reply = posted(story, "A reply.", parent=top)
    posted(story, "A reply to the reply.", parent=reply)

    inner = page.locator(f"#replies-{reply.id} .comment")
    expect(inner).to_contain_text("A reply to the reply.", timeout=8000)
    expect(page.locator(f"#replies-{top.id} > .comment")).to_have_count(1)
    expect(page.locator("#comment-count")).to_have_text("3 comments")
    expect(page.locator("#comment-list .comment")).to_have_count(3)


def test_new_comments_and_load_more_never_show_a_comment_twice(page, story):
    for n in range(3):
        posted(story, f"Earlier comment {n}.")
    page.goto(story_url(story))
    expect(page.locator("#comment-list > .comment")).to_have_count(2)

    fill_comment(page, "My own new comment.")
    page.get_by_role("button", name="Post Comment").click()
    expect(page.locator("#comment-list")).to_contain_text("My own new comment.")
    posted(story, "Arrived by polling.")
    expect(page.locator("#comment-list")).to_contain_text("Arrived by polling.", timeout=8000)

    while page.locator("#load-more").count():
        button = page.locator("#load-more").element_handle()
        page.get_by_role("link", name="Load more comments").click()
        button.wait_for_element_state("hidden")
    texts = page.locator("#comment-list > .comment .comment-body").all_inner_texts()
    assert texts == [
        "Earlier comment 0.",
        "Earlier comment 1.",
        "Earlier comment 2.",
        "My own new comment.",
        "Arrived by polling.",
    ]
    ids = page.locator("#comment-list [id]").evaluate_all("(els) => els.map((e) => e.id)")
    assert len(ids) == len(set(ids))


def test_edit_and_delete_disappear_when_the_edit_window_closes(page, story, live_app):
    live_app.config["COMMENT_EDIT_SECONDS"] = 3
    page.goto(story_url(story))
    fill_comment(page, "Quick second thoughts.")
    page.get_by_role("button", name="Post Comment").click()
    card = page.locator("#comment-list .comment-card").first
    expect(card.get_by_role("link", name="Edit")).to_be_visible()
    expect(card).to_contain_text("You can edit or delete it until")

    expect(card.get_by_role("link", name="Edit")).to_have_count(0, timeout=8000)
    expect(card.get_by_role("link", name="Delete")).to_have_count(0)
    expect(card).not_to_contain_text("You can edit or delete it until")


def test_posting_editing_loading_and_polling_leave_the_console_empty(page, story):
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(RECORD_VIOLATIONS)
    for n in range(3):
        posted(story, f"Earlier comment {n}.")
    page.goto(story_url(story))

    fill_comment(page, "Watching the console.")
    page.get_by_role("button", name="Post Comment").click()
    written = page.locator("#comment-list .comment", has_text="Watching the console.")
    mine = page.locator(f"#{written.get_attribute('id')}")
    mine.get_by_role("link", name="Edit").click()
    page.get_by_role("textbox", name="Edit your comment").fill("Still watching.")
    page.get_by_role("button", name="Save changes").click()
    expect(mine).to_contain_text("(edited)")
    page.get_by_role("link", name="Load more comments").click()
    expect(page.locator("#comment-list")).to_contain_text("Earlier comment 2.")
    posted(story, "From the poll.")
    expect(page.locator("#comment-list")).to_contain_text("From the poll.", timeout=8000)

    assert console == []
    assert page.evaluate("window.__cspViolations") == []
    assert page.errors == []


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_focus_follows_posting_editing_loading_and_deleting(page, story):
    for n in range(3):
        posted(story, f"Earlier comment {n}.")
    page.goto(story_url(story))
    region = page.locator("#comment-status").element_handle()

    fill_comment(page, "Where does focus go?")
    page.get_by_role("button", name="Post Comment").click()
    written = page.locator("#comment-list .comment", has_text="Where does focus go?")
    expect(written).to_be_focused()
    mine = page.locator(f"#{written.get_attribute('id')}")
    expect(page.locator("#comment-status")).to_have_text("Your comment was posted.")
    assert region.evaluate("(el) => el.isConnected")  # the same live region, new text

    mine.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("textbox", name="Edit your comment")).to_be_focused()
    page.get_by_role("link", name="Cancel").click()

    page.get_by_role("link", name="Load more comments").click()
    first_loaded = page.locator("#comment-list .comment", has_text="Earlier comment 2.")
    expect(first_loaded).to_be_focused()

    page.once("dialog", lambda dialog: dialog.accept())
    mine.get_by_role("link", name="Delete").click()
    expect(mine.locator(".comment-card")).to_be_focused()
    expect(page.locator("#comment-status")).to_have_text("Your comment was deleted.")
    assert region.evaluate("(el) => el.isConnected")


def test_comments_arriving_by_polling_are_announced_in_the_live_region(page, story):
    page.goto(story_url(story))
    region = page.locator("#comment-status").element_handle()
    posted(story, "One.")
    posted(story, "Two.")
    expect(page.locator("#comment-status")).to_have_text("2 new comments.", timeout=8000)
    assert region.evaluate("(el) => el.isConnected")
