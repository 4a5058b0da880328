"""Refusing form posts that another site's page made a reader's browser send.

The anonymous comment form carries no per-session token, so that every reader gets the
same cacheable page. Browsers say where a request comes from: `Sec-Fetch-Site` (Fetch
Metadata), or on older ones the `Origin` header, or at least `Referer`. A request with
none of them was not sent by a browser on another site's behalf, and is let through, as
Go's `CrossOriginProtection` and OWASP's guidance do.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request

# "none": the reader's own action (a bookmark, the address bar), never another site's.
_TRUSTED_FETCH_SITES = frozenset({"same-origin", "none"})


def _origin(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return "null"
    return f"{parts.scheme}://{parts.netloc}".lower()


def sent_from_this_site() -> bool:
    """Whether the request came from one of our own pages (or from no browser page at all)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in _TRUSTED_FETCH_SITES
    sender = _origin(request.headers.get("Origin") or request.headers.get("Referer"))
    if sender is None:
        return True
    own = {_origin(current_app.config["SITE_URL"]), _origin(request.host_url)}
    return sender in own
