"""Plain-text hygiene shared by forms, stored bodies and feeds."""

from __future__ import annotations

import re

# C0 controls except tab, line feed and carriage return; DEL; lone surrogates and the two
# non-characters XML 1.0 refuses. NUL alone breaks PostgreSQL; any of them breaks a feed.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def without_control(text: str) -> str:
    """The text with every control character dropped (line breaks and tabs stay)."""
    return _CONTROL.sub("", text)


# Characters that make a name read as something else: bidi embeddings, overrides and
# isolates (U+202E turns "Ana" + "gpj.exe" around), invisible spaces and the byte-order mark.
# Joiners (ZWNJ, ZWJ) stay between two letters, where Persian and Indic names need them.
_DECEPTIVE = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]|(?<!\\w)[\u200c\u200d]|[\u200c\u200d](?!\\w)"
)


def plain_name(text: str) -> str:
    """A person's name as one line of what it seems to say: line breaks become spaces,
    characters that reorder or hide text go."""
    return " ".join(_DECEPTIVE.sub("", without_control(text)).split())
