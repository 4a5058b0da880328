"""Sitemaps and robots.txt, read as a crawler reads them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import pytest

from .support.publishing import build_newsroom, story_path

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture
def newsroom(make_category, make_article):
    return build_newsroom(make_category, make_article)


def xml(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    return ET.fromstring(response.data)


def locs(root: ET.Element) -> list[str]:
    return [loc.text or "" for loc in root.iterfind("sm:url/sm:loc", NS)]


def absolute(article) -> str:
    return f"http://localhost{story_path(article)}"


def test_sitemap_lists_front_sections_and_exactly_the_published_stories(client, newsroom):
    root = xml(client, "/sitemap.xml")

    assert root.tag == f"{{{NS['sm']}}}urlset"
    urls = locs(root)
    assert len(urls) == len(set(urls))
    stories = {u for u in urls if urlsplit(u).path.count("/") == 2 and not u.endswith("/")}
    assert stories == {absolute(s) for s in newsroom.published}
    assert {"http://localhost/", "http://localhost/local/", "http://localhost/sports/"} <= set(urls)


def test_every_sitemap_url_has_a_w3c_lastmod(client, newsroom):
    root = xml(client, "/sitemap.xml")
    lastmods = {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.iterfind("sm:url", NS)
    }
    mill = newsroom.published[0]
    assert lastmods[absolute(mill)] == mill.updated_at.isoformat() + "Z"
    assert all(value and value.endswith("Z") for value in lastmods.values())


def test_large_site_gets_a_sitemap_index_of_pages(app, client, newsroom):
    app.config["SITEMAP_MAX_URLS"] = 3

    root = xml(client, "/sitemap.xml")

    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    pages = [loc.text or "" for loc in root.iterfind("sm:sitemap/sm:loc", NS)]
    assert len(pages) == 3  # front + 2 sections + 5 stories = 8 URLs, 3 per page
    urls = []
    for page in pages:
        page_urls = locs(xml(client, urlsplit(page).path))
        assert 1 <= len(page_urls) <= 3
        urls += page_urls
    assert len(urls) == len(set(urls)) == 8
    assert {absolute(s) for s in newsroom.published} <= set(urls)


def test_sitemap_page_past_the_end_is_404(client, newsroom):
    assert client.get("/sitemaps/2.xml").status_code == 404
    assert client.get("/sitemaps/0.xml").status_code == 404


def test_news_sitemap_holds_the_last_two_days_with_publication_details(client, newsroom):
    root = xml(client, "/sitemaps/news.xml")

    entries = {url.findtext("sm:loc", namespaces=NS): url for url in root.iterfind("sm:url", NS)}
    recent = [s for s in newsroom.published if s.headline != "Rowing club turns 100"]
    assert set(entries) == {absolute(s) for s in recent}
    mill = entries[absolute(newsroom.published[0])]
    assert mill.findtext("news:news/news:publication/news:name", namespaces=NS) == (
        "Port Alder Ledger"
    )
    assert mill.findtext("news:news/news:publication/news:language", namespaces=NS) == "en"
    assert mill.findtext("news:news/news:title", namespaces=NS) == "Mill reopens as makers' market"
    published = mill.findtext("news:news/news:publication_date", namespaces=NS)
    assert published == newsroom.published[0].published_at.isoformat() + "Z"


def test_news_sitemap_is_capped(app, client, newsroom):
    app.config["NEWS_SITEMAP_MAX_URLS"] = 2
    assert len(locs(xml(client, "/sitemaps/news.xml"))) == 2


def test_robots_txt_points_to_the_sitemaps_and_keeps_crawlers_out_of_search(client):
    response = client.get("/robots.txt")
    robots = RobotFileParser()
    robots.parse(response.get_data(as_text=True).splitlines())

    assert response.mimetype == "text/plain"
    assert robots.site_maps() == [
        "http://localhost/sitemap.xml",
        "http://localhost/sitemaps/news.xml",
    ]
    assert not robots.can_fetch("*", "http://localhost/search?q=ferry")
    assert not robots.can_fetch("*", "http://localhost/newsroom/stories")
    assert robots.can_fetch("*", "http://localhost/local/a-story")


def test_crawler_following_robots_and_sitemaps_finds_every_published_story(app, client, newsroom):
    app.config["SITEMAP_MAX_URLS"] = 4  # so the crawler also walks a sitemap index
    robots = RobotFileParser()
    robots.parse(client.get("/robots.txt").get_data(as_text=True).splitlines())

    found: set[str] = set()
    queue = list(robots.site_maps() or [])
    while queue:
        root = xml(client, urlsplit(queue.pop()).path)
        queue += [loc.text or "" for loc in root.iterfind("sm:sitemap/sm:loc", NS)]
        found.update(locs(root))

    for url in found:
        assert robots.can_fetch("*", url), url
        assert client.get(urlsplit(url).path).status_code == 200, url
    assert {absolute(s) for s in newsroom.published} <= found
    assert absolute(newsroom.draft) not in found
    assert absolute(newsroom.scheduled) not in found
