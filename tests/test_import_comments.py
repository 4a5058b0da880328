"""`flask import disqus` and `flask import isso`: comments found their stories by URL."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Article, Comment
from tests.support.imports import FIXTURES, isso_database, snapshot, thread_shape

DISQUS = FIXTURES / "disqus.xml"


@pytest.fixture
def site(runner):
    """The WordPress fixture imported: stories with old links to match threads against."""
    result = runner.invoke(args=["import", "wordpress", str(FIXTURES / "wordpress.xml")])
    assert result.exit_code == 0, result.output
    return {a.import_key: a for a in db.session.scalars(select(Article))}


def comments_from(source: str) -> dict[str, Comment]:
    return {
        c.import_key: c
        for c in db.session.scalars(select(Comment).where(Comment.import_source == source))
    }


# --- Disqus ------------------------------------------------------------------------------


@pytest.fixture
def disqus(site, runner):
    result = runner.invoke(args=["import", "disqus", str(DISQUS)])
    assert result.exit_code == 0, result.output
    return result


def test_disqus_threads_match_by_old_link_new_url_and_wordpress_id(site, disqus):
    found = comments_from("disqus")
    assert found["500"].article_id == site["101"].id  # old permalink
    assert found["506"].article_id == site["101"].id  # our own URL, with a query string
    assert found["505"].article_id == site["102"].id  # "102 https://…/?p=102" identifier
    assert "507" not in found
    assert "Threads: 3 matched a story, 1 matched nothing" in disqus.output
    assert "https://old.example.org/2020/01/01/a-story-we-never-had/" in disqus.output
    assert "its thread matched no story (507)" in disqus.output


def test_disqus_threads_statuses_and_text(disqus):
    found = comments_from("disqus")
    first, reply, deeper = found["500"], found["501"], found["502"]
    assert (first.parent_id, first.depth) == (None, 0)
    assert (reply.parent_id, reply.depth, reply.root_id) == (first.id, 1, first.id)
    assert (deeper.parent_id, deeper.depth, deeper.root_id) == (reply.id, 2, first.id)
    assert first.body == "First!\n\nSecond paragraph & an example (https://example.net/x)."
    assert deeper.body == "Escaped HTML, no CDATA: 5 < 6"
    assert deeper.author_name == "Xu 徐"
    assert reply.author_name == "Zoë" and reply.author_email == "zoe@example.com"
    assert first.created_at == datetime(2021, 7, 11, 10, 0)
    assert {k: found[k].status for k in ("503", "504", "506")} == {
        "503": "spam",
        "504": "deleted",
        "506": "pending",
    }
    orphan = found["505"]
    assert orphan.parent_id is None and orphan.root_id == orphan.id


def test_disqus_thread_reads_on_the_page(disqus, client):
    found = comments_from("disqus")
    html = client.get("/harbour/ferry-timetable").get_data(as_text=True)
    order, parent_of = thread_shape(html)
    first, reply, deeper = (f"comment-{found[k].id}" for k in ("500", "501", "502"))
    assert parent_of[reply] == first and parent_of[deeper] == reply
    assert order.index(first) < order.index(reply) < order.index(deeper)
    assert "spam spam" not in html and "deleted later" not in html


def test_disqus_import_twice_changes_nothing(disqus, runner):
    before = snapshot()
    again = runner.invoke(args=["import", "disqus", str(DISQUS)])
    assert again.exit_code == 0, again.output
    assert snapshot() == before
    assert "Nothing changed." in again.output


def test_malformed_disqus_export_imports_nothing(site, runner, tmp_path):
    broken = tmp_path / "disqus.xml"
    text = DISQUS.read_text(encoding="utf-8-sig")
    broken.write_text(text.replace('<post dsq:id="507">', '<post dsq:id="507"><<'), "utf-8")
    result = runner.invoke(args=["import", "disqus", str(broken)])
    assert result.exit_code == 1
    assert "is malformed at line" in result.output and "Nothing was imported." in result.output
    assert comments_from("disqus") == {}


# --- Isso --------------------------------------------------------------------------------


@pytest.fixture
def isso_db(tmp_path):
    return isso_database(tmp_path / "comments.db")


@pytest.fixture
def isso(site, runner, isso_db):
    result = runner.invoke(args=["import", "isso", str(isso_db)])
    assert result.exit_code == 0, result.output
    return result


def test_isso_threads_match_by_path_and_unmatched_ones_are_listed(site, isso):
    found = comments_from("isso")
    assert found["2"].article_id == site["101"].id  # the old permalink path
    assert found["7"].article_id == site["102"].id  # our own URL
    assert "8" not in found
    assert "Threads: 2 matched a story, 1 matched nothing" in isso.output
    assert "/2019/05/05/lost/" in isso.output


def test_isso_threads_modes_and_fields(isso):
    found = comments_from("isso")
    ingrid, hakon = found["2"], found["3"]
    assert (hakon.parent_id, hakon.depth, hakon.root_id) == (ingrid.id, 1, ingrid.id)
    assert ingrid.created_at == datetime(2021, 7, 11, 10, 0)
    assert ingrid.edited_at == datetime(2021, 7, 11, 10, 1, 40)
    assert ingrid.author_url == ""  # javascript: dropped
    assert hakon.author_url == "https://hakon.example/"
    assert hakon.author_name == "Håkon" and hakon.body == "A reply to *Ingrid*, stored before her."
    assert found["4"].status == "pending"
    assert found["5"].status == "deleted" and found["5"].author_name == "Anonymous"
    assert found["6"].parent_id == found["5"].id
    assert found["7"].parent_id is None  # its parent 77 is not in the database


def test_isso_deleted_parent_shows_as_a_placeholder_above_its_reply(isso, client):
    found = comments_from("isso")
    html = client.get("/harbour/ferry-timetable").get_data(as_text=True)
    _order, parent_of = thread_shape(html)
    assert parent_of[f"comment-{found['6'].id}"] == f"comment-{found['5'].id}"
    assert "This comment was deleted." in html
    assert "Waiting for a moderator." not in html


def test_isso_import_twice_changes_nothing(isso, runner, isso_db):
    before = snapshot()
    again = runner.invoke(args=["import", "isso", str(isso_db)])
    assert again.exit_code == 0, again.output
    assert snapshot() == before
    assert "Nothing changed." in again.output


def test_a_file_that_is_not_an_isso_database_imports_nothing(site, runner, tmp_path):
    bogus = tmp_path / "comments.db"
    bogus.write_bytes(b"this is not SQLite at all" * 100)
    result = runner.invoke(args=["import", "isso", str(bogus)])
    assert result.exit_code == 1
    assert "is not an Isso database" in result.output
    assert (
        db.session.scalar(
            select(func.count()).select_from(Comment).where(Comment.import_source == "isso")
        )
        == 0
    )
