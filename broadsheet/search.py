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
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

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
    matching = text("SELECT rowid FROM article_search WHERE article_search MATCH :match")
    return Article.id.in_(matching.bindparams(match=_fts_match(words)))


def _fts_match(words: list[str]) -> str:
    # Every word quoted as an FTS5 string, the last also as a prefix: no operators survive.
    return " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'


def _tsquery(words: list[str]):
    config = literal_column("'broadsheet'::regconfig")
    # Words only (terms() dropped every operator); the last one also matches as a prefix.
    tsquery = func.to_tsquery(config, words[-1] + ":*")
    if len(words) > 1:
        tsquery = func.plainto_tsquery(config, " ".join(words[:-1])).op("&&")(tsquery)
    return tsquery


def _search_sqlite(words: list[str], number: int, per_page: int) -> Page[Hit]:
    params = {
        "match": _fts_match(words),
        "now": utcnow(),
        "limit": per_page,
        "offset": (number - 1) * per_page,
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
    ids = db.session.scalars(
        text(
            "SELECT rowid FROM article_search WHERE article_search MATCH :match "
            "AND rowid NOT IN (SELECT id FROM articles WHERE status < 'published' "
            "OR status > 'published' OR published_at IS NULL OR published_at > :now) "
            "ORDER BY bm25(article_search, 10.0, 4.0, 1.0) LIMIT :limit OFFSET :offset"
        ),
        params,
    ).all()
    articles = _cards(ids)
    hits = [
        Hit(articles[id_], highlight(snippet(words, articles[id_], _body_start_sqlite(id_))))
        for id_ in ids
    ]
    return Page(hits, number, per_page, total)


def _body_start_sqlite(article_id: int) -> str:
    """The first SNIPPET_SOURCE characters of a story's text, read as bytes from the row
    (SQLite's incremental blob I/O): substr() would load the whole value first."""
    connection = db.session.connection().connection.driver_connection
    with connection.blobopen("articles", "body_text", article_id, readonly=True) as blob:
        # Four bytes at most per UTF-8 character; a character cut at the end is dropped.
        start = blob.read(4 * SNIPPET_SOURCE)
    return start.decode("utf-8", "ignore")[:SNIPPET_SOURCE]


@lru_cache(maxsize=8192)
def _fold(word: str) -> str:
    """A word as FTS5's unicode61 tokenizer compares it: accents off, case folded."""
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


def _window(words: list[str], text: str) -> _Window:
    folded = [_fold(word) for word in words]
    exact, prefix = set(folded[:-1]), folded[-1]
    tokens = list(_TERM.finditer(text))
    # The last query word also matches as a prefix, as in the search itself.
    terms = []
    for token in tokens:
        word = _fold(token.group())
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


def snippet(words: list[str], article: Article, body_start: str) -> str:
    """About SNIPPET_WORDS words of the story around the query's words, which are put
    between the markers: from the start of the body, else the teaser, else the headline."""
    windows = [_window(words, text) for text in (body_start, article.teaser, article.headline)]
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


def _search_postgresql(words: list[str], number: int, per_page: int) -> Page[Hit]:
    config = literal_column("'broadsheet'::regconfig")
    tsquery = _tsquery(words)
    vector = literal_column("articles.search_vector", type_=TSVECTOR)
    where = (Article.visible(), vector.op("@@")(tsquery))
    total = db.session.scalar(select(func.count()).select_from(Article).where(*where))
    options = f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords=40, MinWords=15, MaxFragments=2"
    body_start = func.left(Article.body_text, SNIPPET_SOURCE)
    document = Article.headline + " " + Article.teaser + " " + body_start
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


def _cards(ids: list[int]) -> dict[int, Article]:
    stmt = select(Article).options(*CARD).where(Article.id.in_(ids))
    return {a.id: a for a in db.session.scalars(stmt)}


def _hits(rows) -> list[Hit]:
    articles = _cards([row[0] for row in rows])
    return [Hit(articles[id_], highlight(snippet or "")) for id_, snippet in rows]
