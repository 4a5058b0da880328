"""Every payload of the XSS corpus in every field an editor writes (story, section, topics),
rendered on the reader pages in Chromium: nothing runs, no live markup gets through."""

from __future__ import annotations

from datetime import timedelta

import pytest

from broadsheet.clock import utcnow
from broadsheet.stories import prepare, tags_named
from extensions import db
from models import Article, Category

from .conftest import story_url
from .test_xss_corpus import CORPUS, assert_nothing_ran, watched  # noqa: F401

pytestmark = pytest.mark.browser


def staff_story(category: Category, payload: str, n: int) -> Article:
    """A story as the newsroom form would save it: URLs must be http(s), the rest is free."""
    url = payload if payload.lower().startswith(("http://", "https://")) else ""
    article = Article(
        headline=f"{payload[:250]} {n}",
        slug=f"staff-payload-{n}",
        category=category,
        status="published",
        published_at=utcnow() - timedelta(minutes=n + 1),
        byline=payload[:200],
        teaser=payload,
        dateline=payload[:120],
        body=f"{payload}\n\n## {payload}\n\n> {payload}\n\n[link]({payload})",
        image="demo/none",
        image_alt=payload[:300],
        image_caption=payload,
        image_credit=payload[:200],
        source_name=payload[:200],
        source_url=url,
        copyright=payload[:300],
    )
    db.session.add(article)
    article.tags = tags_named([payload[:80]])
    return prepare(article)


def test_payloads_in_every_staff_field_render_inert(watched, live_app):  # noqa: F811
    category = Category(name=CORPUS[0][:80], slug="hostile", description=CORPUS[1])
    db.session.add(category)
    stories = [staff_story(category, payload, n) for n, payload in enumerate(CORPUS)]
    db.session.commit()

    for path in ("/", "/hostile/", "/hostile/?page=2", "/hostile/?page=3", "/search?q=staff"):
        watched.goto(path)
        assert_nothing_ran(watched, path, settle_ms=100)
    for story in stories:
        watched.goto(story_url(story))
        assert_nothing_ran(watched, story_url(story), settle_ms=50)
