"""Old permalinks of imported stories (/2021/07/11/slug/, /archives/12, /?p=123), sent on
to the new URLs with a 301.

Checked only where we would otherwise answer 404 (any permalink shape an old site used,
so long as it is not a page of ours), and on the front page when it is asked for ?p=.
"""

from flask import redirect, request, url_for
from sqlalchemy import select
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Response

from broadsheet.redirects import legacy_path
from broadsheet.web.params import digits
from extensions import db
from models import LegacyRedirect

from . import bp


def _redirect_for(key: str | None) -> Response | None:
    # Stored paths never hold control characters (PostgreSQL refuses NUL in a query).
    if key is None or len(key) > 500 or not key.isprintable():
        return None
    found = db.session.scalar(select(LegacyRedirect).where(LegacyRedirect.path == key))
    if found is None or not found.article.is_visible():
        return None
    story = found.article
    return redirect(
        url_for("articles.article", category_slug=story.category.slug, slug=story.slug), 301
    )


def _old_query_link() -> str | None:
    p = digits(request.args.get("p"), 12)
    return f"?p={p}" if p is not None else None


@bp.before_app_request
def front_page_with_post_id():
    if request.endpoint == "articles.index" and request.method in ("GET", "HEAD"):
        return _redirect_for(_old_query_link())
    return None


@bp.after_app_request
def old_link_instead_of_not_found(response: Response) -> Response:
    # A 404, or the added-slash redirect routing gives "/index.php" (a category's URL shape).
    unanswered = response.status_code == 404 or isinstance(
        request.routing_exception, RequestRedirect
    )
    if not unanswered or request.method not in ("GET", "HEAD"):
        return response
    moved = _redirect_for(_old_query_link()) or _redirect_for(legacy_path(request.path))
    return moved or response
