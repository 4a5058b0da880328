"""URL slugs made from headlines and names, in every script a newsroom writes.

Latin letters lose their accents (é → e, ß → ss), as readers type them; other scripts
(Arabic, Greek, Cyrillic, Chinese, ...) keep their letters, as WordPress keeps them, and the
browser shows them as they are. A slug is never empty for text that has a letter or a digit
in it. Existing slugs are stored and never recomputed, so changing these rules moves no page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache

from slugify import slugify as _slugify
from text_unidecode import unidecode

MAX_LENGTH = 80
# Apostrophes join a word ("don't" → "dont") rather than split it.
_JOINERS = [["'", ""], ["’", ""], ["ʼ", ""]]


def _latin_folded(text: str, ascii_only: bool) -> str:
    """Latin letters (or, with ascii_only, every letter) transliterated to ASCII."""
    out = []
    for char in unicodedata.normalize("NFKC", text):
        if char.isascii() or ascii_only or unicodedata.name(char, "").startswith("LATIN"):
            out.append(unidecode(char))
        else:
            out.append(char)
    return "".join(out)


@cache
def _not_in_words() -> re.Pattern[str]:
    """What separates words: anything but letters, digits and the marks that belong to a
    letter (Arabic's shadda, Devanagari's vowel signs), which a plain \\W would split on."""
    marks, start = [], None
    for code in range(0x10000):
        is_mark = unicodedata.category(chr(code)).startswith("M")
        if is_mark and start is None:
            start = code
        elif not is_mark and start is not None:
            marks.append(f"\\u{start:04x}-\\u{code - 1:04x}")
            start = None
    return re.compile(r"(?:[^\w" + "".join(marks) + r"]|_)+")


def slugify(text: str, max_length: int = MAX_LENGTH, *, ascii_only: bool = False) -> str:
    """Lowercase words joined by hyphens, cut at a word boundary within max_length.

    ascii_only transliterates every script (for file names).
    """
    slug = _slugify(
        _latin_folded(text, ascii_only),
        allow_unicode=not ascii_only,
        replacements=_JOINERS,
        regex_pattern=None if ascii_only else _not_in_words(),
    )
    if len(slug) > max_length:
        # At the last whole word that fits; a first word longer than that is cut.
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug.strip("-")


def unique_slug(text: str, taken: Callable[[str], bool], fallback: str = "story") -> str:
    """A slug for text that taken() reports free, adding -2, -3, ... when needed."""
    base = slugify(text) or fallback
    candidate, n = base, 1
    while taken(candidate):
        n += 1
        suffix = f"-{n}"
        candidate = base[: MAX_LENGTH - len(suffix)].rstrip("-") + suffix
    return candidate
