"""With CSRF protection on, as in production.

The anonymous comment form carries no session token (story pages stay cacheable): a post
is refused when the browser says another site sent it. A commenter's own edit and delete
keep Flask-WTF's session tokens.
"""

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


def comment_data(**fields) -> dict:
    return {
        "name": "Ana",
        "email": "ana@example.org",
        "body": "My thoughtful comment",
        "rendered": signed_render_time(),
        **fields,
    }


def test_story_page_form_carries_no_session_token_and_starts_no_session(client, story):
    response = client.get(f"/local/{story.slug}")

    assert 'name="csrf_token"' not in response.text and "X-CSRFToken" not in response.text
    assert "Set-Cookie" not in response.headers
    assert 'id="comment-form"' in response.text


ANOTHER_SITE = [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    # A same-origin Origin does not outvote the browser's own Fetch Metadata.
    {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"},
    {"Origin": "https://attacker.example"},
    {"Origin": "null"},
    {"Referer": "https://attacker.example/page.html"},
]


@pytest.mark.parametrize("headers", ANOTHER_SITE)
@pytest.mark.parametrize("shape", [HX, {}], ids=["htmx", "plain"])
def test_post_sent_from_another_site_is_refused_and_keeps_the_text(client, story, headers, shape):
    response = client.post(
        f"/comments/{story.id}", data=comment_data(), headers={**shape, **headers}
    )

    assert response.status_code == 403
    assert "sent from another website" in response.text
    assert "My thoughtful comment</textarea>" in response.text
    assert db.session.scalars(select(Comment)).all() == []


OUR_OWN_PAGES = [
    {"Sec-Fetch-Site": "same-origin"},
    {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
    {"Origin": "http://localhost"},
    {"Referer": "http://localhost/local/harbour-dredging-starts"},
    {},  # no browser page sent it: curl, a script
]


@pytest.mark.parametrize("headers", OUR_OWN_PAGES)
def test_post_from_our_own_page_needs_no_session_token(client, story, headers):
    response = client.post(f"/comments/{story.id}", data=comment_data(), headers={**HX, **headers})

    assert response.status_code == 200
    assert len(db.session.scalars(select(Comment)).all()) == 1


def test_post_to_site_url_origin_behind_a_proxy_is_accepted(app, client, story):
    app.config["SITE_URL"] = "https://news.example"

    response = client.post(
        f"/comments/{story.id}",
        data=comment_data(),
        headers={**HX, "Origin": "https://news.example"},
    )

    assert response.status_code == 200


def delete_token(html: str) -> str:
    return re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)


def test_delete_needs_the_session_token_its_button_carries(client, story):
    client.post(f"/comments/{story.id}", data=comment_data())
    comment = db.session.scalar(select(Comment))
    html = client.get(f"/local/{story.slug}").text  # the commenter's own page

    refused = client.post(f"/comments/c/{comment.id}/delete", headers=HX)
    assert refused.status_code == 400 and comment.status == "approved"

    done = client.post(
        f"/comments/c/{comment.id}/delete", headers={**HX, "X-CSRFToken": delete_token(html)}
    )
    assert done.status_code == 200
    db.session.refresh(comment)
    assert comment.status == "deleted"
