"""Snowball stems for SQLite search, so "ferry" finds "ferries" as it does on PostgreSQL.

FTS5's only stemmer (porter) is English, so the search index is fed stems instead of
words: the triggers that keep it call `broadsheet_stems(language, text)`, registered on
every SQLite connection, and a query's words are stemmed the same way before matching.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer
from babel import Locale, UnknownLocaleError

# Words as FTS5's unicode61 tokenizer splits them: letters and digits, "_" separates.
WORD = re.compile(r"[^\W_]+", re.UNICODE)
SQL_FUNCTION = "broadsheet_stems"


@lru_cache(maxsize=16)
def algorithm(language: str) -> str | None:
    """The Snowball stemmer of a site language ("es" -> "spanish"), or None where there is none."""
    try:
        name = Locale.parse(language.replace("-", "_")).get_language_name("en") or ""
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    name = name.split()[0].lower() if name else ""
    return name if name in Stemmer.algorithms() else None


@lru_cache(maxsize=16)
def _stemmer(language: str) -> Stemmer.Stemmer | None:
    name = algorithm(language)
    return Stemmer.Stemmer(name) if name else None


def stem_words(language: str, words: list[str]) -> list[str]:
    """Each word lower-cased and stemmed (unchanged in a language with no stemmer)."""
    folded = [word.casefold() for word in words]
    stemmer = _stemmer(language)
    return stemmer.stemWords(folded) if stemmer else folded


def stems(language: str, text: str | None) -> str:
    """A text as the search index keeps it: its words' stems, separated by spaces."""
    return " ".join(stem_words(language, WORD.findall(text or "")))


def register(connection) -> None:
    """Make broadsheet_stems() callable from SQL on a sqlite3 connection."""
    connection.create_function(SQL_FUNCTION, 2, stems, deterministic=True)
