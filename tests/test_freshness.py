"""The site's generation: every change a reader could see moves it on, and nothing else does."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, text

from broadsheet import privacy
from broadsheet.clock import utcnow
from extensions import db
from models import SiteGeneration

from .support.publishing import add_comment, build_newsroom, story_path


@pytest.fixture
def newsroom(make_category, make_article):
    return build_newsroom(make_category, make_article)


def generation() -> int:
    db.session.expire_all()
    return db.session.scalar(select(SiteGeneration.generation))


def revalidate(client, path: str, response):
    return client.get(path, headers={"If-None-Match": response.headers["ETag"]})


def test_scheduled_story_appears_on_the_first_request_after_it_goes_live(
    client, newsroom, make_article, move_clock
):
    move_clock(datetime(2026, 12, 7, 9, 0, 0))
    make_article("Ferry strike called off", hours_ago=-2 / 60)
    first = client.get("/")
    assert "Ferry strike called off" not in first.text

    # Within the same ten minutes: nothing but the story's time has come.
    move_clock(datetime(2026, 12, 7, 9, 3, 0))
    again = revalidate(client, "/", first)

    assert again.status_code == 200
    assert "Ferry strike called off" in again.text
    assert revalidate(client, "/", again).status_code == 304


def test_blanking_old_ip_hashes_is_no_change_to_any_page(client, newsroom, move_clock):
    add_comment(newsroom.published[0], ip_hash="abc", user_agent="Firefox")
    before = generation()
    move_clock(utcnow() + timedelta(days=400))

    assert privacy.purge() == 1
    db.session.commit()

    assert generation() == before


def test_a_failed_sign_in_is_no_change_to_any_page(client, newsroom, make_user):
    user = make_user()
    before = generation()

    user.failed_sign_ins = 3
    db.session.commit()
    assert generation() == before

    user.name = "Ana Ruiz-Park"
    db.session.commit()
    assert generation() == before + 1


def test_importing_a_site_moves_the_generation_on(client, runner, newsroom, tmp_path):
    story = newsroom.published[0]
    archive = tmp_path / "site.zip"
    assert runner.invoke(args=["export", str(archive)]).exit_code == 0
    # Changed behind the application's back, so only the import can set it right again.
    db.session.execute(
        text("UPDATE articles SET headline = 'Garbled' WHERE id = :id"), {"id": story.id}
    )
    db.session.commit()
    page = client.get(story_path(story))

    result = runner.invoke(args=["import", "broadsheet", str(archive)])

    assert result.exit_code == 0, result.output
    again = revalidate(client, story_path(story), page)
    assert again.status_code == 200 and "Mill reopens" in again.text
