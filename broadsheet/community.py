"""The newsroom's tools for large comment sections: word lists, bans, reader reports,
editors' picks and the reader's choice of order.

What readers see changes here only through comment and story rows (a pick, a comment hidden
by reports, a story's notice), so the site's generation moves on with them (freshness.py).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from flask import current_app
from sqlalchemy import false, func, or_, select, tuple_, update
from sqlalchemy.orm import selectinload

from broadsheet.clock import utcnow
from broadsheet.discussion import set_status
from broadsheet.mail import mailbox
from extensions import db
from models import Article, Comment, CommentBan, CommentReport, WordList

SORTS = ("oldest", "newest", "replies")


def configure(article: Article, *, premoderated: bool, notice: str) -> None:
    """A story's own comment settings; the caller commits."""
    if (article.comments_premoderated, article.comments_notice) != (premoderated, notice):
        article.comments_premoderated = premoderated
        article.comments_notice = notice


# --- Word lists ---------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def fold(text: str) -> list[str]:
    """The words of a text, case- and accent-folded: "Déjà VU" reads as ["deja", "vu"]."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(unicodedata.normalize("NFKC", bare))


def entries(words: str) -> list[str]:
    """The words or phrases of a list as typed: one a line, blank lines dropped."""
    return [line.strip() for line in words.splitlines() if fold(line)]


def word_list(kind: str) -> str:
    row = db.session.get(WordList, kind)
    return row.words if row is not None else ""


def save_word_list(kind: str, words: str) -> None:
    """Store a list, one entry a line; the caller commits."""
    text = "\n".join(entries(words))
    row = db.session.get(WordList, kind)
    if row is None:
        db.session.add(WordList(kind=kind, words=text, updated_at=utcnow()))
    elif row.words != text:
        row.words = text


def matches(kind: str, text: str) -> list[str]:
    """The entries of a list found in the text as whole words (or whole phrases)."""
    found, words = [], fold(text)
    for entry in entries(word_list(kind)):
        wanted = fold(entry)
        size = len(wanted)
        if any(words[i : i + size] == wanted for i in range(len(words) - size + 1)):
            found.append(entry)
    return found


# --- Bans ---------------------------------------------------------------------------------


def active_ban(email: str, address_hash: str) -> CommentBan | None:
    """The ban that refuses this commenter (by email, or by the address they post from)."""
    by_address = CommentBan.ip_hash == address_hash if address_hash else false()
    return db.session.scalar(
        select(CommentBan)
        .where(CommentBan.lifted_at.is_(None), or_(CommentBan.email == mailbox(email), by_address))
        .limit(1)
    )


def ban(comment: Comment, reason: str, *, by_address: bool, moderator_id: int) -> CommentBan:
    """Refuse the comment's author from now on; the caller commits."""
    row = CommentBan(
        email=mailbox(comment.author_email),
        author_name=comment.author_name,
        ip_hash=comment.ip_hash if by_address else "",
        reason=reason,
        created_by=moderator_id,
        created_at=utcnow(),
    )
    db.session.add(row)
    return row


def active_bans() -> list[CommentBan]:
    return list(
        db.session.scalars(
            select(CommentBan)
            .where(CommentBan.lifted_at.is_(None))
            .order_by(CommentBan.created_at.desc(), CommentBan.id.desc())
        )
    )


def lift(ban_row: CommentBan) -> None:
    ban_row.lifted_at = utcnow()


# --- Reports ------------------------------------------------------------------------------


def already_reported(comment: Comment, reporter_hash: str) -> bool:
    return (
        db.session.scalar(
            select(CommentReport.id).where(
                CommentReport.comment_id == comment.id,
                CommentReport.reporter_hash == reporter_hash,
            )
        )
        is not None
    )


def report(comment: Comment, reason: str, note: str, reporter_hash: str) -> None:
    """Store a reader's report; enough distinct readers hide the comment until reviewed.
    The caller commits."""
    db.session.add(
        CommentReport(
            comment_id=comment.id,
            reason=reason,
            note=note if reason == "other" else "",
            reporter_hash=reporter_hash,
            created_at=utcnow(),
        )
    )
    db.session.flush()
    if (
        comment.status == "approved"
        and open_report_count(comment) >= (current_app.config["COMMENT_REPORTS_TO_HIDE"])
    ):
        set_status(comment, "pending")


def open_report_count(comment: Comment) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(CommentReport)
            .where(CommentReport.comment_id == comment.id, CommentReport.reviewed_at.is_(None))
        )
        or 0
    )


def close_reports(comment: Comment) -> None:
    """A moderator acted on the comment: its reports are dealt with. The caller commits."""
    db.session.execute(
        update(CommentReport)
        .where(CommentReport.comment_id == comment.id, CommentReport.reviewed_at.is_(None))
        .values(reviewed_at=utcnow())
    )


def reported_comments() -> list[tuple[Comment, dict[str, int], list[str]]]:
    """Comments with reports not yet dealt with, most reported first: each with its counts
    by reason and the notes readers gave."""
    rows = db.session.execute(
        select(CommentReport.comment_id, CommentReport.reason, CommentReport.note).where(
            CommentReport.reviewed_at.is_(None)
        )
    ).all()
    reasons: dict[int, dict[str, int]] = {}
    notes: dict[int, list[str]] = {}
    for comment_id, reason, note in rows:
        counted = reasons.setdefault(comment_id, {})
        counted[reason] = counted.get(reason, 0) + 1
        if note:
            notes.setdefault(comment_id, []).append(note)
    comments = db.session.scalars(select(Comment).where(Comment.id.in_(reasons)))
    listed = [(c, reasons[c.id], notes.get(c.id, [])) for c in comments]
    listed.sort(key=lambda item: (-sum(item[1].values()), item[0].created_at))
    return listed


def reported_count() -> int:
    return (
        db.session.scalar(
            select(func.count(func.distinct(CommentReport.comment_id))).where(
                CommentReport.reviewed_at.is_(None)
            )
        )
        or 0
    )


# --- Editors' picks -----------------------------------------------------------------------


def feature(comment: Comment, featured: bool) -> None:
    """Make the comment an editors' pick, or stop; the caller commits."""
    when: datetime | None = utcnow() if featured else None
    if (comment.featured_at is None) == (when is None):
        return
    comment.featured_at = when


def featured(article_id: int, limit: int) -> list[Comment]:
    """The story's editors' picks that readers may see, latest pick first."""
    return list(
        db.session.scalars(
            select(Comment)
            .where(
                Comment.article_id == article_id,
                Comment.featured_at.is_not(None),
                Comment.status == "approved",
            )
            .order_by(Comment.featured_at.desc(), Comment.id.desc())
            .limit(limit)
        )
    )


def featured_count(article_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Comment)
            .where(
                Comment.article_id == article_id,
                Comment.featured_at.is_not(None),
                Comment.status == "approved",
            )
        )
        or 0
    )


# --- The moderation queue -----------------------------------------------------------------


def pending_after(after: Comment | None, story_id: int | None, limit: int) -> list[Comment]:
    """The next pending comments, oldest first, after the last one the moderator has: a
    keyset, so comments dealt with meanwhile never make the queue skip others."""
    query = select(Comment).where(Comment.status == "pending")
    if story_id:
        query = query.where(Comment.article_id == story_id)
    if after is not None:
        query = query.where(tuple_(Comment.created_at, Comment.id) > (after.created_at, after.id))
    return list(
        db.session.scalars(
            query.options(selectinload(Comment.article), selectinload(Comment.parent))
            .order_by(Comment.created_at, Comment.id)
            .limit(limit)
        )
    )
