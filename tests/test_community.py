"""The newsroom's comment tools as readers and moderators meet them: staff badges, word
lists, bans, reports, editors' picks, sort order and per-story settings."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from broadsheet.web.commenter import signed_render_time
from extensions import db
from models import Article, Comment

from .conftest import sign_in_client

GOOD = {"name": "Ana Ruiz", "email": "ana@example.org", "website": "", "body": "Well reported."}


@pytest.fixture
def story(make_article) -> Article:
    return make_article("Harbour dredging starts")


def post(client, story, headers=None, **fields):
    data = {**GOOD, "rendered": signed_render_time(), **fields}
    return client.post(f"/comments/{story.id}", data=data, headers=headers or {})


def page(client, story, query: str = "") -> str:
    return client.get(f"/{story.category.slug}/{story.slug}{query}").get_data(as_text=True)


def stored() -> list[Comment]:
    return list(db.session.scalars(select(Comment).order_by(Comment.id)))


# --- Staff badges ----------------------------------------------------------------------------


def test_signed_in_staff_comment_carries_a_badge_and_skips_the_first_time_hold(
    client, story, make_user
):
    sign_in_client(client, make_user("writer"))
    post(client, story, name="Mara Lin", email="mara@example.org", body="Reporter here.")
    (comment,) = stored()
    assert comment.status == "approved" and comment.staff_role == "writer"
    html = page(client.application.test_client(), story)
    card = html[html.index(f'id="comment-card-{comment.id}"') :]
    assert '<span class="comment-badge staff">Staff</span>' in card[: card.index("</header>")]


def test_a_reader_cannot_fake_the_staff_badge(client, story, open_moderation):
    post(client, story, name="Staff", staff_role="admin", body='<span class="comment-badge staff">')
    (comment,) = stored()
    assert comment.staff_role is None
    html = page(client, story)
    assert 'class="comment-badge staff"' not in html
    assert "&lt;span class=&#34;comment-badge staff&#34;&gt;" in html


def test_a_first_time_reader_is_still_held(client, story):
    post(client, story)
    assert stored()[0].status == "pending"


@pytest.fixture
def open_moderation(app):
    app.config["COMMENT_MODERATION"] = "none"
