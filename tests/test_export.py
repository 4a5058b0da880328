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
from tests.support.imports import FIXTURES, isso_database, snapshot, write_jpeg


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
