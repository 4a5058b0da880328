"""The story queries and rules readers see: listings, lookups, related stories, saving."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import defer

from broadsheet.clock import utcnow
from broadsheet.pagination import Page
from broadsheet.rendering import html_to_text, markdown_to_html
from broadsheet.slugs import slugify, unique_slug
from extensions import db
from models import Article, ArticleSlugAlias, Category, CategorySlugAlias, Tag, article_tags

# A story card (listings, search, related) shows headline, teaser, image and dates, never the
# body: leave its three copies (Markdown, HTML, text; most of a row's bytes) in the database.
CARD = (defer(Article.body), defer(Article.body_html), defer(Article.body_text))


def nav_categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.nav_order, Category.name)))


def latest(
    limit: int,
    *,
    category: Category | None = None,
    exclude: set[int] | None = None,
    options: tuple = CARD,
):
    stmt = select(Article).options(*options).where(Article.visible())
    if category is not None:
        stmt = stmt.where(Article.category_id == category.id)
    if exclude:
        stmt = stmt.where(Article.id.not_in(exclude))
    stmt = stmt.order_by(Article.published_at.desc(), Article.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))


def category_page(category: Category, number: int, per_page: int, asof: datetime | None) -> Page:
    """One numbered page of a category, newest first, as the listing stood at `asof`.

    Links from a listing carry the publication time of its newest story, so a story
    published while a reader pages through does not shift every later page by one.
    """
    now = utcnow()
    cutoff = min(asof, now) if asof else now
    where = (Article.category_id == category.id, Article.visible(cutoff))
    total = db.session.scalar(select(func.count()).select_from(Article).where(*where)) or 0
    offset = (number - 1) * per_page
    if offset >= total:
        return Page([], number, per_page, total)
    # Deferred join: find the page's ids on the covering listing index alone, then load just
    # those rows, so skipped rows are never read or joined. Walk the index from whichever
    # end is nearer: the last pages of a long archive are as cheap as the first.
    newest_first = (Article.published_at.desc(), Article.id.desc())
    oldest_first = (Article.published_at.asc(), Article.id.asc())
    size = min(per_page, total - offset)
    if offset <= total - offset - size:
        ids = select(Article.id).where(*where).order_by(*newest_first).limit(size).offset(offset)
    else:
        ids = (
            select(Article.id)
            .where(*where)
            .order_by(*oldest_first)
            .limit(size)
            .offset(total - offset - size)
        )
    stmt = select(Article).options(*CARD).where(Article.id.in_(ids)).order_by(*newest_first)
    return Page(list(db.session.scalars(stmt)), number, per_page, total)


def find_category(slug: str) -> tuple[Category | None, bool]:
    """The category for a slug, and whether the slug was an old one (it was renamed since)."""
    category = db.session.scalar(select(Category).where(Category.slug == slug))
    if category is not None:
        return category, False
    alias = db.session.scalar(select(CategorySlugAlias).where(CategorySlugAlias.slug == slug))
    return (alias.category, True) if alias is not None else (None, False)


def _listing(stmt, number: int, per_page: int, options: tuple = CARD) -> Page:
    """One numbered page of the visible stories `stmt` selects, newest first."""
    stmt = stmt.where(Article.visible())
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.options(*options)
        .order_by(Article.published_at.desc(), Article.id.desc())
        .limit(per_page)
        .offset((number - 1) * per_page)
    )
    return Page(list(rows), number, per_page, total)


def _tagged(tag: Tag):
    return select(Article).join(article_tags).where(article_tags.c.tag_id == tag.id)


def _bylined(name: str):
    return select(Article).where(Article.byline == name)


def topic_page(tag: Tag, number: int, per_page: int) -> Page:
    return _listing(_tagged(tag), number, per_page)


def byline_page(name: str, number: int, per_page: int) -> Page:
    """A staff author's stories: those that carry their name as the byline."""
    if not name:
        return Page([], number, per_page, 0)
    return _listing(_bylined(name), number, per_page)


def latest_tagged(tag: Tag, limit: int, options: tuple = CARD) -> list[Article]:
    return list(_listing(_tagged(tag), 1, limit, options).items)


def latest_bylined(name: str, limit: int, options: tuple = CARD) -> list[Article]:
    if not name:
        return []
    return list(_listing(_bylined(name), 1, limit, options).items)


def find_article(slug: str) -> tuple[Article | None, bool]:
    """The visible article for a slug, and whether the slug was an old one."""
    article = db.session.scalar(select(Article).where(Article.slug == slug, Article.visible()))
    if article is not None:
        return article, False
    alias = db.session.scalar(select(ArticleSlugAlias).where(ArticleSlugAlias.slug == slug))
    if alias is not None and alias.article.is_visible():
        return alias.article, True
    return None, False


_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
STOPWORDS = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "against",
        "also",
        "among",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "cannot",
        "could",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "from",
        "further",
        "have",
        "having",
        "here",
        "into",
        "itself",
        "just",
        "more",
        "most",
        "once",
        "only",
        "other",
        "over",
        "same",
        "should",
        "some",
        "such",
        "than",
        "that",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "until",
        "very",
        "what",
        "when",
        "where",
        "which",
        "while",
        "whom",
        "will",
        "with",
        "would",
        "your",
        "says",
        "said",
        "year",
        "years",
    ]
)


def significant_words(text: str, limit: int = 8) -> list[str]:
    words: list[str] = []
    for word in _WORD.findall(text.lower()):
        if word not in STOPWORDS and word not in words:
            words.append(word)
    return words[:limit]


@lru_cache(maxsize=4096)
def _headline_words(headline: str, teaser: str) -> frozenset[str]:
    # The same candidates are ranked on every view of every story in a section: tokenise
    # each headline once per worker, not forty times a page view.
    return frozenset(significant_words(f"{headline} {teaser}", 16))


def related(article: Article, limit: int, candidates: int = 40) -> list[Article]:
    """Stories to read next: same category first, then by shared tags and headline words.

    Only recent same-category stories and stories sharing a tag are scored, so the cost
    stays flat however large the archive grows.
    """
    visible_other = (Article.visible(), Article.id != article.id)
    same = db.session.scalars(
        select(Article)
        .options(*CARD)
        .where(*visible_other, Article.category_id == article.category_id)
        .order_by(Article.published_at.desc(), Article.id.desc())
        .limit(candidates)
    )
    tag_ids = select(article_tags.c.tag_id).where(article_tags.c.article_id == article.id)
    shared = (
        select(article_tags.c.article_id, func.count().label("n"))
        .where(article_tags.c.tag_id.in_(tag_ids))
        .group_by(article_tags.c.article_id)
        .subquery()
    )
    tagged = db.session.execute(
        select(Article, shared.c.n)
        .options(*CARD)
        .join(shared, shared.c.article_id == Article.id)
        .where(*visible_other)
        .order_by(shared.c.n.desc(), Article.published_at.desc())
        .limit(candidates)
    )
    shared_tags: dict[int, int] = {}
    pool: dict[int, Article] = {}
    for other in same:
        pool[other.id] = other
    for other, n in tagged:
        pool[other.id] = other
        shared_tags[other.id] = n
    words = _headline_words(article.headline, article.teaser)

    def rank(other: Article) -> tuple:
        overlap = len(words & _headline_words(other.headline, other.teaser))
        return (
            other.category_id == article.category_id,
            2 * shared_tags.get(other.id, 0) + overlap,
            other.published_at,
            other.id,
        )

    chosen = sorted(pool.values(), key=rank, reverse=True)[:limit]
    if len(chosen) < limit:
        chosen += latest(limit - len(chosen), exclude={article.id, *(a.id for a in chosen)})
    return chosen


def slug_taken(slug: str, *, ignore_id: int | None = None) -> bool:
    stmt = select(Article.id).where(Article.slug == slug)
    if ignore_id is not None:
        stmt = stmt.where(Article.id != ignore_id)
    if db.session.scalar(stmt) is not None:
        return True
    alias = select(ArticleSlugAlias.article_id).where(ArticleSlugAlias.slug == slug)
    owner = db.session.scalar(alias)
    return owner is not None and owner != ignore_id


def prepare(article: Article) -> Article:
    """Fill what is derived from what an editor typed: slug, rendered body, search text.

    Call it on every editorial save; it also marks the story as updated now.
    """
    if not article.slug:
        with db.session.no_autoflush:
            article.slug = unique_slug(
                article.headline, lambda s: slug_taken(s, ignore_id=article.id)
            )
    article.body_html = markdown_to_html(article.body or "", current_app.config["IMAGE_WIDTHS"])
    article.body_text = html_to_text(article.body_html)
    if article.status == "published" and article.published_at is None:
        article.published_at = utcnow()
    if article.id is not None:
        article.updated_at = utcnow()
    return article


def tags_named(names: list[str]) -> list[Tag]:
    """The Tag rows for these names, creating any that do not exist yet."""
    tags: list[Tag] = []
    for name in names:
        slug = slugify(name)
        if not slug:
            continue
        with db.session.no_autoflush:
            # By name first: a tag made under older slug rules keeps its slug.
            tag = db.session.scalar(
                select(Tag).where(func.lower(Tag.name) == name.lower()).limit(1)
            ) or db.session.scalar(select(Tag).where(Tag.slug == slug))
        # One not yet flushed, made for another story saved in the same transaction.
        tag = tag or next(
            (t for t in db.session.new if isinstance(t, Tag) and t.slug == slug), None
        )
        if tag is None:
            tag = Tag(name=name, slug=slug)
            db.session.add(tag)
        if tag not in tags:
            tags.append(tag)
    return tags
