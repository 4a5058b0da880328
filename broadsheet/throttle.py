"""Rate limits that every gunicorn worker and host share, and that survive a restart.

The counts live in the database by default (the `rate_limits` table: one row per window,
found by its primary key), in Redis when REDIS_URL is set, and in this process's memory
only while Redis does not answer (logged loudly, and /healthz says so).

A limit is written as in the settings, "5/minute;30/hour": each part is a fixed window
holding that many hits. `take()` spends one hit from every window of the limits it is given,
or none at all when any window is full, so a refused request never counts.

In the database the hits are part of the caller's transaction: the comment view takes
them just before it stores the comment, so a comment that is not stored is not counted.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import re
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from flask import Flask, current_app
from sqlalchemy import DateTime, TextClause, bindparam, delete, text, update

from broadsheet.clock import utcnow
from broadsheet.database import rows_changed
from extensions import db
from models import RateLimit

log = logging.getLogger(__name__)

# The settings that hold a limit; init_app refuses to start when one cannot be read.
LIMIT_SETTINGS = (
    "COMMENT_RATE_LIMIT",
    "COMMENT_ADDRESS_RATE_LIMIT",
    "LOGIN_RATE_LIMIT",
    "PRIVACY_REQUEST_RATE_LIMIT",
)
_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_PART = re.compile(r"(\d+)\s*(?:/|per)\s*(\d*)\s*(second|minute|hour|day)s?", re.IGNORECASE)
# After Redis fails, how long to count in memory before asking it again.
REDIS_RETRY_SECONDS = 30


@dataclass(frozen=True)
class Window:
    quota: int
    seconds: int

    @property
    def length(self) -> timedelta:
        return timedelta(seconds=self.seconds)


@cache
def parse(limit: str) -> tuple[Window, ...]:
    """'5/minute;30/hour' (also '5 per minute', '100/2 hours') as its windows."""
    windows = []
    for part in re.split(r"[;,]", limit):
        if not part.strip():
            continue
        match = _PART.fullmatch(part.strip())
        if match is None or int(match.group(1)) < 1:
            raise ValueError(f"{limit!r} is not a rate limit like '5/minute;30/hour'")
        count, multiple, period = match.groups()
        windows.append(Window(int(count), int(multiple or 1) * _PERIODS[period.lower()]))
    if not windows:
        raise ValueError(f"{limit!r} is not a rate limit like '5/minute;30/hour'")
    return tuple(windows)


def network(address: str) -> str:
    """Whom an address stands for: itself for IPv4, its /64 for IPv6 (one subscriber's
    block, which they can walk through freely)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def take(*limits: tuple[str, str]) -> bool:
    """Spend one hit of each (setting, subject) limit, e.g. ("LOGIN_RATE_LIMIT", address).

    True when every window had room (all are spent); False when one was full (none are).
    The subject is stored only as a keyed hash.
    """
    config = current_app.config
    if not config["RATELIMIT_ENABLED"]:
        return True
    key = config["SECRET_KEY"].encode()
    hits = []
    for setting, subject in limits:
        digest = hmac.new(key, f"{setting}\0{subject}".encode(), hashlib.sha256).hexdigest()
        name = setting.removesuffix("_RATE_LIMIT").lower()
        for window in parse(config[setting]):
            hits.append((f"{name}:{digest}:{window.seconds}", window))
    return _store().take(sorted(hits, key=lambda hit: hit[0]))


def purge() -> int:
    """Delete windows that have ended (each queue run does); the caller commits."""
    changed = rows_changed(delete(RateLimit).where(RateLimit.resets_at < utcnow()))
    return changed


def redis_answers() -> bool | None:
    """Whether the configured Redis answers a ping; None when the site uses none."""
    store = _store()
    return store.ping() if isinstance(store, _RedisStore) else None


def init_app(app: Flask) -> None:
    for setting in LIMIT_SETTINGS:
        parse(app.config[setting])
    if app.config.get("REDIS_URL"):
        app.extensions["throttle"] = _RedisStore(
            app.config["REDIS_URL"], app.config["RATELIMIT_KEY_PREFIX"]
        )
    else:
        app.extensions["throttle"] = _DatabaseStore()


def _store():
    return current_app.extensions["throttle"]


Hits = list[tuple[str, Window]]


class _DatabaseStore:
    """One upsert for every window: insert it, or count one more hit where there is room
    (or the window has ended and starts again). A window that refuses returns no row."""

    def take(self, hits: Hits) -> bool:
        now = utcnow()
        params: dict[str, object] = {"now": now}
        for n, (key, window) in enumerate(hits):
            params |= {f"key{n}": key, f"quota{n}": window.quota, f"resets{n}": now + window.length}
        counted = list(db.session.scalars(_upsert(len(hits)), params))
        if len(counted) == len(hits):
            return True
        # Give back what this call counted, inside the same transaction (its rows stay
        # locked until then), so a refused request leaves no trace.
        db.session.execute(
            update(RateLimit).where(RateLimit.key.in_(counted)).values(hits=RateLimit.hits - 1)
        )
        return False


@cache
def _upsert(windows: int) -> TextClause:
    """The upsert for this many windows. Written out (the same SQL on SQLite and PostgreSQL)
    because SQLAlchemy compiles a multi-row INSERT anew on every call: that cost more CPU
    than the rest of the check together."""
    rows = ", ".join(f"(:key{n}, 1, :quota{n}, :resets{n})" for n in range(windows))
    ended = "rate_limits.resets_at <= :now"
    # Only numbered placeholders are formatted in; every value is a bound parameter.
    sql = f"""
        INSERT INTO rate_limits ("key", hits, quota, resets_at) VALUES {rows}
        ON CONFLICT ("key") DO UPDATE SET
            hits = CASE WHEN {ended} THEN 1 ELSE rate_limits.hits + 1 END,
            resets_at = CASE WHEN {ended} THEN excluded.resets_at ELSE rate_limits.resets_at END,
            quota = excluded.quota
        WHERE {ended} OR rate_limits.hits < excluded.quota
        RETURNING "key"
    """  # noqa: S608
    times = [bindparam("now", type_=DateTime())]
    times += [bindparam(f"resets{n}", type_=DateTime()) for n in range(windows)]
    return text(sql).bindparams(*times)


class _MemoryStore:
    """This process's own counts: the fallback while Redis does not answer."""

    def __init__(self) -> None:
        self.windows: dict[str, tuple[int, float]] = {}
        self.lock = threading.Lock()

    def take(self, hits: Hits) -> bool:
        now = time.monotonic()
        with self.lock:
            current = {}
            for key, window in hits:
                count, resets = self.windows.get(key, (0, 0.0))
                if resets <= now:
                    count, resets = 0, now + window.seconds
                if count >= window.quota:
                    return False
                current[key] = (count + 1, resets)
            self.windows.update(current)
            if len(self.windows) > 100_000:
                self.windows = {k: v for k, v in self.windows.items() if v[1] > now}
        return True


# Checks every window first, then counts in all of them: atomic inside Redis.
_REDIS_TAKE = """
for i = 1, #KEYS do
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[2 * i - 1]) then
    return 0
  end
end
for i = 1, #KEYS do
  if redis.call('INCR', KEYS[i]) == 1 then
    redis.call('EXPIRE', KEYS[i], ARGV[2 * i])
  end
end
return 1
"""


class _RedisStore:
    """Redis, shared by every worker and host; this process's memory while it is down."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.errors = (redis.RedisError, OSError)
        self.client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        self.script = self.client.register_script(_REDIS_TAKE)
        self.prefix = prefix
        self.fallback = _MemoryStore()
        self.down_until = 0.0

    def take(self, hits: Hits) -> bool:
        if time.monotonic() < self.down_until:
            return self.fallback.take(hits)
        keys = [f"{self.prefix}:{key}" for key, _window in hits]
        args = [n for _key, w in hits for n in (w.quota, w.seconds)]
        try:
            return self.script(keys=keys, args=args) == 1
        except self.errors as error:
            self.down_until = time.monotonic() + REDIS_RETRY_SECONDS
            log.error(
                "RATE LIMITS DEGRADED: Redis did not answer (%s); each worker counts alone "
                "for the next %d s",
                error,
                REDIS_RETRY_SECONDS,
            )
            return self.fallback.take(hits)

    def ping(self) -> bool:
        try:
            return bool(self.client.ping())
        except self.errors:
            return False
