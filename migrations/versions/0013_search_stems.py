"""search stems: SQLite search matches word forms ("ferry" finds "ferries")

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 01:40:00

0001's FTS5 index held words as written. This revision makes it a contentless index of
Snowball stems in the site language: its triggers call broadsheet_stems(language, text),
which Broadsheet registers on every SQLite connection (broadsheet/stemming.py), and every
story is indexed again. Later changes of language: `flask search-language`. PostgreSQL
already stems (0006) and needs nothing.
"""
import re

from alembic import op
from flask import current_app, has_app_context
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

COLUMNS = ("headline", "teaser", "body_text")


def _language(bind) -> str:
    saved = bind.execute(
        sa.text("SELECT value FROM site_settings WHERE name = 'SITE_LANGUAGE'")
    ).scalar()
    configured = current_app.config.get("SITE_LANGUAGE", "en") if has_app_context() else "en"
    language = saved or configured
    return language if re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", language) else "en"


def _stems(row: str, language: str) -> str:
    return ", ".join(f"broadsheet_stems('{language}', {row}.{c})" for c in COLUMNS)


def _drop_index() -> None:
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS article_search_{name}")
    op.execute("DROP TABLE IF EXISTS article_search")


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    language = _language(bind)
    columns = ", ".join(COLUMNS)
    _drop_index()
    op.execute(
        f"CREATE VIRTUAL TABLE article_search USING fts5({columns}, content='', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    insert = f"INSERT INTO article_search(rowid, {columns}) VALUES (new.id, {_stems('new', language)});"
    delete = (
        f"INSERT INTO article_search(article_search, rowid, {columns}) "
        f"VALUES ('delete', old.id, {_stems('old', language)});"
    )
    op.execute(f"CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN {insert} END")
    op.execute(f"CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN {delete} END")
    op.execute(
        f"CREATE TRIGGER article_search_update AFTER UPDATE OF {columns} ON articles "
        f"BEGIN {delete} {insert} END"
    )
    op.execute(
        f"INSERT INTO article_search(rowid, {columns}) "
        f"SELECT id, {_stems('articles', language)} FROM articles"
    )


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop_index()
    op.execute(
        """CREATE VIRTUAL TABLE article_search USING fts5(
        headline, teaser, body_text,
        content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')"""
    )
    op.execute(
        """CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN
        INSERT INTO article_search(rowid, headline, teaser, body_text)
        VALUES (new.id, new.headline, new.teaser, new.body_text);
    END"""
    )
    op.execute(
        """CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN
        INSERT INTO article_search(article_search, rowid, headline, teaser, body_text)
        VALUES ('delete', old.id, old.headline, old.teaser, old.body_text);
    END"""
    )
    op.execute(
        """CREATE TRIGGER article_search_update AFTER UPDATE OF headline, teaser, body_text
    ON articles BEGIN
        INSERT INTO article_search(article_search, rowid, headline, teaser, body_text)
        VALUES ('delete', old.id, old.headline, old.teaser, old.body_text);
        INSERT INTO article_search(rowid, headline, teaser, body_text)
        VALUES (new.id, new.headline, new.teaser, new.body_text);
    END"""
    )
    op.execute("INSERT INTO article_search(article_search) VALUES ('rebuild')")
