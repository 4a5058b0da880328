"""The site's language and time zone: what Flask-Babel formats with, and what <html> says.

A Broadsheet site speaks one language to every reader (a local paper's, chosen by its
newsroom) rather than guessing from Accept-Language, so a story's page is the same page
for everyone and caches stay simple. Today the choice comes from configuration
(SITE_LANGUAGE, SITE_TIMEZONE); a newsroom settings row can take over in `site_setting`
without anything else changing.
"""

from __future__ import annotations

from pathlib import Path

import pytz
from babel import Locale, UnknownLocaleError
from flask import Flask, current_app

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
SOURCE_LANGUAGE = "en"


def site_setting(name: str) -> str:
    """One site setting: the newsroom's saved value once it has one, else configuration."""
    return current_app.config[name]


def current_locale() -> str:
    """The site language as a Babel locale identifier ("es", "pt_BR"): Flask-Babel's selector."""
    return str(parse(site_setting("SITE_LANGUAGE")))


def current_timezone() -> str:
    """The site's IANA time zone ("America/Mexico_City"): Flask-Babel's timezone selector."""
    return site_setting("SITE_TIMEZONE")


def language_tag(locale: str | Locale) -> str:
    """The BCP 47 tag for <html lang>: pt_BR becomes pt-BR."""
    return str(locale).replace("_", "-")


def text_direction(locale: str | Locale) -> str:
    """Return "rtl" for Arabic, Hebrew, Persian, Urdu or any right-to-left script, else "ltr"."""
    parsed = locale if isinstance(locale, Locale) else parse(locale)
    return "rtl" if parsed.character_order == "right-to-left" else "ltr"


def shipped_languages() -> list[str]:
    """English (the source) and every language with a catalog in translations/."""
    found = sorted(p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
    return [SOURCE_LANGUAGE, *found]


def check_settings(app: Flask) -> None:
    """Refuse to start with a language or time zone Babel cannot use, naming the setting."""
    language = app.config["SITE_LANGUAGE"]
    try:
        parse(language)
    except (UnknownLocaleError, ValueError, TypeError) as error:
        raise ValueError(f"SITE_LANGUAGE {language!r} is not a language Babel knows") from error
    zone = app.config["SITE_TIMEZONE"]
    try:
        pytz.timezone(zone)
    except pytz.UnknownTimeZoneError as error:
        raise ValueError(f"SITE_TIMEZONE {zone!r} is not an IANA time zone") from error


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
