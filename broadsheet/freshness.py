"""Whether anything a reader sees has changed, read in constant time.

One row (models.SiteGeneration) holds a counter that moves on in the same transaction as
every write a reader could see: any flush that adds, changes or removes a story, comment,
section, tag, redirect, site setting, correction, front-page pin, banner or author page, or
a staff member's byline, and any INSERT, UPDATE or DELETE statement on those tables (bulk
updates, `flask import`). Page validators and the page cache read that row, never the
stories and comments. The row also says when the next change that comes with time alone
is due (a scheduled story going live, a breaking-news banner coming down); the first
request after that moment moves the counter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import cast

from flask import Flask, g
from sqlalchemy import Table, event, func, insert, inspect, select, union_all, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from broadsheet.clock import precise_utcnow, utcnow
from extensions import db
from models import (
    Article,
    ArticleSlugAlias,
    AuthorPage,
    BreakingNews,
    Category,
    CategorySlugAlias,
    Comment,
    Correction,
    FrontPagePin,
    LegacyRedirect,
    SiteGeneration,
    SiteSetting,
    Tag,
    User,
    article_tags,
)

SHOWN_TO_READERS = (
    Article,
    ArticleSlugAlias,
    AuthorPage,
    BreakingNews,
    Category,
    CategorySlugAlias,
    Comment,
    Correction,
    FrontPagePin,
    LegacyRedirect,
    SiteSetting,
    Tag,
)
# Columns of those that no page shows: the privacy purge and the newsroom's save counter.
UNSEEN_COLUMNS = {
    Comment: frozenset({"ip_hash", "user_agent"}),
    Article: frozenset({"version"}),
}
# Staff appear on reader pages only as bylines.
BYLINE_COLUMNS = frozenset({"name", "email"})

_ROW = cast(Table, SiteGeneration.__table__)
# For statements written against tables (bulk updates, imports): the unseen columns of each.
_SHOWN_TABLES = {
    **{m.__tablename__: UNSEEN_COLUMNS.get(m, frozenset()) for m in SHOWN_TO_READERS},
    article_tags.name: frozenset(),
}


@dataclass(frozen=True)
class Freshness:
    generation: int
    changed_at: datetime | None


def current() -> Freshness:
    """The site's generation, read once a request."""
    if "request_freshness" not in g:
        row = db.session.execute(
            select(_ROW.c.generation, _ROW.c.changed_at, _ROW.c.next_live_at)
        ).one_or_none()
        if row is None:
            g.request_freshness = Freshness(0, None)
        elif row.next_live_at is not None and row.next_live_at <= utcnow():
            g.request_freshness = _scheduled_story_went_live(row.generation)
        else:
            g.request_freshness = Freshness(row.generation, row.changed_at)
    return g.request_freshness


def _scheduled_story_went_live(seen: int) -> Freshness:
    # In a transaction of its own: the reader's request writes nothing else. Of several
    # workers arriving at once, one moves the counter on; the others read its result.
    with db.engine.begin() as connection:
        connection.execute(_bump().where(_ROW.c.generation == seen))
        row = connection.execute(select(_ROW.c.generation, _ROW.c.changed_at)).one()
    return Freshness(row.generation, row.changed_at)


def _bump():
    now = utcnow()
    # Pages change with no write when a scheduled story goes live or a banner comes down.
    upcoming = union_all(
        select(Article.published_at.label("at")).where(
            Article.status == "published", Article.published_at > now
        ),
        select(BreakingNews.ends_at.label("at")).where(BreakingNews.ends_at > now),
    ).subquery()
    next_live = select(func.min(upcoming.c.at)).scalar_subquery()
    return update(_ROW).values(
        generation=_ROW.c.generation + 1, changed_at=precise_utcnow(), next_live_at=next_live
    )


def _move_on(session: Session) -> None:
    connection = session.connection()
    if connection.execute(_bump()).rowcount == 0:
        # The row is gone (a test emptied every table): start it again.
        connection.execute(insert(_ROW).values(id=1, generation=1, changed_at=precise_utcnow()))
        connection.execute(_bump())


def _changed_columns(instance: object) -> set[str]:
    return {a.key for a in inspect(instance).attrs if a.history.has_changes()}


def _shown_change(instance: object, whole: bool) -> bool:
    if isinstance(instance, User):
        return not whole and bool(_changed_columns(instance) & BYLINE_COLUMNS)
    if not isinstance(instance, SHOWN_TO_READERS):
        return False
    return whole or bool(_changed_columns(instance) - UNSEEN_COLUMNS.get(type(instance), set()))


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    whole = ((i, True) for i in chain(session.new, session.deleted))
    edited = ((i, False) for i in session.dirty)
    if any(_shown_change(i, w) for i, w in chain(whole, edited)):
        _move_on(session)


def _before_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    name = getattr(getattr(state.statement, "table", None), "name", None)
    # Values given inline; none when they come as parameters (which could set any column).
    columns = {getattr(k, "key", k) for k in getattr(state.statement, "_values", None) or {}}
    if name == User.__tablename__:
        shown = state.is_update and (not columns or bool(columns & BYLINE_COLUMNS))
    elif name in _SHOWN_TABLES:
        shown = not state.is_update or not columns or bool(columns - _SHOWN_TABLES[name])
    else:
        shown = False
    if shown:
        _move_on(state.session)


def init_app(_app: Flask) -> None:
    if not event.contains(db.session, "after_flush", _after_flush):
        event.listen(db.session, "after_flush", _after_flush)
        event.listen(db.session, "do_orm_execute", _before_statement)
