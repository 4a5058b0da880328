"""The newsroom with CSRF protection on, as in production: forms carry the token in a field,
htmx requests that are not form posts carry it in the X-CSRFToken header."""

from __future__ import annotations

import re

import pytest

from extensions import db
from models import Comment

from .conftest import HX, STAFF_PASSWORD


@pytest.fixture
def app_config(app_config):
    app_config.update(WTF_CSRF_ENABLED=True)
    return app_config


def field_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def header_token(html: str) -> str:
    return re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)


def test_sign_in_needs_the_forms_token(client, make_user):
    user = make_user("editor")
    credentials = {"email": user.email, "password": STAFF_PASSWORD}
    refused = client.post("/newsroom/login", data=credentials)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "The sign-in page had expired" in html and user.email in html
    response = client.post("/newsroom/login", data={**credentials, "csrf_token": field_token(html)})
    assert response.status_code == 303


def test_htmx_moderation_needs_the_header_token(client, login, make_article):
    login("editor")
    story = make_article("Ferry")
    comment = Comment(article_id=story.id, author_name="R", author_email="r@example.org", body="Hi")
    db.session.add(comment)
    db.session.commit()
    page = client.get("/newsroom/comments").get_data(as_text=True)
    url = f"/newsroom/comments/{comment.id}/approve"
    assert client.post(url, headers=HX).status_code == 400
    assert comment.status == "pending"
    response = client.post(url, headers={**HX, "X-CSRFToken": header_token(page)})
    assert response.status_code == 200
    db.session.refresh(comment)
    assert comment.status == "approved"


def test_preview_needs_the_header_token(client, login):
    login("writer")
    page = client.get("/newsroom/stories/new").get_data(as_text=True)
    assert client.post("/newsroom/preview", data={"body": "x"}, headers=HX).status_code == 400
    ok = client.post(
        "/newsroom/preview", data={"body": "*x*"}, headers={**HX, "X-CSRFToken": header_token(page)}
    )
    assert ok.status_code == 200 and "<em>x</em>" in ok.get_data(as_text=True)


def test_sign_out_needs_the_token(client, login):
    login("editor")
    assert client.post("/newsroom/logout").status_code == 400
    assert client.get("/newsroom/stories").status_code == 200


def test_settings_need_the_forms_token(client, login):
    login("admin")
    html = client.get("/newsroom/settings").get_data(as_text=True)
    form = {"site_name": "Valley Courier", "language": "en", "timezone": "UTC"}
    assert client.post("/newsroom/settings", data=form).status_code == 400
    assert "Valley Courier" not in client.get("/").get_data(as_text=True)
    response = client.post("/newsroom/settings", data={**form, "csrf_token": field_token(html)})
    assert response.status_code == 303
    assert "Valley Courier" in client.get("/").get_data(as_text=True)
