"""With CSRF protection on, as in production: every comment POST needs the page's token."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from broadsheet.web.commenter import signed_render_time
from extensions import db
from models import Comment

from .conftest import HX


@pytest.fixture
def app_config(app_config):
    app_config.update(WTF_CSRF_ENABLED=True, COMMENT_MODERATION="none")
    return app_config


@pytest.fixture
def story(make_article):
    return make_article("Harbour dredging starts")


def token_from(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def comment_data(**fields) -> dict:
    return {
        "name": "Ana",
        "email": "ana@example.org",
        "body": "My thoughtful comment",
        "rendered": signed_render_time(),
        **fields,
    }


def test_post_without_token_keeps_text_and_offers_fresh_token(client, story):
    client.get(f"/local/{story.slug}")
    response = client.post(f"/comments/{story.id}", data=comment_data(), headers=HX)
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert "Your session expired" in html
    assert "My thoughtful comment</textarea>" in html
    assert token_from(html)
    assert db.session.scalars(select(Comment)).all() == []

    retry = client.post(
        f"/comments/{story.id}", data=comment_data(csrf_token=token_from(html)), headers=HX
    )
    assert retry.status_code == 200


def test_plain_post_with_forged_token_is_refused_with_page(client, story):
    client.get(f"/local/{story.slug}")
    response = client.post(f"/comments/{story.id}", data=comment_data(csrf_token="forged"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<html" in html and "My thoughtful comment</textarea>" in html


def test_htmx_post_with_token_in_header_only(client, story):
    html = client.get(f"/local/{story.slug}").get_data(as_text=True)
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
    response = client.post(
        f"/comments/{story.id}", data=comment_data(), headers={**HX, "X-CSRFToken": header_token}
    )
    assert response.status_code == 200
    assert len(db.session.scalars(select(Comment)).all()) == 1


def test_delete_without_token_is_refused(client, story):
    html = client.get(f"/local/{story.slug}").get_data(as_text=True)
    client.post(f"/comments/{story.id}", data=comment_data(csrf_token=token_from(html)))
    comment = db.session.scalar(select(Comment))
    response = client.post(f"/comments/c/{comment.id}/delete")
    assert response.status_code == 400
    assert comment.status == "approved"
