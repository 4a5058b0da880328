"""Managing many stories (issue 20, item 6): newsroom search over story text, bulk publish,
unpublish and move, the trash with its restore and its 30-day purge, on both databases."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from broadsheet.jobs import run_periodic_jobs
from broadsheet.publishing import trash
from extensions import db
from models import Article, Comment, Revision

from .conftest import sign_in_client


@pytest.fixture
def editor(login):
    return login("editor")


def listed(client, **query) -> str:
    return client.get("/newsroom/stories", query_string=query).get_data(as_text=True)


def test_search_finds_words_in_the_story_text_not_only_headlines(client, editor, make_article):
    make_article("Council meets", body="The dredger arrives on Tuesday with a new crew.")
    make_article("Ferry timetable", body="Later sailings from Monday.")
    draft = make_article("Harbour draft", status="draft", body="More on the dredger's cost.")
    html = listed(client, q="dredger")
    assert "Council meets" in html and "Harbour draft" in html
    assert "Ferry timetable" not in html
    assert "2 stories" in html
    # A prefix of the last word, and several words, as readers' search does.
    assert "Council meets" in listed(client, q="new cre")
    assert draft.headline not in listed(client, q="dredger tuesday")


@pytest.mark.parametrize("query", ['"', "dredger OR", "*", "NEAR(", "a' --", "%_\\"])
def test_search_operators_are_only_words(client, editor, make_article, query):
    make_article("Council meets", body="The dredger arrives.")
    assert client.get("/newsroom/stories", query_string={"q": query}).status_code == 200


def bulk(client, action: str, *stories, category_id: int = 0, **extra):
    return client.post(
        "/newsroom/stories/bulk",
        data={
            "action": action,
            "category_id": str(category_id),
            "ids": [str(s.id) for s in stories],
            **extra,
        },
    )


def test_bulk_publish_and_unpublish_reach_readers(client, editor, make_article):
    one = make_article("Draft one", status="draft")
    two = make_article("Draft two", status="draft")
    story_url = f"/{one.category.slug}/{one.slug}"
    assert client.get(story_url).status_code == 404

    response = bulk(client, "publish", one, two, next="/newsroom/stories?status=draft")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/newsroom/stories?status=draft")
    assert "2 stories published." in client.get("/newsroom/stories").get_data(as_text=True)
    assert client.get(story_url).status_code == 200
    assert {r.summary for r in db.session.scalars(select(Revision))} == {"published"}

    assert bulk(client, "unpublish", one).status_code == 303
    assert client.get(story_url).status_code == 404
    assert db.session.get(Article, two.id).status == "published"


def test_bulk_move_to_a_category(client, editor, make_article, make_category):
    story = make_article("Regatta results", make_category("Local", "local"))
    sport = make_category("Sport", "sport")
    assert bulk(client, "move", story).status_code == 303
    assert "Choose the category" in client.get("/newsroom/stories").get_data(as_text=True)
    assert db.session.get(Article, story.id).category_id != sport.id
    assert bulk(client, "move", story, category_id=sport.id).status_code == 303
    db.session.expire_all()
    assert db.session.get(Article, story.id).category_id == sport.id
    assert client.get(f"/sport/{story.slug}").status_code == 200


def test_bulk_needs_a_ticked_story_and_a_known_action(client, editor, make_article):
    story = make_article("Regatta results")
    assert bulk(client, "publish").status_code == 303
    assert "Tick at least one story" in client.get("/newsroom/stories").get_data(as_text=True)
    assert bulk(client, "explode", story).status_code == 400


def test_writers_cannot_act_on_many_stories(app, make_user, make_article):
    writer = make_user("writer")
    story = make_article("Regatta results", author_id=writer.id)
    client = app.test_client()
    sign_in_client(client, writer)
    assert 'name="ids"' not in listed(client)
    assert bulk(client, "trash", story).status_code == 403
    assert db.session.get(Article, story.id).deleted_at is None


def test_trash_takes_a_story_off_the_site_and_restore_brings_it_back_as_a_draft(
    client, editor, make_article
):
    story = make_article("Wrong story", body="Posted by mistake.")
    make_article("Right story")
    story_url = f"/{story.category.slug}/{story.slug}"
    assert bulk(client, "trash", story).status_code == 303

    assert client.get(story_url).status_code == 404
    assert "Wrong story" not in client.get("/").get_data(as_text=True)
    assert "Wrong story" not in listed(client)
    assert client.get(f"/newsroom/stories/{story.id}").status_code == 404
    trash = listed(client, status="trash")
    assert "Wrong story" in trash and "Right story" not in trash
    assert "deleted for good 30 days" in trash

    response = client.post(f"/newsroom/stories/{story.id}/untrash")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/newsroom/stories/{story.id}")
    db.session.expire_all()
    restored = db.session.get(Article, story.id)
    assert restored.deleted_at is None and restored.status == "draft"
    assert "Wrong story" in listed(client, status="draft")


def test_the_trash_is_emptied_after_thirty_days(client, editor, make_article, move_clock):
    old, kept = make_article("Old mistake"), make_article("Recent mistake")
    old_id, kept_id = old.id, kept.id
    db.session.add(
        Comment(article_id=old_id, author_name="R", author_email="r@example.org", body="Hm")
    )
    db.session.commit()
    assert bulk(client, "trash", old).status_code == 303
    start = datetime.now()

    move_clock(start + timedelta(days=29))
    trash(db.session.get(Article, kept_id))
    db.session.commit()
    run_periodic_jobs()
    assert db.session.get(Article, old_id) is not None

    move_clock(start + timedelta(days=30, hours=1))
    run_periodic_jobs()
    db.session.expire_all()
    assert db.session.get(Article, old_id) is None
    assert db.session.scalar(select(Comment).where(Comment.article_id == old_id)) is None
    assert db.session.get(Article, kept_id) is not None


def test_a_story_goes_to_the_trash_from_its_own_page(client, editor, make_article):
    story = make_article("Wrong story")
    page = client.get(f"/newsroom/stories/{story.id}").get_data(as_text=True)
    form = re.search(r'<form[^>]*action="/newsroom/stories/bulk">(.*?)</form>', page, re.S)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(1)))
    assert fields["action"] == "trash" and fields["ids"] == str(story.id)
    response = client.post("/newsroom/stories/bulk", data=fields)
    assert response.headers["Location"].endswith("/newsroom/stories")
    assert "1 story moved to the trash." in client.get("/newsroom/stories").get_data(as_text=True)
    assert db.session.get(Article, story.id).deleted_at is not None
