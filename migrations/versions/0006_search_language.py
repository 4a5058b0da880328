"""search language: PostgreSQL search stems words in the site language, not always English

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 04:25:00

0001 made the "broadsheet" text search configuration English (unaccent, english_stem) and
stemmed only words with non-ASCII letters through unaccent. This revision maps every word
token to unaccent plus the Snowball stemmer of SITE_LANGUAGE (spanish_stem for es,
arabic_stem for ar, "simple" where PostgreSQL has none) and re-indexes the stories.
Later changes of language: `flask search-language`. SQLite needs nothing: its FTS5
unicode61 tokenizer is language-neutral.
"""
from alembic import op
from babel import Locale
from flask import current_app, has_app_context
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

WORD_TOKENS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"


def _site_language() -> str:
    return current_app.config.get("SITE_LANGUAGE", "en") if has_app_context() else "en"


def _dictionary(bind, language: str) -> str:
    name = Locale.parse(language.replace("-", "_")).get_language_name("en").split()[0].lower()
    found = bind.execute(
        sa.text("SELECT dictname FROM pg_ts_dict WHERE dictname = :name"), {"name": f"{name}_stem"}
    ).scalar()
    return found or "simple"


def _map_words(dictionary: str) -> None:
    op.execute(
        f"ALTER TEXT SEARCH CONFIGURATION broadsheet "
        f"ALTER MAPPING FOR {WORD_TOKENS} WITH unaccent, {dictionary}"
    )
    # search_vector is a stored generated column: rewriting a row recomputes it.
    op.execute("UPDATE articles SET headline = headline")


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _map_words(_dictionary(bind, _site_language()))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TEXT SEARCH CONFIGURATION broadsheet "
            "ALTER MAPPING FOR asciiword, asciihword, hword_asciipart WITH english_stem"
        )
        op.execute(
            "ALTER TEXT SEARCH CONFIGURATION broadsheet "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
        )
        op.execute("UPDATE articles SET headline = headline")
