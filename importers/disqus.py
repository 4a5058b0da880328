"""`flask import disqus EXPORT.xml`: comments from a Disqus export, matched to stories by URL.

A Disqus export lists every <thread> (a page that had comments: its URL) and then every
<post> (a comment, naming its thread and parent by Disqus id). Both are handled at their
end tags and dropped; only a map of thread id -> story id is kept.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

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
    comment_text,
    one_transaction,
    parse_date,
    parse_error,
    progress_file,
)

SOURCE = "disqus"
DSQ = "{http://disqus.com/disqus-internals}id"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(elem: ET.Element, name: str) -> ET.Element | None:
    for child in elem:
        if _local(child.tag) == name:
            return child
    return None


def _text(elem: ET.Element | None, *path: str) -> str:
    for name in path:
        if elem is None:
            return ""
        elem = _child(elem, name)
    return (elem.text or "").strip() if elem is not None else ""


def _true(value: str) -> bool:
    return value.strip().lower() == "true"


class Importer:
    def __init__(self, run: Run) -> None:
        self.run = run
        self.summary = run.summary
        self.threads: dict[str, int | None] = {}
        self.comments = CommentWriter(SOURCE, self.summary)

    def thread(self, elem: ET.Element) -> None:
        thread_id = elem.get(DSQ, "")
        link = _text(elem, "link")
        article = article_for_url(link)
        if article is None:
            # The WordPress plugin's identifier, "123 https://site/?p=123", still finds it.
            identifier = _text(elem, "id").split(" ", 1)
            if identifier[0].isdigit():
                article = article_for_url(f"?p={identifier[0]}")
        self.threads[thread_id] = article.id if article else None
        self.summary.thread(link or thread_id, matched=article is not None)

    def post(self, elem: ET.Element) -> None:
        key = elem.get(DSQ, "")
        thread = _child(elem, "thread")
        article_id = self.threads.get(thread.get(DSQ, "") if thread is not None else "")
        if article_id is None:
            self.summary.skip("comments", _("its thread matched no story"), key)
            return
        body = comment_text(_text(elem, "message"))
        if not key or not body:
            self.summary.skip("comments", _("empty comment"), key)
            return
        if _true(_text(elem, "isSpam")):
            status = "spam"
        elif _true(_text(elem, "isDeleted")):
            status = "deleted"
        elif _text(elem, "isApproved").lower() == "false":
            status = "pending"
        else:
            status = "approved"
        article = db.session.get_one(Article, article_id)
        parent = _child(elem, "parent")
        address = _text(elem, "ipAddress")
        name = _text(elem, "author", "name") or _text(elem, "author", "username")
        self.comments.write(
            article,
            key,
            parent.get(DSQ) if parent is not None else None,
            {
                "author_name": clip(name, Comment.author_name) or _("Anonymous"),
                "author_email": clip(_text(elem, "author", "email"), Comment.author_email),
                "author_url": "",
                "body": body,
                "status": status,
                "created_at": parse_date(_text(elem, "createdAt")) or article.created_at,
                "ip_hash": ip_hash(address) if address else "",
            },
        )


def import_disqus(path: str | os.PathLike) -> Run:
    with one_transaction() as run:
        importer = Importer(run)
        root: ET.Element | None = None
        try:
            with progress_file(path, _("Reading %(file)s", file=os.fspath(path))) as stream:
                # See wordpress.py: expat caps entity expansion; no external entities.
                events = ET.iterparse(stream, events=("start", "end"))  # noqa: S314
                for event, elem in events:
                    if event == "start":
                        if root is None:
                            root = elem
                        continue
                    name = _local(elem.tag)
                    if root is None or elem is root:
                        continue
                    if name == "thread" and _child(elem, "link") is not None:
                        importer.thread(elem)
                    elif name == "post":
                        importer.post(elem)
                    else:
                        continue
                    # Threads and posts are children of the root: drop each once read.
                    if len(root) and root[-1] is elem:
                        root.remove(elem)
                    elem.clear()
        except ET.ParseError as exc:
            raise parse_error(exc, path) from None
        if root is None or _local(root.tag) != "disqus":
            raise ImportFailed(
                _("%(file)s is not a Disqus export. Nothing was imported.", file=os.fspath(path))
            )
        importer.comments.finish()
    return run
