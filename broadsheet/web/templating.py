"""What every template can use: site settings, navigation, dates, image URLs, htmx shape."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask, Response, current_app, g, request, url_for
from flask_babel import format_date, format_datetime, format_timedelta, get_locale
from jinja2 import StrictUndefined
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from broadsheet.clock import utcnow
from broadsheet.locales import language_tag, site_settings, text_direction
from broadsheet.stories import nav_categories
from extensions import db

# Under a day old, a story or comment says "3 hours ago"; older, it gives the date.
RECENT = timedelta(days=1)


def is_fragment_request() -> bool:
    """An htmx request for a piece of a page, not a boosted navigation or a history restore."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def iso_utc(value: datetime | None) -> str:
    """A stored naive-UTC time as ISO 8601 with a Z, without microseconds."""
    if value is None:
        return ""
    return value.replace(microsecond=0).isoformat() + "Z"


def ago(value: datetime) -> str:
    """A stored naive-UTC time as "2 hours ago" (or "in 5 minutes") in the site language."""
    return format_timedelta(value - utcnow(), add_direction=True)


def bdi(value: str) -> Markup:
    """Isolate a name or headline placed inside a translated sentence, so an English byline
    keeps its order in an Arabic sentence (and the reverse). The value is escaped."""
    return Markup("<bdi>{}</bdi>").format(value)


def is_recent(value: datetime | None) -> bool:
    return value is not None and utcnow() - value < RECENT


def image_srcset(stem: str) -> str:
    widths = current_app.config["IMAGE_WIDTHS"]
    return ", ".join(f"{url_for('media.file', filename=f'{stem}-{w}.jpg')} {w}w" for w in widths)


def image_src(stem: str, width: int | None = None, *, external: bool = False) -> str:
    """One width of a story image (the widest unless told), absolute when `external`."""
    widths = current_app.config["IMAGE_WIDTHS"]
    chosen = width if width in widths else widths[-1]
    return url_for("media.file", filename=f"{stem}-{chosen}.jpg", _external=external)


def _site_context() -> dict:
    if "request_nav" not in g:
        try:
            g.request_nav = nav_categories()
        except SQLAlchemyError:
            # An error page must still render when the database is what failed.
            db.session.rollback()
            g.request_nav = []
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


def init_app(app: Flask) -> None:
    app.teardown_request(_forget_request_values)
    if app.testing:
        app.jinja_env.undefined = StrictUndefined
    app.context_processor(_site_context)
    app.after_request(_vary_on_htmx)
    app.add_template_filter(iso_utc)
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(ago)
    app.add_template_filter(bdi)
    app.add_template_test(is_recent, "recent")
    app.add_template_global(image_srcset)
    app.add_template_global(image_src)
