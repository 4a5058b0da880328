"""Comment rules shared by the reader pages and the newsroom: status changes and counts.

What follows from a comment elsewhere (email to moderators and to readers following a
thread) listens to the signals below; notifications.init_app connects them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from blinker import Namespace
from flask import Flask, current_app
from sqlalchemy import ScalarSelect, Select, and_, func, or_, select, tuple_, update
from sqlalchemy.orm import aliased

from broadsheet.clock import precise_utcnow, utcnow
from extensions import db
from models import COMMENT_STATUSES, Article, Comment

_signals = Namespace()
# Sent with comment= and follow_replies= (the reader asked for email about replies).
comment_created = _signals.signal("comment-created")
# Sent with comment= when a comment becomes approved after it was posted.
comment_approved = _signals.signal("comment-approved")
# Sent with comment= when a pending comment is decided (approved, spam or deleted).
comment_decided = _signals.signal("comment-decided")


def _app() -> Flask:
    """The application itself, not the context-local proxy: signals are sent by it."""
    return current_app._get_current_object()  # type: ignore[attr-defined]


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
    if comment.erased_at is not None:
        raise ValueError("an erased comment stays deleted")
    if comment.status == status:
        return
    was_pending = comment.status == "pending"
    comment.status = status
    comment.changed_at = precise_utcnow()
    db.session.flush()
    recount(comment.article_id)
    if was_pending:
        comment_decided.send(_app(), comment=comment)
    if status == "approved":
        comment_approved.send(_app(), comment=comment)


# --- Reading threads -------------------------------------------------------------------

MAX_DEPTH = 3  # levels shown; replies below the third level join the third
# A page without JavaScript shows every comment up to the one it was asked for, up to this
# many pages of them; past that it starts at the cursor with a link to the first comments.
MAX_PAGES_THROUGH = 10


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
    from_first: bool = True  # the list starts at the story's first comment


def display_parent_id(comment: Comment, by_id: dict[int, Comment]) -> int | None:
    """The comment this one is shown under: its parent, or the nearest third-level ancestor."""
    parent = by_id.get(comment.parent_id) if comment.parent_id else None
    while parent is not None and parent.depth >= MAX_DEPTH - 1:
        parent = by_id.get(parent.parent_id) if parent.parent_id else None
    return parent.id if parent is not None else comment.parent_id


def shown_beside_parent(comment: Comment) -> bool:
    """Whether the comment sits in a reply list above its parent's (past MAX_DEPTH), so it
    must say whom it answers."""
    return comment.depth >= MAX_DEPTH and comment.parent is not None


def shown_under(comment: Comment) -> int | None:
    """The id of the comment whose reply list shows this one (None for top-level)."""
    parent = comment.parent
    while parent is not None and parent.depth >= MAX_DEPTH - 1:
        parent = parent.parent
    return parent.id if parent is not None else None


def _shown(own_ids: frozenset[int]):
    return or_(
        Comment.status.in_(("approved", "deleted")),
        # The reader's own held ones: spam too, so a person whose browser filled the
        # honeypot sees their comment held for review rather than vanish.
        and_(Comment.status.in_(("pending", "spam")), Comment.id.in_(own_ids)),
    )


def page_cursor(
    comment: Comment, per_page: int, own_ids: frozenset[int] = frozenset()
) -> int | None:
    """The `after` cursor of the load_thread page that shows this comment's thread, or None
    for the first page: where a link to the comment must go for the comment to be there."""
    root = db.session.get_one(Comment, comment.root_id) if comment.root_id else comment
    earlier = (
        select(Comment.id)
        .where(
            Comment.article_id == comment.article_id,
            Comment.parent_id.is_(None),
            _shown(own_ids),
            tuple_(Comment.created_at, Comment.id) < (root.created_at, root.id),
        )
        .order_by(Comment.created_at, Comment.id)
    )
    before = db.session.scalar(select(func.count()).select_from(earlier.subquery()))
    pages_before = (before or 0) // per_page
    if not pages_before:
        return None
    return db.session.scalar(earlier.offset(pages_before * per_page - 1).limit(1))


def load_thread(
    article: Article,
    per_page: int,
    after: int | None = None,
    own_ids: frozenset[int] = frozenset(),
    sort: str = "oldest",
    *,
    through: bool = False,
) -> Thread:
    """One page of top-level comments (keyset after comment `after`) with all their replies;
    `through` also keeps the comments before the page (a page that grows without JS).

    Approved comments, the reader's own held ones, and deleted ones only where replies
    hang beneath them (as placeholders, so the thread still reads). `sort` orders the
    top-level comments: "oldest" first, "newest" first, or most "replies" first; replies
    always read oldest first.
    """
    shown = _shown(own_ids)
    top = select(Comment).where(
        Comment.article_id == article.id, Comment.parent_id.is_(None), shown
    )
    cursor = db.session.get(Comment, after) if after is not None else None
    if cursor is not None and cursor.article_id != article.id:
        cursor = None
    limit = per_page
    if cursor is not None and through and sort == "oldest":
        key, at = tuple_(Comment.created_at, Comment.id), (cursor.created_at, cursor.id)
        upto = db.session.scalar(select(func.count()).select_from(top.where(key <= at).subquery()))
        if upto and upto <= per_page * MAX_PAGES_THROUGH:
            limit, cursor = limit + upto, None
    from_first = cursor is None
    top = _ordered(top, sort, cursor)
    roots = list(db.session.scalars(top.limit(limit + 1)))
    more = len(roots) > limit
    roots = roots[:limit]
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
    return Thread(nodes, roots[-1].id if more else None, from_first)


def _reply_count(root_id) -> ScalarSelect:
    reply = aliased(Comment)
    return (
        select(func.count())
        .select_from(reply)
        .where(reply.root_id == root_id, reply.parent_id.is_not(None), reply.status == "approved")
        .scalar_subquery()
    )


def _ordered(top: Select, sort: str, cursor: Comment | None) -> Select:
    """Top-level comments in the reader's order, after the cursor comment when given."""
    when = tuple_(Comment.created_at, Comment.id)
    if sort == "newest":
        if cursor is not None:
            top = top.where(when < (cursor.created_at, cursor.id))
        return top.order_by(Comment.created_at.desc(), Comment.id.desc())
    if sort == "replies":
        replies = _reply_count(Comment.id)
        if cursor is not None:
            theirs = db.session.scalar(select(_reply_count(cursor.id)))
            top = top.where(
                or_(
                    replies < theirs,
                    and_(replies == theirs, when > (cursor.created_at, cursor.id)),
                )
            )
        return top.order_by(replies.desc(), Comment.created_at, Comment.id)
    if cursor is not None:
        top = top.where(when > (cursor.created_at, cursor.id))
    return top.order_by(Comment.created_at, Comment.id)


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


def arrivals(fresh: list[Comment]) -> list[tuple[Node, int | None]]:
    """New comments as the poll places them: each with the id of the reply list it joins
    (None for the top level), replies to other new comments nested inside those.

    htmx finds every out-of-band target before it swaps any, so a reply list that an
    earlier swap of the same answer creates could never be a target.
    """
    node_of = {c.id: Node(c) for c in fresh}
    placed = []
    for comment in fresh:
        list_parent = shown_under(comment)
        if list_parent in node_of:
            node_of[list_parent].replies.append(node_of[comment.id])
        else:
            placed.append((node_of[comment.id], list_parent))
    return placed


def held_count(article_id: int, own_ids: frozenset[int]) -> int:
    """How many of a reader's own comments on the story wait for review (only they see them)."""
    if not own_ids:
        return 0
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Comment)
            .where(
                Comment.article_id == article_id,
                Comment.id.in_(own_ids),
                Comment.status.in_(("pending", "spam")),
            )
        )
        or 0
    )


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
# "words": suspect words (held_for lists them); "story": the story holds every comment.
HELD_REASONS = ("all", "links", "first", "honeypot", "words", "story")


def initial_status(name: str, email: str, body: str, *, staff: bool = False) -> tuple[str, str]:
    """Approved, or pending when moderation policy or the number of links asks for review;
    with the reason it was held ("" when approved).

    First-time moderation knows a commenter by name and email together, as WordPress does:
    an approved reader's address alone does not let a stranger's name through. Staff are
    known to the newsroom: the first-time hold never applies to them.
    """
    config = current_app.config
    mode = config["COMMENT_MODERATION"]
    if link_count(body) > config["COMMENT_MAX_LINKS"]:
        return "pending", "links"
    if mode == "all":
        return "pending", "all"
    if mode == "first-time" and not staff:
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
    staff_role: str | None = None,
    held_for: str = "",
) -> Comment:
    """Store a new comment and recount the story; the caller commits.

    `staff_role` marks a comment by signed-in staff (its badge); `held_for` names the
    suspect words that make it wait for a moderator, as does a story that pre-moderates.
    """
    if spam:
        status, held_reason = "spam", "honeypot"
    elif held_for:
        status, held_reason = "pending", "words"
    elif article.comments_premoderated:
        status, held_reason = "pending", "story"
    else:
        status, held_reason = initial_status(name, email, body, staff=staff_role is not None)
    comment = Comment(
        article_id=article.id,
        parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 0,
        author_name=name,
        author_email=email,
        author_url=url,
        body=body,
        status=status,
        staff_role=staff_role,
        held_for=held_for[:300],
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
        _app(),
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
