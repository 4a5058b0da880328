"""HTTP caching: validators with 304 answers for pages and feeds, and their Cache-Control.

A view describes what its response depends on (a `Validator`) and hands `respond()` a
function that renders it; when the client's copy is still current the render is skipped.

Story pages carry the comment form, whose CSRF token belongs to the visitor's session, and
may show the visitor's own pending comments and remembered name. Such a *personal*
response is `Cache-Control: private`, its ETag covers the session's contents and the
visitor's other cookies, and it is never confirmed as current (304) for a request without
a session cookie: a browser whose cookies were cleared must not keep a page holding a
token for a session it no longer has.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, Response, current_app, g, make_response, request, session
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from broadsheet.clock import utcnow
from broadsheet.discussion import comments_open
from broadsheet.front_page import freshness as front_page_freshness
from broadsheet.locales import site_settings
from broadsheet.web.templating import is_fragment_request
from extensions import db
from models import Article, AuthorPage, Category, Comment, SiteSetting

# Settings that may hold credentials stay out of the hash that ETags are made from.
_SECRET_SETTING = re.compile("SECRET|KEY|PASSWORD|TOKEN|URI|URL")


@dataclass(frozen=True)
class Validator:
    """What a response depends on: its ETag is a hash of `parts`, its Last-Modified a time."""

    parts: tuple
    last_modified: datetime | None
    personal: bool = False

    def etag(self) -> str:
        key = (
            current_app.extensions["httpcache_release"],
            request.full_path,
            is_fragment_request(),
            self.parts,
            _visitor_fingerprint() if self.personal else "",
        )
        return hashlib.sha256(repr(key).encode()).hexdigest()[:32]


def _visitor_fingerprint() -> str:
    """The session's contents (its CSRF token) and the visitor's other cookies.

    The session's contents rather than its cookie, so the page that starts a session
    carries the same validator as the next request made with that session's cookie.
    """
    session_cookie = current_app.config["SESSION_COOKIE_NAME"]
    cookies = sorted((k, v) for k, v in request.cookies.items(multi=True) if k != session_cookie)
    return hashlib.sha256(repr((sorted(session.items()), cookies)).encode()).hexdigest()


def _latest(*times: datetime | None) -> datetime | None:
    present = [t for t in times if t is not None]
    return max(present) if present else None


def site_validator(*parts) -> Validator:
    """Pages and feeds built from the published stories and the sections, plus view `parts`.

    Covers edits, new and withdrawn stories, scheduled stories going live, comments
    (story cards show their counts), renamed sections, the site's name, language and time
    zone, author pages (bylines link to them), the front page's pins and the breaking-news
    banner (every page shows it, until its end time), and the day (the masthead shows
    today's date).
    """
    if "request_site_state" not in g:
        g.request_site_state = _site_state()
    state, changed = g.request_site_state
    return Validator((state, parts), _latest(changed, _clock_step()))


def _clock_step() -> datetime:
    """The current ten minutes: pages say "2 hours ago" and show today's date, so a copy
    confirmed as current must be at most this old."""
    now = utcnow()
    return now.replace(minute=now.minute - now.minute % 10, second=0, microsecond=0)


def _site_state() -> tuple[tuple, datetime | None]:
    edited, published, visible, discussed, reworded, configured, authors = db.session.execute(
        select(
            select(func.max(Article.updated_at)).scalar_subquery(),
            select(func.max(Article.published_at)).where(Article.visible()).scalar_subquery(),
            select(func.count()).select_from(Article).where(Article.visible()).scalar_subquery(),
            select(func.max(Comment.changed_at)).scalar_subquery(),
            # An edit keeps changed_at (live polling would send the comment twice).
            select(func.max(Comment.edited_at)).scalar_subquery(),
            select(func.max(SiteSetting.updated_at)).scalar_subquery(),
            # Bylines link to author pages: a new or renamed page changes story pages.
            select(func.max(AuthorPage.updated_at)).scalar_subquery(),
        )
    ).one()
    sections = tuple(
        db.session.execute(
            select(
                Category.id, Category.slug, Category.name, Category.description, Category.nav_order
            ).order_by(Category.id)
        )
    )
    settings = tuple(site_settings().items())
    front, chosen = front_page_freshness()
    state = (
        edited,
        published,
        visible,
        discussed,
        reworded,
        sections,
        settings,
        front,
        authors,
        _clock_step(),
    )
    return state, _latest(edited, published, discussed, reworded, configured, chosen, authors)


def story_validator(article: Article, *, personal: bool) -> Validator:
    """A story's page or its comment feed.

    The site's state already covers the story's edits and comments; whether the story
    still takes comments is added because that ends with time alone.
    """
    site = site_validator(article.id, comments_open(article))
    return Validator(site.parts, site.last_modified, personal)


def respond(validator: Validator, render: Callable[[], ResponseReturnValue]) -> Response:
    """A 304 when the client's copy is current, else the rendered response; both with validators.

    A view whose page reads the session or the reader's cookies must pass a personal
    validator, so the page is never offered to shared caches.
    """
    if _client_copy_is_current(validator, validator.etag()):
        response = current_app.response_class(status=304)
    else:
        response = make_response(render())
        if response.status_code != 200:
            return response
    # After rendering: a page may have started the visitor's session.
    response.set_etag(validator.etag())
    if validator.last_modified is not None:
        response.last_modified = validator.last_modified.replace(tzinfo=UTC, microsecond=0)
    _set_cache_control(response, validator.personal)
    return response


def _client_copy_is_current(validator: Validator, etag: str) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if validator.personal and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return False
    if request.if_none_match:
        # Weak comparison: a proxy that compresses the body marks our ETag weak.
        return request.if_none_match.contains_weak(etag)
    # A date cannot tell one visitor's copy from another's, so personal pages need the ETag.
    if request.if_modified_since and validator.last_modified and not validator.personal:
        return validator.last_modified.replace(tzinfo=UTC, microsecond=0) <= (
            request.if_modified_since
        )
    return False


def _set_cache_control(response: Response, personal: bool) -> None:
    seconds = current_app.config["PUBLIC_CACHE_SECONDS"]
    if personal:
        response.cache_control.private = True
        response.cache_control.no_cache = True
        response.vary.add("Cookie")
    elif seconds > 0:
        response.cache_control.public = True
        response.cache_control.max_age = seconds
    else:
        # Stored, but checked with us (cheaply, via the validators) before every use.
        response.cache_control.no_cache = True


def _release_fingerprint(root: Path, config: dict) -> str:
    """A hash of code, templates, static files and settings: any change to them is new output."""
    digest = hashlib.sha256()
    shown = sorted((k, _stable_repr(v)) for k, v in config.items() if not _SECRET_SETTING.search(k))
    digest.update(repr(shown).encode())
    for path in sorted(_release_files(root)):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _stable_repr(value: object) -> str:
    # A set's order changes with each process's hash seed; every worker must agree on ETags.
    if isinstance(value, set | frozenset):
        return repr(sorted(repr(item) for item in value))
    return repr(value)


def _release_files(root: Path) -> Iterable[Path]:
    yield from root.glob("*.py")
    for package in ("broadsheet", "blueprints", "importers"):
        yield from (root / package).rglob("*.py")
    for folder in ("templates", "static"):
        yield from (p for p in (root / folder).rglob("*") if p.is_file())


def init_app(app: Flask) -> None:
    app.extensions["httpcache_release"] = _release_fingerprint(Path(app.root_path), app.config)
