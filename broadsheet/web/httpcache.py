"""HTTP caching: validators with 304 answers for pages and feeds, and their Cache-Control.

A view describes what its response depends on (a `Validator`) and hands `respond()` a
function that renders it; when the client's copy is still current the render is skipped.

Pages are the same bytes for every anonymous reader: they start no session, set no cookie
and are `Cache-Control: public`, so nginx or a CDN may keep them for SHARED_CACHE_SECONDS.
A story page for a browser that has commented here (its signed cookies) or that has a
session shows that reader's own pending comments, remembered name and edit buttons: such a
*personal* response is `Cache-Control: private`, and its ETag covers the session's
contents and the visitor's other cookies.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, Response, current_app, make_response, request, session
from flask.typing import ResponseReturnValue

from broadsheet import freshness
from broadsheet.clock import utcnow
from broadsheet.discussion import comments_open
from broadsheet.web.commenter import has_commenter_cookies
from broadsheet.web.templating import is_fragment_request
from models import Article

# Settings that may hold credentials stay out of the hash that ETags are made from.
_SECRET_SETTING = re.compile("SECRET|KEY|PASSWORD|TOKEN|URI|URL")


@dataclass(frozen=True)
class Validator:
    """What a response depends on: its ETag is a hash of `parts`, its Last-Modified a time."""

    parts: tuple
    last_modified: datetime | None
    personal: bool = False
    # The page differs for readers with cookies (a story page): shared caches must know.
    varies_by_cookie: bool = False

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

    The site's generation covers every write a reader could see, scheduled stories going
    live and breaking-news banners coming down (broadsheet/freshness.py); the clock step
    covers the day and "2 hours ago".
    """
    state = freshness.current()
    return Validator(
        (state.generation, state.changed_at, clock_step(), parts),
        _latest(state.changed_at, clock_step()),
    )


def clock_step() -> datetime:
    """The current ten minutes: pages say "2 hours ago" and show today's date, so a copy
    confirmed as current must be at most this old."""
    now = utcnow()
    return now.replace(minute=now.minute - now.minute % 10, second=0, microsecond=0)


def story_validator(article: Article) -> Validator:
    """A story's page: personal for a reader whose cookies say who they are.

    The site's state already covers the story's edits and comments; whether the story
    still takes comments is added because that ends with time alone.
    """
    site = site_validator(article.id, comments_open(article))
    return Validator(site.parts, site.last_modified, reader_is_known(), varies_by_cookie=True)


def reader_is_known() -> bool:
    """A browser that commented here, or has a session: its pages are its own."""
    return has_commenter_cookies() or current_app.config["SESSION_COOKIE_NAME"] in request.cookies


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
    _set_cache_control(response, validator)
    return response


def _client_copy_is_current(validator: Validator, etag: str) -> bool:
    if request.method not in ("GET", "HEAD"):
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


def _set_cache_control(response: Response, validator: Validator) -> None:
    config = current_app.config
    if validator.varies_by_cookie or validator.personal:
        response.vary.add("Cookie")
    if validator.personal:
        response.cache_control.private = True
        response.cache_control.no_cache = True
        return
    browsers, shared = config["PUBLIC_CACHE_SECONDS"], config["SHARED_CACHE_SECONDS"]
    if browsers <= 0 and shared <= 0:
        # Stored, but checked with us (cheaply, via the validators) before every use.
        response.cache_control.no_cache = True
        return
    directives = ["public", f"max-age={browsers}"]
    if shared > 0:
        stale = config["SHARED_CACHE_STALE_SECONDS"]
        directives += [f"s-maxage={shared}", f"stale-while-revalidate={stale}"]
    response.headers["Cache-Control"] = ", ".join(directives)


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
