"""`flask import FILE...`: stories from JSON files or Markdown files with front matter.

Matched by slug: a story already here is updated when the file says something new and
left alone when it does not, so running the same import twice changes nothing. Like every
importer it runs in one transaction (a file that cannot be read stops it, and nothing is
kept) and ends with the shared summary; a story the file gets wrong is skipped with its
reason while the others go in.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from broadsheet import images, publishing
from broadsheet.clock import utcnow
from broadsheet.slugs import slugify
from broadsheet.stories import slug_taken
from broadsheet.text import without_control
from extensions import db
from models import RESERVED_SLUGS, Article, Category, max_length

from .common import ImportFailed, Run, counter, image_problem, one_transaction

# The text fields a file may set; each is held to its column's limit (models.max_length).
TEXT_FIELDS = (
    "headline",
    "byline",
    "teaser",
    "dateline",
    "body",
    "image_alt",
    "image_caption",
    "image_credit",
    "source_name",
    "source_url",
    "copyright",
)
SUFFIXES = (".json", ".md", ".markdown")


class Skip(Exception):
    """This story cannot be imported; the message says why."""


# --- Reading files ----------------------------------------------------------------------------

_FRONT = re.compile(r"\A(---|\+\+\+)[ \t]*\r?\n(.*?)\r?\n\1[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)$")


def _malformed(path: Path, line: int, error: str) -> ImportFailed:
    return ImportFailed(
        _(
            "%(file)s is malformed at line %(line)d: %(error)s. Nothing was imported.",
            file=path,
            line=line,
            error=error,
        )
    )


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


def _simple_yaml(text: str, path: Path) -> dict[str, Any]:
    """The `key: value` front matter people write by hand (no nesting), with `- item` lists."""
    data: dict[str, Any] = {}
    key = None
    # Line 1 of the file is the opening fence.
    for number, line in enumerate(text.splitlines(), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.lstrip().startswith("- ") and key is not None:
            if not isinstance(data.get(key), list):
                data[key] = []
            data[key].append(_scalar(line.lstrip()[2:]))
            continue
        name, sep, value = line.partition(":")
        if not sep or not name.strip() or name != name.lstrip():
            raise _malformed(path, number, _("front matter lines are 'key: value'"))
        key = name.strip()
        data[key] = _scalar(value) if value.strip() else ""
    return data


def read_markdown(text: str, path: Path) -> dict[str, Any]:
    match = _FRONT.match(text)
    if not match:
        raise ImportFailed(
            _(
                "%(file)s has no front matter (start the file with --- or +++). "
                "Nothing was imported.",
                file=path,
            )
        )
    fence, front = match.groups()
    if fence == "+++":
        try:
            data = tomllib.loads(front)
        except tomllib.TOMLDecodeError as error:
            position = _TOML_POSITION.search(str(error))
            line = int(position.group(1)) + 1 if position else 1
            raise _malformed(path, line, _TOML_POSITION.sub("", str(error)).strip()) from None
    else:
        data = _simple_yaml(front, path)
    data.setdefault("body", text[match.end() :].strip("\n"))
    return data


def read_file(path: Path) -> list[tuple[str, Any]]:
    """The stories in one file, each named for the summary (file, or file#n for a list)."""
    if path.suffix.lower() not in SUFFIXES:
        raise ImportFailed(
            _(
                "%(file)s is not a .json, .md or .markdown file. Nothing was imported.",
                file=path,
            )
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFailed(
            _(
                "%(file)s could not be read: %(error)s. Nothing was imported.",
                file=path,
                error=error,
            )
        ) from None
    if path.suffix.lower() != ".json":
        return [(path.name, read_markdown(text, path))]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _malformed(path, error.lineno, error.msg) from None
    if isinstance(data, dict) and isinstance(data.get("stories"), list):
        data = data["stories"]
    if isinstance(data, dict):
        return [(path.name, data)]
    if isinstance(data, list):
        return [(f"{path.name}#{n}", item) for n, item in enumerate(data, start=1)]
    raise ImportFailed(
        _(
            "%(file)s holds neither a story object nor a list of them. Nothing was imported.",
            file=path,
        )
    )


# --- Turning fields into a story --------------------------------------------------------------


def _category(value: Any, create: bool) -> Category | str:
    """The category a story names, or its name when --create-categories may make it."""
    if not isinstance(value, str) or not without_control(value).strip():
        raise Skip(_("no category"))
    name = without_control(value).strip()[: max_length(Category.name)]
    category = db.session.scalar(
        select(Category).where(
            or_(Category.slug == slugify(name), func.lower(Category.name) == name.lower())
        )
    )
    if category is not None:
        return category
    if not create:
        raise Skip(
            _(
                "unknown category %(name)s (create it, or pass --create-categories)",
                name=repr(name),
            )
        )
    if slugify(name) in RESERVED_SLUGS:
        raise Skip(_("the category %(name)s would take a reserved address", name=repr(name)))
    return name


def _when(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise Skip(
                _("published_at %(value)s is not an ISO 8601 date and time", value=repr(value))
            ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def story_data(raw: Any, *, base: Path, create_categories: bool) -> dict[str, Any]:
    """Check one story's fields; the editable fields as publishing.apply takes them."""
    if not isinstance(raw, dict):
        raise Skip(_("not a story object"))
    data: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = raw.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise Skip(_("%(field)s must be text", field=name))
        # Control characters go: NUL breaks PostgreSQL, any of them breaks the feeds' XML.
        value = without_control(value)
        value = value.strip() if name != "body" else value
        limit = max_length(getattr(Article, name))
        if len(value) > limit:
            raise Skip(_("%(field)s is longer than %(max)d characters", field=name, max=limit))
        data[name] = value
    if not data["headline"]:
        raise Skip(_("no headline"))
    if data["source_url"] and not data["source_url"].lower().startswith(("http://", "https://")):
        raise Skip(_("source_url must start with http:// or https://"))
    slug = slugify(
        without_control(str(raw.get("slug") or data["headline"])), max_length(Article.slug)
    )
    if not slug:
        raise Skip(_("no usable slug"))
    data["slug"] = slug
    data["category"] = _category(raw.get("category"), create_categories)
    tags = raw.get("tags", [])
    if isinstance(tags, str):
        tags = tags.split(",")
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise Skip(_("tags must be a list of words"))
    data["tags"] = [without_control(t).strip() for t in tags if without_control(t).strip()]
    data["comments_open"] = bool(raw.get("comments_open", True))
    status = raw.get("status", "draft")
    if status not in ("draft", "published"):
        raise Skip(_("status must be draft or published, not %(status)s", status=repr(status)))
    data["status"] = status
    data["published_at"] = _when(raw.get("published_at"))
    if raw.get("image"):
        data["image_path"] = _image_path(raw["image"], base)
        if not data["image_alt"]:
            raise Skip(_("an image needs image_alt (what the picture shows)"))
    return data


def _image_path(value: Any, base: Path) -> Path:
    """A picture in the story file's folder (or below it); never a path that leaves it."""
    if not isinstance(value, str):
        raise Skip(_("image must be a file name"))
    folder = base.resolve()
    path = (folder / without_control(value)).resolve()
    if not path.is_relative_to(folder):
        raise Skip(_("image %(name)s is outside the story file's folder", name=repr(value)))
    if not path.is_file():
        raise Skip(_("image file %(name)s not found", name=repr(value)))
    return path


def _store_image(path: Path, run: Run) -> str:
    config = current_app.config
    folder = Path(config["UPLOAD_FOLDER"])
    try:
        with path.open("rb") as stream:
            stem = images.store(
                stream,
                path.name,
                folder,
                tuple(config["IMAGE_WIDTHS"]),
                max_bytes=config["IMAGE_MAX_BYTES"],
                max_pixels=config["IMAGE_MAX_PIXELS"],
            )
    except images.ImageRejected as refused:
        raise Skip(
            _("image %(name)s: %(problem)s", name=path.name, problem=image_problem(refused))
        ) from None
    run.written.extend(images.files_of(stem, folder, config["IMAGE_WIDTHS"]))
    return stem


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


def import_story(data: dict[str, Any], run: Run) -> str:
    """Create or update one story by slug; returns "created", "updated" or "unchanged"."""
    article = db.session.scalar(select(Article).where(Article.slug == data["slug"]))
    if article is None and slug_taken(data["slug"]):
        raise Skip(_("slug %(slug)s is an old address of another story", slug=repr(data["slug"])))
    category = data.pop("category")
    if isinstance(category, Category):
        data["category_id"] = category.id
        if article is not None and _same(article, data):
            return "unchanged"
    fields = {k: v for k, v in data.items() if k in publishing.EDITABLE and k != "image"}
    if "image_path" in data and (article is None or not article.image):
        fields["image"] = _store_image(data["image_path"], run)
    if isinstance(category, str):
        category = Category(name=category, slug=slugify(category))
        db.session.add(category)
        db.session.flush()
        run.summary.count("categories", "created")
        fields["category_id"] = category.id
    created = article is None
    if article is None:
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


def import_files(paths: list[Path], *, create_categories: bool) -> Run:
    """Read every file first (one that cannot be read stops everything), then import each
    story in one transaction; a story that cannot go in is skipped with its reason."""
    items = [(name, raw, path.parent) for path in paths for name, raw in read_file(path)]
    with one_transaction() as run, counter(_("Importing stories"), len(items)) as bar:
        for name, raw, base in items:
            bar.update(1)
            try:
                # A savepoint: a story skipped halfway leaves nothing behind.
                with db.session.begin_nested():
                    data = story_data(raw, base=base, create_categories=create_categories)
                    outcome = import_story(data, run)
            except Skip as reason:
                run.summary.skip("stories", str(reason), name)
                continue
            run.summary.count("stories", outcome)
    return run
