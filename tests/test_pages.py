"""Every reader page renders, in the site's look, with what a reader expects to see."""

from __future__ import annotations

from pathlib import Path

import pytest

from extensions import db
from models import Category

from .conftest import HX


def test_front_page_shows_lead_and_sections(client, make_category, make_article):
    local = make_category("Local")
    sport = make_category("Sports")
    make_article("Older local story", local, hours_ago=5)
    make_article("Ferry timetable changes", local, hours_ago=1)
    make_article("Harbour Hawks win the final", sport, hours_ago=2)

    page = client.get("/").get_data(as_text=True)

    assert page.index("Ferry timetable changes") < page.index("Harbour Hawks win the final")
    assert 'class="lead-story"' in page
    assert "Older local story" in page
    assert page.count("Ferry timetable changes") == 1  # the lead is not repeated below
    assert 'href="/sports/"' in page


def test_empty_site_front_page_says_so(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No stories have been published yet." in response.get_data(as_text=True)


def test_article_page_has_the_whole_anatomy(client, make_category, make_article):
    business = make_category("Business", description="Money and work.")
    make_article(
        "Mill reopens as makers' market",
        business,
        byline="Ana Ruiz",
        teaser="The old mill has tenants again.",
        dateline="PORT ALDER",
        body="First paragraph.\n\n## A subhead\n\n> “A quote,” she said.\n",
        image="demo/mill",
        image_alt="The mill at dusk",
        image_caption="The mill's north wall, repainted this spring.",
        image_credit="Photo: Lena Park",
        source_name="Cascadia Wire",
        source_url="https://wire.example.org/mill",
        copyright="Copyright 2026 Cascadia Wire.",
    )

    response = client.get("/business/mill-reopens-as-makers-market")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert '<a class="category-label" href="/business/">Business</a>' in page
    assert '<h1 id="story-headline" dir="auto">Mill reopens as makers&#39; market</h1>' in page
    assert "By <bdi>Ana Ruiz</bdi>" in page
    assert '<time datetime="' in page
    assert 'alt="The mill at dusk"' in page
    assert "The mill&#39;s north wall, repainted this spring." in page
    assert "Photo: Lena Park" in page
    assert "PORT ALDER —" in page
    assert "<h2>A subhead</h2>" in page
    assert "<blockquote>" in page
    assert "Copyright 2026 Cascadia Wire." in page
    assert 'href="https://wire.example.org/mill"' in page
    assert 'href="#comments"' in page and 'id="comments"' in page
    assert "Hi, what are you looking for?" in page
    assert "Vary" in response.headers and "HX-Request" in response.headers["Vary"]


def test_article_time_has_no_microseconds(client, make_article):
    make_article("Precise time")
    page = client.get("/local/precise-time").get_data(as_text=True)
    stamp = page.split('<time datetime="')[1].split('"')[0]
    assert stamp.endswith("Z") and "." not in stamp


@pytest.mark.parametrize(
    "path",
    [
        "/nope/",
        "/local/no-such-story",
        "/search?page=zero",
        "/local/?page=0",
        "/local/?page=abc",
        "/local/?page=99",
    ],
)
def test_unknown_things_are_404_in_site_look(client, make_article, path):
    make_article("Only story")
    response = client.get(path)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page
    assert "Go to the front page" in page
    assert "Traceback" not in page


def test_draft_and_future_stories_are_invisible_everywhere(client, make_article):
    make_article("Visible ferry story")
    make_article("Secret draft ferry story", status="draft")
    make_article("Scheduled ferry story", hours_ago=-3)

    for path in ("/", "/local/", "/search?q=ferry", "/local/visible-ferry-story"):
        page = client.get(path).get_data(as_text=True)
        assert "Secret draft" not in page, path
        assert "Scheduled ferry" not in page, path
    assert client.get("/local/secret-draft-ferry-story").status_code == 404
    assert client.get("/local/scheduled-ferry-story").status_code == 404


def test_scheduled_story_appears_when_its_time_comes(client, make_article, time_machine):
    from datetime import UTC, timedelta

    from broadsheet import clock

    make_article("Tomorrow's news", hours_ago=-24)
    assert client.get("/local/tomorrows-news").status_code == 404
    time_machine.move_to(clock.utcnow().replace(tzinfo=UTC) + timedelta(hours=25))
    assert client.get("/local/tomorrows-news").status_code == 200


def test_story_moved_to_another_category_answers_301(client, make_category, make_article):
    story = make_article("Bridge repair begins", make_category("Local"))
    story.category = make_category("Business")
    db.session.commit()

    response = client.get("/local/bridge-repair-begins")

    assert response.status_code == 301
    assert response.headers["Location"].endswith("/business/bridge-repair-begins")


def test_old_slug_answers_301(client, make_article):
    from models import ArticleSlugAlias

    story = make_article("Old headline")
    db.session.add(ArticleSlugAlias(slug="old-headline", article_id=story.id))
    story.slug = "new-headline"
    db.session.commit()

    response = client.get("/local/old-headline")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/local/new-headline")


@pytest.mark.parametrize("slug", ["search", "static", "newsroom", "feeds", "media"])
def test_category_slugs_that_shadow_site_paths_are_refused(app, slug):
    with pytest.raises(ValueError, match="reserved"):
        Category(name=slug.title(), slug=slug)


def test_pages_set_vary_for_fragment_requests(client, make_article):
    make_article()
    response = client.get("/", headers=HX)
    assert "HX-Request" in response.headers["Vary"]


def test_long_headline_slug_is_unique_and_bounded(make_article):
    first = make_article("A very long headline " * 10)
    second = make_article("A very long headline " * 10)
    assert len(first.slug) <= 80 and len(second.slug) <= 80
    assert first.slug != second.slug
    assert second.slug.endswith("-2")


def test_server_error_shows_site_page_without_traceback(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom-test")
    def boom():
        raise RuntimeError("secret internals")

    response = client.get("/boom-test")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page and "secret internals" not in page
    assert "Traceback" not in page


def test_demo_command_loads_once(runner, app):
    from sqlalchemy import func, select

    from models import Article, Category

    result = runner.invoke(args=["demo", "--if-empty"])
    assert "Loaded 42 demo stories." in result.output
    assert db.session.scalar(select(func.count()).select_from(Category)) == 6
    again = runner.invoke(args=["demo", "--if-empty"])
    assert "already has stories" in again.output
    assert db.session.scalar(select(func.count()).select_from(Article)) == 42
    images = list(Path(app.config["UPLOAD_FOLDER"], "demo").glob("*-800.jpg"))
    assert len(images) >= 40


@pytest.mark.parametrize("path", ["/nope%00/", "/2021/07/11/x%00/", "/local/x%00"])
def test_control_characters_in_paths_are_404_not_500(client, make_article, path):
    make_article("Only story")
    assert client.get(path).status_code == 404


def test_json_body_to_a_form_is_a_400_page(client, make_article):
    story = make_article("Only story")
    response = client.post(f"/comments/{story.id}", data=b"0", content_type="application/json")
    assert response.status_code == 400 and "Bad request" in response.get_data(as_text=True)
