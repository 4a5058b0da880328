"""Writing and publishing stories: saving fields, slugs that move, revisions, the schedule.

Shared by the newsroom views and `flask import`, so a story saved either way keeps the
same history and the same rules.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.orm.attributes import set_committed_value

from broadsheet.clock import utcnow
from broadsheet.database import rows_changed
from broadsheet.stories import prepare, tags_named
from extensions import db
from models import Article, ArticleSlugAlias, Category, Correction, Revision, User

# The fields an editor types; a revision keeps them all, a restore puts them all back.
EDITABLE = (
    "headline",
    "slug",
    "category_id",
    "byline",
    "teaser",
    "dateline",
    "body",
    "image",
    "image_alt",
    "image_caption",
    "image_credit",
    "image_focus",
    "source_name",
    "source_url",
    "copyright",
    "comments_open",
    "tags",
)
# Compared line by line; the others are shown as before and after.
LONG_FIELDS = frozenset({"body", "teaser", "image_caption"})


def snapshot(article: Article) -> dict[str, Any]:
    """The editable fields of a story as plain JSON values."""
    data = {name: getattr(article, name) for name in EDITABLE if name != "tags"}
    data["tags"] = [tag.name for tag in article.tags]
    data["status"] = article.status
    data["published_at"] = article.published_at.isoformat() if article.published_at else None
    return data


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    if before is None:
        return []
    return [
        name
        for name in EDITABLE
        if _comparable(name, before.get(name)) != _comparable(name, after.get(name))
    ]


def _comparable(name: str, value: Any) -> Any:
    # Topics are a set: typed in another order or case, they are the same topics.
    if name == "tags" and value is not None:
        return sorted({tag.casefold() for tag in value})
    return value


def latest_revision(article: Article, *, pending: bool = False) -> Revision | None:
    return db.session.scalar(
        select(Revision)
        .where(Revision.article_id == article.id, Revision.pending.is_(pending))
        .order_by(Revision.created_at.desc(), Revision.id.desc())
        .limit(1)
    )


def pending_changes(revision: Revision) -> dict[str, Any]:
    """The fields a pending edit changed from the story as it was when the edit was saved, so
    publishing it keeps whatever an editor changed on the live story since."""
    edit = json.loads(revision.snapshot)
    base = db.session.scalar(
        select(Revision)
        .where(
            Revision.article_id == revision.article_id,
            Revision.pending.is_(False),
            Revision.id < revision.id,
        )
        .order_by(Revision.id.desc())
        .limit(1)
    )
    before = json.loads(base.snapshot) if base is not None else {}
    return {name: edit[name] for name in changed_fields(before, edit) if name in edit}


def record(
    article: Article,
    user: User | None,
    action: str,
    *,
    data: dict[str, Any] | None = None,
    pending: bool = False,
) -> Revision:
    """Keep a revision of the story (or of a pending edit to it); the caller commits.

    The summary is the action word followed by the names of the fields that changed
    since the last saved revision; templates turn both into words.
    """
    db.session.flush()
    data = data if data is not None else snapshot(article)
    previous = latest_revision(article)
    fields = changed_fields(json.loads(previous.snapshot) if previous else None, data)
    revision = Revision(
        article_id=article.id,
        user_id=user.id if user else None,
        created_at=utcnow(),
        snapshot=json.dumps(data, sort_keys=True),
        summary=" ".join([action, *fields])[:500],
        pending=pending,
    )
    db.session.add(revision)
    return revision


def claim_version(article: Article, expected: int) -> bool:
    """Move the story's version on, only if it is still the one the editor's form was built on.

    One UPDATE ... WHERE version = expected: of two saves from the same starting point,
    exactly one wins, however close together they arrive.
    """
    changed = rows_changed(
        update(Article)
        .where(Article.id == article.id, Article.version == expected)
        .values(version=Article.version + 1)
        .execution_options(synchronize_session=False)
    )
    if changed != 1:
        return False
    set_committed_value(article, "version", expected + 1)
    return True


def set_slug(article: Article, new_slug: str) -> None:
    """Give the story a new slug; the old one is kept as an alias that redirects forever."""
    old = article.slug
    if not new_slug or new_slug == old:
        return
    with db.session.no_autoflush:
        # Taking back one of its own old slugs: that alias is no longer needed.
        db.session.execute(
            delete(ArticleSlugAlias).where(
                ArticleSlugAlias.slug == new_slug, ArticleSlugAlias.article_id == article.id
            )
        )
        if old and article.id is not None and article.published_at is not None:
            db.session.add(ArticleSlugAlias(slug=old, article_id=article.id))
    article.slug = new_slug


def apply(article: Article, data: dict[str, Any]) -> Article:
    """Copy editable fields onto the story (slug through set_slug) and render it."""
    for name in EDITABLE:
        if name not in data or name in ("slug", "tags"):
            continue
        setattr(article, name, data[name])
    if "tags" in data:
        article.tags = tags_named(list(data["tags"]))
    if data.get("slug"):
        set_slug(article, data["slug"])
    return prepare(article)


def publish_now(article: Article) -> None:
    """Live at once; a story that was out before (even if pulled since) keeps its first time."""
    now = utcnow()
    if article.published_at is None or article.published_at > now:
        article.published_at = now
    article.status = "published"


def schedule(article: Article, when: datetime) -> None:
    """Published, but invisible to readers until `when` (Article.visible() checks the clock)."""
    article.status = "published"
    article.published_at = when


def unpublish(article: Article) -> None:
    """Off the site; the publication time is kept for the day it is published again."""
    article.status = "draft"


def correct(article: Article, note: str) -> Correction:
    """Add a dated correction; the story counts as updated now. The caller commits."""
    now = utcnow()
    correction = Correction(article_id=article.id, note=note, created_at=now)
    db.session.add(correction)
    article.updated_at = now
    return correction


def withdraw_correction(correction: Correction) -> None:
    """Remove a correction added by mistake; the story counts as updated now."""
    correction.article.updated_at = utcnow()
    db.session.delete(correction)


# --- Many stories at once, and the trash -----------------------------------------------------

BULK_ACTIONS = ("publish", "unpublish", "move", "trash")


def change_many(
    articles: list[Article], action: str, user: User, category_id: int | None = None
) -> int:
    """Publish, unpublish, move to a category or put in the trash every story given, each
    with a revision; returns how many changed. The caller commits."""
    changed = 0
    for article in articles:
        if action == "publish" and state(article) != "published":
            publish_now(article)
            word = "published"
        elif action == "unpublish" and article.status == "published":
            unpublish(article)
            word = "unpublished"
        elif action == "move" and category_id and article.category_id != category_id:
            article.category_id = category_id
            word = "saved"
        elif action == "trash":
            trash(article)
            word = "trashed"
        else:
            continue
        # An editor's form opened before this is refused on save rather than undoing it,
        # and readers' caches see the change (their freshness reads updated_at).
        article.version += 1
        article.updated_at = utcnow()
        record(article, user, word)
        changed += 1
    return changed


def trash(article: Article) -> None:
    """Off the site and out of the newsroom's lists; restorable for TRASH_DAYS."""
    unpublish(article)
    article.deleted_at = utcnow()


def restore_from_trash(article: Article, user: User) -> None:
    """Back in the newsroom as a draft; the caller commits."""
    article.deleted_at = None
    article.version += 1
    article.updated_at = utcnow()
    record(article, user, "untrashed")


def purge_trash(now: datetime | None = None) -> int:
    """Delete for good the stories in the trash for TRASH_DAYS (their comments and revisions
    go with them); the caller commits."""
    cutoff = (now or utcnow()) - timedelta(days=current_app.config["TRASH_DAYS"])
    return rows_changed(
        delete(Article)
        .where(Article.deleted_at < cutoff)
        .execution_options(synchronize_session=False)
    )


def state(article: Article, now: datetime | None = None) -> str:
    """draft, scheduled or published: what the newsroom shows beside each story."""
    if article.status != "published" or article.published_at is None:
        return "draft"
    return "scheduled" if article.published_at > (now or utcnow()) else "published"


# --- Comparing revisions ----------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    kind: str  # "added", "removed" or "same"
    text: str


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str
    lines: list[Line]  # for long text fields; empty for the short ones


def _category_name(category_id: int | None) -> str:
    category = db.session.get(Category, category_id) if category_id else None
    return category.name if category is not None else _text(category_id)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """Field by field, what changed from one snapshot to another (difflib for long text)."""
    changes = []
    for name in changed_fields(before, after):
        old, new = _text(before.get(name)), _text(after.get(name))
        if name == "category_id":
            old, new = _category_name(before.get(name)), _category_name(after.get(name))
        lines: list[Line] = []
        if name in LONG_FIELDS:
            kinds = {"+ ": "added", "- ": "removed", "  ": "same"}
            for row in difflib.ndiff(old.splitlines(), new.splitlines()):
                if row[:2] in kinds:
                    lines.append(Line(kinds[row[:2]], row[2:]))
        changes.append(FieldChange(name, old, new, lines))
    return changes
