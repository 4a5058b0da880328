"""Helpers for the import and export tests: fixture files, table snapshots, thread shape."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import select

from extensions import db

FIXTURES = Path(__file__).parents[1] / "fixtures" / "import"
# An export made by WordPress 6.1.9 itself, with its wp-content/uploads folder (issue 22).
WP61 = FIXTURES / "wordpress-6.1"
STATM = "/proc/self/statm"


def resident_bytes() -> int:
    with open(STATM) as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def memory_growth(call: Callable[[], Any]) -> tuple[Any, int]:
    """What call() returns, and how far the process's resident memory rose above where it
    started while it ran (sampled every few milliseconds)."""
    before = peak = resident_bytes()
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.002):
            peak = max(peak, resident_bytes())

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        result = call()
    finally:
        done.set()
        sampler.join()
    return result, max(peak, resident_bytes()) - before


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order (but the site's generation counter,
    which any write moves on)."""
    db.session.expire_all()
    return {
        table.name: [
            tuple(row)
            for row in db.session.execute(select(table).order_by(*table.primary_key.columns))
        ]
        for table in db.metadata.sorted_tables
        if table.name != "site_generation"
    }


def story_body(html: str) -> str:
    """The story body of an article page (a body holds no <div> of its own)."""
    return html.split('<div class="story-body" dir="auto">', 1)[1].split("</div>", 1)[0]


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


def write_large_wxr(path: Path, posts: int, comments_per_post: int, body_kb: int) -> Path:
    """A generated WordPress export: many long posts, each with a thread of comments."""
    paragraph = "<p>" + "The harbour board met again on Tuesday to discuss the ferries. " * 15
    paragraph += "</p>\n"
    body = paragraph * max(1, body_kb * 1024 // len(paragraph))
    remark = "A thoughtful comment about the ferries and the timetable. " * 8
    comment_id = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<wp:base_blog_url>https://big.example.org</wp:base_blog_url>\n"
        )
        for n in range(1, posts + 1):
            out.write(
                f"<item><title>Story {n}</title>"
                f"<link>https://big.example.org/2021/01/01/story-{n}/</link>"
                f"<dc:creator>desk</dc:creator><content:encoded><![CDATA[{body}]]>"
                f"</content:encoded><wp:post_id>{n}</wp:post_id>"
                "<wp:post_date_gmt>2021-01-01 10:00:00</wp:post_date_gmt>"
                f"<wp:post_name>story-{n}</wp:post_name><wp:status>publish</wp:status>"
                '<wp:post_type>post</wp:post_type><category domain="category" '
                'nicename="news"><![CDATA[News]]></category>\n'
            )
            first = comment_id + 1
            for _ in range(comments_per_post):
                comment_id += 1
                parent = first if comment_id > first else 0
                out.write(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>Reader {comment_id}</wp:comment_author>"
                    "<wp:comment_date_gmt>2021-01-01 11:00:00</wp:comment_date_gmt>"
                    f"<wp:comment_content><![CDATA[{remark}]]></wp:comment_content>"
                    "<wp:comment_approved>1</wp:comment_approved>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n"
                )
            out.write("</item>\n")
        out.write("</channel>\n</rss>\n")
    return path
