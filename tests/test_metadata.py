"""What search engines and social sites read from a page: JSON-LD, cards, titles, icons."""

from __future__ import annotations

import json

import pytest

from .support.publishing import build_newsroom, get_file, read_head, story_path


@pytest.fixture
def newsroom(make_category, make_article):
    return build_newsroom(make_category, make_article)


def head_of(client, path: str):
    response = client.get(path)
    assert response.status_code == 200
    return read_head(response.get_data(as_text=True))


def ld(head, kind: str) -> dict:
    (data,) = [d for d in head.json_ld if d["@type"] == kind]
    return data


def test_story_page_describes_itself_as_a_news_article(client, newsroom):
    mill = newsroom.published[0]
    url = f"http://localhost{story_path(mill)}"

    data = ld(head_of(client, story_path(mill)), "NewsArticle")

    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Mill reopens as makers' market"
    assert data["description"] == "The old mill has tenants again."
    assert data["image"] == {
        "@type": "ImageObject",
        "url": "http://localhost/media/demo/mill-1200.jpg",
        "width": 1200,
        "height": 675,
        "caption": "The mill's north wall, repainted.",
        "creditText": "Photo: Lena Park",
        "copyrightNotice": "Copyright 2026 Cascadia Wire.",
    }
    assert data["datePublished"] == mill.published_at.isoformat() + "Z"
    assert data["dateModified"].endswith("Z")
    assert data["author"] == {"@type": "Person", "name": "Ana Ruiz"}
    assert data["publisher"]["name"] == "Port Alder Ledger"
    assert data["publisher"]["logo"]["url"].startswith("http://localhost/static/img/logo.png?v=")
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["articleSection"] == "Local"
    assert data["dateline"] == "PORT ALDER"
    assert data["isBasedOn"]["url"] == "https://wire.example.org/mill"
    assert data["inLanguage"] == "en"


def test_publisher_logo_is_served(client, newsroom):
    data = ld(head_of(client, story_path(newsroom.published[0])), "NewsArticle")
    response = get_file(client, data["publisher"]["logo"]["url"].removeprefix("http://localhost"))
    assert response.status_code == 200
    assert response.mimetype == "image/png"


def test_plain_story_leaves_out_what_it_does_not_have(client, newsroom):
    ferry = newsroom.published[1]

    data = ld(head_of(client, story_path(ferry)), "NewsArticle")

    assert data["author"] == {"@type": "Organization", "name": "Port Alder Ledger"}
    assert "isBasedOn" not in data and "image" not in data and "dateline" not in data
    assert data["description"] == "Ferries run later."


def test_breadcrumbs_lead_from_front_page_through_section_to_story(client, newsroom):
    mill = newsroom.published[0]

    crumbs = ld(head_of(client, story_path(mill)), "BreadcrumbList")["itemListElement"]

    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Home", "http://localhost/"),
        (2, "Local", "http://localhost/local/"),
        (3, mill.headline, f"http://localhost{story_path(mill)}"),
    ]


def test_script_closing_tag_in_a_headline_cannot_break_out_of_json_ld(client, make_article):
    headline = "Ends </script><script>alert(1)</script> here"
    story = make_article(headline)

    html = client.get(story_path(story)).get_data(as_text=True)
    head = read_head(html)

    assert "<script>alert(1)" not in html
    assert ld(head, "NewsArticle")["headline"] == headline
    assert len(head.json_ld) == 2


def test_story_page_has_social_cards(client, newsroom):
    mill = newsroom.published[0]
    url = f"http://localhost{story_path(mill)}"

    head = head_of(client, story_path(mill))

    assert head.link_hrefs("canonical") == [url]
    assert head.meta["og:type"] == ["article"]
    assert head.first("og:title") == mill.headline
    assert head.first("og:description") == "The old mill has tenants again."
    assert head.first("og:url") == url
    assert head.first("og:site_name") == "Port Alder Ledger"
    assert head.first("og:image") == "http://localhost/media/demo/mill-1200.jpg"
    assert head.first("og:image:alt") == "The mill at dusk"
    assert head.first("article:published_time") == mill.published_at.isoformat() + "Z"
    assert head.first("article:section") == "Local"
    assert head.first("twitter:card") == "summary_large_image"
    assert head.first("twitter:title") == mill.headline


def test_story_without_image_gets_a_summary_card_with_the_logo(client, newsroom):
    head = head_of(client, story_path(newsroom.published[1]))
    assert head.first("twitter:card") == "summary"
    assert head.first("og:image").startswith("http://localhost/static/img/logo.png")


def test_listing_pages_are_canonical_per_page(app, client, newsroom):
    app.config["PAGE_SIZE"] = 2
    assert head_of(client, "/local/").link_hrefs("canonical") == ["http://localhost/local/"]
    assert head_of(client, "/local/?page=2").link_hrefs("canonical") == [
        "http://localhost/local/?page=2"
    ]
    assert head_of(client, "/").link_hrefs("canonical") == ["http://localhost/"]


def test_every_page_has_its_own_title_and_description(app, client, newsroom):
    app.config["PAGE_SIZE"] = 2
    paths = ["/", "/local/", "/local/?page=2", "/sports/", "/search", "/search?q=mill"]
    paths += [story_path(s) for s in newsroom.published]

    heads = [head_of(client, path) for path in paths]

    titles = [h.title for h in heads]
    descriptions = [h.first("description") for h in heads]
    assert all(titles) and all(descriptions)
    assert len(set(titles)) == len(paths)
    assert len(set(descriptions)) == len(paths)


def test_favicon_and_web_app_manifest(client):
    head = head_of(client, "/")
    assert get_file(client, "/favicon.ico").mimetype == "image/vnd.microsoft.icon"
    for href in head.link_hrefs("icon"):
        assert get_file(client, href).status_code == 200

    (manifest_url,) = head.link_hrefs("manifest")
    response = client.get(manifest_url)
    manifest = json.loads(response.data)

    assert response.mimetype == "application/manifest+json"
    assert manifest["name"] == "Port Alder Ledger"
    assert manifest["start_url"] == "/"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert get_file(client, icon["src"]).status_code == 200


def test_story_without_teaser_is_described_by_its_opening_cut_at_a_word(client, make_article):
    story = make_article("Long read", body="word " * 100)

    head = head_of(client, story_path(story))

    description = head.first("description")
    assert description.endswith("word…") and len(description) <= 201
    assert head.first("og:description") == description
    assert ld(head, "NewsArticle")["description"] == description
