"""Feeds under /feeds/ (a reserved path, so no section slug can take it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import defer, selectinload

from broadsheet import authors
from broadsheet.locales import site_setting
from broadsheet.site_address import external_url
from broadsheet.stories import find_category, latest, latest_bylined, latest_tagged
from broadsheet.web import httpcache
from broadsheet.web.seo import modified_at
from extensions import db
from models import Article, Category, Comment, Tag

from . import bp


def _section_feed(kind: tuple[str, str], slug: str):
    category, renamed = find_category(slug)
    if category is None:
        abort(404)
    if renamed:  # feed readers follow a 301 and keep the new address
        return redirect(url_for(cast(str, request.endpoint), category_slug=category.slug), 301)
    return _story_feed(kind, category)


def _self_url() -> str:
    """The feed's own address, for its rel="self" link."""
    return external_url(cast(str, request.endpoint), **(request.view_args or {}))


RSS = ("feeds/rss.xml", "application/rss+xml; charset=utf-8")
ATOM = ("feeds/atom.xml", "application/atom+xml; charset=utf-8")
# An item shows the body's HTML and text, the corrections and the topics: loaded for the
# whole feed at once (the Markdown source is never needed).
ITEM_PARTS = (
    defer(Article.body),
    selectinload(Article.corrections),
    selectinload(Article.tags),
)


def _feed(
    kind: tuple[str, str],
    validator: httpcache.Validator,
    stories: Callable[[int], list[Article]],
    title: str,
    home: str,
    description: str,
):
    template, content_type = kind

    def render():
        items = stories(current_app.config["FEED_LENGTH"])
        body = render_template(
            template,
            title=title,
            home=home,
            description=description,
            stories=items,
            updated=max((modified_at(s) for s in items), default=validator.last_modified),
            self_url=_self_url(),
            full_content=current_app.config["FEED_FULL_CONTENT"],
        )
        return body, {"Content-Type": content_type}

    return httpcache.respond(validator, render)


def _story_feed(kind: tuple[str, str], category: Category | None):
    site = site_setting("SITE_NAME")
    validator = httpcache.site_validator(kind[0], category.id if category else None)
    if category is None:
        title, home, description = (
            site,
            external_url("articles.index"),
            site_setting("SITE_TAGLINE"),
        )
    else:
        title = f"{site}: {category.name}"
        home = external_url("categories.listing", category_slug=category.slug)
        description = category.description or category.name
    return _feed(
        kind,
        validator,
        lambda n: latest(n, category=category, options=ITEM_PARTS),
        title,
        home,
        description,
    )


@bp.get("/feeds/rss.xml")
def site_rss():
    return _story_feed(RSS, None)


@bp.get("/feeds/atom.xml")
def site_atom():
    return _story_feed(ATOM, None)


@bp.get("/feeds/<category_slug>/rss.xml")
def category_rss(category_slug: str):
    return _section_feed(RSS, category_slug)


@bp.get("/feeds/<category_slug>/atom.xml")
def category_atom(category_slug: str):
    return _section_feed(ATOM, category_slug)


def _topic_feed(kind: tuple[str, str], slug: str):
    tag = db.session.scalar(select(Tag).where(Tag.slug == slug))
    if tag is None:
        abort(404)
    return _feed(
        kind,
        httpcache.site_validator(kind[0], "topic", tag.id),
        lambda n: latest_tagged(tag, n, ITEM_PARTS),
        f"{site_setting('SITE_NAME')}: {tag.name}",
        external_url("topics.topic", slug=tag.slug),
        _("Stories about %(topic)s.", topic=tag.name),
    )


@bp.get("/feeds/topic/<slug>/rss.xml")
def topic_rss(slug: str):
    return _topic_feed(RSS, slug)


@bp.get("/feeds/topic/<slug>/atom.xml")
def topic_atom(slug: str):
    return _topic_feed(ATOM, slug)


def _author_feed(kind: tuple[str, str], slug: str):
    profile = authors.find(slug)
    if profile is None:
        abort(404)
    name = profile.user.display_name
    return _feed(
        kind,
        httpcache.site_validator(kind[0], "author", profile.updated_at, profile.user.name),
        lambda n: latest_bylined(profile.user.name, n, ITEM_PARTS),
        f"{site_setting('SITE_NAME')}: {name}",
        external_url("authors.author", slug=profile.slug),
        profile.bio or _("Stories by %(name)s.", name=name),
    )


@bp.get("/feeds/author/<slug>/rss.xml")
def author_rss(slug: str):
    return _author_feed(RSS, slug)


@bp.get("/feeds/author/<slug>/atom.xml")
def author_atom(slug: str):
    return _author_feed(ATOM, slug)


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
            self_url=_self_url(),
        )
        return body, {"Content-Type": "application/rss+xml; charset=utf-8"}

    return httpcache.respond(httpcache.site_validator("comments", article.id), render)
