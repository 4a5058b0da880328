"""Values from URLs, query strings and forms, parsed and cleaned the same way everywhere."""

from __future__ import annotations

from datetime import UTC, datetime

from werkzeug.routing import IntegerConverter

from broadsheet.text import plain_name, without_control
from models import MAX_ID


def clean(value):
    """A form filter: control characters (NUL breaks PostgreSQL) and surrounding space go."""
    if not isinstance(value, str):
        return value
    return without_control(value).replace("\r\n", "\n").strip()


def clean_name(value):
    """A form filter for a person's name: one line, nothing that reorders or hides text."""
    return plain_name(value) if isinstance(value, str) else value


def digits(raw: str | None, max_length: int) -> int | None:
    """A number written in at most max_length ASCII digits, or None for anything else
    ('²' passes str.isdigit() but not int(); a thousand digits would just be slow)."""
    if not raw or len(raw) > max_length or not (raw.isascii() and raw.isdigit()):
        return None
    return int(raw)


def id_param(raw: str | None) -> int | None:
    """An id from a query string or form, or None when it is not one an id column holds."""
    number = digits(raw, len(str(MAX_ID)))
    return number if number is not None and number <= MAX_ID else None


def page_number(raw: str | None) -> int | None:
    """The page a query string asks for: 1 when absent, None when it is not a page number."""
    if raw is None or raw == "":
        return 1
    number = digits(raw, 7)
    return number if number is not None and number >= 1 else None


def epoch_time(raw: str | None, per_second: int = 1) -> datetime | None:
    """A naive-UTC time from a Unix timestamp in seconds (or per_second parts of one)."""
    number = digits(raw, 17)
    if number is None:
        return None
    try:
        return datetime.fromtimestamp(number / per_second, UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):  # beyond the years a datetime holds
        return None


class IdConverter(IntegerConverter):
    """`<int:...>` in every route stops where the id columns do: a longer number is a 404,
    not an overflow that aborts a PostgreSQL query."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)
