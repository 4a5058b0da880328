"""What editors choose for the front page: a pinned lead, ordered top stories, and the
breaking-news banner every reader page shows until its end time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update

from broadsheet.clock import utcnow
from broadsheet.stories import CARD, latest, nav_categories
from extensions import db
from models import Article, BreakingNews, Category, FrontPagePin

# Top stories under the lead; pinned ones first, the rest newest-first.
TOP_STORIES = 4


def pins() -> dict[int, Article]:
    """Every pinned story by position (0 is the lead), whether readers can see it or not."""
    # Two small reads rather than a join: SQLite would walk every story to meet a few pins.
    placed = dict(
        db.session.execute(
            select(FrontPagePin.article_id, FrontPagePin.position).where(
                FrontPagePin.article_id.is_not(None)
            )
        ).all()
    )
    if not placed:
        return {}
    stories = db.session.scalars(select(Article).options(*CARD).where(Article.id.in_(placed)))
    return {placed[story.id]: story for story in stories}


def set_pins(lead_id: int | None, top_ids: list[int | None]) -> None:
    """Replace the pins: the lead (None: the newest story leads) and the top stories in order."""
    db.session.execute(delete(FrontPagePin))
    db.session.flush()
    for position, article_id in enumerate([lead_id, *top_ids]):
        db.session.add(FrontPagePin(position=position, article_id=article_id, pinned_at=utcnow()))


def front_page(
    per_section: int = 4,
) -> tuple[Article | None, list[Article], list[tuple[Category, list[Article]]]]:
    """The lead, the top stories, then each section's latest stories, none shown twice.

    A pinned story that is unpublished (or not yet live) gives its place back to the newest.
    """
    now = utcnow()
    pinned = {p: a for p, a in pins().items() if a.is_visible(now)}
    lead = pinned.pop(0, None) or next(iter(latest(1)), None)
    shown = {lead.id} if lead else set()
    top = [a for _, a in sorted(pinned.items()) if a.id not in shown][:TOP_STORIES]
    shown |= {a.id for a in top}
    top += latest(TOP_STORIES - len(top), exclude=shown) if len(top) < TOP_STORIES else []
    shown |= {a.id for a in top}
    sections = []
    for category in nav_categories():
        stories = latest(per_section, category=category, exclude=shown)
        if stories:
            sections.append((category, stories))
    return lead, top, sections


def banner(now: datetime | None = None) -> BreakingNews | None:
    """The breaking-news banner readers see now, if one is up."""
    return db.session.scalar(
        select(BreakingNews)
        .where(BreakingNews.ends_at > (now or utcnow()))
        .order_by(BreakingNews.ends_at.desc())
        .limit(1)
    )


def raise_banner(text: str, url: str, ends_at: datetime) -> BreakingNews:
    """Put up a banner in place of any other; the caller commits."""
    take_down_banner()
    news = BreakingNews(text=text, url=url, ends_at=ends_at, created_at=utcnow())
    db.session.add(news)
    return news


def take_down_banner() -> None:
    now = utcnow()
    db.session.execute(update(BreakingNews).where(BreakingNews.ends_at > now).values(ends_at=now))
