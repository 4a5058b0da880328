"""Old permalinks (/2021/07/11/slug/, /?p=123) of imported stories, sent on with a 301.

A hook rather than routes: an old site's permalink shapes are many, and any of them that
no route of ours answers, or the front page with ?p=, is looked up in legacy_redirects.
"""

from flask import redirect, request, url_for
from sqlalchemy import select
from werkzeug.exceptions import NotFound
from werkzeug.routing import RequestRedirect

from extensions import db
from importers.links import legacy_path
from models import LegacyRedirect

from . import bp


def old_link_key() -> str | None:
    """The legacy_redirects path this request may be, or None for an ordinary request.

    Only requests no view of ours would answer are looked up: no route matched (or only
    with an added slash), or the front page asked for ?p=.
    """
    if request.method not in ("GET", "HEAD"):
        return None
    unrouted = isinstance(request.routing_exception, NotFound | RequestRedirect)
    p = request.args.get("p", "")
    if p.isdigit() and len(p) <= 12 and (unrouted or request.endpoint == "articles.index"):
        return f"?p={p}"
    if unrouted and len(request.path) <= 500:
        return legacy_path(request.path)
    return None


@bp.before_app_request
def redirect_old_link():
    key = old_link_key()
    if key is None:
        return None
    found = db.session.scalar(select(LegacyRedirect).where(LegacyRedirect.path == key))
    if found is None or not found.article.is_visible():
        return None
    story = found.article
    return redirect(
        url_for("articles.article", category_slug=story.category.slug, slug=story.slug), 301
    )
