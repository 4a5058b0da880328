"""Helpers for the import and export tests: fixture files, table snapshots, thread shape."""

from __future__ import annotations

import sqlite3
from html.parser import HTMLParser
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from extensions import db

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    db.session.expire_all()
    return {
        table.name: [
            tuple(row)
            for row in db.session.execute(select(table).order_by(*table.primary_key.columns))
        ]
        for table in db.metadata.sorted_tables
    }


def write_jpeg(path: Path, size: tuple[int, int] = (1600, 900)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (20, 90, 160)).save(path, "JPEG")
    return path


def isso_database(path: Path) -> Path:
    """Build the Isso fixture database from its SQL script."""
    connection = sqlite3.connect(path)
    connection.executescript((FIXTURES / "isso.sql").read_text(encoding="utf-8"))
    connection.commit()
    connection.close()
    return path


class _Threads(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.parent_of: dict[str, str | None] = {}
        self.order: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag != "li":
            return
        ident = dict(attrs).get("id") or ""
        if ident.startswith("comment-"):
            self.parent_of[ident] = next((s for s in reversed(self.stack) if s), None)
            self.order.append(ident)
            self.stack.append(ident)
        else:
            self.stack.append(None)

    def handle_endtag(self, tag):
        if tag == "li" and self.stack:
            self.stack.pop()


def thread_shape(html: str) -> tuple[list[str], dict[str, str | None]]:
    """The comment ids on a page in order, and each one's enclosing comment (None at top)."""
    parser = _Threads()
    parser.feed(html)
    return parser.order, parser.parent_of
