"""`flask copy-data` moves an SQLite site into the suite's database (PostgreSQL under
`make test`'s second run), keeping ids so links to stories and comments still work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from broadsheet.clock import utcnow
from broadsheet.discussion import create
from broadsheet.stories import prepare, tags_named
from extensions import db
from models import Article, ArticleSlugAlias, Category, Comment

from .conftest import HX, base_config
from .test_comments import post


@pytest.fixture
def old_site(tmp_path, make_app) -> str:
    """A migrated SQLite site with stories, tags, an old slug, a comment and a reply."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = {**base_config(url, tmp_path), "COMMENT_MODERATION": "none"}
    with make_app(config).app_context():
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
        db.session.add(ArticleSlugAlias(slug="old-harbour-slug", article=story))
        first = _comment(story, "First!", None)
        _comment(story, "A reply.", first)
        db.session.commit()
    return url


def _comment(story: Article, body: str, parent: Comment | None) -> Comment:
    return create(
        story,
        name="Ana",
        email="ana@example.org",
        url="",
        body=body,
        parent=parent,
        address="192.0.2.1",
        user_agent="test",
        token=None,
    )


def copy(runner, old_site: str, app):
    target = app.config["SQLALCHEMY_DATABASE_URI"]
    return runner.invoke(args=["copy-data", "--from", old_site, "--to", target])


def test_copy_data_keeps_every_row_and_id(app, runner, client, old_site):
    result = copy(runner, old_site, app)
    assert result.exit_code == 0, result.output
    assert "articles: 2 rows" in result.output and "comments: 2 rows" in result.output
    assert db.session.scalars(select(Article.id).order_by(Article.id)).all() == [1, 3]
    reply = db.session.scalar(select(Comment).where(Comment.parent_id.is_not(None)))
    assert reply.body == "A reply." and reply.parent.body == "First!" and reply.root_id == 1
    story = db.session.get(Article, 3)
    assert [t.slug for t in story.tags] == ["harbour"] and story.comments_open is True
    assert client.get("/local/old-harbour-slug").status_code == 301
    html = client.get("/local/harbour-story-3").get_data(as_text=True)
    assert "First!" in html and "A reply." in html and "2 comments" in html


def test_copied_site_is_searchable(app, runner, client, old_site):
    copy(runner, old_site, app)
    html = client.get("/search?q=ferry").get_data(as_text=True)
    assert "Harbour story 1" in html and "Harbour story 3" in html


def test_new_rows_after_a_copy_get_fresh_ids(app, runner, client, old_site):
    copy(runner, old_site, app)
    app.config["COMMENT_MODERATION"] = "none"
    story = db.session.get(Article, 3)
    assert post(client, story, headers=HX, body="After the move").status_code == 200
    newest = db.session.scalar(select(Comment).order_by(Comment.id.desc()))
    assert newest.body == "After the move" and newest.id == 3
    db.session.add(Category(name="Arts", slug="arts"))
    db.session.commit()
    assert db.session.scalar(select(func.max(Category.id))) == 3


def test_copy_data_refuses_a_target_that_has_data(app, runner, old_site, make_article):
    make_article("Already here")
    result = copy(runner, old_site, app)
    assert result.exit_code != 0 and "not empty" in result.output
    assert db.session.scalar(select(func.count()).select_from(Article)) == 1


def test_copy_data_refuses_an_unmigrated_target(runner, old_site, tmp_path):
    empty = f"sqlite:///{tmp_path / 'blank.db'}"
    result = runner.invoke(args=["copy-data", "--from", old_site, "--to", empty])
    assert result.exit_code != 0 and "flask db upgrade" in result.output
