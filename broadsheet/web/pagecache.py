"""Whole anonymous responses, kept so a repeated page renders nothing and runs one query.

A GET from a reader without cookies that make a page theirs (httpcache.reader_is_known) is
looked up by its path and query, page or fragment, the site's generation
(broadsheet/freshness.py), the ten-minute clock step that relative times need, and the
release (code, templates and settings). The language needs no place of its own: a saved
language setting moves the generation on, a configured one changes the release. Any write
a reader could see moves the generation on, so the next request misses and renders.

Kept in this process's memory (least recently used first out, within PAGE_CACHE_BYTES),
or in Redis when REDIS_URL is set, so every worker and host shares one copy. Only a 200
that is `Cache-Control: public` and sets no cookie is kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import OrderedDict
from typing import Protocol, cast

from flask import Flask, Response, current_app, g, request

from broadsheet import freshness
from broadsheet.web.httpcache import clock_step, reader_is_known
from broadsheet.web.templating import is_fragment_request

log = logging.getLogger(__name__)

# Long enough for one clock step: a kept page older than that is never asked for again.
REDIS_SECONDS = 600


class _Store(Protocol):
    def get(self, key: str) -> bytes | None: ...
    def put(self, key: str, entry: bytes) -> None: ...


class _MemoryStore:
    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.used = 0
        self.entries: OrderedDict[str, bytes] = OrderedDict()

    def get(self, key: str) -> bytes | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key: str, entry: bytes) -> None:
        if len(entry) > self.budget // 4:
            return
        if key in self.entries:
            self.used -= len(self.entries.pop(key))
        self.entries[key] = entry
        self.used += len(entry)
        while self.used > self.budget:
            _key, dropped = self.entries.popitem(last=False)
            self.used -= len(dropped)


class _RedisStore:
    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.errors = (redis.RedisError, OSError)
        self.client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        self.prefix = f"{prefix}:page:"

    def get(self, key: str) -> bytes | None:
        try:
            entry = self.client.get(self.prefix + key)
        except self.errors as error:
            log.warning("Page cache: Redis did not answer (%s); rendering", error)
            return None
        return cast(bytes | None, entry)

    def put(self, key: str, entry: bytes) -> None:
        try:
            self.client.set(self.prefix + key, entry, ex=REDIS_SECONDS)
        except self.errors as error:
            log.warning("Page cache: Redis did not answer (%s); not kept", error)


def _store() -> _Store:
    return current_app.extensions["pagecache"]


def _key() -> str | None:
    if request.method not in ("GET", "HEAD") or reader_is_known():
        return None
    state = freshness.current()
    parts = (
        current_app.extensions["httpcache_release"],
        request.full_path,
        is_fragment_request(),
        state.generation,
        state.changed_at,
        clock_step(),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _pack(response: Response) -> bytes:
    head = {"status": response.status_code, "headers": list(response.headers.items())}
    return json.dumps(head).encode() + b"\n" + response.get_data()


def _unpack(entry: bytes) -> Response:
    head, _, body = entry.partition(b"\n")
    fields = json.loads(head)
    return current_app.response_class(body, status=fields["status"], headers=fields["headers"])


def _serve_kept_copy() -> Response | None:
    key = _key()
    if key is None:
        return None
    entry = _store().get(key)
    if entry is None:
        g.request_page_key = key
        return None
    response = _unpack(entry)
    response.make_conditional(request)
    return response


def _keep(response: Response) -> Response:
    key = g.pop("request_page_key", None)
    if (
        key is not None
        and request.method == "GET"
        and response.status_code == 200
        and response.cache_control.public
        and "Set-Cookie" not in response.headers
        and not response.direct_passthrough
        and not response.is_streamed
    ):
        _store().put(key, _pack(response))
    return response


def init_app(app: Flask) -> None:
    if app.config.get("REDIS_URL"):
        store: _Store = _RedisStore(app.config["REDIS_URL"], app.config["RATELIMIT_KEY_PREFIX"])
    else:
        store = _MemoryStore(app.config["PAGE_CACHE_BYTES"])
    app.extensions["pagecache"] = store
    if app.config["PAGE_CACHE_BYTES"] > 0:
        app.before_request(_serve_kept_copy)
        app.after_request(_keep)
