"""`flask import FILE...`: stories from JSON files or Markdown files with front matter.

Idempotent by slug: a story already here is updated when the file says something new and
skipped when it does not, so running the same import twice changes nothing. Later
importers (`flask import wordpress FILE`, ...) become subcommands of the same group; any
first argument that is not a subcommand's name is taken as a file for `flask import files`.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, or_, select

from broadsheet import images, publishing
from broadsheet.clock import utcnow
from broadsheet.slugs import slugify
from broadsheet.stories import slug_taken
from extensions import db
from models import Article, Category

TEXT_FIELDS = {
    "headline": 300,
    "byline": 200,
    "teaser": 1000,
    "dateline": 120,
    "body": 200_000,
    "image_alt": 300,
    "image_caption": 2000,
    "image_credit": 200,
    "source_name": 200,
    "source_url": 500,
    "copyright": 300,
}


UNCHANGED = "unchanged since the last import"


class Skip(Exception):
    """This story cannot be imported; the message says why."""


@dataclass
class Summary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


class FallbackGroup(click.Group):
    """A group whose unknown first argument is handed to a default subcommand."""

    default_command = "files"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


@click.group("import", cls=FallbackGroup)
def import_cli() -> None:
    """Import stories: `flask import FILE...` reads JSON or Markdown with front matter."""


# --- Reading files ----------------------------------------------------------------------------

_FRONT = re.compile(r"\A(---|\+\+\+)[ \t]*\r?\n(.*?)\r?\n\1[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def _scalar(raw: str) -> Any:
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    if value.startswith("[") and value.endswith("]"):
        return [_scalar(part) for part in value[1:-1].split(",") if part.strip()]
    if value.lower() in ("true", "yes"):
        return True
    if value.lower() in ("false", "no"):
        return False
    return value


def _simple_yaml(text: str) -> dict[str, Any]:
    """The `key: value` front matter people write by hand (no nesting), with `- item` lists."""
    data: dict[str, Any] = {}
    key = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.lstrip().startswith("- ") and key is not None:
            if not isinstance(data.get(key), list):
                data[key] = []
            data[key].append(_scalar(line.lstrip()[2:]))
            continue
        name, sep, value = line.partition(":")
        if not sep or not name.strip() or name != name.lstrip():
            raise Skip(f"front matter line {number} is not 'key: value'")
        key = name.strip()
        data[key] = _scalar(value) if value.strip() else ""
    return data


def read_markdown(text: str) -> dict[str, Any]:
    match = _FRONT.match(text)
    if not match:
        raise Skip("no front matter (start the file with --- or +++)")
    fence, front = match.groups()
    if fence == "+++":
        try:
            data = tomllib.loads(front)
        except tomllib.TOMLDecodeError as error:
            raise Skip(f"front matter is not valid TOML: {error}") from None
    else:
        data = _simple_yaml(front)
    data.setdefault("body", text[match.end() :].strip("\n"))
    return data


def read_file(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """The stories in one file, each named for the summary (file, or file#n for a list)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise Skip(f"cannot read the file: {error}") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise Skip(f"not valid JSON: {error}") from None
        if isinstance(data, dict) and isinstance(data.get("stories"), list):
            data = data["stories"]
        if isinstance(data, dict):
            return [(path.name, data)]
        if isinstance(data, list):
            return [(f"{path.name}#{n}", item) for n, item in enumerate(data, start=1)]
        raise Skip("JSON must hold a story object or a list of them")
    if path.suffix.lower() in (".md", ".markdown"):
        return [(path.name, read_markdown(text))]
    raise Skip("only .json, .md and .markdown files are read")


# --- Turning fields into a story --------------------------------------------------------------


def _category(value: Any, create: bool) -> Category:
    if not isinstance(value, str) or not value.strip():
        raise Skip("no category")
    name = value.strip()
    category = db.session.scalar(
        select(Category).where(
            or_(Category.slug == slugify(name), func.lower(Category.name) == name.lower())
        )
    )
    if category is None:
        if not create:
            raise Skip(f"unknown category {name!r} (create it, or pass --create-categories)")
        try:
            category = Category(name=name, slug=slugify(name))
        except ValueError as error:
            raise Skip(str(error)) from None
        db.session.add(category)
        db.session.flush()
    return category


def _when(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise Skip(f"published_at {value!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def story_data(raw: Any, *, base: Path, create_categories: bool) -> dict[str, Any]:
    """Check one story's fields; the editable fields as publishing.apply takes them."""
    if not isinstance(raw, dict):
        raise Skip("not a story object")
    data: dict[str, Any] = {}
    for name, limit in TEXT_FIELDS.items():
        value = raw.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise Skip(f"{name} must be text")
        value = value.replace("\x00", "").strip() if name != "body" else value.replace("\x00", "")
        if len(value) > limit:
            raise Skip(f"{name} is longer than {limit} characters")
        data[name] = value
    if not data["headline"]:
        raise Skip("no headline")
    if data["source_url"] and not data["source_url"].lower().startswith(("http://", "https://")):
        raise Skip("source_url must start with http:// or https://")
    slug = slugify(str(raw.get("slug") or data["headline"]), 200)
    if not slug:
        raise Skip("no usable slug")
    data["slug"] = slug
    data["category_id"] = _category(raw.get("category"), create_categories).id
    tags = raw.get("tags", [])
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",")]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise Skip("tags must be a list of words")
    data["tags"] = [t.strip() for t in tags if t.strip()]
    data["comments_open"] = bool(raw.get("comments_open", True))
    status = raw.get("status", "draft")
    if status not in ("draft", "published"):
        raise Skip(f"status must be draft or published, not {status!r}")
    data["status"] = status
    data["published_at"] = _when(raw.get("published_at"))
    if raw.get("image"):
        data["image_path"] = _image_path(raw["image"], base)
        if not data["image_alt"]:
            raise Skip("an image needs image_alt (what the picture shows)")
    return data


def _image_path(value: Any, base: Path) -> Path:
    if not isinstance(value, str):
        raise Skip("image must be a file name")
    path = (base / value).resolve()
    if not path.is_file():
        raise Skip(f"image file {value!r} not found")
    return path


def _store_image(path: Path) -> str:
    config = current_app.config
    try:
        with path.open("rb") as stream:
            return images.store(
                stream,
                path.name,
                config["UPLOAD_FOLDER"],
                tuple(config["IMAGE_WIDTHS"]),
                max_bytes=config["IMAGE_MAX_BYTES"],
                max_pixels=config["IMAGE_MAX_PIXELS"],
            )
    except images.ImageRejected as refused:
        raise Skip(f"image {path.name}: {refused.reason.replace('_', ' ')}") from None


def _same(article: Article, data: dict[str, Any]) -> bool:
    current = publishing.snapshot(article)
    for name in publishing.EDITABLE:
        if name == "image":
            continue
        if name in data and current.get(name) != data[name]:
            return False
    if "image_path" in data and not article.image:
        return False
    return (article.status, article.published_at) == (
        data["status"],
        data["published_at"] or article.published_at,
    )


def import_story(data: dict[str, Any]) -> str:
    """Create or update one story by slug; returns "created", "updated" or "unchanged"."""
    article = db.session.scalar(select(Article).where(Article.slug == data["slug"]))
    if article is None and slug_taken(data["slug"]):
        raise Skip(f"slug {data['slug']!r} is an old address of another story")
    if article is not None and _same(article, data):
        return "unchanged"
    fields = {k: v for k, v in data.items() if k in publishing.EDITABLE and k != "image"}
    if "image_path" in data and (article is None or not article.image):
        fields["image"] = _store_image(data["image_path"])
    created = article is None
    if created:
        article = Article(status="draft", version=1)
        db.session.add(article)
    else:
        publishing.claim_version(article, article.version)
    with db.session.no_autoflush:
        publishing.apply(article, fields)
    if data["status"] == "published":
        publishing.schedule(article, data["published_at"] or article.published_at or utcnow())
    else:
        publishing.unpublish(article)
    db.session.flush()
    publishing.record(article, None, "imported")
    return "created" if created else "updated"


def run(paths: list[Path], *, create_categories: bool) -> Summary:
    summary = Summary()
    items: list[tuple[str, Any, Path]] = []
    for path in paths:
        try:
            items.extend((name, raw, path.parent) for name, raw in read_file(path))
        except Skip as reason:
            summary.skipped.append((path.name, str(reason)))
    with click.progressbar(items, label="Importing stories", show_pos=True) as bar:
        for name, raw, base in bar:
            try:
                data = story_data(raw, base=base, create_categories=create_categories)
                outcome = import_story(data)
            except Skip as reason:
                db.session.rollback()
                summary.skipped.append((name, str(reason)))
                continue
            if outcome == "unchanged":
                db.session.rollback()
                summary.skipped.append((name, UNCHANGED))
                continue
            db.session.commit()
            (summary.created if outcome == "created" else summary.updated).append(name)
    return summary


@import_cli.command("files")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--create-categories", is_flag=True, help="Create categories the files name but the site lacks."
)
@with_appcontext
def files_command(files: tuple[Path, ...], create_categories: bool) -> None:
    """Import stories from JSON files or Markdown files with front matter."""
    summary = run(list(files), create_categories=create_categories)
    click.echo(
        f"Created {len(summary.created)}, updated {len(summary.updated)}, "
        f"skipped {len(summary.skipped)}."
    )
    for name, reason in summary.skipped:
        click.echo(f"  skipped {name}: {reason}")
    if any(reason != UNCHANGED for _name, reason in summary.skipped):
        # Some stories could not be imported: scripts see it in the exit status too.
        raise SystemExit(1)
