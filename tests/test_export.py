"""`flask export` and `flask import broadsheet`: a site moved as data loses nothing."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from extensions import db
from models import Article, ArticleSlugAlias, Category, Comment
from tests.support.imports import FIXTURES, isso_database, memory_growth, snapshot, write_jpeg


@pytest.fixture
def full_site(runner, make_article, tmp_path):
    """Every kind of row: imported stories, comments from three systems, images, old
    links, a story of our own with tags and an old slug."""
    wp_uploads = tmp_path / "wp-uploads"
    write_jpeg(wp_uploads / "2021" / "07" / "harbour.jpg")
    for args in (
        ["wordpress", str(FIXTURES / "wordpress.xml"), "--uploads", str(wp_uploads)],
        ["wordpress", str(FIXTURES / "wordpress-latin1.xml")],
        ["disqus", str(FIXTURES / "disqus.xml")],
        ["isso", str(isso_database(tmp_path / "comments.db"))],
    ):
        result = runner.invoke(args=["import", *args])
        assert result.exit_code == 0, result.output
    mine = make_article("Quay wall repaired", tags=("harbour", "works"), dateline="PORT ALDER —")
    db.session.add(ArticleSlugAlias(slug="quay-wall-mended", article=mine))
    db.session.commit()


def uploaded_files(app) -> dict[str, bytes]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def empty_the_site(app) -> None:
    """An empty Broadsheet: every table emptied (ids restarting), no uploads."""
    db.session.remove()
    tables = db.metadata.sorted_tables
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(t.name for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(table.delete())
    shutil.rmtree(app.config["UPLOAD_FOLDER"], ignore_errors=True)
    assert all(rows == [] for rows in snapshot().values())


def test_export_then_import_into_an_empty_site_loses_nothing(full_site, app, runner, tmp_path):
    archive = tmp_path / "site.zip"
    before, files = snapshot(), uploaded_files(app)
    assert all(before[name] for name in ("articles", "comments", "legacy_redirects", "tags"))
    result = runner.invoke(args=["export", str(archive)])
    assert result.exit_code == 0, result.output
    assert f"{len(files)} files" in result.output

    empty_the_site(app)
    result = runner.invoke(args=["import", "broadsheet", str(archive)])
    assert result.exit_code == 0, result.output

    after = snapshot()
    for table in before:
        assert after[table] == before[table], table
    assert uploaded_files(app) == files


def test_the_restored_site_works(full_site, app, runner, client, make_article, tmp_path):
    archive = tmp_path / "site.zip"
    runner.invoke(args=["export", str(archive)])
    empty_the_site(app)
    runner.invoke(args=["import", "broadsheet", str(archive)])
    assert client.get("/2021/07/11/ferry-timetable/").headers["Location"] == (
        "/harbour/ferry-timetable"
    )
    page = client.get("/harbour/ferry-timetable").get_data(as_text=True)
    assert "Asking for the whole club." in page
    assert "Islanders" in client.get("/search?q=islanders").get_data(as_text=True)
    # New rows get fresh ids after the restored ones (PostgreSQL sequences moved on).
    newest = make_article("After the move")
    assert newest.id > max(db.session.scalars(select(Article.id).where(Article.id != newest.id)))


def test_import_of_the_same_export_twice_changes_nothing(full_site, app, runner, tmp_path):
    archive = tmp_path / "site.zip"
    runner.invoke(args=["export", str(archive)])
    before = snapshot()
    result = runner.invoke(args=["import", "broadsheet", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Nothing changed." in result.output
    assert snapshot() == before


def test_import_restores_rows_changed_since_the_export(full_site, app, runner, tmp_path):
    archive = tmp_path / "site.zip"
    runner.invoke(args=["export", str(archive)])
    before = snapshot()
    story = db.session.scalar(select(Article).where(Article.slug == "ferry-timetable"))
    story.headline = "Vandalised"
    db.session.commit()
    result = runner.invoke(args=["import", "broadsheet", str(archive)])
    assert "Rows: 0 created, 1 updated" in result.output
    assert snapshot() == before


def test_data_json_is_one_json_document_with_every_table(full_site, runner, tmp_path):
    archive = tmp_path / "site.zip"
    runner.invoke(args=["export", str(archive)])
    with zipfile.ZipFile(archive) as zf:
        data = json.loads(zf.read("data.json"))
        names = zf.namelist()
    assert data["format"] == "broadsheet-export" and data["version"] == 1
    assert [t["name"] for t in data["tables"]] == [t.name for t in db.metadata.sorted_tables]
    comments = next(t for t in data["tables"] if t["name"] == "comments")
    assert len(comments["rows"]) == db.session.scalar(select(func.count()).select_from(Comment))
    assert "uploads/wp/2021/07/harbour-800.jpg" in names


def _rewrite(archive: Path, out: Path, change) -> Path:
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "data.json":
                data = change(data.decode()).encode()
            target.writestr(info, data)
    return out


def test_malformed_data_stops_at_its_line_and_imports_nothing(full_site, app, runner, tmp_path):
    archive = tmp_path / "site.zip"
    runner.invoke(args=["export", str(archive)])
    empty_the_site(app)

    def truncate_a_row(data: str) -> str:
        lines = data.split("\n")
        lines[6] = lines[6][:-5]
        return "\n".join(lines)

    broken = _rewrite(archive, tmp_path / "broken.zip", truncate_a_row)
    result = runner.invoke(args=["import", "broadsheet", str(broken)])
    assert result.exit_code == 1
    assert "is malformed at line 7 of data.json" in result.output
    assert "Nothing was imported." in result.output
    assert db.session.scalar(select(func.count()).select_from(Category)) == 0
    assert not Path(app.config["UPLOAD_FOLDER"]).exists() or uploaded_files(app) == {}


def test_a_path_climbing_out_of_the_upload_folder_is_not_written(app, runner, tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        header = '{"format":"broadsheet-export","version":1,"tables":[\n]}\n'
        zf.writestr("data.json", header)
        zf.writestr("uploads/../../escaped.txt", "gotcha")
    result = runner.invoke(args=["import", "broadsheet", str(archive)])
    assert result.exit_code == 0, result.output
    assert "a path outside the upload folder" in result.output
    assert not (tmp_path / "escaped.txt").exists()
    assert not Path(app.config["UPLOAD_FOLDER"]).parent.joinpath("escaped.txt").exists()


def test_a_table_this_version_lacks_is_skipped_with_a_reason(app, runner, tmp_path):
    archive = tmp_path / "newer.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(
            "data.json",
            '{"format":"broadsheet-export","version":1,"tables":[\n'
            '{"name":"future_things","columns":["id"],"rows":[\n[1],\n[2]\n]}\n]}\n',
        )
    result = runner.invoke(args=["import", "broadsheet", str(archive)])
    assert result.exit_code == 0, result.output
    assert "2 × Rows: no such table here (future_things" in result.output


def test_a_zip_that_is_not_an_export_is_refused(runner, tmp_path):
    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("holiday.jpg", b"not really")
    result = runner.invoke(args=["import", "broadsheet", str(other)])
    assert result.exit_code == 1
    assert "has no data.json" in result.output


HEADER = '{"format":"broadsheet-export","version":1,"tables":[\n'
CATEGORY = '{"name":"categories","columns":["id","name","slug"],"rows":[\n[1,"Local","local"]\n]}\n'


def archive_of(path: Path, entries: dict[str, bytes | str], data: str = CATEGORY) -> Path:
    """A small archive: data.json (one category unless told) and the given entries."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("data.json", HEADER + data + "]}\n")
        for name, content in entries.items():
            zf.writestr(name, content)
    return path


def leftovers(app) -> list[str]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return [p.name for p in folder.rglob("*") if ".importing" in p.as_posix()]


def jpeg_bytes(tmp_path, name: str, colour=(20, 90, 160)) -> bytes:
    path = tmp_path / "made" / name
    write_jpeg(path, (64, 48))
    return path.read_bytes()


@pytest.mark.parametrize(
    "names", [("uploads/x", "uploads/x/y.jpg"), ("uploads/x/y.jpg", "uploads/x")]
)
def test_a_path_that_is_both_file_and_folder_is_refused_before_anything_is_applied(
    app, runner, tmp_path, names
):
    picture = jpeg_bytes(tmp_path, "y.jpg")
    archive = archive_of(tmp_path / "clash.zip", dict.fromkeys(names, picture))
    result = runner.invoke(args=["import", "broadsheet", str(archive)])
    assert result.exit_code == 1
    assert "names uploads/x" in result.output and "both as a file and as a folder" in result.output
    assert "Nothing was imported." in result.output and "Traceback" not in result.output
    assert db.session.scalar(select(func.count()).select_from(Category)) == 0
    assert uploaded_files(app) == {} and leftovers(app) == []


def test_files_inside_a_path_that_is_a_file_here_are_refused(app, runner, tmp_path):
    write_jpeg(Path(app.config["UPLOAD_FOLDER"]) / "x", (64, 48))
    before = uploaded_files(app)
    picture = jpeg_bytes(tmp_path, "y.jpg")
    archive = archive_of(tmp_path / "inside.zip", {"uploads/x/y.jpg": picture})
    result = runner.invoke(args=["import", "broadsheet", str(archive)])
    assert result.exit_code == 1 and "which is a file on this site" in result.output
    assert uploaded_files(app) == before and leftovers(app) == []
    assert db.session.scalar(select(func.count()).select_from(Category)) == 0


def test_a_failed_commit_puts_back_every_file_it_replaced(app, runner, tmp_path, monkeypatch):
    """Files go in place just before the commit; if the commit fails they come out again
    and the pictures they replaced are restored, byte for byte."""
    folder = Path(app.config["UPLOAD_FOLDER"])
    write_jpeg(folder / "old.jpg", (64, 48))
    before = uploaded_files(app)
    new = {
        "uploads/old.jpg": jpeg_bytes(tmp_path, "a.jpg"),
        "uploads/2025/new.jpg": before["old.jpg"],
    }
    new["uploads/old.jpg"] = new["uploads/old.jpg"] + b"different"
    archive = archive_of(tmp_path / "site.zip", new)

    def commit_fails() -> None:
        assert (folder / "2025" / "new.jpg").is_file()  # in place when the commit came
        raise OSError("disk full")

    monkeypatch.setattr(db.session, "commit", commit_fails)
    result = runner.invoke(args=["import", "broadsheet", str(archive)])
    monkeypatch.undo()
    assert result.exit_code == 1 and "disk full" in result.output
    assert uploaded_files(app) == before and leftovers(app) == []
    assert not (folder / "2025").exists()
    assert db.session.scalar(select(func.count()).select_from(Category)) == 0


def test_a_data_json_of_one_huge_line_is_refused_without_reading_it_whole(app, runner, tmp_path):
    """A file that is not ours (another tool's single-line JSON) used to be read into
    memory whole: 300 MB took 1.3 GB. Lines past the longest row we write are refused."""
    huge = '[1,"' + "x" * (48 * 1024 * 1024) + '","local"]'
    archive = archive_of(
        tmp_path / "one-line.zip",
        {},
        data='{"name":"categories","columns":["id","name","slug"],"rows":[' + huge + "]}\n",
    )
    result, growth = memory_growth(
        lambda: runner.invoke(args=["import", "broadsheet", str(archive)])
    )
    assert result.exit_code == 1
    assert "line 2 of data.json: the line is longer than 4,194,304 characters" in result.output
    assert db.session.scalar(select(func.count()).select_from(Category)) == 0
    assert growth < 32 * 1024 * 1024, f"grew {growth / 2**20:.0f} MiB"
