"""Rendered comment cards, kept per worker process and keyed by everything a card shows.

A thread page renders the same fifty cards for every reader; rendering each through
Jinja, Babel date formatting and URL building was most of the cost of the comment list.
The key holds every input of templates/comments/_card.html (the comment's shown fields,
whether comments are open, whether this reader may edit it, the URLs' parts, locale and
time zone), so a changed comment, a closed story or an author's own view never reuses
another card: there is nothing to invalidate.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from flask import current_app, render_template, request
from flask_babel import get_locale, get_timezone
from markupsafe import Markup

from broadsheet.discussion import comments_open, shown_beside_parent
from broadsheet.web.commenter import can_edit
from broadsheet.web.formats import ago, is_recent
from models import Article, Comment

MAX_CARDS = 2000  # about 1 KiB each: a bounded couple of MiB per worker


class CardCache:
    def __init__(self, size: int = MAX_CARDS) -> None:
        self.size = size
        self._cards: OrderedDict[tuple, Markup] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple) -> Markup | None:
        with self._lock:
            html = self._cards.get(key)
            if html is not None:
                self._cards.move_to_end(key)
            return html

    def put(self, key: tuple, html: Markup) -> None:
        with self._lock:
            self._cards[key] = html
            while len(self._cards) > self.size:
                self._cards.popitem(last=False)


def _cache() -> CardCache:
    cache = current_app.extensions.get("comment_cards")
    if cache is None:
        cache = current_app.extensions["comment_cards"] = CardCache()
    return cache


def card_html(comment: Comment, article: Article) -> Markup:
    """templates/comments/_card.html for this comment, rendered once per distinct input."""
    key = (
        comment.id,
        comment.status,
        comment.author_name,
        comment.author_url,
        comment.body,
        comment.created_at,
        # "5 minutes ago" moves on by itself: the text is part of what the card shows.
        ago(comment.created_at) if is_recent(comment.created_at) else None,
        comment.edited_at,
        # A deep reply names the comment it answers.
        (comment.parent.author_name, comment.parent.status)
        if comment.parent is not None and shown_beside_parent(comment)
        else None,
        comment.staff_role,
        comment.featured_at is not None,
        comments_open(article),
        can_edit(comment),
        article.id,
        article.slug,
        article.category.slug,
        request.script_root,
        str(get_locale()),
        str(get_timezone()),
    )
    cache = _cache()
    html = cache.get(key)
    if html is None:
        html = Markup(render_template("comments/_card.html", comment=comment, article=article))  # noqa: S704 - rendered by an autoescaping template
        cache.put(key, html)
    return html
