"""Author pages: which bylines belong to a member of staff with a public page."""

from __future__ import annotations

from flask import g
from sqlalchemy import select

from broadsheet.slugs import unique_slug
from extensions import db
from models import AuthorPage, User


def find(slug: str) -> AuthorPage | None:
    return db.session.scalar(select(AuthorPage).where(AuthorPage.slug == slug))


def for_byline(byline: str) -> AuthorPage | None:
    """The page of the staff member whose name is this byline; wire bylines have none.

    Looked up once per byline and request: a page may show the same byline many times.
    """
    if not byline:
        return None
    if "request_authors" not in g:
        g.request_authors = {}
    if byline not in g.request_authors:
        g.request_authors[byline] = db.session.scalar(
            select(AuthorPage).join(AuthorPage.user).where(User.name == byline).limit(1)
        )
    return g.request_authors[byline]


def slug_taken(slug: str, user_id: int) -> bool:
    owner = db.session.scalar(select(AuthorPage.user_id).where(AuthorPage.slug == slug))
    return owner is not None and owner != user_id


def page_of(user: User) -> AuthorPage:
    """The user's author page, made (not yet saved) with a slug from their name if they
    have none; the caller adds and commits it."""
    page = db.session.get(AuthorPage, user.id)
    if page is None:
        slug = unique_slug(user.display_name, lambda s: slug_taken(s, user.id))
        page = AuthorPage(user_id=user.id, slug=slug, bio="")
        page.user = user
    return page
