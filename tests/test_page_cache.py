"""The page cache: a repeated anonymous GET renders nothing and runs only the freshness read,
and whatever a reader could see changing is on the very next request."""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager

import pytest
from flask import template_rendered
from sqlalchemy import event, select

from broadsheet import tokens
from broadsheet.discussion import set_status
from broadsheet.stories import prepare
from broadsheet.web.commenter import REMEMBER_COOKIE
from extensions import db
from models import Comment

from .conftest import HX
from .support.publishing import add_comment, build_newsroom, story_path


@pytest.fixture(params=["memory", "redis"])
def app_config(request, app_config):
    app_config["PAGE_CACHE_BYTES"] = 4 * 1024 * 1024
    if request.param == "redis":
        app_config.update(
            REDIS_URL="redis://127.0.0.1:6379/0", RATELIMIT_KEY_PREFIX=uuid.uuid4().hex
        )
    return app_config


@pytest.fixture
def newsroom(make_category, make_article):
    return build_newsroom(make_category, make_article)


@contextmanager
def watching(app):
    """The SQL statements run and the templates rendered while the block runs."""
    seen = {"queries": [], "templates": []}

    def query(_conn, _cursor, statement, *_args):
        seen["queries"].append(statement)

    def rendered(_app, template, _context, **_extra):
        seen["templates"].append(template.name)

    event.listen(db.engine, "before_cursor_execute", query)
    template_rendered.connect(rendered, app)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", query)
        template_rendered.disconnect(rendered, app)


PAGES = ["/", "/local/", "/search?q=mill", "/feeds/rss.xml", "/sitemap.xml"]


@pytest.mark.parametrize("path", [*PAGES, "story", "comment list"])
def test_repeated_anonymous_get_renders_nothing_and_reads_only_the_generation(
    app, client, newsroom, path
):
    headers = HX if path == "comment list" else {}
    if path in ("story", "comment list"):
        add_comment(newsroom.published[0], body="Kept with the page.")
        path = story_path(newsroom.published[0]) + ("/comments" if headers else "")
    first = client.get(path, headers=headers)

    with watching(app) as seen:
        again = app.test_client().get(path, headers=headers)

    assert again.status_code == 200 and again.data == first.data
    assert seen["templates"] == []
    assert len(seen["queries"]) == 1 and "site_generation" in seen["queries"][0]
    assert again.headers["ETag"] == first.headers["ETag"]
    assert "Set-Cookie" not in again.headers


def test_kept_copy_answers_a_conditional_get_with_304(client, newsroom):
    path = story_path(newsroom.published[0])
    first = client.get(path)

    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304 and again.data == b""


def test_page_and_fragment_are_kept_apart(client, newsroom):
    path = story_path(newsroom.published[0]) + "/comments"
    add_comment(newsroom.published[0], body="Fragment or page?")
    page = client.get(path)
    fragment = client.get(path, headers=HX)

    assert "<html" in page.text and "<html" not in fragment.text


def test_approved_comment_is_on_the_very_next_anonymous_request(client, newsroom):
    story = newsroom.published[0]
    comment = add_comment(story, "pending", body="Held for review.")
    path = story_path(story)
    assert "Held for review." not in client.get(path).text

    set_status(comment, "approved")
    db.session.commit()

    assert "Held for review." in client.get(path).text


def test_edited_story_is_on_the_very_next_anonymous_request(client, newsroom):
    story = newsroom.published[1]
    assert "Ferry timetable changes" in client.get("/local/").text

    story.headline = "Ferries run all night"
    prepare(story)
    db.session.commit()

    listing = client.get("/local/").text
    assert "Ferries run all night" in listing and "Ferry timetable changes" not in listing


def test_commenter_never_gets_the_anonymous_copy(app, client, newsroom):
    path = story_path(newsroom.published[0])
    client.get(path)
    commenter = app.test_client()
    commenter.set_cookie(REMEMBER_COOKIE, tokens.sign(tokens.COMMENTER, {"name": "Kim Ostrander"}))

    theirs = commenter.get(path)

    assert 'value="Kim Ostrander"' in theirs.text
    assert theirs.headers["Cache-Control"] == "private, no-cache"
    assert 'value="Kim Ostrander"' not in client.get(path).text


def test_readers_posting_from_one_kept_copy_each_get_their_own_comment(app, newsroom):
    story = newsroom.published[0]
    html = app.test_client().get(story_path(story)).text
    kept = dict(re.findall(r'name="(rendered|token)" type="hidden" value="([^"]+)"', html))

    for name, client in (("Kim", app.test_client()), ("Lou", app.test_client())):
        fields = {**kept, "name": name, "email": f"{name}@example.org", "body": f"{name} here."}
        response = client.post(f"/comments/{story.id}", data=fields, headers=HX)
        assert response.status_code == 200
        assert f"{name} here." in response.text

    bodies = db.session.scalars(select(Comment.body).where(Comment.article_id == story.id))
    assert sorted(bodies) == ["Kim here.", "Lou here."]
