"""Full-text search over published stories: SQLite FTS5 or PostgreSQL tsvector, one API.

Languages. SQLite's FTS5 table holds Snowball stems of the site language's words
(stemming.py; FTS5's own porter stemmer is English-only), tokenized by unicode61 with
remove_diacritics 2, so "ferry" finds "ferries" and "camion" finds "camión".
PostgreSQL's text search configuration "broadsheet" folds accents with unaccent and then
stems with the Snowball dictionary of the site language (spanish_stem for es,
arabic_stem for ar, english_stem for en), or "simple" (no stemming) for a language
PostgreSQL has no stemmer for. `use_search_language` switches either.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from babel import Locale
from markupsafe import Markup, escape
from sqlalchemy import ColumnElement, func, literal_column, select, text
from sqlalchemy.dialects.postgresql import REGCONFIG, TSVECTOR

from broadsheet import stemming
from broadsheet.clock import utcnow
from broadsheet.pagination import Page
from broadsheet.stories import CARD
from extensions import db
from models import Article, Category

MAX_TERMS = 12
# The text search configuration migrations create: the site language's stemmer (PostgreSQL).
_CONFIG = literal_column("'broadsheet'::regconfig", type_=REGCONFIG)
# A snippet is cut from at most this many characters of a story's body. FTS5's snippet()
# and PostgreSQL's ts_headline() read all the text they are given (a story of megabytes
# took seconds per hit), so neither is given a whole body: a search costs the same
# however long the stories it finds.
SNIPPET_SOURCE = 5_000
SNIPPET_WORDS = 24
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


def has_unused_words(query: str) -> bool:
    """Whether the query has more words than a search uses (MAX_TERMS)."""
    return len(_TERM.findall(query.replace("_", " "))) > MAX_TERMS


def highlight(snippet: str) -> Markup:
    escaped = str(escape(snippet))
    return Markup(escaped.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))  # noqa: S704


def search(query: str, number: int, per_page: int, section: Category | None = None) -> Page[Hit]:
    """Published stories matching every word of `query` (the last also as a prefix),
    best first; only those of `section` when one is given."""
    words = terms(query)
    if not words:
        return Page([], number, per_page, 0)
    if db.engine.dialect.name == "postgresql":
        return _search_postgresql(words, number, per_page, section)
    return _search_sqlite(words, number, per_page, section)


def text_matches(query: str):
    """The SQL condition for stories whose headline, teaser or text has every word of the
    query (the last as a prefix), whatever their status: the newsroom's search. None for
    a query with no words."""
    words = terms(query)
    if not words:
        return None
    if db.engine.dialect.name == "postgresql":
        vector = literal_column("articles.search_vector", type_=TSVECTOR)
        return vector.op("@@")(_tsquery(words))
    stems = stemming.stem_words(_sqlite_index_language(), words)
    matching = text("SELECT rowid FROM article_search WHERE article_search MATCH :match")
    return Article.id.in_(matching.bindparams(match=_fts_match(stems)))


def _fts_match(words: list[str]) -> str:
    # Every word quoted as an FTS5 string, the last also as a prefix: no operators survive.
    return " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'


def _tsquery(words: list[str]) -> ColumnElement[Any]:
    # Words only (terms() dropped every operator); the last one also matches as a prefix.
    tsquery: ColumnElement[Any] = func.to_tsquery(_CONFIG, words[-1] + ":*")
    if len(words) > 1:
        tsquery = func.plainto_tsquery(_CONFIG, " ".join(words[:-1])).op("&&")(tsquery)
    return tsquery


def _search_sqlite(
    words: list[str], number: int, per_page: int, section: Category | None
) -> Page[Hit]:
    language = _sqlite_index_language()
    stems = stemming.stem_words(language, words)
    params = {
        "match": _fts_match(stems),
        "now": utcnow(),
        "limit": per_page,
        "offset": (number - 1) * per_page,
        "section": section.id if section else None,
    }
    # Stories a reader may not see (drafts, scheduled): few, and found on the listing index.
    # Filtering them out of the match keeps the count and the ranking inside the search
    # index; joining every match to its wide articles row cost O(matches) row reads.
    where = (
        "article_search MATCH :match "
        "AND rowid NOT IN (SELECT id FROM articles WHERE status < 'published' "
        "OR status > 'published' OR published_at IS NULL OR published_at > :now)"
    )
    if section is not None:
        where += " AND rowid IN (SELECT id FROM articles WHERE category_id = :section)"
    total = db.session.execute(
        text(f"SELECT count(*) FROM article_search WHERE {where}"),  # noqa: S608 - no input
        params,
    ).scalar_one()
    ids = db.session.scalars(
        text(
            f"SELECT rowid FROM article_search WHERE {where} "  # noqa: S608 - no input
            "ORDER BY bm25(article_search, 10.0, 4.0, 1.0) LIMIT :limit OFFSET :offset"
        ),
        params,
    ).all()
    articles = _cards(list(ids))
    hits = [
        Hit(
            articles[id_],
            highlight(snippet(words, articles[id_], _body_start_sqlite(id_), language)),
        )
        for id_ in ids
    ]
    return Page(hits, number, per_page, total)


def _sqlite_index_language() -> str:
    """The language the index's triggers stem in (use_search_language sets it): queries are
    stemmed the same way, whatever the site's language setting says meanwhile."""
    trigger = db.session.scalar(
        text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
        {"name": "article_search_insert"},
    )
    found = re.search(rf"{stemming.SQL_FUNCTION}\('([^']+)'", trigger or "")
    return found.group(1) if found else "en"


def _body_start_sqlite(article_id: int) -> str:
    """The first SNIPPET_SOURCE characters of a story's text, read as bytes from the row
    (SQLite's incremental blob I/O): substr() would load the whole value first."""
    connection = db.session.connection().connection.driver_connection
    assert connection is not None
    with connection.blobopen("articles", "body_text", article_id, readonly=True) as blob:
        # Four bytes at most per UTF-8 character; a character cut at the end is dropped.
        start = blob.read(4 * SNIPPET_SOURCE)
    return start.decode("utf-8", "ignore")[:SNIPPET_SOURCE]


@lru_cache(maxsize=8192)
def _fold(word: str, language: str | None = None) -> str:
    """A word as the search index compares it: stemmed in `language` (SQLite's index holds
    stems), then as FTS5's unicode61 tokenizer reads it: accents off, case folded."""
    if language is not None:
        [word] = stemming.stem_words(language, [word])
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@dataclass(frozen=True)
class _Window:
    """The stretch of a text with the most query words: its score and where it starts."""

    text: str
    tokens: list[re.Match]
    found: list[bool]
    score: int
    start: int


def _window(words: list[str], text: str, language: str | None) -> _Window:
    folded = [_fold(word, language) for word in words]
    exact, prefix = set(folded[:-1]), folded[-1]
    tokens = list(_TERM.finditer(text))
    # The last query word also matches as a prefix, as in the search itself.
    terms = []
    for token in tokens:
        word = _fold(token.group(), language)
        terms.append(word if word in exact else prefix if word.startswith(prefix) else None)
    score, start, wanted = 0, 0, len(set(folded))
    for index, term in enumerate(terms):
        if term is not None:
            first = max(0, index - 2)
            distinct = len({t for t in terms[first : first + SNIPPET_WORDS] if t is not None})
            if distinct > score:
                score, start = distinct, first
                if score == wanted:
                    break
    return _Window(text, tokens, [t is not None for t in terms], score, start)


def snippet(
    words: list[str], article: Article, body_start: str, language: str | None = None
) -> str:
    """About SNIPPET_WORDS words of the story around the query's words, which are put
    between the markers: from the start of the body, else the teaser. Never the headline,
    which the result shows just above. With a `language`, words match by their stems
    ("ferry" marks "ferries")."""
    windows = [_window(words, text, language) for text in (body_start, article.teaser)]
    best = max(windows, key=lambda w: (w.score, bool(w.tokens)))
    if not best.tokens:
        return ""
    end = min(len(best.tokens), best.start + SNIPPET_WORDS)
    parts = ["… "] if best.start else []
    position = best.tokens[best.start].start()
    for token, found in zip(
        best.tokens[best.start : end], best.found[best.start : end], strict=True
    ):
        parts.append(best.text[position : token.start()])
        parts.extend([_OPEN, token.group(), _CLOSE] if found else [token.group()])
        position = token.end()
    cut = best.text is body_start and len(body_start) >= SNIPPET_SOURCE
    if end < len(best.tokens) or cut:
        parts.append(" …")
    return "".join(parts)


def _search_postgresql(
    words: list[str], number: int, per_page: int, section: Category | None
) -> Page[Hit]:
    tsquery = _tsquery(words)
    vector = literal_column("articles.search_vector", type_=TSVECTOR)
    where = [Article.visible(), vector.op("@@")(tsquery)]
    if section is not None:
        where.append(Article.category_id == section.id)
    total = db.session.scalar(select(func.count()).select_from(Article).where(*where))
    options = f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords=40, MinWords=15, MaxFragments=2"
    body_start = func.left(Article.body_text, SNIPPET_SOURCE)
    document = Article.teaser + " " + body_start
    rows = db.session.execute(
        select(Article.id, func.ts_headline(_CONFIG, document, tsquery, options))
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
    english = Locale.parse(language.replace("-", "_")).get_language_name("en") or language
    name = english.split()[0].lower()
    found = db.session.scalar(
        text("SELECT dictname FROM pg_ts_dict WHERE dictname = :name"), {"name": f"{name}_stem"}
    )
    return found or "simple"


def use_search_language(language: str) -> str:
    """Make search stem words of `language` and re-index every story; the caller commits.
    Returns the stemmer chosen: PostgreSQL's dictionary, or SQLite's Snowball algorithm."""
    if db.engine.dialect.name == "sqlite":
        for statement in sqlite_index(language):
            db.session.execute(text(statement))
        return stemming.algorithm(language) or "none"
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


def _cards(ids: list[int]) -> dict[int, Article]:
    stmt = select(Article).options(*CARD).where(Article.id.in_(ids))
    return {a.id: a for a in db.session.scalars(stmt)}


def _hits(rows) -> list[Hit]:
    articles = _cards([row[0] for row in rows])
    return [Hit(articles[id_], highlight(snippet or "")) for id_, snippet in rows]


_COLUMNS = ("headline", "teaser", "body_text")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*")


def sqlite_index(language: str) -> list[str]:
    """SQL that (re)builds SQLite's search index of stems in `language`: a contentless FTS5
    table, the triggers that keep it, and every story indexed again."""
    if not _LANGUAGE.fullmatch(language):
        raise ValueError(f"not a language tag: {language!r}")
    columns = ", ".join(_COLUMNS)

    def stems(row: str) -> str:
        return ", ".join(f"{stemming.SQL_FUNCTION}('{language}', {row}.{c})" for c in _COLUMNS)

    # The language is checked above; the rest is ours: nothing here comes from a request.
    insert = f"INSERT INTO article_search(rowid, {columns}) VALUES (new.id, {stems('new')});"  # noqa: S608
    delete = (
        f"INSERT INTO article_search(article_search, rowid, {columns}) "  # noqa: S608
        f"VALUES ('delete', old.id, {stems('old')});"
    )
    return [
        *(f"DROP TRIGGER IF EXISTS article_search_{n}" for n in ("insert", "delete", "update")),
        "DROP TABLE IF EXISTS article_search",
        f"CREATE VIRTUAL TABLE article_search USING fts5({columns}, content='', "
        "tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN {insert} END",
        f"CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN {delete} END",
        f"CREATE TRIGGER article_search_update AFTER UPDATE OF {columns} ON articles "
        f"BEGIN {delete} {insert} END",
        f"INSERT INTO article_search(rowid, {columns}) "  # noqa: S608
        f"SELECT id, {stems('articles')} FROM articles",
    ]
