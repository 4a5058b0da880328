"""`flask export` and `flask import broadsheet`: a site moved as data loses nothing."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from PIL import Image
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
    # Every picture comes back, re-encoded from its pixels: same name, same size.
    restored = uploaded_files(app)
    assert restored.keys() == files.keys()
    for name, data in files.items():
        assert picture_size(restored[name]) == picture_size(data), name
    again = runner.invoke(args=["import", "broadsheet", str(archive)])
    assert "Nothing changed." in again.output and uploaded_files(app) == restored


def picture_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as picture:
        return picture.size


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


def test_data_json_is_one_json_document_with_every_table(full_site, runner, tmp_path, login):
    login("admin")  # a signed-in session, which stays with this site
    archive = tmp_path / "site.zip"
    runner.invoke(args=["export", str(archive)])
    with zipfile.ZipFile(archive) as zf:
        data = json.loads(zf.read("data.json"))
        names = zf.namelist()
    assert data["format"] == "broadsheet-export" and data["version"] == 1
    exported = [t["name"] for t in data["tables"]]
    staying = {"staff_sessions", "rate_limits", "site_generation"}
    assert exported == [t.name for t in db.metadata.sorted_tables if t.name not in staying]
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
    "names", [("uploads/x.jpg", "uploads/x.jpg/y.jpg"), ("uploads/x.jpg/y.jpg", "uploads/x.jpg")]
)
def test_a_path_that_is_both_file_and_folder_is_refused_before_anything_is_applied(
    app, runner, tmp_path, names
):
    picture = jpeg_bytes(tmp_path, "y.jpg")
    archive = archive_of(tmp_path / "clash.zip", dict.fromkeys(names, picture))
    result = runner.invoke(args=["import", "broadsheet", str(archive)])
    assert result.exit_code == 1
    assert (
        "names uploads/x.jpg" in result.output and "both as a file and as a folder" in result.output
    )
    assert "Nothing was imported." in result.output and "Traceback" not in result.output
    assert db.session.scalar(select(func.count()).select_from(Category)) == 0
    assert uploaded_files(app) == {} and leftovers(app) == []


def test_files_inside_a_path_that_is_a_file_here_are_refused(app, runner, tmp_path):
    write_jpeg(Path(app.config["UPLOAD_FOLDER"]) / "x.jpg", (64, 48))
    before = uploaded_files(app)
    picture = jpeg_bytes(tmp_path, "y.jpg")
    archive = archive_of(tmp_path / "inside.zip", {"uploads/x.jpg/y.jpg": picture})
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


def test_only_pictures_come_in_and_each_is_rebuilt_from_its_pixels(app, runner, client, tmp_path):
    """An archive once planted live HTML on the site's origin (/media/evil.html ran its
    script). Only JPEG, PNG and WebP files come in, re-encoded: whatever was hidden after
    the picture data is gone, and a file that is not the picture its name says is left out."""
    polyglot = jpeg_bytes(tmp_path, "p.jpg") + b"<script>alert(document.cookie)</script>"
    png = tmp_path / "made" / "real.png"
    Image.new("RGB", (40, 30), "navy").save(png)
    archive = archive_of(
        tmp_path / "planted.zip",
        {
            "uploads/evil.html": "<script>alert(document.cookie)</script>",
            "uploads/evil.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "uploads/fake.jpg": "<html><script>alert(1)</script></html>",
            "uploads/png-named.jpg": png.read_bytes(),
            "uploads/polyglot.jpg": polyglot,
            "uploads/real.png": png.read_bytes(),
        },
    )
    result = runner.invoke(args=["import", "broadsheet", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Files: 2 created, 0 updated, 0 unchanged, 4 skipped" in result.output
    assert "2 × Files: not a JPEG, PNG or WebP picture, which is all we take" in result.output
    assert "2 × Files: not a JPEG, PNG or WebP picture (uploads/fake.jpg, uploads/png-n" in (
        result.output
    )
    assert sorted(uploaded_files(app)) == ["polyglot.jpg", "real.png"]
    for path in ("/media/evil.html", "/media/evil.svg", "/media/fake.jpg"):
        assert client.get(path).status_code == 404
    served = client.get("/media/polyglot.jpg")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert b"<script" not in served.data and picture_size(served.data) == (64, 48)
    served.close()


def test_a_zip_bomb_is_refused_before_anything_is_applied(app, runner, tmp_path):
    """300 MiB once came out of a 360 KB archive. An entry that unpacks to many times its
    packed size is no picture: the archive is refused, unread."""
    archive = archive_of(
        tmp_path / "bomb.zip", {"uploads/small.jpg": jpeg_bytes(tmp_path, "s.jpg")}
    )
    with (
        zipfile.ZipFile(archive, "a", compression=zipfile.ZIP_DEFLATED) as zf,
        zf.open("uploads/bomb.jpg", "w", force_zip64=True) as entry,
    ):
        for _ in range(64):
            entry.write(bytes(1024 * 1024))
    assert archive.stat().st_size < 200_000
    result = runner.invoke(args=["import", "broadsheet", str(archive)])
    assert result.exit_code == 1
    assert "uploads/bomb.jpg would unpack to 67,108,864 bytes from" in result.output
    assert "which no picture does. Nothing was imported." in result.output
    assert db.session.scalar(select(func.count()).select_from(Category)) == 0
    assert uploaded_files(app) == {} and leftovers(app) == []
