"""`flask import isso comments.db`: comments from an Isso SQLite database, matched by URL.

Isso keeps threads(id, uri, title) and comments(tid, id, parent, created, modified, mode,
remote_addr, text, author, email, website, ...); mode 1 is accepted, 2 awaiting
moderation, 4 deleted. Rows are read with a cursor, never all at once.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from flask_babel import gettext as _

from broadsheet.discussion import ip_hash
from extensions import db
from models import Article, Comment

from .common import (
    CommentWriter,
    ImportFailed,
    Run,
    article_for_url,
    clip,
    counter,
    one_transaction,
    web_url,
)

SOURCE = "isso"
MODES = {1: "approved", 2: "pending", 4: "deleted"}


def _time(value) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(value), UTC).replace(tzinfo=None, microsecond=0)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _clean(text: str | None) -> str:
    # Isso stores the Markdown the reader typed; our comments are plain text, which reads
    # the same. Control characters go, as they would from a form.
    return "".join(ch for ch in (text or "") if ch in "\n\t" or ch >= " ").strip()


def import_isso(path: str | os.PathLike) -> Run:
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    try:
        source = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise ImportFailed(
            _("%(file)s could not be opened: %(error)s", file=os.fspath(path), error=exc)
        ) from None
    try:
        with one_transaction() as run:
            _import(source, run)
    except sqlite3.DatabaseError as exc:
        raise ImportFailed(
            _(
                "%(file)s is not an Isso database (%(error)s). Nothing was imported.",
                file=os.fspath(path),
                error=exc,
            )
        ) from None
    finally:
        source.close()
    return run


def _import(source: sqlite3.Connection, run: Run) -> None:
    summary = run.summary
    threads: dict[int, int | None] = {}
    for thread_id, uri in source.execute("SELECT id, uri FROM threads ORDER BY id"):
        article = article_for_url(uri)
        threads[thread_id] = article.id if article else None
        summary.thread(uri or str(thread_id), matched=article is not None)
    writer = CommentWriter(SOURCE, summary)
    total = source.execute("SELECT count(*) FROM comments").fetchone()[0]
    rows = source.execute(
        "SELECT tid, id, parent, created, modified, mode, remote_addr, text, author, email, "
        "website "
        "FROM comments ORDER BY id"
    )
    with counter(_("Importing comments"), total) as bar:
        for (
            tid,
            key,
            parent,
            created,
            modified,
            mode,
            address,
            text,
            author,
            email,
            website,
        ) in rows:
            bar.update(1)
            article_id = threads.get(tid)
            if article_id is None:
                summary.skip("comments", _("its thread matched no story"), str(key))
                continue
            status = MODES.get(mode)
            body = _clean(text)
            if status is None:
                summary.skip("comments", _("unknown Isso mode %(mode)s", mode=mode), str(key))
                continue
            if not body and status != "deleted":
                summary.skip("comments", _("empty comment"), str(key))
                continue
            article = db.session.get_one(Article, article_id)
            writer.write(
                article,
                str(key),
                str(parent) if parent else None,
                {
                    "author_name": clip(author, Comment.author_name) or _("Anonymous"),
                    "author_email": clip(email, Comment.author_email),
                    "author_url": web_url(website),
                    "body": body,
                    "status": status,
                    "created_at": _time(created) or article.created_at,
                    "edited_at": _time(modified),
                    "ip_hash": ip_hash(address) if address else "",
                },
            )
    writer.finish()
