"""HTTP caching: conditional GETs answer 304 until something a reader would see changes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from flask import g
from sqlalchemy import select

from broadsheet import tokens
from broadsheet.clock import utcnow
from broadsheet.stories import prepare
from broadsheet.web.commenter import REMEMBER_COOKIE
from extensions import db
from models import Article

from .support.publishing import add_comment, build_newsroom, get_file, story_path


@pytest.fixture
def newsroom(make_category, make_article):
    """The newsroom, written a week ago: no story edited since."""
    room = build_newsroom(make_category, make_article)
    for story in db.session.scalars(select(Article)):
        # Set explicitly, so the update does not stamp the current time instead.
        story.updated_at = utcnow() - timedelta(days=7)
    db.session.commit()
    return room


@pytest.fixture(autouse=True)
def forget_csrf_token_between_requests(app):
    # The app fixture holds one app context for a whole test, so Flask-WTF's per-request
    # copy of the token (g.csrf_token) would otherwise pass from one visitor to the next.
    app.teardown_request(lambda _error: g.pop("csrf_token", None))


def edit(story: Article, **fields) -> None:
    """Save a change as the newsroom does: through stories.prepare, which stamps updated_at."""
    for name, value in fields.items():
        setattr(story, name, value)
    prepare(story)
    db.session.commit()


def revalidate(client, path: str, response):
    return client.get(path, headers={"If-None-Match": response.headers["ETag"]})


@pytest.mark.parametrize(
    "path", ["/", "/local/", "/search?q=mill", "/feeds/rss.xml", "/sitemap.xml", "/robots.txt"]
)
def test_unchanged_page_or_feed_answers_304_without_a_body(client, newsroom, path):
    first = client.get(path)
    again = revalidate(client, path, first)

    assert first.status_code == 200 and first.headers["ETag"] and first.last_modified
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]


def test_etag_weakened_by_a_compressing_proxy_still_matches(client, newsroom):
    first = client.get("/feeds/rss.xml")

    again = client.get("/feeds/rss.xml", headers={"If-None-Match": "W/" + first.headers["ETag"]})

    assert again.status_code == 304


@pytest.mark.parametrize("path", ["/", "/local/", "/search?q=ferry", "/feeds/atom.xml"])
def test_editing_a_story_changes_pages_and_feeds(client, newsroom, path):
    first = client.get(path)
    edit(newsroom.published[1], headline="Ferry timetable changes again")

    again = revalidate(client, path, first)

    assert again.status_code == 200
    assert again.headers["ETag"] != first.headers["ETag"]
    assert "Ferry timetable changes again" in again.get_data(as_text=True)


def test_editing_a_story_moves_its_sitemap_lastmod(client, newsroom):
    first = client.get("/sitemap.xml")
    edit(newsroom.published[1], headline="Ferry timetable changes again")

    again = revalidate(client, "/sitemap.xml", first)

    assert again.status_code == 200
    assert f"<lastmod>{newsroom.published[1].updated_at.isoformat()}Z</lastmod>" in again.text


def test_renaming_a_section_changes_every_page(client, newsroom):
    first = client.get("/")
    newsroom.published[3].category.name = "Sport"
    db.session.commit()

    again = revalidate(client, "/", first)

    assert again.status_code == 200
    assert ">Sport</a>" in again.get_data(as_text=True)


def test_if_modified_since_answers_304_until_a_new_story(
    client, newsroom, make_article, move_clock
):
    move_clock(utcnow())
    first = client.get("/feeds/rss.xml")
    since = {"If-Modified-Since": first.headers["Last-Modified"]}
    assert client.get("/feeds/rss.xml", headers=since).status_code == 304

    # Dates in HTTP count whole seconds: the story comes in a later one.
    move_clock(utcnow() + timedelta(seconds=2))
    make_article("Breaking: bridge reopens", hours_ago=0)

    assert client.get("/feeds/rss.xml", headers=since).status_code == 200


def test_story_page_answers_304_to_the_same_reader_from_the_second_visit(client, newsroom):
    path = story_path(newsroom.published[0])
    first = client.get(path)

    again = revalidate(client, path, first)

    assert again.status_code == 304


def test_new_approved_comment_changes_the_story_page_and_its_feed(client, newsroom):
    story = newsroom.published[0]
    path, feed = story_path(story), f"/feeds/comments/{story.id}.xml"
    page, comments = client.get(path), client.get(feed)
    assert revalidate(client, path, page).status_code == 304

    add_comment(story, author_name="Kim", body="Glad to see it open.")

    page_again, feed_again = revalidate(client, path, page), revalidate(client, feed, comments)
    assert page_again.status_code == 200 and feed_again.status_code == 200
    assert "Glad to see it open." in page_again.get_data(as_text=True)
    assert "Glad to see it open." in feed_again.get_data(as_text=True)
    assert page_again.headers["ETag"] != page.headers["ETag"]


def test_new_comment_changes_the_front_page_that_shows_its_count(client, newsroom):
    first = client.get("/")

    add_comment(newsroom.published[3])

    again = revalidate(client, "/", first)
    assert again.status_code == 200
    assert "1 comment" in again.text


def test_moderating_a_comment_changes_the_story_page(client, newsroom):
    story = newsroom.published[0]
    comment = add_comment(story, "pending", body="Held for review.")
    path = story_path(story)
    first = client.get(path)

    from broadsheet.discussion import set_status

    set_status(comment, "approved")
    db.session.commit()

    assert revalidate(client, path, first).status_code == 200


def test_editing_a_comment_changes_the_story_page(client, newsroom):
    story = newsroom.published[0]
    comment = add_comment(story, body="First wording.")
    path = story_path(story)
    first = client.get(path)

    comment.body = "Second wording."
    comment.edited_at = utcnow()
    db.session.commit()

    again = revalidate(client, path, first)
    assert again.status_code == 200 and "Second wording." in again.text


def test_anonymous_story_page_starts_no_session_and_is_public(app, newsroom):
    path = story_path(newsroom.published[0])
    ana, ben = app.test_client(), app.test_client()

    anas = ana.get(path)
    bens = ben.get(path, headers={"If-None-Match": anas.headers["ETag"]})

    assert "Set-Cookie" not in anas.headers
    assert (
        anas.headers["Cache-Control"] == "public, max-age=0, s-maxage=5, stale-while-revalidate=30"
    )
    # Shared caches must not hand this copy to a reader whose cookies make the page theirs.
    assert "Cookie" in anas.headers["Vary"]
    assert bens.status_code == 304


def as_commenter(client, name: str) -> None:
    client.set_cookie(REMEMBER_COOKIE, tokens.sign(tokens.COMMENTER, {"name": name}))


def test_commenters_story_page_is_private_and_never_confirmed_for_another(app, newsroom):
    path = story_path(newsroom.published[0])
    ana, ben = app.test_client(), app.test_client()
    as_commenter(ana, "Kim Ostrander")
    as_commenter(ben, "Ben Okafor")
    anas = ana.get(path)

    again = revalidate(ana, path, anas)
    bens = ben.get(path, headers={"If-None-Match": anas.headers["ETag"]})
    anonymous = app.test_client().get(path, headers={"If-None-Match": anas.headers["ETag"]})

    assert anas.headers["Cache-Control"] == "private, no-cache"
    assert "Cookie" in anas.headers["Vary"]
    assert 'value="Kim Ostrander"' in anas.text
    assert again.status_code == 304
    assert bens.status_code == 200 and 'value="Ben Okafor"' in bens.text
    assert anonymous.status_code == 200 and "Kim Ostrander" not in anonymous.text


def test_anonymous_pages_get_the_configured_public_lifetime(app, client, newsroom):
    app.config.update(PUBLIC_CACHE_SECONDS=300, SHARED_CACHE_SECONDS=20)

    front = client.get("/")
    story = client.get(story_path(newsroom.published[0]))

    lifetime = "public, max-age=300, s-maxage=20, stale-while-revalidate=30"
    assert front.headers["Cache-Control"] == story.headers["Cache-Control"] == lifetime
    assert "Set-Cookie" not in front.headers and "Set-Cookie" not in story.headers
    assert "Cookie" not in front.headers.get("Vary", "")


def test_without_a_configured_lifetime_pages_are_revalidated_every_time(app, client, newsroom):
    app.config.update(PUBLIC_CACHE_SECONDS=0, SHARED_CACHE_SECONDS=0)

    assert client.get("/").headers["Cache-Control"] == "no-cache"


def test_static_files_are_served_under_content_hashed_urls_cached_for_a_year(client, newsroom):
    html = client.get("/").get_data(as_text=True)
    stylesheet = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"', html).group(1)

    hashed = get_file(client, stylesheet)
    stale = get_file(client, "/static/css/site.css?v=000000000000")

    assert hashed.status_code == 200
    assert hashed.cache_control.max_age == 31536000
    assert hashed.cache_control.immutable and hashed.cache_control.public
    assert not stale.cache_control.immutable and stale.cache_control.max_age is None


ETAG_IN_A_NEW_PROCESS = """
import json, sys
from app import create_app
app = create_app(json.loads(sys.argv[1]))
print(app.test_client().get("/").headers["ETag"])
"""


def test_every_worker_process_agrees_on_a_page_validator(app_config, newsroom):
    # Each process has its own hash seed, so anything that depends on set order would differ
    # between the workers (or hosts) a reader's requests happen to reach.
    def etag_with_seed(seed: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", ETAG_IN_A_NEW_PROCESS, json.dumps(app_config)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=Path(__file__).resolve().parent.parent,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return result.stdout.strip()

    assert etag_with_seed("1") == etag_with_seed("2")
