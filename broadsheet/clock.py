"""The one place the application asks for the current time, so tests can move it."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC now, to the second: how every timestamp is stored on both databases."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def precise_utcnow() -> datetime:
    """Naive UTC with microseconds, for cursors that must not miss same-second changes."""
    return datetime.now(UTC).replace(tzinfo=None)
