"""Categories in the newsroom: create, rename with lasting redirects, reorder, delete if empty."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from broadsheet.stories import nav_categories
from extensions import db
from models import Category, CategorySlugAlias


@pytest.fixture(autouse=True)
def editor(login):
    return login("editor")


def test_create_category_goes_to_the_end_of_the_navigation(client, make_category):
    make_category("Local", nav_order=1)
    response = client.post("/newsroom/categories", data={"name": "Arts & Culture"})
    assert response.status_code == 303
    assert [c.slug for c in nav_categories()] == ["local", "arts-culture"]
    assert client.get("/arts-culture/").status_code == 200


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": ""}, "Every category needs a name."),
        ({"name": "Search"}, "is a page of the site itself"),
        ({"name": "News", "slug": "newsroom"}, "is a page of the site itself"),
        ({"name": "Local again", "slug": "local"}, "Another category already uses this address."),
        ({"name": "???"}, "Use letters and numbers in the slug."),
    ],
)
def test_bad_category_is_422_with_the_reason(client, make_category, data, message):
    make_category("Local")
    response = client.post("/newsroom/categories", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert len(nav_categories()) == 1


def test_rename_keeps_old_listing_and_story_addresses_as_301(client, make_category, make_article):
    local = make_category("Local")
    story = make_article("Ferry timetable changes", local)
    response = client.post(
        f"/newsroom/categories/{local.id}", data={"name": "Port Alder", "slug": "port-alder"}
    )
    assert response.status_code == 303
    db.session.refresh(local)
    assert (local.name, local.slug) == ("Port Alder", "port-alder")

    listing = client.get("/local/?page=1")
    assert listing.status_code == 301
    assert listing.headers["Location"] == "/port-alder/?page=1"
    article = client.get(f"/local/{story.slug}")
    assert article.status_code == 301
    assert article.headers["Location"] == f"/port-alder/{story.slug}"
    assert client.get("/port-alder/").status_code == 200
    form = client.get(f"/newsroom/categories/{local.id}").get_data(as_text=True)
    assert "Old addresses" in form and "<li>/local/</li>" in form


@pytest.mark.parametrize("feed", ["rss.xml", "atom.xml"])
def test_rename_keeps_the_old_section_feeds_as_301(client, make_category, make_article, feed):
    local = make_category("Local")
    make_article("Ferry timetable changes", local)
    data = {"name": "Port Alder", "slug": "port-alder"}
    assert client.post(f"/newsroom/categories/{local.id}", data=data).status_code == 303
    old = client.get(f"/feeds/local/{feed}")
    assert old.status_code == 301
    assert old.headers["Location"] == f"/feeds/port-alder/{feed}"
    assert "Ferry timetable changes" in client.get(old.headers["Location"]).get_data(as_text=True)
    assert client.get(f"/feeds/nowhere/{feed}").status_code == 404


def test_renaming_back_reclaims_the_old_slug(client, make_category):
    local = make_category("Local")
    client.post(f"/newsroom/categories/{local.id}", data={"name": "Port", "slug": "port"})
    client.post(f"/newsroom/categories/{local.id}", data={"name": "Local", "slug": "local"})
    db.session.refresh(local)
    assert local.slug == "local"
    assert db.session.scalars(select(CategorySlugAlias.slug)).all() == ["port"]
    assert client.get("/port/").status_code == 301


def test_another_categorys_old_slug_is_not_free(client, make_category):
    local = make_category("Local")
    sport = make_category("Sport")
    client.post(f"/newsroom/categories/{local.id}", data={"name": "Port", "slug": "port"})
    response = client.post(f"/newsroom/categories/{sport.id}", data={"name": "L", "slug": "local"})
    assert response.status_code == 422


def test_reorder_moves_one_place(client, make_category):
    a, b, c = (make_category(n, nav_order=i) for i, n in enumerate(["A", "B", "C"]))
    assert (
        client.post(f"/newsroom/categories/{c.id}/move", data={"direction": "up"}).status_code
        == 303
    )
    assert [x.name for x in nav_categories()] == ["A", "C", "B"]
    client.post(f"/newsroom/categories/{a.id}/move", data={"direction": "up"})  # already first
    client.post(f"/newsroom/categories/{a.id}/move", data={"direction": "down"})
    assert [x.name for x in nav_categories()] == ["C", "A", "B"]
    assert b.id
    html = client.get("/").get_data(as_text=True)
    assert html.index(">C</a>") < html.index(">A</a>") < html.index(">B</a>")


def test_delete_only_when_empty(client, make_category, make_article):
    local = make_category("Local")
    empty = make_category("Empty")
    make_article("Something", local)
    response = client.post(f"/newsroom/categories/{local.id}/delete")
    assert response.status_code == 409
    assert "“Local” still has 1 story. Move it to another category first." in (
        response.get_data(as_text=True)
    )
    assert client.post(f"/newsroom/categories/{empty.id}/delete").status_code == 303
    assert [c.name for c in db.session.scalars(select(Category))] == ["Local"]
