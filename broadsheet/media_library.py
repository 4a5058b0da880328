"""The newsroom's media library: every uploaded picture, with its description, caption and
credit, found again by any of them and put into another story."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, or_, select

from broadsheet.pagination import Page
from broadsheet.rendering import picture_markdown
from extensions import db
from models import MediaItem, User

# How many pictures the story editor's picker shows at once.
PICKER_SIZE = 8


def add(
    stem: str, user: User | None, alt: str = "", caption: str = "", credit: str = ""
) -> MediaItem:
    """Keep a stored picture (images.store's stem) in the library, once; the caller commits."""
    known = db.session.scalar(select(MediaItem).where(MediaItem.stem == stem))
    if known is not None:
        return known
    item = MediaItem(
        stem=stem,
        alt=alt,
        caption=caption,
        credit=credit,
        uploaded_by=user.id if user else None,
    )
    db.session.add(item)
    return item


def find(query: str, number: int, per_page: int) -> Page[MediaItem]:
    """Pictures whose description, caption, credit or file name has the words, newest first."""
    stmt = select(MediaItem)
    for word in query.split()[:8]:
        like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(
            or_(
                *(
                    column.ilike(like, escape="\\")
                    for column in (
                        MediaItem.alt,
                        MediaItem.caption,
                        MediaItem.credit,
                        MediaItem.stem,
                    )
                )
            )
        )
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(MediaItem.created_at.desc(), MediaItem.id.desc())
        .limit(per_page)
        .offset((number - 1) * per_page)
    )
    return Page(list(rows), number, per_page, total)


def markdown(item: MediaItem) -> str:
    """The line that puts the picture in a story body, at the widest stored size."""
    width = current_app.config["IMAGE_WIDTHS"][-1]
    return picture_markdown(item.stem, width, item.alt, item.caption, item.credit)
