"""URL slugs made from headlines and names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

MAX_LENGTH = 80
_NON_WORD = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['’ʼ]")


def slugify(text: str, max_length: int = MAX_LENGTH) -> str:
    """Lowercase ASCII words joined by hyphens; accents folded, everything else dropped."""
    folded = (
        unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    slug = _NON_WORD.sub("-", folded.lower()).strip("-")
    if len(slug) > max_length:
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
