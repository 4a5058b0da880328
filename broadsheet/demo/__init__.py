"""Demo content: the categories and stories in demo_stories.toml, with generated images."""

from __future__ import annotations

import tomllib
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from broadsheet.clock import utcnow
from broadsheet.stories import prepare, tags_named
from extensions import db
from models import Article, Category

STORIES_FILE = Path(__file__).with_name("stories.toml")


def load(path: Path = STORIES_FILE, *, images: bool = True) -> int:
    """Create the demo categories and stories that are not there yet; return how many stories."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    categories = {}
    for order, spec in enumerate(data["category"]):
        category = db.session.scalar(select(Category).where(Category.slug == spec["slug"]))
        if category is None:
            category = Category(slug=spec["slug"], name=spec["name"], nav_order=order)
            category.description = spec.get("description", "")
            db.session.add(category)
        categories[spec["slug"]] = category

    now = utcnow()
    created = 0
    for spec in data["story"]:
        if db.session.scalar(select(Article.id).where(Article.headline == spec["headline"])):
            continue
        if "scheduled_hours_ahead" in spec:
            published_at = now + timedelta(hours=spec["scheduled_hours_ahead"])
        else:
            published_at = now - timedelta(hours=spec["hours_ago"])
        draft = spec.get("status") == "draft"
        article = Article(
            headline=spec["headline"],
            category=categories[spec["category"]],
            byline=spec.get("byline", ""),
            teaser=spec.get("teaser", ""),
            dateline=spec.get("dateline", ""),
            body=spec["body"].strip(),
            image_alt=spec.get("image_alt", ""),
            image_caption=spec.get("image_caption", ""),
            image_credit=spec.get("image_credit", ""),
            source_name=spec.get("source_name", ""),
            source_url=spec.get("source_url", ""),
            copyright=spec.get("copyright", ""),
            comments_open=spec.get("comments_open", True),
            status="draft" if draft else "published",
            published_at=None if draft else published_at,
            created_at=min(now, published_at) - timedelta(hours=1),
            updated_at=min(now, published_at),
        )
        article.tags = tags_named(spec.get("tags", []))
        prepare(article)
        if images and spec.get("motif"):
            article.image = _write_images(article.slug, spec["motif"])
        db.session.add(article)
        db.session.flush()
        created += 1
    db.session.commit()
    return created


def _write_images(slug: str, motif: str) -> str:
    from broadsheet.demo.images import render_demo_image

    stem = f"demo/{slug}"
    folder = Path(current_app.config["UPLOAD_FOLDER"], "demo")
    folder.mkdir(parents=True, exist_ok=True)
    widths = sorted(current_app.config["IMAGE_WIDTHS"])
    original = render_demo_image(motif, slug, widths[-1], widths[-1] * 9 // 16)
    for width in widths:
        image = original if width == widths[-1] else original.resize((width, width * 9 // 16))
        image.save(folder / f"{slug}-{width}.jpg", "JPEG", quality=82, optimize=True)
    return stem
