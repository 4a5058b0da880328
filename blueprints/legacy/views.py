"""Old addresses of an imported site, sent on to ours (the rules: broadsheet/redirects.py).

Permalinks of imported stories (/2021/07/11/slug/, /archives/12, /?p=123, attachment
pages), and WordPress's other addresses: feeds, categories, tags, authors, date archives,
comment pages, /wp-content/uploads/ pictures, and its search (/?s=); and our own story and
section addresses typed loosely (a trailing slash, capitals). They are looked up
only where we would otherwise answer 404, so a page of ours always wins, and on the front
page when it is asked for one of WordPress's query links. A redirect keeps the query
string, less the WordPress parameters it answered.
"""

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import current_app, redirect, request, url_for
from sqlalchemy import select
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Response

from broadsheet.redirects import QUERY_LINKS, OldLink, legacy_path, stored_story, wordpress_link
from broadsheet.stories import find_article
from broadsheet.web.params import digits
from extensions import db
from models import Category

from . import bp

# Query parameters WordPress reads on its front page; the others travel on.
WORDPRESS_ARGS = {*QUERY_LINKS, "s", "feed"}


def _kept_query() -> str:
    kept = [(k, v) for k, v in request.args.items(multi=True) if k not in WORDPRESS_ARGS]
    return "?" + urlencode(kept) if kept else ""


def _story(key: str | None, fragment: str = "") -> Response | None:
    story = stored_story(key)
    if story is None or not story.is_visible():
        return None
    url = url_for("articles.article", category_slug=story.category.slug, slug=story.slug)
    return redirect(url + _kept_query() + fragment, 301)


def _old_query_link() -> str | None:
    for name in QUERY_LINKS:
        if (number := digits(request.args.get(name), 12)) is not None:
            return f"?{name}={number}"
    return None


def _url_for(link: OldLink) -> str | None:
    """Our address for an old one (None when what it named is not shown to readers)."""
    target: Any = link.target  # a story, a category or a string, by link.kind
    if link.kind in ("comments", "comment_feed") and not target.is_visible():
        return None
    if link.kind == "comments":
        slugs = {"category_slug": target.category.slug, "slug": target.slug}
        return url_for("articles.article", **slugs) + "#comments"
    if link.kind == "comment_feed":
        return url_for("feeds.comments", article_id=target.id)
    if link.kind == "category":
        return url_for("categories.listing", category_slug=target.slug)
    if link.kind == "category_feed":
        return url_for("feeds.category_rss", category_slug=target.slug)
    if link.kind == "topic":
        return url_for("topics.topic", slug=target.slug)
    if link.kind == "feed":
        return url_for("feeds.site_atom" if target == "atom" else "feeds.site_rss")
    if link.kind == "search":
        return url_for("search.results", q=target)
    if link.kind == "picture":
        return _picture(target, link.width)
    return url_for("articles.index")


def _picture(stem: str, width: int | None) -> str | None:
    """The stored width nearest above the one asked for (or the widest), if it is here."""
    widths = sorted(current_app.config["IMAGE_WIDTHS"])
    chosen = next((w for w in widths if width is not None and w >= width), widths[-1])
    filename = f"{stem}-{chosen}.jpg"
    if not Path(current_app.config["UPLOAD_FOLDER"], filename).is_file():
        return None
    return url_for("media.file", filename=filename)


def _wordpress(path: str) -> Response | None:
    link = wordpress_link(path, request.args)
    if link is None or (url := _url_for(link)) is None:
        return None
    if link.kind not in ("search", "comments", "picture"):
        url += _kept_query()
    return redirect(url, 301 if link.permanent else 302)


def _loosely_typed(path: str) -> Response | None:
    """/local/some-story/ or /Local/Some-Story for a story, /LOCAL/ for a section."""
    parts = [part.lower() for part in path.split("/") if part]
    if len(parts) == 2:
        story, _renamed = find_article(parts[1])
        if story is not None:
            url = url_for("articles.article", category_slug=story.category.slug, slug=story.slug)
            return redirect(url + _kept_query(), 301)
    if len(parts) == 1 and path != f"/{parts[0]}/":
        category = db.session.scalar(select(Category).where(Category.slug == parts[0]))
        if category is not None:
            url = url_for("categories.listing", category_slug=category.slug)
            return redirect(url + _kept_query(), 301)
    return None


@bp.before_app_request
def front_page_with_wordpress_query():
    if request.endpoint == "articles.index" and request.method in ("GET", "HEAD"):
        if request.args.get("feed"):
            return redirect(url_for("feeds.site_rss"), 301)
        return _story(_old_query_link()) or (
            _wordpress(request.path) if request.args.get("s") else None
        )
    return None


@bp.after_app_request
def old_link_instead_of_not_found(response: Response) -> Response:
    # A 404, or the added-slash redirect routing gives "/index.php" (a category's URL shape).
    unanswered = response.status_code == 404 or isinstance(
        request.routing_exception, RequestRedirect
    )
    if not unanswered or request.method not in ("GET", "HEAD"):
        return response
    if not request.path.isprintable():
        return response
    moved = (
        _story(_old_query_link())
        or _story(legacy_path(request.path))
        or _wordpress(request.path)
        or _loosely_typed(request.path)
    )
    return moved or response
