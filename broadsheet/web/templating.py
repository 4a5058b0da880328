"""What every template can use, registered in one place: site settings, navigation, date
and image filters, comment cards, structured data; and the htmx shape of a request."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request
from flask_babel import format_date, format_datetime, format_time, get_locale
from jinja2 import StrictUndefined
from sqlalchemy.exc import SQLAlchemyError

from broadsheet import authors
from broadsheet.clock import utcnow
from broadsheet.discussion import comments_open, paragraphs, shown_beside_parent
from broadsheet.front_page import banner
from broadsheet.locales import language_tag, site_settings, text_direction
from broadsheet.site_address import external_url
from broadsheet.stories import nav_categories
from broadsheet.web import formats, seo
from broadsheet.web.auth import viewer_may_moderate
from broadsheet.web.cards import card_html
from broadsheet.web.commenter import can_edit, edit_closes_at, shown_count
from broadsheet.web.request_log import request_id
from extensions import db


def is_fragment_request() -> bool:
    """An htmx request for a piece of a page, not a boosted navigation or a history restore."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _site_context() -> dict:
    if "request_nav" not in g:
        try:
            g.request_nav = nav_categories()
            g.request_banner = banner()
        except SQLAlchemyError:
            # An error page must still render when the database is what failed.
            db.session.rollback()
            g.request_nav, g.request_banner = [], None
    config = current_app.config
    settings = site_settings()
    locale = get_locale()
    return {
        "site_name": settings["SITE_NAME"],
        "site_tagline": settings["SITE_TAGLINE"],
        "site_language": language_tag(locale),
        "site_direction": text_direction(locale),
        "social_links": config["SOCIAL_LINKS"],
        "nav_categories": g.request_nav,
        "breaking_news": g.request_banner,
        "current_year": utcnow().year,
        "now_utc": utcnow(),
    }


def _vary_on_htmx(response: Response) -> Response:
    # Pages and fragments share URLs; caches must keep them apart.
    response.vary.add("HX-Request")
    return response


def _forget_request_values(_error: BaseException | None) -> None:
    # g lives as long as the app context, which a test (or CLI) may hold across requests.
    for key in [k for k in g if k.startswith("request_")]:
        g.pop(key)
    # Flask-WTF caches the session's CSRF token in g; another client must not inherit it.
    g.pop("csrf_token", None)
    # Flask-Babel caches the locale and time zone there; the next request may have new ones.
    g.pop("_flask_babel", None)


FILTERS = {
    "iso_utc": formats.iso_utc,
    "date": format_date,
    "datetime": format_datetime,
    "time": format_time,
    "date_and_minute": formats.date_and_minute,
    "ago": formats.ago,
    "bdi": formats.bdi,
    "epoch_micros": formats.epoch_micros,
    "rfc822": formats.rfc822,
    "xml_chars": formats.xml_chars,
}
GLOBALS = {
    "image_src": formats.image_src,
    "image_srcset": formats.image_srcset,
    "tag_uri": formats.tag_uri,
    "feed_links": formats.feed_links,
    "request_id": request_id,
    "comment_paragraphs": paragraphs,
    "comment_card": card_html,
    "comment_is_open": comments_open,
    "comment_answers_beside": shown_beside_parent,
    "comment_editable": can_edit,
    "edit_closes_at": edit_closes_at,
    "comment_total": shown_count,
    "newsroom_moderator": viewer_may_moderate,
    "story_summary": seo.story_summary,
    "story_url": seo.story_url,
    "external_url": external_url,
    "image_size": seo.image_size,
    "logo_url": seo.logo_url,
    "modified_at": seo.modified_at,
    "news_article": seo.news_article,
    "breadcrumbs": seo.breadcrumbs,
    "author_page": authors.for_byline,
}


def init_app(app: Flask) -> None:
    app.teardown_request(_forget_request_values)
    if app.testing:
        app.jinja_env.undefined = StrictUndefined
    app.context_processor(_site_context)
    app.after_request(_vary_on_htmx)
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.tests["recent"] = formats.is_recent
    app.jinja_env.globals.update(GLOBALS)
