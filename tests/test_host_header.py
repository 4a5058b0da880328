"""The Host header cannot steer the site: requests naming a host the site is not are refused,
and every absolute link (canonical, og:url, JSON-LD, feeds, sitemaps, robots.txt, feed ids)
is built from SITE_URL, so a page is the same, validator and all, whatever host it came by."""

from __future__ import annotations

import pytest

from broadsheet.clock import utcnow

from .conftest import HX
from .test_comments import post

SITE = "https://news.example.org"
ALIAS = "www.example.org"  # a second name the site answers to (ALLOWED_HOSTS)


@pytest.fixture
def story(make_article):
    return make_article("Ferry timetable changes", image_alt="")


@pytest.fixture
def site(app_config, make_app, story):
    app = make_app({**app_config, "SITE_URL": SITE, "ALLOWED_HOSTS": [ALIAS]})
    return app.test_client()


def pages(story) -> list[str]:
    return [
        "/",
        f"/{story.category.slug}/",
        f"/{story.category.slug}/{story.slug}",
        "/feeds/rss.xml",
        "/feeds/atom.xml",
        f"/feeds/{story.category.slug}/atom.xml",
        f"/feeds/comments/{story.id}.xml",
        "/robots.txt",
        "/sitemap.xml",
        "/sitemaps/news.xml",
    ]


@pytest.mark.parametrize("host", ["evil.example", "news.example.org.evil.example"])
def test_a_request_naming_an_unknown_host_is_refused(client, story, host):
    for path in ("/", f"/{story.category.slug}/{story.slug}", "/feeds/rss.xml", "/robots.txt"):
        response = client.get(path, headers={"Host": host})
        assert response.status_code == 400, path
        assert host not in response.get_data(as_text=True)
    assert post(client, story, headers={**HX, "Host": host}).status_code == 400


def test_every_absolute_link_comes_from_site_url_not_the_host(site, story):
    for path in pages(story):
        for base in (SITE, f"http://{ALIAS}"):
            response = site.get(path, base_url=base)
            html = response.get_data(as_text=True)
            assert response.status_code == 200, path
            assert ALIAS not in html and "localhost" not in html, path
            assert f"{SITE}/" in html, path
    story_page = site.get(f"/{story.category.slug}/{story.slug}", base_url=f"http://{ALIAS}")
    html = story_page.get_data(as_text=True)
    assert f'<link rel="canonical" href="{SITE}/{story.category.slug}/{story.slug}">' in html
    assert f'<meta property="og:url" content="{SITE}/{story.category.slug}/{story.slug}">' in html


def test_feed_ids_are_built_on_the_site_urls_host(site, story):
    atom = site.get("/feeds/atom.xml", base_url=f"http://{ALIAS}").get_data(as_text=True)
    assert "<id>tag:news.example.org," in atom


def test_a_page_and_its_validator_are_the_same_whatever_host_it_came_by(site, story, move_clock):
    """A cache keyed without the host cannot be handed a copy made for another one."""
    move_clock(utcnow())  # the masthead shows the time
    path = f"/{story.category.slug}/"
    by_site = site.get(path, base_url=SITE)
    by_alias = site.get(path, base_url=f"http://{ALIAS}")
    assert by_site.get_data() == by_alias.get_data()
    assert by_site.headers["ETag"] == by_alias.headers["ETag"]
    assert (
        site.get(
            path, base_url=SITE, headers={"If-None-Match": by_alias.headers["ETag"]}
        ).status_code
        == 304
    )


def test_in_production_only_the_site_urls_host_is_answered(app_config, make_app, story, caplog):
    app = make_app({**app_config, "ENV": "production", "SITE_URL": SITE})
    client = app.test_client()
    assert client.get("/", base_url=SITE).status_code == 200
    assert client.get("/", base_url="http://127.0.0.1").status_code == 400
    assert client.get("/", base_url="http://localhost").status_code == 400
    assert "Refused a request for host 'localhost'" in caplog.text


def test_more_host_names_may_be_one_comma_separated_setting(app_config, make_app, story):
    app = make_app(
        {**app_config, "SITE_URL": SITE, "ALLOWED_HOSTS": "www.example.org, example.org"}
    )
    client = app.test_client()
    for host in ("www.example.org", "example.org"):
        assert client.get("/", base_url=f"http://{host}").status_code == 200
    assert client.get("/", base_url="http://evil.example").status_code == 400
