"""What every importer shares: the summary, the progress bar, the one transaction, and the
rules for matching old URLs, threading comments and turning foreign HTML into ours."""

from __future__ import annotations

import html
import os
import re
import secrets
import shutil
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any, cast

import click
from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import InstrumentedAttribute

from broadsheet import images
from broadsheet.clock import precise_utcnow
from broadsheet.discussion import recount
from broadsheet.redirects import legacy_path
from broadsheet.text import without_control
from extensions import db
from models import (
    Article,
    ArticleSlugAlias,
    Comment,
    LegacyRedirect,
    max_length,
)

EXAMPLES_KEPT = 5  # per reason: enough to find the item, without growing with the file
UNMATCHED_LISTED = 100  # comment threads whose URL found no story, listed by URL


class ImportFailed(click.ClickException):
    """The file cannot be imported; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        # Worded now, inside the command's app context, in the site's language.
        self.heading = _("Error: %(message)s", message=message)

    def show(self, file: IO[str] | None = None) -> None:
        click.echo(self.heading, file=file or sys.stderr)


# --- Summary -----------------------------------------------------------------------------


@dataclass
class Summary:
    """Counts of created / updated / unchanged / skipped items per kind, with reasons."""

    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    reasons: Counter = field(default_factory=Counter)
    examples: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    notes: Counter = field(default_factory=Counter)
    note_examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    threads_matched: int = 0
    threads_unmatched: int = 0
    unmatched: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str) -> None:
        """outcome: created, updated or unchanged."""
        self.counts[kind][outcome] += 1

    def skip(self, kind: str, reason: str, example: str = "") -> None:
        self.counts[kind]["skipped"] += 1
        self.reasons[kind, reason] += 1
        if example and len(self.examples[kind, reason]) < EXAMPLES_KEPT:
            self.examples[kind, reason].append(example)

    def note(self, message: str, example: str = "") -> None:
        """Something imported but worth telling (a missing image, an unmatched thread)."""
        self.notes[message] += 1
        if example and len(self.note_examples[message]) < EXAMPLES_KEPT:
            self.note_examples[message].append(example)

    def thread(self, url: str, matched: bool) -> None:
        """A comment thread (Disqus, Isso) and whether its URL found a story."""
        if matched:
            self.threads_matched += 1
            return
        self.threads_unmatched += 1
        if len(self.unmatched) < UNMATCHED_LISTED:
            self.unmatched.append(url)

    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def lines(self) -> list[str]:
        out = []
        for kind in sorted(self.counts, key=lambda k: KIND_ORDER.index(k)):
            c = self.counts[kind]
            out.append(
                _(
                    "%(kind)s: %(created)d created, %(updated)d updated, "
                    "%(unchanged)d unchanged, %(skipped)d skipped",
                    kind=KIND_LABELS.get(kind, kind),
                    created=c["created"],
                    updated=c["updated"],
                    unchanged=c["unchanged"],
                    skipped=c["skipped"],
                )
            )
        if self.reasons:
            out.append(_("Skipped:"))
            for (kind, reason), n in self.reasons.items():
                line = "  " + _(
                    "%(count)d × %(kind)s: %(reason)s",
                    count=n,
                    kind=KIND_LABELS.get(kind, kind),
                    reason=reason,
                )
                if self.examples[kind, reason]:
                    line += " (" + ", ".join(self.examples[kind, reason]) + ")"
                out.append(line)
        if self.notes:
            out.append(_("Notes:"))
            for message, n in self.notes.items():
                line = "  " + _("%(count)d × %(note)s", count=n, note=message)
                if self.note_examples[message]:
                    line += " (" + ", ".join(self.note_examples[message]) + ")"
                out.append(line)
        if self.threads_matched or self.threads_unmatched:
            out.append(
                _(
                    "Threads: %(matched)d matched a story, %(unmatched)d matched nothing",
                    matched=self.threads_matched,
                    unmatched=self.threads_unmatched,
                )
            )
        if self.unmatched:
            out.append(_("Threads that matched no story (their comments were not imported):"))
            out.extend(f"  {url}" for url in self.unmatched)
            if self.threads_unmatched > len(self.unmatched):
                more = self.threads_unmatched - len(self.unmatched)
                out.append("  " + _("… and %(count)d more", count=more))
        if not self.changed():
            out.append(_("Nothing changed."))
        return out

    def echo(self) -> None:
        for line in self.lines():
            click.echo(line)


class _KindLabels(dict):
    """Translated names for the summary, looked up when printed (gettext needs the app)."""

    def get(self, kind: str, default: str = "") -> str:  # type: ignore[override]
        names = {
            "categories": _("Categories"),
            "stories": _("Stories"),
            "comments": _("Comments"),
            "images": _("Images"),
            "redirects": _("Old links"),
            "rows": _("Rows"),
            "files": _("Files"),
        }
        return names.get(kind, default)


KIND_LABELS = _KindLabels()
KIND_ORDER = ["categories", "stories", "images", "redirects", "comments", "rows", "files"]


# --- Progress and the one transaction ------------------------------------------------------


class ProgressReader:
    """A binary file that moves a progress bar as the parser reads it."""

    def __init__(self, raw: IO[bytes], bar: Any) -> None:
        self.raw = raw
        self.bar = bar

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.bar.update(len(data))
        return data


@contextmanager
def progress_file(path: str | os.PathLike, label: str) -> Iterator[ProgressReader]:
    """Open a file for a streaming parser, with a progress bar on stderr sized by bytes."""
    size = os.path.getsize(path)
    with (
        open(path, "rb") as raw,
        click.progressbar(length=size, label=label, file=sys.stderr) as bar,
    ):
        yield ProgressReader(raw, bar)


@contextmanager
def counter(label: str, total: int) -> Iterator[Any]:
    """A progress bar counting items (for sources read row by row, like an Isso database)."""
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar


@dataclass
class Run:
    """One import: its summary, the files it wrote, and the files it will put in place."""

    summary: Summary = field(default_factory=Summary)
    # New files written straight to their place; removed again if the import fails.
    written: list[Path] = field(default_factory=list)
    # Files written aside, in a folder of their own, that take their targets' places just
    # before the commit (the files they replace kept until it succeeds).
    staged: list[tuple[Path, Path]] = field(default_factory=list)
    staging: Path | None = None

    def stage(self, target: Path) -> Path:
        """Where to write the file that will become `target`."""
        if self.staging is None:
            uploads = Path(current_app.config["UPLOAD_FOLDER"])
            self.staging = uploads / ".importing" / secrets.token_hex(8)
            (self.staging / "new").mkdir(parents=True)
        staged = self.staging / "new" / str(len(self.staged))
        self.staged.append((staged, target))
        return staged


@dataclass
class _Installed:
    """What putting the staged files in place changed, so that it can be undone."""

    replaced: list[tuple[Path, Path | None]] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)

    def install(self, run: Run) -> None:
        assert run.staging is not None
        for number, (staged, target) in enumerate(run.staged):
            missing = [p for p in reversed(target.parents) if not p.exists()]
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.extend(missing)
            backup = None
            if target.exists():
                backup = run.staging / "replaced" / str(number)
                backup.parent.mkdir(exist_ok=True)
                os.replace(target, backup)
            self.replaced.append((target, backup))
            os.replace(staged, target)

    def undo(self) -> None:
        for target, backup in reversed(self.replaced):
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
        for folder in reversed(self.folders):
            with suppress(OSError):
                folder.rmdir()


@contextmanager
def one_transaction() -> Iterator[Run]:
    """Everything or nothing: commit at the end, or roll back and remove the files written.

    Staged files are put in place just before the commit, so a file that cannot be
    written stops the import while it can still be rolled back; if the commit fails they
    are taken out again and the files they replaced put back.
    """
    run = Run()
    installed = _Installed()
    try:
        try:
            yield run
            if run.staged:
                installed.install(run)
            db.session.commit()
        except IntegrityError as exc:
            raise ImportFailed(
                _(
                    "The file names the same item twice, or clashes with what the site "
                    "already holds (%(error)s). Nothing was imported.",
                    error=database_error(exc),
                )
            ) from None
        except DBAPIError as exc:
            raise ImportFailed(
                _(
                    "The database refused the import (%(error)s). Nothing was imported.",
                    error=database_error(exc),
                )
            ) from None
        except OSError as exc:
            raise ImportFailed(
                _("A file could not be written (%(error)s). Nothing was imported.", error=exc)
            ) from None
    except BaseException:
        db.session.rollback()
        installed.undo()
        for path in run.written:
            path.unlink(missing_ok=True)
        raise
    finally:
        if run.staging is not None:
            shutil.rmtree(run.staging, ignore_errors=True)
            with suppress(OSError):
                run.staging.parent.rmdir()


def database_error(exc: DBAPIError) -> str:
    """What the database said, without the values it quotes: its first line names the
    constraint or column ("violates foreign key constraint ..."); the lines after it, and
    SQLAlchemy's own text, quote whole rows, commenters' email addresses included."""
    return str(exc.orig).strip().split("\n", 1)[0]


def parse_error(exc: Exception, path: str | os.PathLike) -> ImportFailed:
    """The message for a malformed file: the line it failed on, and that nothing changed."""
    line, column = getattr(exc, "position", (None, None))
    error = re.sub(r": line \d+, column \d+$", "", str(exc))
    if line is None:
        return ImportFailed(
            _("%(file)s could not be read: %(error)s. Nothing was imported.", file=path, error=exc)
        )
    return ImportFailed(
        _(
            "%(file)s is malformed at line %(line)d, column %(column)d: %(error)s. "
            "Nothing was imported.",
            file=path,
            line=line,
            column=(column or 0) + 1,
            error=error,
        )
    )


# --- Values ----------------------------------------------------------------------------------


def naive_utc(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)


def parse_date(text: str | None) -> datetime | None:
    """ISO 8601, "YYYY-MM-DD HH:MM:SS" (taken as UTC) or an RFC 822 date; None if empty."""
    text = (text or "").strip()
    if not text or text.startswith("0000-00-00"):
        return None
    try:
        return naive_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    try:
        return naive_utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


def clip(text: str | None, column: InstrumentedAttribute) -> str:
    """Text for a column: control characters dropped, cut to the column's length."""
    return without_control(text or "").strip()[: max_length(column)]


def web_url(text: str | None) -> str:
    """A commenter's website, kept only if it is an http(s) URL that fits."""
    url = (text or "").strip()
    length = max_length(Comment.author_url)
    if not re.match(r"https?://[^\s<>\"']+$", url, re.IGNORECASE) or len(url) > length:
        return ""
    return url


def compare_and_set(obj: object, values: dict[str, Any]) -> bool:
    """Set the attributes that differ; True if anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


# --- Old URLs ---------------------------------------------------------------------------------


def add_redirect(url: str | None, article: Article, summary: Summary) -> None:
    path = legacy_path(url)
    if path is None or len(path) > max_length(LegacyRedirect.path):
        return
    redirects = cast(Table, LegacyRedirect.__table__)
    owner = db.session.scalar(select(redirects.c.article_id).where(redirects.c.path == path))
    if owner is None:
        db.session.execute(insert(redirects).values(path=path, article_id=article.id))
        summary.count("redirects", "created")
    elif owner == article.id:
        summary.count("redirects", "unchanged")
    else:
        summary.skip("redirects", _("the old link already leads to another story"), path)


def article_for_url(url: str | None) -> Article | None:
    """The story a comment thread's URL points at: an old link of an imported story, one of
    our own article URLs (/<category>/<slug>), or an old slug."""
    path = legacy_path(url)
    if path is None:
        return None
    found = db.session.scalar(
        select(Article).join(LegacyRedirect).where(LegacyRedirect.path == path)
    )
    if found is not None or path.startswith("?"):
        return found
    slug = path.rsplit("/", 1)[-1]
    if not slug:
        return None
    found = db.session.scalar(select(Article).where(Article.slug == slug))
    if found is None:
        alias = db.session.scalar(select(ArticleSlugAlias).where(ArticleSlugAlias.slug == slug))
        found = alias.article if alias else None
    return found


# --- Comments --------------------------------------------------------------------------------


COMMENTS = cast(Table, Comment.__table__)


class CommentWriter:
    """Creates or updates imported comments, keeping threads: a reply whose parent is not
    there yet waits at the top level until the end, then moves under its parent.

    Rows go through SQLAlchemy Core, one statement each, so nothing piles up in the
    session however many comments a file holds. A top-level comment's root_id is filled
    in at the end (it is its own id, known only once inserted).
    """

    def __init__(self, source: str, summary: Summary) -> None:
        self.source = source
        self.summary = summary
        self.waiting: list[tuple[int, str]] = []
        self.touched: set[int] = set()
        # On a first import there is nothing to find again: skip the lookup per comment.
        self.rerun = (
            db.session.scalar(
                select(COMMENTS.c.id).where(COMMENTS.c.import_source == source).limit(1)
            )
            is not None
        )

    def find(self, key: str | None):
        if not key:
            return None
        return (
            db.session.execute(
                select(COMMENTS).where(
                    COMMENTS.c.import_source == self.source, COMMENTS.c.import_key == key
                )
            )
            .mappings()
            .first()
        )

    def write(
        self, article: Article, key: str, parent_key: str | None, values: dict[str, Any]
    ) -> int | None:
        """Create or update one comment; return its id (None when it is too long to take)."""
        if len(values["body"]) > max_length(Comment.body):
            limit = format_number(max_length(Comment.body))
            self.summary.skip(
                "comments", _("longer than the %(max)s characters a comment holds", max=limit), key
            )
            return None
        parent = self.find(parent_key)
        if parent is not None and parent["article_id"] != article.id:
            parent = None
        root_id = (parent["root_id"] or parent["id"]) if parent else None
        row = {
            **values,
            "article_id": article.id,
            "parent_id": parent["id"] if parent else None,
            "depth": parent["depth"] + 1 if parent else 0,
        }
        existing = self.find(key) if self.rerun else None
        if existing is None:
            comment_id = db.session.execute(
                insert(COMMENTS)
                .values(
                    **row,
                    root_id=root_id,
                    changed_at=values["created_at"],
                    import_source=self.source,
                    import_key=key,
                )
                .returning(COMMENTS.c.id)
            ).scalar_one()
            self.summary.count("comments", "created")
            self.touched.add(article.id)
        else:
            comment_id = existing["id"]
            if parent is None and parent_key and existing["parent_id"] is not None:
                # Moved under its parent by an earlier run; the parent is simply later here.
                del row["parent_id"], row["depth"]
            changes = {k: v for k, v in row.items() if existing[k] != v}
            if changes:
                if "status" in changes:
                    changes["changed_at"] = precise_utcnow()
                if "parent_id" in changes:
                    changes["root_id"] = root_id or comment_id
                db.session.execute(
                    update(COMMENTS).where(COMMENTS.c.id == comment_id).values(**changes)
                )
                self.summary.count("comments", "updated")
                self.touched.add(article.id)
            else:
                self.summary.count("comments", "unchanged")
        if parent_key and parent is None and (existing is None or existing["parent_id"] is None):
            self.waiting.append((comment_id, parent_key))
        return comment_id

    def finish(self) -> None:
        """Place replies that came before their parents; recount the stories touched."""
        top_level = (COMMENTS.c.import_source == self.source) & COMMENTS.c.root_id.is_(None)
        db.session.execute(update(COMMENTS).where(top_level).values(root_id=COMMENTS.c.id))
        for comment_id, parent_key in self.waiting:
            parent = self.find(parent_key)
            comment = (
                db.session.execute(select(COMMENTS).where(COMMENTS.c.id == comment_id))
                .mappings()
                .one()
            )
            if parent is None or parent["article_id"] != comment["article_id"]:
                self.summary.note(
                    _("replies to a comment missing from the file, shown at the top level"),
                    comment["import_key"] or "",
                )
                continue
            db.session.execute(
                update(COMMENTS).where(COMMENTS.c.id == comment_id).values(parent_id=parent["id"])
            )
            _rethread([comment_id], parent["depth"] + 1, parent["root_id"] or parent["id"])
            self.touched.add(comment["article_id"])
        for article_id in self.touched:
            recount(article_id)
        # Core statements bypassed the session: drop anything it had loaded before them.
        db.session.expire_all()


def _rethread(ids: list[int], depth: int, root_id: int) -> None:
    """Give these comments, and everything beneath them, their depth and thread root."""
    while ids:
        db.session.execute(
            update(COMMENTS).where(COMMENTS.c.id.in_(ids)).values(depth=depth, root_id=root_id)
        )
        ids = list(db.session.scalars(select(COMMENTS.c.id).where(COMMENTS.c.parent_id.in_(ids))))
        depth += 1


# --- Comment text from other systems ---------------------------------------------------------


def comment_text(source: str) -> str:
    """Comment HTML (WordPress, Disqus) as the plain text our comments hold: paragraphs and
    line breaks kept, links written out, every tag dropped."""
    text = (source or "").replace("\r\n", "\n")
    text = re.sub(r"<(script|style)\b.*?</\1\s*>", "", text, flags=re.IGNORECASE | re.DOTALL)
    text = re.sub(
        r"<a\s[^>]*href=[\"']([^\"']+)[\"'][^>]*>(.*?)</a>",
        lambda m: (
            m.group(2) if m.group(2).strip() == m.group(1) else f"{m.group(2)} ({m.group(1)})"
        ),
        text,
        flags=re.IGNORECASE | re.DOTALL,
    )
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"</p\s*>|<p(\s[^>]*)?>", "\n\n", text, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]*>", "", text)
    text = html.unescape(text)
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- Images ------------------------------------------------------------------------------------


def image_problem(refused: images.ImageRejected) -> str:
    """Why a picture was refused, as a summary reason."""
    values = refused.values
    if refused.reason == "too_big":
        return _("larger than %(mb)s MB", mb=round(values["max_bytes"] / 2**20, 1))
    if refused.reason == "too_many_pixels":
        return _("more than %(mp)s megapixels", mp=round(values["max_pixels"] / 1e6, 1))
    if refused.reason == "empty":
        return _("an empty file")
    if refused.reason == "damaged":
        return _("a damaged picture")
    return _("not a JPEG, PNG or WebP picture")


def save_image(source: Path, stem: str, run: Run) -> bool:
    """Write the IMAGE_WIDTHS JPEGs for a source picture as uploads/<stem>-<width>.jpg,
    checked and cleaned as a newsroom upload is; ImageRejected when it is not one we take.

    Files already there are kept, so a second import writes nothing.
    """
    config = current_app.config
    folder = Path(config["UPLOAD_FOLDER"])
    widths = tuple(sorted(config["IMAGE_WIDTHS"]))
    if all((folder / f"{stem}-{w}.jpg").exists() for w in widths):
        return False
    with source.open("rb") as stream:
        picture = images.clean(
            stream, max_bytes=config["IMAGE_MAX_BYTES"], max_pixels=config["IMAGE_MAX_PIXELS"]
        )
    run.written.extend(images.write_widths(picture, folder, stem, widths))
    return True
