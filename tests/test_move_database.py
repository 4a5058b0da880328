"""Moving a site to another database (docs/deploy.md, "When it grows: PostgreSQL"): `flask
export` on the SQLite site, then `flask import broadsheet` into the freshly migrated one
(the suite's database: PostgreSQL under `make test`'s second run). Ids are kept, so links
to stories and comment permalinks still work, and new rows get fresh ids afterwards."""

from __future__ import annotations

import zipfile
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, insert, select

from broadsheet.clock import utcnow
from broadsheet.stories import prepare, tags_named
from extensions import db
from models import Article, ArticleSlugAlias, Category, Comment
from tests.support.imports import snapshot, write_jpeg

from .conftest import HX, base_config
from .test_comments import post


@pytest.fixture
def old_site(tmp_path, make_app):
    """A migrated SQLite site with stories, tags, an old slug, a picture, and a thread whose
    reply has a lower id than its parent (as after a Disqus import)."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = {**base_config(url, tmp_path), "COMMENT_MODERATION": "none"}
    old = make_app(config)
    with old.app_context():
        upgrade()
        local = Category(name="Local", slug="local")
        db.session.add(Category(name="Sport", slug="sport", nav_order=2))
        harbour = tags_named(["harbour"])
        # Ids with gaps, as a real site has after deletions.
        for n in range(1, 4):
            article = Article(
                headline=f"Harbour story {n}",
                category=local,
                status="published",
                body=f"The ferry runs again, part {n}.",
                published_at=utcnow() - timedelta(hours=1),
            )
            article.tags = list(harbour)
            db.session.add(prepare(article))
        db.session.flush()
        db.session.delete(db.session.get(Article, 2))
        story = db.session.get(Article, 3)
        story.image, story.image_alt = "harbour", "The harbour"
        db.session.add(ArticleSlugAlias(slug="old-harbour-slug", article=story))
        comment = {"article_id": 3, "author_email": "ana@example.org", "status": "approved"}
        db.session.execute(
            insert(Comment),
            [
                {**comment, "id": 10, "root_id": 10, "author_name": "Ana", "body": "First!"},
                {
                    **comment,
                    "id": 5,
                    "parent_id": 10,
                    "root_id": 10,
                    "depth": 1,
                    "author_name": "Bo",
                    "body": "A reply.",
                    "author_email": "bo@example.org",
                },
            ],
        )
        story.comment_count = 2
        db.session.commit()
    for width in old.config["IMAGE_WIDTHS"]:
        write_jpeg(tmp_path / "uploads" / f"harbour-{width}.jpg", (width, width // 2))
    return old


def move(old_site, runner, tmp_path):
    """The guide's two commands: export from the old database, import into the new one."""
    archive = tmp_path / "move.zip"
    with old_site.app_context():
        exported = old_site.test_cli_runner().invoke(args=["export", str(archive)])
    assert exported.exit_code == 0, exported.output
    return runner.invoke(args=["import", "broadsheet", str(archive)])


def test_the_moved_site_keeps_every_story_comment_and_id(app, runner, client, old_site, tmp_path):
    result = move(old_site, runner, tmp_path)
    assert result.exit_code == 0, result.output
    assert db.session.scalars(select(Article.id).order_by(Article.id)).all() == [1, 3]
    reply = db.session.get(Comment, 5)
    assert reply.parent.body == "First!" and reply.root_id == 10
    story = db.session.get(Article, 3)
    assert [t.slug for t in story.tags] == ["harbour"] and story.comments_open is True
    assert client.get("/local/old-harbour-slug").status_code == 301
    html = client.get("/local/harbour-story-3").get_data(as_text=True)
    assert "First!" in html and "A reply." in html and "2 comments" in html
    assert 'id="comment-10"' in html and 'id="comment-5"' in html
    picture = client.get("/media/harbour-800.jpg")
    assert picture.status_code == 200
    picture.close()
    assert "Harbour story 1" in client.get("/search?q=ferry").get_data(as_text=True)


def test_new_rows_after_the_move_get_fresh_ids(app, runner, client, old_site, tmp_path):
    move(old_site, runner, tmp_path)
    app.config["COMMENT_MODERATION"] = "none"
    story = db.session.get(Article, 3)
    assert post(client, story, headers=HX, body="After the move").status_code == 200
    newest = db.session.scalar(select(Comment).where(Comment.body == "After the move"))
    assert newest.id == 11
    db.session.add(Category(name="Arts", slug="arts"))
    db.session.commit()
    assert db.session.scalar(select(func.max(Category.id))) == 3


COMMENT_COLUMNS = '["id","article_id","author_name","author_email","body","status","depth"]'
USER_COLUMNS = '["id","email","name","password_hash","role"]'


@pytest.mark.parametrize(
    ("table", "columns", "rows"),
    [
        # A comment on a story the archive does not hold.
        (
            "comments",
            COMMENT_COLUMNS,
            '[7,99,"Ana","ana.secret@example.org","Orphan","approved",0]',
        ),
        # The same address twice (PostgreSQL quotes the duplicate key in its message).
        (
            "users",
            USER_COLUMNS,
            '[1,"ana.secret@example.org","A","x","admin"],\n'
            '[2,"ana.secret@example.org","B","x","admin"]',
        ),
    ],
)
def test_a_refused_row_is_reported_without_a_traceback_or_an_email(
    app, runner, tmp_path, table, columns, rows
):
    archive = tmp_path / "refused.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(
            "data.json",
            '{"format":"broadsheet-export","version":1,"tables":[\n'
            f'{{"name":"{table}","columns":{columns},"rows":[\n{rows}\n]}}\n]}}\n',
        )
    result = runner.invoke(args=["import", "broadsheet", str(archive)])
    assert result.exit_code == 1 and "Nothing was imported." in result.output
    assert "ana.secret@example.org" not in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert all(rows == [] for rows in snapshot().values())


def test_an_unmigrated_database_is_told_to_migrate_first(old_site, tmp_path, make_app):
    archive = tmp_path / "move.zip"
    with old_site.app_context():
        old_site.test_cli_runner().invoke(args=["export", str(archive)])
    blank = make_app(base_config(f"sqlite:///{tmp_path / 'blank.db'}", tmp_path))
    with blank.app_context():
        result = blank.test_cli_runner().invoke(args=["import", "broadsheet", str(archive)])
    assert result.exit_code == 1 and "flask db upgrade" in result.output
