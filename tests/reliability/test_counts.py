"""The story's comment count stays right when two posts commit at the same moment."""

from __future__ import annotations

import threading
import time

import pytest

pytestmark = pytest.mark.reliability


@pytest.mark.parametrize("site", ["postgresql"], indirect=True)
def test_two_posts_committing_together_are_both_counted(site, tmp_path):
    """PostgreSQL: the second writer waits for the first, then counts both comments.

    SQLite serialises writers, so the race is PostgreSQL's alone (READ COMMITTED).
    """
    from app import create_app
    from broadsheet.discussion import create
    from extensions import db
    from models import Article

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": site.url, "SECRET_KEY": "x", "UPLOAD_FOLDER": str(tmp_path)}
    )
    app.config["COMMENT_MODERATION"] = "none"

    def post(body: str) -> None:
        article = db.session.get(Article, site.story_id)
        create(
            article,
            name="Ana",
            email="ana@example.org",
            url="",
            body=body,
            parent=None,
            address="127.0.0.1",
            user_agent="",
            token=None,
        )

    def second_writer() -> None:
        with app.app_context():
            post("second")
            db.session.commit()
            db.session.remove()

    with app.app_context():
        post("first")  # inserted and counted, not yet committed: the story row is locked
        other = threading.Thread(target=second_writer)
        other.start()
        time.sleep(1)  # the second writer has inserted and now waits for the lock
        db.session.commit()
        other.join(timeout=30)
        assert not other.is_alive()
        db.session.remove()
        db.engine.dispose()

    count = site.query(f"SELECT comment_count FROM articles WHERE id = {site.story_id}")
    assert count == [(2,)]
