"""Static file URLs that carry a hash of the file, so browsers may cache them for a year.

nginx serves /static/ with a long expiry (deploy/nginx-broadsheet.conf); when a file
changes, its URL changes with it (?v=<hash>) and readers fetch the new one at once.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, current_app, request

MAX_AGE = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    app.url_defaults(_add_version)
    app.after_request(_cache_versioned)


def version(filename: str) -> str | None:
    """The hash a static file's URL carries, or None when there is no such file."""
    if current_app.static_folder is None:
        return None
    path = Path(current_app.static_folder, filename)
    try:
        stat = path.stat()
    except OSError:
        return None
    return _file_hash(str(path), stat.st_mtime_ns, stat.st_size)


def _add_version(endpoint: str, values: dict) -> None:
    if endpoint != "static" or "filename" not in values or "v" in values:
        return
    if hashed := version(values["filename"]):
        values["v"] = hashed


def _cache_versioned(response: Response) -> Response:
    # When Flask serves /static/ itself (no nginx in front): a URL whose hash matches the
    # file's content never changes content, so browsers may keep it for a year unasked.
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    if request.args.get("v") and request.args.get("v") == version(filename):
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = MAX_AGE
        response.cache_control.immutable = True
    return response


@lru_cache(maxsize=256)
def _file_hash(path: str, _mtime_ns: int, _size: int) -> str:
    # Keyed on modification time and size too, so an edited file is hashed again.
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
