"""The newsroom's, the privacy page's and the email links' POST endpoints never answer 5xx,
whatever arrives (a signed-in admin sending hostile forms, or anyone with a forged link)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.search import use_search_language
from extensions import db
from models import Comment

from .load import HX
from .test_fuzz import BYTES, FUZZ, UNICODE, VALUES, assert_not_5xx

STAFF_FIELDS = [
    "headline",
    "slug",
    "category_id",
    "byline",
    "teaser",
    "dateline",
    "body",
    "image_alt",
    "image_caption",
    "image_credit",
    "source_name",
    "source_url",
    "copyright",
    "tags",
    "status",
    "publish_at",
    "published_at",
    "action",
    "version",
    "name",
    "description",
    "email",
    "role",
    "password",
    "ids",
    "comment_ids",
    "next",
    "comments_open",
    "direction",
    "uploaded_image",
    "remove_image",
    "request",
    "kind",
    "site_name",
    "site_tagline",
    "language",
    "timezone",
    "require_two_factor",
    "code",
    "secret",
    "current_password",
    "category_id",
    "alt",
    "caption",
    "credit",
    "file",
    "image_focus",
]


@st.composite
def staff_bodies(draw):
    kind = draw(st.sampled_from(["form", "multipart", "raw"]))
    if kind == "raw":
        return {"data": draw(BYTES), "content_type": "application/x-www-form-urlencoded"}
    pairs = draw(st.lists(st.tuples(st.sampled_from(STAFF_FIELDS) | UNICODE, VALUES), max_size=14))
    data: dict[str, list[str]] = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return {"data": data, "content_type": "multipart/form-data" if kind == "multipart" else None}


@pytest.fixture
def newsroom_site(app, client, make_article, login):
    story = make_article("Ferry timetable changes", body="The ferry runs later.")
    comment = Comment(
        article_id=story.id,
        author_name="Ana",
        author_email="a@example.org",
        body="Held for review.",
        status="pending",
    )
    db.session.add(comment)
    db.session.commit()
    login("admin")
    yield story, comment
    # A fuzzed settings page may have switched PostgreSQL's search language; put it back.
    use_search_language("en")
    db.session.commit()


def staff_paths(story, comment) -> list[str]:
    return [
        "/newsroom/stories/new",
        f"/newsroom/stories/{story.id}",
        "/newsroom/preview",
        f"/newsroom/stories/{story.id}/comments",
        "/newsroom/categories",
        f"/newsroom/categories/{story.category_id}",
        f"/newsroom/categories/{story.category_id}/move",
        f"/newsroom/comments/{comment.id}/approve",
        f"/newsroom/comments/{comment.id}/edit",
        "/newsroom/comments/bulk",
        "/newsroom/users",
        "/newsroom/settings",
        "/newsroom/login",
        "/newsroom/login/code",
        "/newsroom/forgot",
        "/newsroom/welcome/not-a-token",
        "/newsroom/account",
        "/newsroom/account/two-factor",
        "/newsroom/stories/bulk",
        f"/newsroom/stories/{story.id}/untrash",
        "/newsroom/media",
        "/privacy",
        "/privacy/erase/not-a-token",
        "/moderate/not-a-token",
        "/confirm/not-a-token",
        "/unsubscribe/not-a-token",
    ]


@pytest.mark.parametrize("which", range(26))
def test_staff_and_link_posts_never_5xx(client, newsroom_site, which):
    path = staff_paths(*newsroom_site)[which]

    @settings(FUZZ, max_examples=30)
    @given(body=staff_bodies(), htmx=st.booleans())
    def check(body, htmx):
        response = client.post(path, headers=HX if htmx else {}, **body)
        assert_not_5xx(response, f"POST {path}")

    check()
