"""Hostile requests with the production guards on: forged CSRF, oversize bodies, SQL and FTS
syntax in search. Each is refused or made harmless, with a page a person can read."""

from __future__ import annotations

import io
import re
import urllib.parse

import pytest
from sqlalchemy import func, select

from broadsheet.web.commenter import signed_render_time
from extensions import db
from models import Article, Comment

from .load import HX

MIB = 1024 * 1024


@pytest.fixture
def app_config(app_config):
    app_config.update(WTF_CSRF_ENABLED=True, COMMENT_MODERATION="none")
    return app_config


@pytest.fixture
def story(make_article):
    return make_article("Harbour dredging starts", body="The dredger arrives on Monday.")


def page_token(client, story) -> str:
    """The session token a commenter's own story page carries for their Delete button."""
    html = client.get(f"/local/{story.slug}").get_data(as_text=True)
    return re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)


def comment_data(**fields) -> dict:
    return {
        "name": "Ana",
        "email": "ana@example.org",
        "body": "My thoughtful comment",
        "rendered": signed_render_time(),
        **fields,
    }


@pytest.fixture
def own_comment(client, story) -> Comment:
    response = client.post(f"/comments/{story.id}", data=comment_data())
    assert response.status_code == 303
    return db.session.scalar(select(Comment))


# --- CSRF ----------------------------------------------------------------------------------


def test_edit_without_csrf_token_is_refused(client, own_comment):
    response = client.post(f"/comments/c/{own_comment.id}/edit", data={"body": "Defaced"})
    assert response.status_code == 400
    db.session.refresh(own_comment)
    assert own_comment.body == "My thoughtful comment"


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_delete_with_forged_csrf_token_is_refused(client, own_comment, headers):
    response = client.post(
        f"/comments/c/{own_comment.id}/delete",
        data={"csrf_token": "forged"},
        headers={**headers, "X-CSRFToken": "forged"},
    )
    assert response.status_code == 400
    db.session.refresh(own_comment)
    assert own_comment.status == "approved"


def test_comment_form_posted_from_another_site_is_refused(client, story):
    response = client.post(
        f"/comments/{story.id}",
        data=comment_data(),
        headers={"Origin": "https://attacker.example"},
    )
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


def test_delete_token_from_another_browser_is_refused(app, client, story, own_comment):
    stranger = app.test_client()
    stranger.post(f"/comments/{story.id}", data=comment_data(body="Theirs"))
    their_token = page_token(stranger, story)
    response = client.post(f"/comments/c/{own_comment.id}/delete", data={"csrf_token": their_token})
    assert response.status_code == 400
    db.session.refresh(own_comment)
    assert own_comment.status == "approved"


# --- Oversize bodies ------------------------------------------------------------------------


def urlencoded(fields: dict) -> dict:
    # Encoded here: the test client would spool a big body to a file it never closes.
    return {
        "data": urllib.parse.urlencode(fields).encode(),
        "content_type": "application/x-www-form-urlencoded",
    }


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
@pytest.mark.parametrize("path", ["/comments/{id}", "/comments/c/{comment}/edit"])
def test_oversize_body_gets_413_with_a_readable_page(client, story, own_comment, path, headers):
    data = comment_data(csrf_token=page_token(client, story), body="x" * (MIB + 1))
    url = path.format(id=story.id, comment=own_comment.id)
    response = client.post(url, headers=headers, **urlencoded(data))
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "larger than this site accepts" in html
    # A page for a plain request, a line for htmx to show where the form was.
    assert ("Too large" in html) == (not headers) and ("<html" in html) == (not headers)
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 1


def test_oversize_multipart_upload_gets_413(client, story, own_comment):
    token = page_token(client, story)
    body = (
        (
            f'--b\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            '--b\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + b"\0" * (MIB + 1)
        + b"\r\n--b--\r\n"
    )
    response = client.post(
        f"/comments/{story.id}", data=body, content_type="multipart/form-data; boundary=b"
    )
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)


@pytest.mark.parametrize("size", [MIB + 1, 3 * MIB])
def test_oversize_body_without_a_length_gets_413_not_cut_short(client, story, own_comment, size):
    """A chunked body never says its length; Werkzeug alone would cut it at the limit."""
    fields = comment_data(csrf_token=page_token(client, story), body="y")
    body = urllib.parse.urlencode(fields).encode() + b"&website=" + b"x" * size
    response = client.post(
        f"/comments/{story.id}",
        input_stream=io.BytesIO(body),
        content_type="application/x-www-form-urlencoded",
        headers={"Transfer-Encoding": "chunked", **HX},
        environ_overrides={"wsgi.input_terminated": True},  # as gunicorn says for chunked
    )
    assert response.status_code == 413
    assert "larger than this site accepts" in response.get_data(as_text=True)


def test_small_chunked_body_still_posts(client, story):
    fields = comment_data(body="chunked and fine")
    response = client.post(
        f"/comments/{story.id}",
        input_stream=io.BytesIO(urllib.parse.urlencode(fields).encode()),
        content_type="application/x-www-form-urlencoded",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 303
    assert db.session.scalar(select(Comment.body)) == "chunked and fine"


# --- SQL and full-text syntax in search -------------------------------------------------------

SQL_AND_FTS = [
    "'; DROP TABLE articles; --",
    '" OR 1=1 --',
    "1' UNION SELECT author_email FROM comments --",
    "dredg*",
    "dredger OR 1",
    "headline:dredger",
    "NEAR(dredger Monday, 2)",
    "dredger NOT",
    "(dredger",
    "dredger)",
    "^dredger",
    "dredger AND (",
    "\\",
    "%",
    "_",
    "!!&&||",
    "<->",
    "dredger:*",
    "'dredger' & 'monday'",
    "\x00",
    "$$ ; SELECT pg_sleep(5); $$",
]


@pytest.mark.parametrize("query", SQL_AND_FTS)
def test_sql_and_fts_syntax_in_search_is_harmless(client, story, own_comment, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert "ana@example.org" not in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Article)) == 1
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 1
    still = client.get("/search", query_string={"q": "dredger"}).get_data(as_text=True)
    assert "Harbour dredging starts" in still
