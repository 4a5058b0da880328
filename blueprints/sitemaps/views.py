"""robots.txt, /sitemap.xml (an index of /sitemaps/<n>.xml once large) and a news sitemap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import abort, current_app, render_template
from flask_babel import get_locale
from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from broadsheet.clock import utcnow
from broadsheet.locales import news_language
from broadsheet.site_address import external_url
from broadsheet.stories import CARD
from broadsheet.web import httpcache
from broadsheet.web.seo import modified_at, story_url
from extensions import db
from models import Article, Category

from . import bp


@dataclass(frozen=True)
class Entry:
    loc: str
    lastmod: datetime | None


def _xml(template: str, **context) -> tuple[str, dict[str, str]]:
    return render_template(template, **context), {"Content-Type": "application/xml; charset=utf-8"}


def _sections() -> list[Entry]:
    """The front page and each section, with the time of their newest story."""
    newest = dict(
        db.session.execute(
            select(Article.category_id, func.max(Article.published_at))
            .where(Article.visible())
            .group_by(Article.category_id)
        ).all()
    )
    categories = db.session.scalars(select(Category).order_by(Category.nav_order, Category.id))
    entries = [
        Entry(external_url("articles.index"), max(filter(None, newest.values()), default=None))
    ]
    entries += [
        Entry(external_url("categories.listing", category_slug=c.slug), newest.get(c.id))
        for c in categories
    ]
    return entries


def _story_count() -> int:
    return (
        db.session.scalar(select(func.count()).select_from(Article).where(Article.visible())) or 0
    )


def _stories(offset: int, limit: int) -> list[Entry]:
    """Published stories in id order, so a new story never moves an old one to another page.
    Only what an entry needs is read: a sitemap lists up to SITEMAP_MAX_URLS stories."""
    stories = db.session.scalars(
        select(Article)
        .options(
            load_only(Article.slug, Article.category_id, Article.published_at, Article.updated_at)
        )
        .where(Article.visible())
        .order_by(Article.id)
        .offset(offset)
        .limit(limit)
    )
    return [Entry(story_url(s), modified_at(s)) for s in stories]


def _page(number: int, size: int) -> list[Entry]:
    """Page `number` of every URL: the sections first, then the stories."""
    sections = _sections()
    start = (number - 1) * size
    head = sections[start : start + size]
    story_start = max(0, start - len(sections))
    return head + _stories(story_start, size - len(head))


@bp.get("/sitemap.xml")
def index():
    """All URLs, or past SITEMAP_MAX_URLS an index of numbered sitemaps."""

    def render():
        size = current_app.config["SITEMAP_MAX_URLS"]
        total = len(_sections()) + _story_count()
        if total <= size:
            return _xml("sitemaps/urlset.xml", entries=_page(1, size))
        pages = -(-total // size)
        return _xml("sitemaps/index.xml", pages=range(1, pages + 1))

    return httpcache.respond(httpcache.site_validator("sitemap"), render)


@bp.get("/sitemaps/<int:number>.xml")
def page(number: int):
    def render():
        size = current_app.config["SITEMAP_MAX_URLS"]
        entries = _page(number, size) if number >= 1 else []
        if not entries:
            abort(404)
        return _xml("sitemaps/urlset.xml", entries=entries)

    return httpcache.respond(httpcache.site_validator("sitemap", number), render)


@bp.get("/sitemaps/news.xml")
def news():
    """Google News: stories of the last NEWS_SITEMAP_HOURS, newest first."""

    def render():
        config = current_app.config
        since = utcnow() - timedelta(hours=config["NEWS_SITEMAP_HOURS"])
        stories = db.session.scalars(
            select(Article)
            .options(*CARD)
            .where(Article.visible(), Article.published_at >= since)
            .order_by(Article.published_at.desc(), Article.id.desc())
            .limit(config["NEWS_SITEMAP_MAX_URLS"])
        )
        return _xml(
            "sitemaps/news.xml", stories=list(stories), language=news_language(get_locale())
        )

    # The window slides with the clock, so the current hour is part of what it depends on.
    hour = utcnow().replace(minute=0, second=0)
    return httpcache.respond(httpcache.site_validator("news", hour), render)


@bp.get("/robots.txt")
def robots():
    def render():
        return render_template("sitemaps/robots.txt"), {"Content-Type": "text/plain; charset=utf-8"}

    return httpcache.respond(httpcache.site_validator("robots"), render)
