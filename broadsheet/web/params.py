"""Filters for what people type into any form or query string: the same cleaning everywhere."""

from __future__ import annotations

import re

from models import MAX_ID

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value):
    """Drop control characters (NUL breaks PostgreSQL) and surrounding space."""
    if not isinstance(value, str):
        return value
    return _CONTROL.sub("", value).replace("\r\n", "\n").strip()


def id_param(raw: str | None) -> int | None:
    """An id from a query string or form, or None for anything else: not ASCII digits, or
    more than an id column holds."""
    if not raw or not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_ID)):
        return None
    number = int(raw)
    return number if number <= MAX_ID else None
