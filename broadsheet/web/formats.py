"""How values read on a page or in a feed: dates, relative times, image URLs, feed ids.

Registered as template filters and globals by broadsheet.web.templating.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime as rfc822_datetime

from babel.dates import get_datetime_format
from flask import current_app, url_for
from flask_babel import format_date, format_time, format_timedelta, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from broadsheet.clock import utcnow
from broadsheet.locales import site_setting
from broadsheet.site_address import external_url, site_host
from broadsheet.text import without_control
from models import Category

# Under a day old, a story or comment says "3 hours ago"; older, it gives the date.
RECENT = timedelta(days=1)
JUST_NOW = timedelta(minutes=1)


def iso_utc(value: datetime | None) -> str:
    """A stored naive-UTC time as ISO 8601 with a Z, without microseconds."""
    if value is None:
        return ""
    return value.replace(microsecond=0).isoformat() + "Z"


def date_and_minute(value: datetime) -> str:
    """The date and the time to the minute, joined as the reader's language joins them
    ("Dec 5, 2026, 9:51 PM", "5 dic 2026, 21:51"): a news page gives no seconds."""
    joined = str(get_datetime_format("medium", locale=get_locale()))
    return joined.replace("{1}", format_date(value, "medium")).replace(
        "{0}", format_time(value, "short")
    )


def ago(value: datetime) -> str:
    """A stored naive-UTC time as "2 hours ago" in the site language; "just now" under a
    minute, and never as future (a clock a moment ahead would otherwise say "in 0 seconds")."""
    elapsed = utcnow() - value
    if elapsed < JUST_NOW:
        return _("just now")
    return format_timedelta(-elapsed, add_direction=True)


def is_recent(value: datetime | None) -> bool:
    return value is not None and utcnow() - value < RECENT


def epoch_micros(value: datetime) -> int:
    """A stored naive-UTC time as microseconds since 1970 (the live-update poll's cursor)."""
    return int(value.replace(tzinfo=UTC).timestamp() * 1_000_000)


def rfc822(value: datetime) -> str:
    """A stored naive-UTC time as an RFC 822 date, as RSS 2.0 wants it."""
    return rfc822_datetime(value.replace(tzinfo=UTC, microsecond=0))


def bdi(value: str) -> Markup:
    """Isolate a name or headline placed inside a translated sentence, so an English byline
    keeps its order in an Arabic sentence (and the reverse). The value is escaped."""
    return Markup("<bdi>{}</bdi>").format(value)


def xml_chars(value: str) -> str:
    """Text a person typed, without the control characters XML 1.0 cannot carry at all."""
    return without_control(value)


def image_srcset(stem: str) -> str:
    widths = current_app.config["IMAGE_WIDTHS"]
    return ", ".join(f"{url_for('media.file', filename=f'{stem}-{w}.jpg')} {w}w" for w in widths)


def image_src(stem: str, width: int | None = None, *, external: bool = False) -> str:
    """One width of a story image (the widest unless told), absolute (SITE_URL) when
    `external`."""
    widths = current_app.config["IMAGE_WIDTHS"]
    chosen = width if width in widths else widths[-1]
    build = external_url if external else url_for
    return build("media.file", filename=f"{stem}-{chosen}.jpg")


def tag_uri(kind: str, id_: int, created: datetime) -> str:
    """A permanent feed id (RFC 4151) that no new slug or section changes.

    Set TAG_URI_AUTHORITY to the site's domain so a move to another address does not
    change it either; without it, SITE_URL's host is the authority.
    """
    authority = current_app.config["TAG_URI_AUTHORITY"] or site_host()
    return f"tag:{authority},{created:%Y-%m-%d}:{kind}-{id_}"


def feed_links(category: Category | None = None) -> list[tuple[str, str, str]]:
    """(title, type, URL) of the feeds a page announces in its head."""
    site = site_setting("SITE_NAME")
    if category is None:
        rss, atom, name = url_for("feeds.site_rss"), url_for("feeds.site_atom"), site
    else:
        rss = url_for("feeds.category_rss", category_slug=category.slug)
        atom = url_for("feeds.category_atom", category_slug=category.slug)
        name = f"{site}: {category.name}"
    return [
        (_("%(name)s (RSS)", name=name), "application/rss+xml", rss),
        (_("%(name)s (Atom)", name=name), "application/atom+xml", atom),
    ]
