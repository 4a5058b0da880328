"""Full-text search over published stories: SQLite FTS5 or PostgreSQL tsvector, one API."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import func, literal_column, select, text
from sqlalchemy.dialects.postgresql import TSVECTOR

from clock import utcnow
from extensions import db
from models import Article
from pagination import Page

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
    total = db.session.execute(
        text(
            "SELECT count(*) FROM article_search s JOIN articles a ON a.id = s.rowid "
            "WHERE article_search MATCH :match "
            "AND a.status = 'published' AND a.published_at <= :now"
        ),
        params,
    ).scalar_one()
    rows = db.session.execute(
        text(
            "SELECT a.id, snippet(article_search, -1, :open, :close, ' … ', 24) "
            "FROM article_search s JOIN articles a ON a.id = s.rowid "
            "WHERE article_search MATCH :match "
            "AND a.status = 'published' AND a.published_at <= :now "
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


def _hits(rows) -> list[Hit]:
    ids = [row[0] for row in rows]
    articles = {a.id: a for a in db.session.scalars(select(Article).where(Article.id.in_(ids)))}
    return [Hit(articles[id_], highlight(snippet or "")) for id_, snippet in rows]
