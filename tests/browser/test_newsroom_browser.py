"""An editor in Chromium, as a new user would go: sign in, write a story with a photo, watch
the live preview, schedule it, see it appear when its time comes, then moderate comments
from the queue and from the story page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from PIL import Image
from playwright.sync_api import expect

from broadsheet import clock
from broadsheet.accounts import create_user
from extensions import db
from models import Article, Category, Comment

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def newsroom(live_app):
    """What `flask users create` and a first category leave behind on a fresh site."""
    db.session.add(Category(name="Local", slug="local", nav_order=1))
    create_user("edna@example.org", PASSWORD, "editor", "Edna Editor")
    db.session.commit()
    return live_app


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "dredger.jpg"
    Image.new("RGB", (1600, 900), (30, 90, 120)).save(path, "JPEG")
    return path


def sign_in(page):
    page.goto("/newsroom/")
    expect(page).to_have_url(re.compile("/newsroom/login"))
    page.get_by_label("Email").fill("edna@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Stories")).to_be_visible()


def add_pending_comment(article: Article, name: str, body: str) -> Comment:
    comment = Comment(
        article_id=article.id,
        author_name=name,
        author_email=f"{name.lower()}@example.org",
        body=body,
        status="pending",
    )
    db.session.add(comment)
    db.session.flush()
    comment.root_id = comment.id
    db.session.commit()
    return comment


def test_editor_writes_schedules_and_moderates(page, browser, newsroom, photo, move_clock):
    sign_in(page)

    # Write a story with a photo; the preview follows the typing.
    page.get_by_role("link", name="Write a story").click()
    page.get_by_label("Headline").fill("Harbour dredging starts")
    page.get_by_label("Category").select_option(label="Local")
    page.get_by_label("Dateline").fill("PORT ALDER")
    page.get_by_label("Story (Markdown)").fill("The **dredger** arrived on the morning tide.")
    expect(page.locator("#story-preview strong")).to_have_text("dredger")
    page.get_by_label("Featured image").set_input_files(str(photo))
    page.get_by_label("Image description (alt text)").fill("The dredger in the harbour mouth")
    page.get_by_label("Photo credit").fill("Ana Ruiz")

    # Schedule it two hours ahead.
    now = clock.utcnow()
    when = (now + timedelta(hours=2)).replace(second=0)
    page.get_by_label("Publish at").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule").click()
    expect(page.locator(".notice")).to_contain_text("Scheduled. The story goes live at")
    expect(page.locator(".badge.scheduled")).to_be_visible()

    article = db.session.scalar(db.select(Article))
    assert article.image and article.published_at == when
    story_path = f"/local/{article.slug}"

    reader_context = browser.new_context(base_url=newsroom.config["LIVE_URL"])
    reader = reader_context.new_page()
    assert reader.goto(story_path).status == 404
    reader.goto("/")
    expect(reader.get_by_text("Harbour dredging starts")).to_have_count(0)

    # Its time comes: no cron, the next request simply sees it.
    move_clock(when + timedelta(minutes=1))
    assert reader.goto(story_path).status == 200
    expect(reader.get_by_role("heading", name="Harbour dredging starts")).to_be_visible()
    expect(reader.get_by_role("img", name="The dredger in the harbour mouth")).to_be_visible()
    reader.goto("/")
    expect(reader.get_by_role("link", name="Harbour dredging starts").first).to_be_visible()

    # Two readers' comments wait for moderation.
    good = add_pending_comment(article, "Mara", "Good to see the channel deepened.")
    bad = add_pending_comment(article, "Spammy", "Cheap pills at http://spam.example")

    page.get_by_role("link", name="Comments", exact=True).click()
    expect(page.locator("#count-pending")).to_have_text("2")
    page.get_by_role("button", name="Approve: comment by Mara").click()
    expect(page.locator("#count-approved")).to_have_text("1")
    expect(page.locator("#count-pending")).to_have_text("1")
    page.get_by_role("button", name="Spam: comment by Spammy").click()
    expect(page.locator("#count-spam")).to_have_text("1")
    expect(page.locator("#count-pending")).to_have_text("0")
    db.session.expire_all()
    assert (good.status, bad.status) == ("approved", "spam")

    reader.goto(story_path)
    expect(reader.locator("#comment-list")).to_contain_text("Good to see the channel deepened.")
    expect(reader.locator("#comment-list")).not_to_contain_text("Cheap pills")
    expect(reader.locator("#comment-count")).to_have_text("1 comment")
    expect(reader.locator(".moderation-tools")).to_have_count(0)

    # The editor sees the same buttons beside the comment on the story page.
    page.goto(story_path)
    page.get_by_role("button", name="Spam: comment by Mara").click()
    expect(page.locator(f"#mod-tools-{good.id}")).to_contain_text("Marked as spam")
    expect(page.locator("#comment-count")).to_have_text("0 comments")

    assert page.errors == []
    reader_context.close()


def test_editor_moderates_without_javascript(browser, newsroom, make_article_in_live):
    context = browser.new_context(base_url=newsroom.config["LIVE_URL"], java_script_enabled=False)
    page = context.new_page()
    article = make_article_in_live()
    comment = add_pending_comment(article, "Mara", "Plain forms work too.")
    sign_in(page)
    page.goto("/newsroom/comments")
    page.get_by_role("button", name="Approve: comment by Mara").click()
    expect(page.locator(".notice")).to_contain_text("1 comment approved.")
    expect(page.locator("#count-approved")).to_have_text("1")
    db.session.expire_all()
    assert comment.status == "approved"
    context.close()


@pytest.fixture
def make_article_in_live(newsroom):
    from broadsheet.stories import prepare

    def make() -> Article:
        category = db.session.scalar(db.select(Category))
        article = Article(
            headline="Ferry timetable changes",
            category=category,
            status="published",
            published_at=clock.utcnow() - timedelta(hours=1),
            body="The ferry runs later.",
        )
        db.session.add(prepare(article))
        db.session.commit()
        return article

    return make


def test_newsroom_pages_have_no_axe_violations(browser, newsroom, make_article_in_live):
    from .test_accessibility import AXE, violations

    if not AXE.exists():
        pytest.skip("node_modules/axe-core is missing (npm ci)")
    article = make_article_in_live()
    add_pending_comment(article, "Mara", "A comment to moderate.")
    context = browser.new_context(base_url=newsroom.config["LIVE_URL"], bypass_csp=True)
    page = context.new_page()
    found = violations(page, "/newsroom/login")
    sign_in(page)
    paths = [
        "/newsroom/stories",
        "/newsroom/stories/new",
        f"/newsroom/stories/{article.id}",
        "/newsroom/categories",
        "/newsroom/comments",
        f"/local/{article.slug}",
    ]
    found += [problem for path in paths for problem in violations(page, path)]
    page.goto("/newsroom/stories/new")
    page.get_by_role("button", name="Save draft").click()
    page.locator("#headline-error").wait_for()
    page.add_script_tag(path=str(AXE))
    found += [v["id"] for v in page.evaluate("async () => (await axe.run(document)).violations")]
    context.close()
    assert found == []


def test_too_big_picture_is_refused_before_uploading(page, newsroom, tmp_path):
    newsroom.config["IMAGE_MAX_BYTES"] = 50_000
    big = tmp_path / "huge.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 60_000)
    sign_in(page)
    page.goto("/newsroom/stories/new")
    note = page.locator("#image_file-too-big")
    expect(note).to_be_hidden()
    page.get_by_label("Featured image").set_input_files(str(big))
    expect(note).to_be_visible()
    expect(note).to_contain_text("That picture is too big")
    assert page.get_by_label("Featured image").input_value() == ""
    assert page.errors == []
