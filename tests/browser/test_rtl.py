"""Right-to-left in real Chromium: an Arabic site mirrors the layout from the same stylesheet.

The Arabic runs take screenshots; with UPDATE_SCREENSHOTS=1 they replace
docs/screenshots/rtl-*.png (otherwise they go to pytest's temporary folder, so a test run
leaves the work tree clean).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from broadsheet.clock import utcnow
from broadsheet.discussion import create, set_status
from broadsheet.stories import prepare
from extensions import db
from models import Article, Category

from .conftest import story_url
from .test_accessibility import axe_page, violations  # noqa: F401 - axe-core in Chromium

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}


@pytest.fixture
def app_config(app_config, request):
    """The served site's language: Arabic unless a test asks for another."""
    app_config.update(SITE_LANGUAGE=getattr(request, "param", "ar"))
    return app_config


@pytest.fixture
def front_page(live_app):
    """The demo paper, led by an Arabic story with a reply thread under it."""
    from broadsheet import demo

    language = live_app.config["SITE_LANGUAGE"]
    demo.load(images=language == "ar")
    pictured = db.session.scalar(db.select(Article).where(Article.image.is_not(None)).limit(1))
    lead = Article(
        headline="افتتاح المكتبة العامة الجديدة على الواجهة البحرية",
        category=db.session.scalar(db.select(Category).order_by(Category.nav_order).limit(1)),
        status="published",
        published_at=utcnow() - timedelta(minutes=90),
        byline="ليلى حداد",
        dateline="بورت ألدر",
        teaser="فتحت المكتبة أبوابها صباح السبت بعد ثلاث سنوات من البناء.",
        body="استقبلت المكتبة مئات الزوار في يومها الأول.\n\n## قاعة للأطفال\n\nوتضم قاعة للأطفال.",
        image=pictured.image if pictured else None,
        image_alt="واجهة المكتبة الجديدة",
        image_caption="الزوار أمام المدخل الرئيسي للمكتبة.",
        image_credit="صورة: أرشيف الصحيفة",
    )
    db.session.add(prepare(lead))
    db.session.flush()
    first = _comment(lead, "سارة", "خبر رائع، المدينة كانت بحاجة إلى مكتبة كهذه.", None, hours=1)
    _comment(lead, "عمر", "أتفق معك تمامًا.", first, hours=0.5)
    db.session.commit()
    return lead


def _comment(story, name, body, parent, hours):
    comment = create(
        story,
        name=name,
        email=f"reader{hours}@example.org",
        url="",
        body=body,
        parent=parent,
        address="127.0.0.1",
        user_agent="test",
        token=None,
    )
    set_status(comment, "approved")
    comment.created_at = utcnow() - timedelta(hours=hours)
    return comment


def centre_x(locator) -> float:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2


def test_arabic_front_page_mirrors_the_masthead(page, front_page, screenshots):
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    sections = page.locator(".sections a")
    # Reading starts on the right: the first section is right of the last one.
    assert centre_x(sections.first) > centre_x(sections.last)
    # ... and the search box, at the end of the navigation bar, sits on the left.
    search = page.locator(".search-box")
    assert centre_x(search) < DESKTOP["width"] / 2 < centre_x(sections.first)
    # The lead picture starts the row, so it is on the right and the text on its left.
    assert centre_x(page.locator(".lead-image")) > centre_x(page.locator(".lead-text"))
    page.screenshot(path=screenshots / "rtl-front-desktop.png", full_page=True)
    assert page.errors == []


def test_arabic_story_page_mirrors_comments_and_form(page, front_page, screenshots):
    page.set_viewport_size(DESKTOP)
    page.goto(story_url(front_page))
    # Replies are indented from the right, where their rule is drawn.
    comment = page.locator(".comment-list > li").first
    replies = comment.locator(":scope > .replies")
    assert comment.bounding_box()["x"] + comment.bounding_box()["width"] > (
        replies.bounding_box()["x"] + replies.bounding_box()["width"] + 10
    )
    # Labels start at the right edge of their fields.
    label = page.get_by_text("الاسم", exact=False).first
    field = page.get_by_label("الاسم")
    label_box, field_box = label.bounding_box(), field.bounding_box()
    assert abs((label_box["x"] + label_box["width"]) - (field_box["x"] + field_box["width"])) < 4
    assert page.locator(".comment-time time").first.inner_text() == "قبل ساعة واحدة"
    page.screenshot(path=screenshots / "rtl-article-desktop.png", full_page=True)
    page.set_viewport_size(MOBILE)
    # Nothing pokes out sideways (an off-screen skip link or honeypot set with physical
    # left/right would widen an RTL page).
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    page.screenshot(path=screenshots / "rtl-article-mobile.png")
    assert page.errors == []


@pytest.mark.parametrize("app_config", ["en"], indirect=True)
def test_english_front_page_reads_left_to_right(page, front_page):
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    sections = page.locator(".sections a")
    assert centre_x(sections.first) < centre_x(sections.last)
    assert centre_x(page.locator(".search-box")) > DESKTOP["width"] / 2


def test_arabic_pages_have_no_axe_violations(axe_page, front_page):  # noqa: F811
    paths = ["/", story_url(front_page), "/search?q=ferry", "/no-such-page/"]
    assert [problem for path in paths for problem in violations(axe_page, path)] == []
