"""Feeds under /feeds/ (a reserved path, so no section slug can take it)."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from broadsheet.site_address import external_url
from broadsheet.stories import latest
from broadsheet.web import httpcache
from broadsheet.web.seo import modified_at
from extensions import db
from models import Article, Category, Comment

from . import bp


def _section(slug: str) -> Category:
    category = db.session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        abort(404)
    return category


RSS = ("feeds/rss.xml", "application/rss+xml; charset=utf-8")
ATOM = ("feeds/atom.xml", "application/atom+xml; charset=utf-8")


def _story_feed(kind: tuple[str, str], category: Category | None):
    template, content_type = kind
    validator = httpcache.site_validator(template, category.id if category else None)

    def render():
        stories = latest(
            current_app.config["FEED_LENGTH"],
            category=category,
            options=(selectinload(Article.corrections), selectinload(Article.tags)),
        )
        body = render_template(
            template,
            category=category,
            stories=stories,
            updated=max((modified_at(s) for s in stories), default=validator.last_modified),
            self_url=external_url(request.endpoint, **request.view_args),
            full_content=current_app.config["FEED_FULL_CONTENT"],
        )
        return body, {"Content-Type": content_type}

    return httpcache.respond(validator, render)


@bp.get("/feeds/rss.xml")
def site_rss():
    return _story_feed(RSS, None)


@bp.get("/feeds/atom.xml")
def site_atom():
    return _story_feed(ATOM, None)


@bp.get("/feeds/<category_slug>/rss.xml")
def category_rss(category_slug: str):
    return _story_feed(RSS, _section(category_slug))


@bp.get("/feeds/<category_slug>/atom.xml")
def category_atom(category_slug: str):
    return _story_feed(ATOM, _section(category_slug))


@bp.get("/feeds/comments/<int:article_id>.xml")
def comments(article_id: int):
    """The story's approved comments, newest first: names and text, never an email."""
    article = db.session.get(Article, article_id)
    if article is None or not article.is_visible():
        abort(404)

    def render():
        recent = db.session.scalars(
            select(Comment)
            .where(Comment.article_id == article.id, Comment.status == "approved")
            .order_by(Comment.created_at.desc(), Comment.id.desc())
            .limit(current_app.config["COMMENTS_FEED_LENGTH"])
        )
        body = render_template(
            "feeds/comments.xml",
            article=article,
            comments=list(recent),
            title=_("Comments on: %(headline)s", headline=article.headline),
            self_url=external_url(request.endpoint, **request.view_args),
        )
        return body, {"Content-Type": "application/rss+xml; charset=utf-8"}

    return httpcache.respond(httpcache.story_validator(article, personal=False), render)
