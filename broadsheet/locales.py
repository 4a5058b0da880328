"""The site's language and time zone: what Flask-Babel formats with, and what <html> says.

A Broadsheet site speaks one language to every reader (a local paper's, chosen by its
newsroom) rather than guessing from Accept-Language, so a story's page is the same page
for everyone and caches stay simple. The choice comes from configuration (SITE_LANGUAGE,
SITE_TIMEZONE) until an admin saves the newsroom's settings page; from then on the saved
rows (models.SiteSetting) win. The site's name and tagline work the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytz
from babel import Locale, UnknownLocaleError
from flask import Flask, current_app, g
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from extensions import babel, db
from models import SiteSetting

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
SOURCE_LANGUAGE = "en"
# What the newsroom's settings page may change; everything else is configuration only.
EDITABLE = ("SITE_NAME", "SITE_TAGLINE", "SITE_LANGUAGE", "SITE_TIMEZONE", "REQUIRE_TWO_FACTOR")


def site_settings() -> dict[str, str]:
    """The editable settings: configuration overlaid with the saved rows, read once a request."""
    if "request_site_settings" not in g:
        try:
            saved = dict(db.session.execute(select(SiteSetting.name, SiteSetting.value)).all())
        except SQLAlchemyError:
            # An error page must still render when the database is what failed.
            db.session.rollback()
            saved = {}
        g.request_site_settings = {
            name: saved.get(name, current_app.config[name]) for name in EDITABLE
        }
    return g.request_site_settings


def site_setting(name: str) -> str:
    """One site setting: the newsroom's saved value once it has one, else configuration."""
    return site_settings()[name]


def current_locale() -> str:
    """The site language as a Babel locale identifier ("es", "pt_BR"): Flask-Babel's selector."""
    return str(parse(site_setting("SITE_LANGUAGE")))


def current_timezone() -> str:
    """The site's IANA time zone ("America/Mexico_City"): Flask-Babel's timezone selector."""
    return site_setting("SITE_TIMEZONE")


def language_tag(locale: str | Locale) -> str:
    """The BCP 47 tag for <html lang>: pt_BR becomes pt-BR."""
    return str(locale).replace("_", "-")


def news_language(locale: str | Locale) -> str:
    """The code Google News sitemaps want: a bare ISO 639 code ("es" for es-MX), except
    Chinese, which is zh-cn (simplified) or zh-tw (traditional)."""
    parsed = locale if isinstance(locale, Locale) else parse(locale)
    if parsed.language == "zh":
        traditional = parsed.script == "Hant" or parsed.territory in ("TW", "HK", "MO")
        return "zh-tw" if traditional else "zh-cn"
    return parsed.language


def text_direction(locale: str | Locale) -> str:
    """Return "rtl" for Arabic, Hebrew, Persian, Urdu or any right-to-left script, else "ltr"."""
    parsed = locale if isinstance(locale, Locale) else parse(locale)
    return "rtl" if parsed.character_order == "right-to-left" else "ltr"


def shipped_languages() -> list[str]:
    """English (the source) and every language with a catalog in translations/."""
    found = sorted(p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
    return [SOURCE_LANGUAGE, *found]


def language_choices(current: str) -> list[tuple[str, str]]:
    """The languages the settings page offers, each named in itself ("español", "العربية"),
    plus the current one when configuration chose a regional variant such as es-MX."""
    codes = shipped_languages()
    if current not in codes:
        codes.append(current)
    names = [(code, parse(code).get_display_name(parse(code)) or code) for code in codes]
    return [(code, name[:1].upper() + name[1:]) for code, name in names]


def timezone_choices() -> dict[str, list[tuple[str, str]]]:
    """pytz's common time zones grouped by region ("Europe": "Europe/Madrid", ...)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for zone in pytz.common_timezones:
        region = zone.split("/", 1)[0] if "/" in zone else "UTC"
        groups.setdefault(region, []).append((zone, zone.replace("_", " ")))
    return groups


def known_timezone(zone: str) -> bool:
    return zone in pytz.all_timezones_set


def init_app(app: Flask) -> None:
    """Check the configured language and time zone, then bind Flask-Babel to the site's."""
    check_settings(app)
    babel.init_app(
        app,
        default_translation_directories=str(TRANSLATIONS),
        locale_selector=current_locale,
        timezone_selector=current_timezone,
    )


def check_settings(app: Flask) -> None:
    """Refuse to start with a language or time zone Babel cannot use, naming the setting."""
    language = app.config["SITE_LANGUAGE"]
    try:
        parse(language)
    except (UnknownLocaleError, ValueError, TypeError) as error:
        raise ValueError(f"SITE_LANGUAGE {language!r} is not a language Babel knows") from error
    zone = app.config["SITE_TIMEZONE"]
    if not known_timezone(zone):
        raise ValueError(f"SITE_TIMEZONE {zone!r} is not an IANA time zone")


def parse(identifier: str) -> Locale:
    """A Babel Locale from "es", "pt_BR" or the BCP 47 spelling "pt-BR"."""
    return Locale.parse(identifier, sep="-" if "-" in identifier else "_")


def compile_catalogs() -> list[Path]:
    """Compile every translations/*/messages.po whose .mo is missing or older (as make does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    compiled = []
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        with mo.open("wb") as target:
            write_mo(target, catalog)
        compiled.append(mo)
    return compiled
