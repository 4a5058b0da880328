"""Feeds, read the way a feed reader reads them: through feedparser."""

from __future__ import annotations

import calendar

import feedparser
import pytest

from extensions import db

from .support.publishing import add_comment, build_newsroom, read_head, story_path

SITE_FEEDS = ("/feeds/rss.xml", "/feeds/atom.xml")


@pytest.fixture
def newsroom(make_category, make_article):
    return build_newsroom(make_category, make_article)


def fetch(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_site_feed_lists_every_published_story_and_nothing_else(client, newsroom, url):
    feed = fetch(client, url)

    titles = [entry.title for entry in feed.entries]
    assert sorted(titles) == sorted(story.headline for story in newsroom.published)
    assert titles[0] == "Mill reopens as makers' market"  # newest first
    links = {entry.link for entry in feed.entries}
    assert links == {f"http://localhost{story_path(s)}" for s in newsroom.published}


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_feed_entry_carries_teaser_full_text_byline_image_section_and_comments(
    client, newsroom, url
):
    mill = newsroom.published[0]
    entry = fetch(client, url).entries[0]

    assert entry.summary == "The old mill has tenants again."
    assert "<em>reopened</em>" in entry.content[0].value
    assert entry.author == "Ana Ruiz"
    assert entry.media_content[0]["url"] == "http://localhost/media/demo/mill-1200.jpg"
    assert "Local" in {tag.get("label") or tag.term for tag in entry.tags}
    assert entry.id.startswith("tag:localhost,") and entry.id.endswith(f":article-{mill.id}")
    assert calendar.timegm(entry.published_parsed) == calendar.timegm(mill.published_at.timetuple())
    if url.endswith("rss.xml"):
        assert entry.comments == f"http://localhost{story_path(mill)}#comments"
    else:
        replies = [link for link in entry.links if link.rel == "replies"]
        assert replies[0].href == f"http://localhost{story_path(mill)}#comments"


def test_feed_without_full_content_carries_only_the_teaser(app, client, make_article):
    app.config["FEED_FULL_CONTENT"] = False
    make_article("Short story", teaser="Just the teaser.", body="The whole *body*.")

    entry = fetch(client, "/feeds/rss.xml").entries[0]

    assert entry.summary == "Just the teaser."
    assert "content" not in entry


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_section_feed_holds_only_that_section(client, newsroom, kind):
    feed = fetch(client, f"/feeds/sports/{kind}.xml")

    assert {entry.title for entry in feed.entries} == {
        "Harbour Hawks win the final",
        "Rowing club turns 100",
    }
    assert "Sports" in feed.feed.title


def test_unknown_section_feed_is_404(client, newsroom):
    assert client.get("/feeds/no-such-section/rss.xml").status_code == 404


def test_feed_ids_survive_a_new_slug_and_section(client, newsroom, make_category):
    story = newsroom.published[1]
    before = {e.title: e.id for e in fetch(client, "/feeds/atom.xml").entries}

    story.slug = "ferry-timetable-changes-again"
    story.category = make_category("Travel")
    db.session.commit()
    after = {e.title: e.id for e in fetch(client, "/feeds/atom.xml").entries}

    assert after == before


def test_feed_length_is_limited_to_the_newest(app, client, newsroom):
    app.config["FEED_LENGTH"] = 2
    feed = fetch(client, "/feeds/rss.xml")
    assert [e.title for e in feed.entries] == [
        "Mill reopens as makers' market",
        "Harbour Hawks win the final",
    ]


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_hostile_headline_comes_back_as_text(client, make_article, url):
    headline = "Tom & Jerry </title><script>alert(1)</script>"
    make_article(headline, teaser="<b>bold</b> & brave")

    entry = fetch(client, url).entries[0]

    assert entry.title == headline
    assert "<script>" not in client.get(url).get_data(as_text=True)


def test_every_page_announces_its_feeds_and_each_one_parses(client, newsroom):
    mill = newsroom.published[0]
    pages = {"/": 2, "/local/": 4, story_path(mill): 5}
    for path, expected in pages.items():
        head = read_head(client.get(path).get_data(as_text=True))
        feeds = [link for link in head.links if link.get("rel") == "alternate"]
        assert len(feeds) == expected, path
        for link in feeds:
            assert link["type"] in ("application/rss+xml", "application/atom+xml")
            assert link["title"]
            fetch(client, link["href"])


def test_comments_feed_lists_approved_comments_and_never_an_email(client, newsroom):
    story = newsroom.published[0]
    kim = add_comment(story, author_name="Kim", author_email="kim@example.org", body="Great news.")
    add_comment(story, "pending", body="Waiting for a moderator.")
    add_comment(story, "spam", body="Buy things.")
    add_comment(story, "deleted", body="Taken back.")

    response = client.get(f"/feeds/comments/{story.id}.xml")
    feed = fetch(client, f"/feeds/comments/{story.id}.xml")

    assert [entry.author for entry in feed.entries] == ["Kim"]
    assert feed.entries[0].summary == "Great news."
    assert feed.entries[0].link.endswith(f"/comments/c/{kim.id}")
    assert "kim@example.org" not in response.get_data(as_text=True)
    assert "reader@example.org" not in response.get_data(as_text=True)


def test_comment_markup_and_control_characters_stay_text(client, newsroom):
    story = newsroom.published[0]
    add_comment(story, author_name="<b>Eve</b>", body="<script>alert(1)</script>\x0b done")

    raw = client.get(f"/feeds/comments/{story.id}.xml").get_data(as_text=True)
    feed = fetch(client, f"/feeds/comments/{story.id}.xml")

    assert "<script>" not in raw and "&lt;script&gt;" in raw
    assert feed.entries[0].author == "<b>Eve</b>"


def test_comments_feed_of_an_unpublished_story_is_404(client, newsroom):
    assert client.get(f"/feeds/comments/{newsroom.draft.id}.xml").status_code == 404
    assert client.get(f"/feeds/comments/{newsroom.scheduled.id}.xml").status_code == 404


def test_feeds_link_the_site_url_whatever_host_and_scheme_the_request_used(app_config, make_app):
    app = make_app(
        {**app_config, "SITE_URL": "https://news.example.org", "ALLOWED_HOSTS": ["example.org"]}
    )
    client = app.test_client()

    feed = feedparser.parse(client.get("/feeds/atom.xml", base_url="http://example.org").data)

    assert feed.feed.link == "https://news.example.org/"
    assert feed.feed.id == "https://news.example.org/feeds/atom.xml"


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_full_text_carries_the_dateline_and_a_wire_story_its_attribution(client, make_article, url):
    make_article(
        "Port talks resume",
        dateline="SEOUL, South Korea",
        body="Negotiators met again on Monday.",
        copyright="Copyright 2026 Wire Service. All rights reserved.",
        source_name="Wire Service",
        source_url="https://wire.example.org/port-talks",
    )
    [entry] = fetch(client, url).entries
    html = entry.content[0].value
    assert html.index("SEOUL, South Korea —") < html.index("Negotiators met again")
    assert "Copyright 2026 Wire Service. All rights reserved." in html
    assert 'Source: <a href="https://wire.example.org/port-talks">Wire Service</a>' in html
