"""Comment rules shared by the reader pages and the newsroom: status changes and counts.

What follows from a comment elsewhere (email to moderators and to readers following a
thread) listens to the two signals below; notifications.init_app connects them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from blinker import Namespace
from flask import current_app
from sqlalchemy import and_, func, or_, select, tuple_, update

from broadsheet.clock import precise_utcnow, utcnow
from extensions import db
from models import COMMENT_STATUSES, Article, Comment

_signals = Namespace()
# Sent with comment= and follow_replies= (the reader asked for email about replies).
comment_created = _signals.signal("comment-created")
# Sent with comment= when a comment becomes approved after it was posted.
comment_approved = _signals.signal("comment-approved")


def recount(article_id: int) -> None:
    """Store the number of approved comments on the article (shown on pages and cards)."""
    # Lock the story first, in a statement of its own: on PostgreSQL an UPDATE that waits
    # for another writer's lock still counts from the snapshot it started with, and would
    # miss the comment that writer just added. NO KEY UPDATE leaves comment inserts (which
    # take a key-share lock on the story) free to go on. SQLite ignores the clause.
    db.session.execute(
        select(Article.id).where(Article.id == article_id).with_for_update(key_share=True)
    )
    approved = (
        select(func.count())
        .select_from(Comment)
        .where(Comment.article_id == article_id, Comment.status == "approved")
        .scalar_subquery()
    )
    db.session.execute(
        update(Article).where(Article.id == article_id).values(comment_count=approved)
    )


def set_status(comment: Comment, status: str) -> None:
    """Move a comment to a new status and keep the story's count right; the caller commits."""
    if status not in COMMENT_STATUSES:
        raise ValueError(f"unknown comment status {status!r}")
    if comment.status == status:
        return
    comment.status = status
    comment.changed_at = precise_utcnow()
    db.session.flush()
    recount(comment.article_id)
    if status == "approved":
        comment_approved.send(current_app._get_current_object(), comment=comment)  # type: ignore[attr-defined]


# --- Reading threads -------------------------------------------------------------------

MAX_DEPTH = 3  # levels shown; replies below the third level join the third


@dataclass
class Node:
    """A comment as the thread shows it, with the replies displayed beneath it."""

    comment: Comment
    replies: list[Node] = field(default_factory=list)

    @property
    def placeholder(self) -> bool:
        return self.comment.status == "deleted"


@dataclass
class Thread:
    nodes: list[Node]
    next_cursor: int | None


def display_parent_id(comment: Comment, by_id: dict[int, Comment]) -> int | None:
    """The comment this one is shown under: its parent, or the nearest third-level ancestor."""
    parent = by_id.get(comment.parent_id) if comment.parent_id else None
    while parent is not None and parent.depth >= MAX_DEPTH - 1:
        parent = by_id.get(parent.parent_id) if parent.parent_id else None
    return parent.id if parent is not None else comment.parent_id


def shown_under(comment: Comment) -> int | None:
    """The id of the comment whose reply list shows this one (None for top-level)."""
    parent = comment.parent
    while parent is not None and parent.depth >= MAX_DEPTH - 1:
        parent = parent.parent
    return parent.id if parent is not None else None


def load_thread(
    article: Article, per_page: int, after: int | None = None, own_ids: frozenset[int] = frozenset()
) -> Thread:
    """One page of top-level comments (keyset after comment `after`) with all their replies.

    Approved comments, the reader's own pending ones, and deleted ones only where replies
    hang beneath them (as placeholders, so the thread still reads).
    """
    shown = or_(
        Comment.status.in_(("approved", "deleted")),
        and_(Comment.status == "pending", Comment.id.in_(own_ids)),
    )
    top = (
        select(Comment)
        .where(Comment.article_id == article.id, Comment.parent_id.is_(None), shown)
        .order_by(Comment.created_at, Comment.id)
    )
    if after is not None:
        cursor = db.session.get(Comment, after)
        if cursor is not None and cursor.article_id == article.id:
            top = top.where(tuple_(Comment.created_at, Comment.id) > (cursor.created_at, cursor.id))
    roots = list(db.session.scalars(top.limit(per_page + 1)))
    more = len(roots) > per_page
    roots = roots[:per_page]
    replies = []
    if roots:
        replies = list(
            db.session.scalars(
                select(Comment)
                .where(
                    Comment.root_id.in_([r.id for r in roots]),
                    Comment.parent_id.is_not(None),
                    shown,
                )
                .order_by(Comment.created_at, Comment.id)
            )
        )
    nodes = _build(roots, replies)
    return Thread(nodes, roots[-1].id if more else None)


def _build(roots: list[Comment], replies: list[Comment]) -> list[Node]:
    by_id = {c.id: c for c in (*roots, *replies)}
    node_of = {c.id: Node(c) for c in by_id.values()}
    for reply in replies:
        parent_id = display_parent_id(reply, by_id)
        if parent_id in node_of:
            node_of[parent_id].replies.append(node_of[reply.id])
    return _prune([node_of[r.id] for r in roots])


def _prune(nodes: list[Node]) -> list[Node]:
    kept = []
    for node in nodes:
        node.replies = _prune(node.replies)
        if not node.placeholder or node.replies:
            kept.append(node)
    return kept


def changed_since(article: Article, since: datetime, exclude: frozenset[int]) -> list[Comment]:
    """Comments approved after `since` (the live update poll), oldest first."""
    return list(
        db.session.scalars(
            select(Comment)
            .where(
                Comment.article_id == article.id,
                Comment.status == "approved",
                Comment.changed_at > since,
                Comment.id.not_in(exclude),
            )
            .order_by(Comment.created_at, Comment.id)
        )
    )


# --- Writing -----------------------------------------------------------------------------


def ip_hash(address: str) -> str:
    """A keyed hash of the client address: equal addresses match, none can be read back."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def link_count(text: str) -> int:
    return len(_URL.findall(text))


# Why a comment was held for moderation, or taken for spam: the moderation queue says so.
HELD_REASONS = ("all", "links", "first", "honeypot")


def initial_status(name: str, email: str, body: str) -> tuple[str, str]:
    """Approved, or pending when moderation policy or the number of links asks for review;
    with the reason it was held ("" when approved).

    First-time moderation knows a commenter by name and email together, as WordPress does:
    an approved reader's address alone does not let a stranger's name through.
    """
    config = current_app.config
    mode = config["COMMENT_MODERATION"]
    if link_count(body) > config["COMMENT_MAX_LINKS"]:
        return "pending", "links"
    if mode == "all":
        return "pending", "all"
    if mode == "first-time":
        known = db.session.scalar(
            select(Comment.id)
            .where(
                func.lower(Comment.author_email) == email.lower(),
                func.lower(Comment.author_name) == name.lower(),
                Comment.status == "approved",
            )
            .limit(1)
        )
        return ("approved", "") if known else ("pending", "first")
    return "approved", ""


def create(
    article: Article,
    *,
    name: str,
    email: str,
    url: str,
    body: str,
    parent: Comment | None,
    address: str,
    user_agent: str,
    token: str | None,
    spam: bool = False,
    follow_replies: bool = False,
) -> Comment:
    """Store a new comment and recount the story; the caller commits."""
    status, held_reason = ("spam", "honeypot") if spam else initial_status(name, email, body)
    comment = Comment(
        article_id=article.id,
        parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 0,
        author_name=name,
        author_email=email,
        author_url=url,
        body=body,
        status=status,
        held_reason=held_reason,
        ip_hash=ip_hash(address),
        user_agent=user_agent[:300],
        submission_token=token,
        created_at=utcnow(),
        changed_at=precise_utcnow(),
    )
    db.session.add(comment)
    db.session.flush()
    comment.root_id = parent.root_id if parent else comment.id
    recount(article.id)
    comment_created.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        comment=comment,
        follow_replies=follow_replies,
    )
    return comment


def already_said(article: Article, body: str, token: str | None) -> bool:
    """Whether this exact text already stands under the story (a flood from many addresses
    repeats it word for word); deleted comments, and a copy of this same form (token) that
    got in first, do not count."""
    said = select(Comment.id).where(
        Comment.article_id == article.id, Comment.body == body, Comment.status != "deleted"
    )
    if token:
        said = said.where(
            or_(Comment.submission_token.is_(None), Comment.submission_token != token)
        )
    return db.session.scalar(said.limit(1)) is not None


def edited(comment: Comment, body: str) -> None:
    """Change a comment's text; the new text meets the rules a new comment meets, so an
    approved comment edited to a wall of links goes back to the queue. The caller commits."""
    comment.body = body
    comment.edited_at = utcnow()
    if comment.status == "approved":
        held, comment.held_reason = initial_status(comment.author_name, comment.author_email, body)
        set_status(comment, held)


def comments_open(article: Article) -> bool:
    """Open unless switched off for the story or older than the configured limit."""
    if not article.comments_open:
        return False
    days = current_app.config["COMMENTS_CLOSE_AFTER_DAYS"]
    if days and article.published_at is not None:
        return utcnow() - article.published_at <= timedelta(days=days)
    return True


# --- Showing comment text -------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    text: str
    href: str | None = None


_TRAILING = ".,;:!?)]}'\""


def paragraphs(text: str) -> list[list[list[Segment]]]:
    """Plain comment text as paragraphs of lines of text and link segments (for the template)."""
    result = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = []
        for line in block.splitlines():
            segments, pos = [], 0
            for match in _URL.finditer(line):
                url = match.group().rstrip(_TRAILING)
                start, end = match.start(), match.start() + len(url)
                if start > pos:
                    segments.append(Segment(line[pos:start]))
                segments.append(Segment(url, url))
                pos = end
            if pos < len(line):
                segments.append(Segment(line[pos:]))
            lines.append(segments)
        result.append(lines)
    return result
