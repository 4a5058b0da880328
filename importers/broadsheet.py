"""`flask export OUT.zip` and `flask import broadsheet OUT.zip`: the whole site as data.

The zip holds data.json (every row of every table in models, found through
db.metadata, so tables added later come along unchanged; but not sign-in sessions and
rate-limit counts, which belong to the running site) and uploads/ (every file in
the upload folder). data.json is one JSON document written one row per line:

    {"format": "broadsheet-export", "version": 1, ..., "tables": [
    {"name": "categories", "columns": ["id", "name", ...], "rows": [
    [1, "News", ...],
    [2, "Sport", ...]
    ]},
    ...
    ]}

so both sides stream it: the exporter row by row from the database, the importer line by
line from the zip, in batches, never holding a table in memory.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import Date, DateTime, Table, insert, inspect, select, text, tuple_, update

from broadsheet import images
from broadsheet.clock import utcnow
from extensions import db

from .common import ImportFailed, Run, counter, image_problem, one_transaction

FORMAT = "broadsheet-export"
VERSION = 1
DATA = "data.json"
UPLOADS = "uploads/"
# Rows are written in batches of this many, or fewer when their lines add up to more
# than BATCH_CHARS (a story row can hold three copies of a 200,000-character body).
BATCH = 500
BATCH_CHARS = 8 * 1024 * 1024
# No row we export comes near this; a longer line is not one of ours, and is refused
# before it is read whole (a single-line data.json of 300 MB once took 1.3 GB).
MAX_LINE = 4 * 1024 * 1024
# A picture barely shrinks in a zip: an entry unpacking to more than BOMB_RATIO times its
# packed size, and to more than BOMB_BYTES, is a zip bomb (300 MiB from 360 KB was one).
BOMB_RATIO = 10
BOMB_BYTES = 1024 * 1024


@dataclass
class ExportCounts:
    tables: int = 0
    rows: int = 0
    files: int = 0


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot export {type(value).__name__}")


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_encode, separators=(",", ":"))


def export_archive(path: str | os.PathLike) -> ExportCounts:
    """Write every table and every uploaded file to a zip; written aside, then moved in."""
    counts = ExportCounts()
    partial = Path(f"{os.fspath(path)}.partial")
    tables = [t for t in db.metadata.sorted_tables if t.info.get("exported", True)]
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            with (
                archive.open(DATA, "w", force_zip64=True) as raw,
                io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as out,
            ):
                header = {"format": FORMAT, "version": VERSION, "exported_at": utcnow()}
                out.write(_dump(header)[:-1] + ',"tables":[\n')
                for number, table in enumerate(tables, start=1):
                    counts.rows += _export_table(table, out)
                    out.write("]}" + ("," if number < len(tables) else "") + "\n")
                out.write("]}\n")
            counts.tables = len(tables)
            counts.files = _export_uploads(archive)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return counts


def _export_table(table: Table, out: io.TextIOWrapper) -> int:
    columns = [c.name for c in table.columns]
    out.write(_dump({"name": table.name, "columns": columns})[:-1] + ',"rows":[\n')
    stmt = select(table).order_by(*table.primary_key.columns)
    pending, count = None, 0
    for row in db.session.execute(stmt, execution_options={"yield_per": BATCH}):
        if pending is not None:
            out.write(pending + ",\n")
        pending = _dump(list(row))
        count += 1
    if pending is not None:
        out.write(pending + "\n")
    return count


def _export_uploads(archive: zipfile.ZipFile) -> int:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    count = 0
    if folder.is_dir():
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(file, UPLOADS + file.relative_to(folder).as_posix())
            count += 1
    return count


# --- Import -----------------------------------------------------------------------------


class _Lines:
    """data.json read one line at a time, knowing the line number for error messages."""

    def __init__(self, stream: io.TextIOWrapper, path: str) -> None:
        self.stream = stream
        self.path = path
        self.number = 0

    def next(self) -> str:
        line = self.stream.readline(MAX_LINE + 1)
        self.number += 1
        if not line:
            raise self.error(_("the file ends too soon"))
        if len(line) > MAX_LINE:
            raise self.error(
                _("the line is longer than %(max)s characters", max=format_number(MAX_LINE))
            )
        return line.rstrip("\n")

    def json(self, line: str) -> Any:
        try:
            return json.loads(line)
        except ValueError as exc:
            raise self.error(str(exc)) from None

    def error(self, message: str) -> ImportFailed:
        return ImportFailed(
            _(
                "%(file)s is malformed at line %(line)d of data.json: %(error)s. "
                "Nothing was imported.",
                file=self.path,
                line=self.number,
                error=message,
            )
        )


def import_archive(path: str | os.PathLike) -> Run:
    """Restore an export: rows are created, updated to match, or left as they are."""
    name = os.fspath(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFailed(
            _("%(file)s is not a Broadsheet export (%(error)s).", file=name, error=exc)
        ) from None
    if not inspect(db.engine).has_table("alembic_version"):
        raise ImportFailed(
            _("This site's database is not set up yet: run `flask db upgrade` first.")
        )
    with archive, one_transaction() as run:
        if DATA not in archive.namelist():
            raise ImportFailed(_("%(file)s has no data.json. Nothing was imported.", file=name))
        uploads = _plan_uploads(archive, name, run)
        with (
            archive.open(DATA) as raw,
            io.TextIOWrapper(raw, encoding="utf-8") as stream,
            counter(_("Importing %(file)s", file=name), archive.getinfo(DATA).file_size) as bar,
        ):
            lines = _Lines(stream, name)
            header = lines.json(lines.next() + "]}")
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise lines.error(_("not a Broadsheet export"))
            if header.get("version") != VERSION:
                raise lines.error(_("export version %(v)s is not supported", v=header["version"]))
            while True:
                line = lines.next()
                bar.update(len(line) + 1)
                if line == "]}":
                    break
                spec = lines.json(line + "]}")
                if not _is_table(spec):
                    raise lines.error(_("a table was expected"))
                _import_table(spec, lines, run, bar)
        _stage_uploads(archive, uploads, run)
        _reset_sequences()
    return run


def _is_table(spec: Any) -> bool:
    return (
        isinstance(spec, dict)
        and isinstance(spec.get("name"), str)
        and isinstance(spec.get("columns"), list)
        and all(isinstance(column, str) for column in spec["columns"])
    )


def _import_table(spec: dict, lines: _Lines, run: Run, bar) -> None:
    summary = run.summary
    table = db.metadata.tables.get(spec["name"])
    columns: list[str] = spec["columns"]
    known = [] if table is None else [c for c in columns if c in table.columns]
    if table is not None and (gone := set(columns) - set(known)):
        summary.note(
            _("columns this version does not have were left out"),
            ", ".join(f"{table.name}.{c}" for c in sorted(gone)),
        )
    batch: list[dict] = []
    batch_chars = 0
    deferred: list[dict] = []
    while True:
        line = lines.next()
        bar.update(len(line) + 1)
        if line in ("]}", "]},"):
            break
        values = lines.json(line.removesuffix(","))
        if not isinstance(values, list) or len(values) != len(columns):
            raise lines.error(_("a row of %(n)d values was expected", n=len(columns)))
        if table is None:
            summary.skip("rows", _("no such table here"), spec["name"])
            continue
        row = dict(zip(columns, values, strict=True))
        try:
            batch.append({c: _decode(table, c, row[c]) for c in known})
        except (TypeError, ValueError) as exc:
            raise lines.error(str(exc)) from None
        batch_chars += len(line)
        if len(batch) >= BATCH or batch_chars >= BATCH_CHARS:
            _write_batch(table, batch, deferred, summary)
            batch, batch_chars = [], 0
    if table is not None:
        _write_batch(table, batch, deferred, summary)
        _write_deferred(table, deferred)


def _decode(table: Table, column: str, value: Any) -> Any:
    kind = table.columns[column].type
    if value is not None and isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if value is not None and isinstance(kind, Date):
        return date.fromisoformat(value)
    return value


def _self_references(table: Table) -> list[str]:
    """Columns pointing into the same table (a reply's parent): set after the batch."""
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _write_batch(table: Table, rows: list[dict], deferred: list[dict], summary) -> None:
    if not rows:
        return
    keys = [c.name for c in table.primary_key.columns]
    wanted = [tuple(row[k] for k in keys) for row in rows]
    if len(keys) == 1:
        where = table.c[keys[0]].in_([key[0] for key in wanted])
    else:
        where = tuple_(*table.primary_key.columns).in_(wanted)
    existing = {
        tuple(r._mapping[k] for k in keys): r._mapping
        for r in db.session.execute(select(table).where(where))
    }
    later = _self_references(table)
    new = []
    for row, key in zip(rows, wanted, strict=True):
        found = existing.get(key)
        if found is None:
            if any(row.get(c) is not None for c in later):
                deferred.append({**{k: row[k] for k in keys}, **{c: row[c] for c in later}})
                row = {**row, **dict.fromkeys(later)}
            new.append(row)
            summary.count("rows", "created")
        elif all(found[c] == v for c, v in row.items()):
            summary.count("rows", "unchanged")
        else:
            db.session.execute(
                update(table).where(*(table.c[k] == row[k] for k in keys)).values(row)
            )
            summary.count("rows", "updated")
    if new:
        db.session.execute(insert(table), new)


def _write_deferred(table: Table, deferred: list[dict]) -> None:
    keys = [c.name for c in table.primary_key.columns]
    for row in deferred:
        values = {k: v for k, v in row.items() if k not in keys}
        db.session.execute(update(table).where(*(table.c[k] == row[k] for k in keys)), values)


def _reset_sequences() -> None:
    """PostgreSQL hands out ids from sequences, which rows inserted with ids do not move."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if (
            len(keys) == 1
            and keys[0].autoincrement in (True, "auto")
            and keys[0].type.python_type is int
        ):
            # Names from our own metadata, never from the file.
            table_name, column = table.name, keys[0].name
            sql = (
                f"SELECT setval(pg_get_serial_sequence('{table_name}', '{column}'), "  # noqa: S608
                f"COALESCE(MAX({column}), 1), MAX({column}) IS NOT NULL) FROM {table_name}"
            )
            db.session.execute(text(sql))


def _plan_uploads(archive: zipfile.ZipFile, name: str, run: Run) -> dict[Path, zipfile.ZipInfo]:
    """The pictures to write, checked before anything is.

    Only pictures come in (a page or a script under /media/ would run on the site's own
    origin), each inside the upload folder. An entry that unpacks to far more than it
    takes in the zip is no picture (pictures are compressed already): the archive is
    refused as a zip bomb. So is one naming a path as a file in one place and a folder
    in another (in the archive, or between it and the folder), which would stop the
    import halfway.
    """
    folder = Path(current_app.config["UPLOAD_FOLDER"]).resolve()
    max_bytes = current_app.config["IMAGE_MAX_BYTES"]
    planned: dict[Path, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        if not info.filename.startswith(UPLOADS) or info.is_dir():
            continue
        if info.file_size > BOMB_BYTES and info.file_size > BOMB_RATIO * info.compress_size:
            raise ImportFailed(
                _(
                    "%(file)s is refused: %(entry)s would unpack to %(size)s bytes from "
                    "%(packed)s, which no picture does. Nothing was imported.",
                    file=name,
                    entry=info.filename,
                    size=format_number(info.file_size),
                    packed=format_number(info.compress_size),
                )
            )
        target = (folder / info.filename.removeprefix(UPLOADS)).resolve()
        if not target.is_relative_to(folder) or target == folder:
            run.summary.skip("files", _("a path outside the upload folder"), info.filename)
        elif target.suffix.lower() not in images.FORMAT_OF_SUFFIX:
            run.summary.skip(
                "files", _("not a JPEG, PNG or WebP picture, which is all we take"), info.filename
            )
        elif info.file_size > max_bytes:
            refused = images.ImageRejected("too_big", max_bytes=max_bytes)
            run.summary.skip("files", image_problem(refused), info.filename)
        else:
            planned[target] = info
    folders = {p for target in planned for p in target.parents if p.is_relative_to(folder)}
    for target, info in planned.items():
        if target in folders or target.is_dir():
            raise ImportFailed(
                _(
                    "%(file)s names %(path)s both as a file and as a folder. Nothing was imported.",
                    file=name,
                    path=info.filename,
                )
            )
    for path in folders:
        if path.exists() and not path.is_dir():
            raise ImportFailed(
                _(
                    "%(file)s puts files inside %(path)s, which is a file on this site. "
                    "Nothing was imported.",
                    file=name,
                    path=path.relative_to(folder).as_posix(),
                )
            )
    return planned


def _stage_uploads(
    archive: zipfile.ZipFile, planned: dict[Path, zipfile.ZipInfo], run: Run
) -> None:
    """Re-encode the pictures that are new or different and write them aside; they go in
    place at the commit. A file already here, as the archive has it or as re-encoding it
    gives, is left alone (re-encoding is repeatable), so a second import writes nothing."""
    config = current_app.config
    for target, info in planned.items():
        same_size = target.is_file() and target.stat().st_size == info.file_size
        if same_size and _crc(target) == info.CRC:
            run.summary.count("files", "unchanged")
            continue
        try:
            with archive.open(info) as source:
                picture = images.reencode(
                    source,
                    target.suffix,
                    max_bytes=config["IMAGE_MAX_BYTES"],
                    max_pixels=config["IMAGE_MAX_PIXELS"],
                )
        except images.ImageRejected as refused:
            run.summary.skip("files", image_problem(refused), info.filename)
            continue
        if target.is_file() and target.read_bytes() == picture:
            run.summary.count("files", "unchanged")
            continue
        existed = target.exists()
        run.stage(target).write_bytes(picture)
        run.summary.count("files", "updated" if existed else "created")


def _crc(path: Path) -> int:
    crc = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 16):
            crc = zlib.crc32(chunk, crc)
    return crc
