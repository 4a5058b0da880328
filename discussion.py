"""Comment rules shared by the reader pages and the newsroom: status changes and counts."""

from __future__ import annotations

from sqlalchemy import func, select, update

from clock import utcnow
from extensions import db
from models import COMMENT_STATUSES, Article, Comment


def recount(article_id: int) -> None:
    """Store the number of approved comments on the article (shown on pages and cards)."""
    approved = (
        select(func.count())
        .select_from(Comment)
        .where(Comment.article_id == article_id, Comment.status == "approved")
        .scalar_subquery()
    )
    db.session.execute(update(Article).where(Article.id == article_id).values(comment_count=approved))


def set_status(comment: Comment, status: str) -> None:
    """Move a comment to a new status and keep the story's count right; the caller commits."""
    if status not in COMMENT_STATUSES:
        raise ValueError(f"unknown comment status {status!r}")
    if comment.status == status:
        return
    comment.status = status
    comment.changed_at = utcnow()
    db.session.flush()
    recount(comment.article_id)
