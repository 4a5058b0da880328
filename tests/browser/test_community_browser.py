"""The newsroom's comment tools in Chromium: a moderator clears a hundred pending comments
by keyboard without a reload; a reader reports a comment, picks an order, and sees picks
and staff badges; with JavaScript on and off."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from broadsheet.accounts import create_user
from broadsheet.clock import utcnow
from extensions import db
from models import Comment, CommentReport

from .conftest import story_url
from .test_accessibility import AXE, axe_page, violations  # noqa: F401 (axe_page: a fixture)

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


def add_comments(article, n: int, status: str = "approved", **fields) -> list[Comment]:
    start = utcnow() - timedelta(hours=3)
    made = []
    for i in range(n):
        comment = Comment(
            article_id=article.id,
            author_name=fields.get("author_name", f"Reader {i}"),
            author_email=f"reader{i}@example.org",
            body=f"Comment number {i}.",
            status=status,
            created_at=start + timedelta(seconds=i),
            featured_at=fields.get("featured_at"),
            staff_role=fields.get("staff_role"),
        )
        db.session.add(comment)
        made.append(comment)
    db.session.flush()
    for comment in made:
        comment.root_id = comment.id
    db.session.commit()
    return made


def sign_in(page):
    create_user("edna@example.org", PASSWORD, "editor", "Edna Editor")
    db.session.commit()
    page.goto("/newsroom/login")
    page.get_by_label("Email").fill("edna@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Stories")).to_be_visible()


def test_a_moderator_clears_a_hundred_pending_comments_by_keyboard_without_reloading(page, story):
    made = add_comments(story, 100, status="pending")
    sign_in(page)
    page.goto("/newsroom/comments")
    expect(page.get_by_text("Keyboard shortcuts")).to_be_visible()
    page.evaluate("window.sameDocument = true")
    page.keyboard.press("j")
    for comment in made:
        row = page.locator(f"#mod-comment-{comment.id}")
        expect(row).to_have_class(re.compile(r"\bchosen\b"))
        page.keyboard.press("a")
        expect(row).to_have_class(re.compile(r"\bstatus-approved\b"))
    # The last one stays chosen: feature it.
    expect(row).to_have_class(re.compile(r"\bchosen\b"))
    page.keyboard.press("f")
    expect(row.get_by_role("button", name=re.compile("^Unfeature"))).to_be_visible()
    assert page.evaluate("window.sameDocument") is True
    assert page.errors == []
    db.session.expire_all()
    statuses = {c.status for c in db.session.scalars(db.select(Comment))}
    assert statuses == {"approved"}
    assert db.session.get(Comment, made[-1].id).featured_at is not None


def test_keys_do_nothing_while_typing_in_a_field(page, story):
    (comment,) = add_comments(story, 1, status="pending")
    sign_in(page)
    page.goto("/newsroom/comments")
    page.keyboard.press("j")
    page.locator(f"#mod-comment-{comment.id} a", has_text="Ban commenter").click()
    page.get_by_label("Reason").fill("spam and abuse")
    expect(page.get_by_label("Reason")).to_have_value("spam and abuse")
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).status == "pending"


def test_a_reader_reports_a_comment_in_place(page, story):
    (comment,) = add_comments(story, 1)
    page.goto(story_url(story))
    card = page.locator(f"#comment-card-{comment.id}")
    card.get_by_role("link", name=re.compile("Report the comment")).click()
    card.get_by_label("Abusive or hateful").check()
    card.get_by_role("button", name="Send report").click()
    expect(card.get_by_text("Thanks, a moderator will look at it.")).to_be_visible()
    assert page.errors == []
    assert db.session.scalar(db.select(CommentReport.reason)) == "abuse"


def test_a_reader_reports_without_javascript(nojs_page, story):
    (comment,) = add_comments(story, 1)
    nojs_page.goto(story_url(story))
    nojs_page.get_by_role("link", name=re.compile("Report the comment")).click()
    nojs_page.get_by_label("Something else").check()
    nojs_page.get_by_role("button", name="Send report").click()
    expect(nojs_page.get_by_text("Please tell the moderators what is wrong.")).to_be_visible()
    nojs_page.get_by_label("What is wrong with it?").fill("It names a witness.")
    nojs_page.get_by_role("button", name="Send report").click()
    expect(nojs_page.get_by_text("Thanks, a moderator will look at it.")).to_be_visible()


def test_a_reader_picks_newest_first_and_the_page_remembers(page, story):
    add_comments(story, 3)
    page.goto(story_url(story))
    page.evaluate("window.sameDocument = true")
    bodies = page.locator("#comment-list .comment-body")
    expect(bodies.first).to_have_text("Comment number 0.")
    page.get_by_label("Sort by").select_option("newest")
    expect(bodies.first).to_have_text("Comment number 2.")
    assert page.evaluate("window.sameDocument") is True
    page.goto(story_url(story))
    expect(bodies.first).to_have_text("Comment number 2.")
    expect(page.get_by_label("Sort by")).to_have_value("newest")
    assert page.errors == []


def test_sort_without_javascript(nojs_page, story):
    add_comments(story, 3)
    nojs_page.goto(story_url(story))
    nojs_page.get_by_label("Sort by").select_option("newest")
    nojs_page.get_by_role("button", name="Sort", exact=True).click()
    expect(nojs_page).to_have_url(re.compile(r"\?sort=newest"))
    expect(nojs_page.locator("#comment-list .comment-body").first).to_have_text("Comment number 2.")


def test_readers_see_featured_and_staff_badges_and_the_featured_view(page, story):
    add_comments(story, 1, author_name="Desk", staff_role="editor", featured_at=utcnow())
    add_comments(story, 1, author_name="Someone")
    page.goto(story_url(story))
    desk = page.get_by_role("article", name="Comment by Desk")
    expect(desk.get_by_text("Staff", exact=True)).to_be_visible()
    expect(desk.get_by_text("Featured", exact=True)).to_be_visible()
    page.get_by_role("link", name=re.compile("^Featured")).click()
    expect(page.get_by_role("article", name="Comment by Desk")).to_be_visible()
    expect(page.get_by_role("article", name="Comment by Someone")).to_have_count(0)


def test_a_signed_in_editor_comments_with_a_staff_badge(page, story):
    sign_in(page)
    page.goto(story_url(story))
    page.get_by_role("textbox", name="Comment", exact=True).fill(
        "We have asked the council for the figures."
    )
    page.get_by_role("textbox", name="Name", exact=True).fill("Edna Editor")
    page.get_by_role("textbox", name="Email", exact=True).fill("edna@example.org")
    page.get_by_role("button", name="Post Comment").click()
    mine = page.get_by_role("article", name="Comment by Edna Editor")
    expect(mine.get_by_text("Staff", exact=True)).to_be_visible()
    assert page.errors == []


def test_community_pages_have_no_axe_violations(axe_page, story):  # noqa: F811
    page = axe_page
    (comment,) = add_comments(story, 1, featured_at=utcnow())
    db.session.add(
        CommentReport(comment_id=comment.id, reason="other", note="x", reporter_hash="h")
    )
    story.comments_notice = "Be kind."
    db.session.commit()
    found = violations(page, story_url(story))
    page.get_by_role("link", name=re.compile("Report the comment")).click()
    expect(page.get_by_role("button", name="Send report")).to_be_visible()
    page.add_script_tag(path=str(AXE))
    found += page.evaluate("async () => (await axe.run(document)).violations")
    sign_in(page)
    for path in (
        "/newsroom/comments?tab=approved",
        "/newsroom/comments/reported",
        "/newsroom/comments/bans",
        "/newsroom/comments/words",
        f"/newsroom/comments/{comment.id}/ban",
        f"/newsroom/stories/{story.id}/discussion",
    ):
        found += violations(page, path)
    assert found == []
