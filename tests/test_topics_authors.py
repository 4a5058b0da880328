"""Topic and author pages: /topic/<slug>/ and /author/<slug>/ with pagination and feeds;
topic chips carry rel="tag", staff bylines rel="author" (wire bylines stay plain text),
and JSON-LD author.url points at the author page."""

from __future__ import annotations

import io
import json
import re

import pytest
from PIL import Image

from extensions import db
from models import AuthorPage


@pytest.fixture
def desk(make_category, make_article, make_user):
    local = make_category("Local")
    ana = make_user("writer", name="Ana Ruiz")
    stories = [
        make_article(f"Harbour story {n}", local, hours_ago=n, tags=("Harbour",), byline="Ana Ruiz")
        for n in range(1, 4)
    ]
    wire = make_article(
        "Wire: tides", local, hours_ago=5, tags=("Harbour", "Weather"), byline="Cascadia Wire"
    )
    draft = make_article("Draft on the harbour", local, tags=("Harbour",), status="draft")
    return {"local": local, "ana": ana, "stories": stories, "wire": wire, "draft": draft}


def headlines(html: str) -> list[str]:
    return re.findall(r'class="card-headline"><a [^>]*>([^<]+)</a>', html)


def test_topic_page_lists_its_published_stories_newest_first(client, desk):
    response = client.get("/topic/harbour/")
    assert response.status_code == 200
    assert headlines(response.text) == [
        "Harbour story 1",
        "Harbour story 2",
        "Harbour story 3",
        "Wire: tides",
    ]
    assert '<h1 dir="auto">Harbour</h1>' in response.text
    assert 'href="/feeds/topic/harbour/rss.xml"' in response.text


def test_topic_page_is_paginated(app, client, desk):
    app.config["PAGE_SIZE"] = 3
    first = client.get("/topic/harbour/")
    assert 'rel="next" href="/topic/harbour/?page=2"' in first.text
    assert headlines(client.get("/topic/harbour/?page=2").text) == ["Wire: tides"]
    assert client.get("/topic/harbour/?page=3").status_code == 404


def test_unknown_topic_is_404(client, desk):
    assert client.get("/topic/no-such-topic/").status_code == 404


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_topic_feed_holds_the_topics_stories(client, desk, kind):
    feed = client.get(f"/feeds/topic/weather/{kind}.xml")
    assert feed.status_code == 200
    assert "Wire: tides" in feed.text and "Harbour story 1" not in feed.text
    assert "Port Alder Ledger: Weather" in feed.text


def test_topic_chips_link_to_topic_pages_with_rel_tag(client, desk):
    html = client.get(f"/local/{desk['wire'].slug}").text
    assert '<a rel="tag" href="/topic/harbour/">Harbour</a>' in html
    assert '<a rel="tag" href="/topic/weather/">Weather</a>' in html
    assert "/search?q=Harbour" not in html


def jpeg() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (600, 600), (20, 90, 160)).save(data, "JPEG")
    data.seek(0)
    return data


def save_author_page(client, user, **fields):
    data = {"slug": "", "bio": "Covers the harbour and the ferries."} | fields
    return client.post(
        f"/newsroom/authors/{user.id}", data=data, content_type="multipart/form-data"
    )


def test_writer_makes_their_author_page_with_bio_and_photo(client, login, desk):
    login(user=desk["ana"])
    response = save_author_page(client, desk["ana"], photo_file=(jpeg(), "ana.jpg"))
    assert response.status_code == 303
    page = client.get("/author/ana-ruiz/")
    assert page.status_code == 200
    assert '<h1 dir="auto">Ana Ruiz</h1>' in page.text
    assert "Covers the harbour and the ferries." in page.text
    assert re.search(r'<img class="author-photo" src="/media/[^"]+-480\.jpg"', page.text)
    # Her stories, not the wire copy, not the draft.
    assert headlines(page.text) == ["Harbour story 1", "Harbour story 2", "Harbour story 3"]


def test_staff_bylines_link_to_the_author_page_and_wire_bylines_stay_text(client, login, desk):
    login(user=desk["ana"])
    save_author_page(client, desk["ana"])
    own = client.get(f"/local/{desk['stories'][0].slug}").text
    assert 'By <a rel="author" href="/author/ana-ruiz/"><bdi>Ana Ruiz</bdi></a>' in own
    wire = client.get(f"/local/{desk['wire'].slug}").text
    assert "By <bdi>Cascadia Wire</bdi>" in wire and 'rel="author"' not in wire
    front = client.get("/").text
    assert 'href="/author/ana-ruiz/"' in front


def test_json_ld_author_url_points_at_the_author_page(client, login, desk):
    login(user=desk["ana"])
    save_author_page(client, desk["ana"])
    html = client.get(f"/local/{desk['stories'][0].slug}").text
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    article = next(d for d in map(json.loads, blocks) if d["@type"] == "NewsArticle")
    assert article["author"] == {
        "@type": "Person",
        "name": "Ana Ruiz",
        "url": "http://localhost/author/ana-ruiz/",
    }


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_author_feed_holds_their_stories(client, login, desk, kind):
    login(user=desk["ana"])
    save_author_page(client, desk["ana"])
    feed = client.get(f"/feeds/author/ana-ruiz/{kind}.xml")
    assert feed.status_code == 200
    assert "Harbour story 3" in feed.text and "Wire: tides" not in feed.text


def test_a_writer_cannot_edit_someone_elses_author_page(client, login, desk, make_user):
    login("writer")
    assert save_author_page(client, desk["ana"]).status_code == 403


def test_an_editor_edits_anyones_author_page(client, login, desk):
    login("editor")
    assert "Ana Ruiz" in client.get("/newsroom/authors").text
    assert save_author_page(client, desk["ana"], slug="ana").status_code == 303
    assert client.get("/author/ana/").status_code == 200


def test_taken_address_and_long_bio_are_refused_and_text_kept(client, login, desk, make_user):
    other = make_user("writer", name="Ana R.")
    db.session.add(AuthorPage(user_id=other.id, slug="ana", bio=""))
    db.session.commit()
    login(user=desk["ana"])
    response = save_author_page(client, desk["ana"], slug="ana", bio="Long " * 300)
    assert response.status_code == 422
    assert "Another author page already uses this address." in response.text
    assert "Field cannot be longer than 1000 characters." in response.text
    assert ("Long " * 300).strip() in response.text


def test_hostile_bio_is_escaped(client, login, desk):
    login(user=desk["ana"])
    save_author_page(client, desk["ana"], bio="<script>alert(1)</script>")
    html = client.get("/author/ana-ruiz/").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_author_has_no_page(client, desk):
    # Not a page of ours: the old WordPress author address goes to the front page for now.
    response = client.get("/author/nobody/")
    assert response.status_code == 302 and response.headers["Location"] == "/"
