"""Static file URLs that carry a hash of the file, so browsers may cache them for a year.

nginx serves /static/ with a long expiry (deploy/nginx-broadsheet.conf); when a file
changes, its URL changes with it (?v=<hash>) and readers fetch the new one at once.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app


def init_app(app: Flask) -> None:
    app.url_defaults(_add_version)


def _add_version(endpoint: str, values: dict) -> None:
    if endpoint != "static" or "filename" not in values or "v" in values:
        return
    if current_app.static_folder is None:
        return
    path = Path(current_app.static_folder, values["filename"])
    try:
        stat = path.stat()
    except OSError:
        return
    values["v"] = _file_hash(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _file_hash(path: str, _mtime_ns: int, _size: int) -> str:
    # Keyed on modification time and size too, so an edited file is hashed again.
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
