"""In Chromium, as a newsroom and its readers would: an editor pins the lead and puts up a
breaking-news banner (with and without JavaScript), adds a correction; readers follow a
byline and a topic chip, copy a story's link, and read in dark mode, with reduced motion
and on paper. UPDATE_SCREENSHOTS=1 writes the pictures docs/newsroom.md shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from broadsheet.accounts import create_user
from broadsheet.clock import utcnow
from broadsheet.front_page import raise_banner
from broadsheet.publishing import correct
from broadsheet.stories import prepare, tags_named
from extensions import db
from models import Article, AuthorPage, Category

from .conftest import story_url
from .test_accessibility import axe_page, violations  # noqa: F401 - axe-core in Chromium

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def paper(live_app):
    """An editor with an author page, and five stories in two sections."""
    editor = create_user("ana@example.org", PASSWORD, "editor", "Ana Ruiz")
    db.session.flush()
    db.session.add(AuthorPage(user_id=editor.id, slug="ana-ruiz", bio="Covers the harbour."))
    local, sport = Category(name="Local", slug="local"), Category(name="Sports", slug="sports")
    stories = {}
    for key, headline, category, hours, byline, tags in [
        ("brief", "Wire brief: tides run high", local, 0.2, "Cascadia Wire", ()),
        ("fire", "Harbour fire: what we know", local, 3, "Ana Ruiz", ("Harbour",)),
        ("budget", "Council passes the budget", local, 6, "Ana Ruiz", ("Council",)),
        ("hawks", "Harbour Hawks win the final", sport, 8, "Sam Lee", ("Harbour",)),
        ("rowing", "Rowing club turns 100", sport, 30, "Sam Lee", ()),
    ]:
        article = Article(
            headline=headline,
            category=category,
            status="published",
            published_at=utcnow() - timedelta(hours=hours),
            byline=byline,
            teaser=f"{headline}, in brief.",
            body=f"{headline}. The full story follows.\n\nA second paragraph.",
        )
        article.tags = tags_named(list(tags))
        db.session.add(prepare(article))
        stories[key] = article
    db.session.commit()
    return stories


def sign_in(page) -> None:
    page.goto("/newsroom/login")
    page.get_by_label("Email").fill("ana@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Front page")).to_be_visible()


def in_an_hour() -> str:
    return (utcnow() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")


def test_editor_pins_the_lead_and_raises_a_banner_readers_see(page, paper, screenshots):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    expect(page.locator("#lead-headline")).to_have_text("Wire brief: tides run high")

    sign_in(page)
    page.get_by_role("link", name="Front page").click()
    lead = page.get_by_label("Lead story")
    lead.select_option(str(paper["fire"].id))
    page.get_by_label("Top story 1").select_option(str(paper["rowing"].id))
    page.get_by_role("button", name="Save front page").click()
    expect(page.locator("#front-page-editor .notice")).to_have_text("Front page saved.")
    expect(page.get_by_label("Lead story")).to_have_value(str(paper["fire"].id))

    page.get_by_label("Breaking news").fill("Harbour bridge closed after the fire")
    page.get_by_label("Link").fill(story_url(paper["fire"]))
    page.get_by_label("Show until").fill(in_an_hour())
    page.get_by_role("button", name="Put the banner up").click()
    expect(page.locator("#front-page-editor .notice")).to_have_text(
        "The banner is up on every page."
    )
    page.screenshot(path=str(screenshots / "newsroom-front-page.png"), full_page=True)

    page.goto("/")
    expect(page.locator("#lead-headline")).to_have_text("Harbour fire: what we know")
    expect(page.locator(".top-stories .card-headline").first).to_have_text("Rowing club turns 100")
    banner = page.get_by_role("region", name="Breaking news")
    expect(banner).to_contain_text("Harbour bridge closed after the fire")
    page.screenshot(path=str(screenshots / "front-banner-desktop.png"))
    banner.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour fire: what we know")
    expect(page.get_by_role("region", name="Breaking news")).to_be_visible()
    assert page.errors == []


def test_without_javascript_the_front_page_forms_still_work(nojs_page, paper):
    page = nojs_page
    sign_in(page)
    page.goto("/newsroom/front-page")
    page.get_by_label("Lead story").select_option(str(paper["budget"].id))
    page.get_by_role("button", name="Save front page").click()
    expect(page.locator(".notice")).to_have_text("Front page saved.")
    page.get_by_label("Breaking news").fill("")
    page.get_by_role("button", name="Put the banner up").click()
    expect(page.locator("#text-error")).to_have_text("Say what happened in a few words.")
    page.goto("/")
    expect(page.locator("#lead-headline")).to_have_text("Council passes the budget")


def test_editor_adds_a_correction_that_readers_see(page, paper, screenshots):
    sign_in(page)
    page.goto(f"/newsroom/stories/{paper['budget'].id}")
    page.get_by_label("Correction note").fill(
        "An earlier version said the vote was 5-2. It was 6-1."
    )
    page.get_by_role("button", name="Add correction").click()
    expect(page.locator("#corrections .notice")).to_contain_text("Correction added.")
    expect(page.locator("#corrections .corrections-list li")).to_have_count(1)

    page.goto(story_url(paper["budget"]))
    aside = page.locator("aside.corrections")
    expect(aside).to_contain_text("It was 6-1.")
    aside.screenshot(path=str(screenshots / "article-correction.png"))


def test_reader_follows_a_byline_and_a_topic(page, paper, screenshots):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(story_url(paper["fire"]))
    page.locator(".story-header").get_by_role("link", name="Ana Ruiz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ana Ruiz")
    expect(page.get_by_text("Covers the harbour.")).to_be_visible()
    expect(page.locator(".card-headline")).to_have_count(2)
    page.screenshot(path=str(screenshots / "author-page.png"))

    page.goto(story_url(paper["fire"]))
    page.get_by_role("list", name="Topics").get_by_role("link", name="Harbour").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour")
    expect(page.locator(".card-headline")).to_have_text(
        ["Harbour fire: what we know", "Harbour Hawks win the final"]
    )
    page.goto(story_url(paper["brief"]))
    expect(page.locator(".byline a")).to_have_count(0)


def test_reader_copies_a_storys_link(browser, live_app, paper):
    context = browser.new_context(
        base_url=live_app.config["LIVE_URL"], permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    page.goto(story_url(paper["fire"]))
    share = page.get_by_role("navigation", name="Share this story")
    bluesky = share.get_by_role("link", name="Bluesky").get_attribute("href")
    assert bluesky.startswith("https://bsky.app/intent/compose?text=Harbour%20fire")
    share.get_by_role("link", name="Copy link").click()
    expect(page.locator("#share-status")).to_have_text("Link copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == "http://localhost" + story_url(paper["fire"])
    assert page.url.endswith(story_url(paper["fire"]))
    context.close()


def test_dark_mode_reduced_motion_and_print(browser, live_app, paper, screenshots):
    context = browser.new_context(
        base_url=live_app.config["LIVE_URL"], color_scheme="dark", reduced_motion="reduce"
    )
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(story_url(paper["fire"]))
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(22, 21, 20)"
    indicator = page.evaluate(
        "(() => { const el = document.createElement('span');"
        " el.className = 'htmx-indicator htmx-request'; document.body.append(el);"
        " return getComputedStyle(el).transitionDuration; })()"
    )
    assert indicator == "0s"
    page.screenshot(path=str(screenshots / "article-dark.png"))

    page.emulate_media(media="print", color_scheme="light")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    for hidden in (".site-header", "#comments", ".share", ".related", ".site-footer"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator(".story-body")).to_be_visible()
    context.close()


def test_new_reader_pages_have_no_axe_violations(axe_page, paper):  # noqa: F811
    correct(paper["budget"], "An earlier version said the vote was 5-2. It was 6-1.")
    raise_banner("Harbour bridge closed", story_url(paper["fire"]), utcnow() + timedelta(hours=1))
    db.session.commit()
    paths = [
        "/",
        story_url(paper["budget"]),
        "/topic/harbour/",
        "/author/ana-ruiz/",
        "/search?q=harbour&section=local",
    ]
    assert [problem for path in paths for problem in violations(axe_page, path)] == []
