"""Full-text search over published stories: SQLite FTS5 or PostgreSQL tsvector, one API.

Languages. SQLite's FTS5 table uses the unicode61 tokenizer with remove_diacritics 2: it
splits words by Unicode rules and folds accents, so "camion" finds "camión" in any
language, and it never stems (FTS5's porter stemmer is English-only, so it is not used).
PostgreSQL's text search configuration "broadsheet" folds accents with unaccent and then
stems with the Snowball dictionary of the site language (spanish_stem for es,
arabic_stem for ar, english_stem for en), or "simple" (no stemming) for a language
PostgreSQL has no stemmer for; `use_search_language` switches it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel import Locale
from markupsafe import Markup, escape
from sqlalchemy import func, literal_column, select, text
from sqlalchemy.dialects.postgresql import TSVECTOR

from broadsheet.clock import utcnow
from broadsheet.pagination import Page
from broadsheet.stories import CARD
from extensions import db
from models import Article

MAX_TERMS = 12
# Snippet markers that cannot occur in stored text: the snippet is escaped first, then
# the markers become <mark> tags, so nothing in a story or a query can inject markup.
_OPEN, _CLOSE = "\x02", "\x03"
_TERM = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    article: Article
    snippet: Markup


def terms(query: str) -> list[str]:
    """The words of a reader's query, with every operator character dropped."""
    return _TERM.findall(query.replace("_", " "))[:MAX_TERMS]


def highlight(snippet: str) -> Markup:
    escaped = str(escape(snippet))
    return Markup(escaped.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))  # noqa: S704


def search(query: str, number: int, per_page: int) -> Page[Hit]:
    words = terms(query)
    if not words:
        return Page([], number, per_page, 0)
    if db.engine.dialect.name == "postgresql":
        return _search_postgresql(words, number, per_page)
    return _search_sqlite(words, number, per_page)


def _search_sqlite(words: list[str], number: int, per_page: int) -> Page[Hit]:
    # Every word quoted as an FTS5 string, the last also as a prefix: no operators survive.
    match = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
    params = {
        "match": match,
        "now": utcnow(),
        "limit": per_page,
        "offset": (number - 1) * per_page,
        "open": _OPEN,
        "close": _CLOSE,
    }
    # Stories a reader may not see (drafts, scheduled): few, and found on the listing index.
    # Filtering them out of the match keeps the count and the ranking inside the search
    # index; joining every match to its wide articles row cost O(matches) row reads.
    total = db.session.execute(
        text(
            "SELECT count(*) FROM article_search WHERE article_search MATCH :match "
            "AND rowid NOT IN (SELECT id FROM articles WHERE status < 'published' "
            "OR status > 'published' OR published_at IS NULL OR published_at > :now)"
        ),
        params,
    ).scalar_one()
    rows = db.session.execute(
        text(
            "SELECT rowid, snippet(article_search, -1, :open, :close, ' … ', 24) "
            "FROM article_search WHERE article_search MATCH :match "
            "AND rowid NOT IN (SELECT id FROM articles WHERE status < 'published' "
            "OR status > 'published' OR published_at IS NULL OR published_at > :now) "
            "ORDER BY bm25(article_search, 10.0, 4.0, 1.0) LIMIT :limit OFFSET :offset"
        ),
        params,
    ).all()
    return Page(_hits(rows), number, per_page, total)


def _search_postgresql(words: list[str], number: int, per_page: int) -> Page[Hit]:
    config = literal_column("'broadsheet'::regconfig")
    # Words only (terms() dropped every operator); the last one also matches as a prefix.
    tsquery = func.to_tsquery(config, words[-1] + ":*")
    if len(words) > 1:
        tsquery = func.plainto_tsquery(config, " ".join(words[:-1])).op("&&")(tsquery)
    vector = literal_column("articles.search_vector", type_=TSVECTOR)
    where = (Article.visible(), vector.op("@@")(tsquery))
    total = db.session.scalar(select(func.count()).select_from(Article).where(*where))
    options = f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords=40, MinWords=15, MaxFragments=2"
    document = Article.headline + " " + Article.teaser + " " + Article.body_text
    rows = db.session.execute(
        select(Article.id, func.ts_headline(config, document, tsquery, options))
        .where(*where)
        .order_by(func.ts_rank_cd(vector, tsquery).desc(), Article.published_at.desc())
        .limit(per_page)
        .offset((number - 1) * per_page)
    ).all()
    return Page(_hits(rows), number, per_page, total or 0)


# Every token type that carries a word (the others are numbers, URLs, e-mail addresses...).
WORD_TOKENS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"


def postgresql_dictionary(language: str) -> str:
    """PostgreSQL's Snowball stemmer for a site language ("es" -> "spanish_stem"), else "simple"."""
    name = Locale.parse(language.replace("-", "_")).get_language_name("en").split()[0].lower()
    found = db.session.scalar(
        text("SELECT dictname FROM pg_ts_dict WHERE dictname = :name"), {"name": f"{name}_stem"}
    )
    return found or "simple"


def use_search_language(language: str) -> str | None:
    """Make PostgreSQL search stem words of `language` and re-index every story; the caller
    commits. Returns the dictionary chosen, or None on SQLite (FTS5 is language-neutral)."""
    if db.engine.dialect.name != "postgresql":
        return None
    dictionary = postgresql_dictionary(language)
    db.session.execute(
        text(
            f"ALTER TEXT SEARCH CONFIGURATION broadsheet "  # noqa: S608 - names from pg_ts_dict
            f"ALTER MAPPING FOR {WORD_TOKENS} WITH unaccent, {dictionary}"
        )
    )
    # search_vector is a stored generated column: rewriting a row recomputes it.
    db.session.execute(text("UPDATE articles SET headline = headline"))
    return dictionary


def _hits(rows) -> list[Hit]:
    ids = [row[0] for row in rows]
    stmt = select(Article).options(*CARD).where(Article.id.in_(ids))
    articles = {a.id: a for a in db.session.scalars(stmt)}
    return [Hit(articles[id_], highlight(snippet or "")) for id_, snippet in rows]
