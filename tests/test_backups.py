"""`flask backup` / `flask restore` on an SQLite site, and the pg_dump advice on PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from broadsheet import stemming
from broadsheet.stories import prepare
from extensions import db
from models import Article, Category

from .conftest import base_config


@pytest.fixture
def site(tmp_path, make_app):
    """A migrated SQLite site with one story, whichever database the suite runs on."""
    config = base_config(f"sqlite:///{tmp_path / 'site.db'}", tmp_path)
    config["BACKUP_FOLDER"] = str(tmp_path / "backups")
    app = make_app(config)
    with app.app_context():
        upgrade()
        add_story(app, "Harbour reopens")
    return app


def add_story(app, headline: str) -> None:
    with app.app_context():
        category = db.session.scalar(select(Category)) or Category(name="Local", slug="local")
        db.session.add(prepare(Article(headline=headline, category=category, status="published")))
        db.session.commit()


def headlines(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT headline FROM articles")}
    finally:
        conn.close()


def backups(site) -> list[Path]:
    return sorted(Path(site.config["BACKUP_FOLDER"]).glob("broadsheet-*.db"))


def run(site, *args, **kwargs):
    return site.test_cli_runner().invoke(args=list(args), **kwargs)


def test_backup_writes_a_complete_standalone_copy(site):
    result = run(site, "backup")
    [path] = backups(site)
    assert result.exit_code == 0 and str(path) in result.output
    assert headlines(path) == {"Harbour reopens"}
    assert not path.with_name(path.name + "-wal").exists()


def test_backup_is_consistent_while_a_writer_is_mid_transaction(site, tmp_path):
    writer = sqlite3.connect(tmp_path / "site.db")
    stemming.register(writer)  # the search index's triggers stem what a writer changes
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE articles SET headline = 'half-written'")
    try:
        result = run(site, "backup")
    finally:
        writer.commit()
        writer.close()
    assert result.exit_code == 0
    assert headlines(backups(site)[0]) == {"Harbour reopens"}
    assert headlines(tmp_path / "site.db") == {"half-written"}


def test_backup_keeps_only_the_newest_few(site):
    for n in range(4):
        add_story(site, f"Story {n}")
        assert run(site, "backup", "--keep", "2").exit_code == 0
    kept = backups(site)
    assert len(kept) == 2
    assert "Story 3" in headlines(kept[1])
    assert "Story 2" in headlines(kept[0]) and "Story 3" not in headlines(kept[0])


def test_backup_keep_comes_from_config(site):
    site.config["BACKUP_KEEP"] = 1
    for _ in range(3):
        run(site, "backup")
    assert len(backups(site)) == 1


def test_restore_brings_back_a_deleted_story_after_confirmation(site, tmp_path):
    run(site, "backup")
    [saved] = backups(site)
    add_story(site, "Written after the backup")
    result = run(site, "restore", str(saved), input="y\n")
    assert result.exit_code == 0, result.output
    assert headlines(tmp_path / "site.db") == {"Harbour reopens"}
    # The database as it was before the restore is kept too.
    assert any("Written after the backup" in headlines(p) for p in backups(site))


def test_restore_answered_no_changes_nothing(site, tmp_path):
    run(site, "backup")
    [saved] = backups(site)
    add_story(site, "Keep me")
    result = run(site, "restore", str(saved), input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output
    assert "Keep me" in headlines(tmp_path / "site.db")


def test_restore_yes_skips_the_question(site, tmp_path):
    run(site, "backup")
    [saved] = backups(site)
    add_story(site, "Gone after restore")
    assert run(site, "restore", "--yes", str(saved)).exit_code == 0
    assert headlines(tmp_path / "site.db") == {"Harbour reopens"}


def test_restore_refuses_a_file_that_is_not_a_broadsheet_database(site, tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("not a database at all")
    result = run(site, "restore", "--yes", str(bogus))
    assert result.exit_code != 0 and "not a usable database" in result.output
    assert headlines(tmp_path / "site.db") == {"Harbour reopens"}


def test_backup_of_a_site_without_a_database_says_what_to_do(tmp_path, make_app):
    app = make_app(base_config(f"sqlite:///{tmp_path / 'never-migrated.db'}", tmp_path))
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code != 0 and "flask db upgrade" in result.output
    assert not (tmp_path / "never-migrated.db").exists()


@pytest.mark.parametrize("command", [["backup"], ["restore", "--yes", __file__]])
def test_on_postgresql_the_commands_give_the_pg_dump_recipe(tmp_path, make_app, command):
    app = make_app(base_config("postgresql://postgres@127.0.0.1:9/site", tmp_path))
    result = app.test_cli_runner().invoke(args=command)
    assert result.exit_code != 0
    assert "pg_dump" in result.output and "pg_restore" in result.output
