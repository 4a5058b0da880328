"""`flask import FILE...`: JSON and Markdown with front matter, idempotent by slug, with the
importers' summary of what was created, updated, unchanged and skipped (and why)."""

from __future__ import annotations

import json
from datetime import timedelta

import click
import feedparser
import pytest
from PIL import Image
from sqlalchemy import select

from broadsheet import clock
from extensions import db
from importers.cli import FallbackGroup, import_cli
from models import Article, Category, Revision

MARKDOWN = """---
headline: Harbour dredging starts
category: Local
byline: Ana Ruiz
dateline: PORT ALDER
teaser: "Work on the channel begins: Monday"
tags: [harbour, shipping]
status: published
published_at: 2026-11-01T09:30:00Z
source_name: Alder Wire
source_url: https://wire.example.org/dredging
---
The **dredger** arrived.

Work starts Monday.
"""


@pytest.fixture
def local(make_category):
    return make_category("Local")


def write(tmp_path, name: str, content) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def stories() -> list[Article]:
    return list(db.session.scalars(select(Article).order_by(Article.id)))


def test_markdown_with_front_matter_becomes_a_story(runner, tmp_path, local):
    result = runner.invoke(args=["import", write(tmp_path, "dredging.md", MARKDOWN)])
    assert result.exit_code == 0, result.output
    assert "Stories: 1 created, 0 updated, 0 unchanged, 0 skipped" in result.output
    [article] = stories()
    assert article.slug == "harbour-dredging-starts"
    assert article.category_id == local.id
    assert article.teaser == "Work on the channel begins: Monday"
    assert "<strong>dredger</strong>" in article.body_html
    assert [t.name for t in article.tags] == ["harbour", "shipping"]
    assert article.status == "published"
    assert article.published_at.isoformat() == "2026-11-01T09:30:00"
    assert article.source_url == "https://wire.example.org/dredging"
    assert db.session.scalar(select(Revision.summary)).startswith("imported")


def test_importing_twice_changes_nothing_and_edits_update(runner, tmp_path, local):
    path = write(tmp_path, "dredging.md", MARKDOWN)
    runner.invoke(args=["import", path])
    again = runner.invoke(args=["import", path])
    assert again.exit_code == 0
    assert "Stories: 0 created, 0 updated, 1 unchanged, 0 skipped" in again.output
    assert "Nothing changed." in again.output
    assert len(stories()) == 1
    assert db.session.scalar(select(db.func.count()).select_from(Revision)) == 1

    write(tmp_path, "dredging.md", MARKDOWN.replace("Work starts Monday.", "Work starts Tuesday."))
    changed = runner.invoke(args=["import", path])
    assert "Stories: 0 created, 1 updated, 0 unchanged, 0 skipped" in changed.output
    [article] = stories()
    assert "Tuesday" in article.body_html
    assert article.version == 2  # an editor's open form on the old text is refused


def test_json_list_with_good_and_bad_stories_reports_reasons(runner, tmp_path, local):
    path = write(
        tmp_path,
        "wire.json",
        {
            "stories": [
                {"headline": "Ferry fares rise", "category": "local", "body": "Up 5%."},
                {"headline": "", "category": "Local"},
                {"headline": "Weather turns", "category": "Weather"},
                {"headline": "Bad date", "category": "Local", "published_at": "soon"},
                {"headline": "Bad link", "category": "Local", "source_url": "javascript:x"},
                "not an object",
            ]
        },
    )
    result = runner.invoke(args=["import", path])
    assert result.exit_code == 1
    assert "Stories: 1 created, 0 updated, 0 unchanged, 5 skipped" in result.output
    assert "1 × Stories: no headline (wire.json#2)" in result.output
    assert "1 × Stories: unknown category 'Weather' (create it, or pass --create-c" in result.output
    assert "1 × Stories: published_at 'soon' is not an ISO 8601 date and time" in result.output
    assert "1 × Stories: source_url must start with http:// or https:// (wire.json#5)" in (
        result.output
    )
    assert "1 × Stories: not a story object (wire.json#6)" in result.output
    assert [a.headline for a in stories()] == ["Ferry fares rise"]
    assert stories()[0].status == "draft"


def test_create_categories_flag(runner, tmp_path):
    path = write(tmp_path, "one.json", {"headline": "Regatta", "category": "Sport & Leisure"})
    result = runner.invoke(args=["import", "--create-categories", path])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Category.slug)) == "sport-leisure"
    assert "Categories: 1 created" in result.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.json", '{"headline": "Ferry",\n  not json}', "broken.json is malformed at line 2"),
        ("plain.md", "Just text", "plain.md has no front matter (start the file with --- or +++)"),
        ("bad.md", "---\nheadline Ferry\n---\nBody", "bad.md is malformed at line 2"),
        (
            "bad.toml.md",
            '+++\nheadline = "Ferry"\n= x\n+++\n',
            "bad.toml.md is malformed at line 3",
        ),
        ("notes.txt", "hello", "notes.txt is not a .json, .md or .markdown file"),
        ("number.json", "42", "number.json holds neither a story object nor a list of them"),
    ],
)
def test_a_file_that_cannot_be_read_stops_the_import_and_nothing_is_kept(
    runner, tmp_path, local, name, content, message
):
    good = write(tmp_path, "good.json", {"headline": "Ferry fares rise", "category": "Local"})
    result = runner.invoke(args=["import", good, write(tmp_path, name, content)])
    assert result.exit_code == 1
    assert message in result.output and "Nothing was imported." in result.output
    assert stories() == []


def test_future_published_at_is_scheduled(runner, tmp_path, local, client):
    later = (clock.utcnow() + timedelta(days=1)).isoformat()
    path = write(
        tmp_path,
        "s.json",
        {"headline": "Tomorrow", "category": "Local", "status": "published", "published_at": later},
    )
    runner.invoke(args=["import", path])
    [article] = stories()
    assert article.status == "published" and not article.is_visible()
    assert client.get(f"/local/{article.slug}").status_code == 404


def test_image_beside_the_file_is_stored_and_needs_alt_text(runner, tmp_path, local, app):
    Image.new("RGB", (900, 600), "navy").save(tmp_path / "boat.png")
    good = write(
        tmp_path,
        "good.json",
        {"headline": "Boat", "category": "Local", "image": "boat.png", "image_alt": "A boat"},
    )
    missing_alt = write(
        tmp_path, "noalt.json", {"headline": "Boat two", "category": "Local", "image": "boat.png"}
    )
    result = runner.invoke(args=["import", good, missing_alt])
    assert "Stories: an image needs image_alt (what the picture shows) (noalt.json)" in (
        result.output
    )
    [article] = stories()
    assert article.image.startswith("boat-")
    assert (tmp_path / "uploads" / f"{article.image}-480.jpg").is_file()


def test_subcommands_and_files_coexist():
    """A later `flask import wordpress FILE` must not be mistaken for a file, nor a file for it."""
    group = FallbackGroup("import")

    @group.command("files")
    @click.argument("files", nargs=-1)
    def files(files):
        click.echo(f"files {list(files)}")

    @group.command("wordpress")
    @click.argument("file")
    def wordpress(file):
        click.echo(f"wordpress {file}")

    from click.testing import CliRunner

    runner = CliRunner()
    assert runner.invoke(group, ["a.json", "b.md"]).output == "files ['a.json', 'b.md']\n"
    assert runner.invoke(group, ["wordpress", "export.xml"]).output == "wordpress export.xml\n"
    assert "files" in runner.invoke(group, ["--help"]).output
    assert import_cli.commands["files"]


@pytest.mark.parametrize("image", ["../secret.png", "{outside}/secret.png", "link.png"])
def test_an_image_path_outside_the_story_files_folder_is_never_read(runner, tmp_path, local, image):
    """A story file names its picture; it may not reach out of its folder, by climbing,
    by an absolute path or through a symbolic link."""
    stories_folder = tmp_path / "stories"
    stories_folder.mkdir()
    Image.new("RGB", (900, 600), "navy").save(tmp_path / "secret.png")
    (stories_folder / "link.png").symlink_to(tmp_path / "secret.png")
    path = write(
        stories_folder,
        "s.json",
        {
            "headline": "Boat",
            "category": "Local",
            "image": image.format(outside=tmp_path),
            "image_alt": "A boat",
        },
    )
    result = runner.invoke(args=["import", path])
    assert result.exit_code == 1
    assert "is outside the story file's folder (s.json)" in result.output
    assert stories() == [] and not (tmp_path / "uploads").exists()


def test_control_characters_are_dropped_so_the_feeds_stay_valid_xml(
    runner, tmp_path, local, client
):
    path = write(
        tmp_path,
        "s.json",
        {
            "headline": "Ferry\x01 fares\x1b rise",
            "teaser": "Up\x0b again",
            "byline": "Ana\x08",
            "category": "Local",
            "body": "The board\x0c voted.",
            "status": "published",
        },
    )
    assert runner.invoke(args=["import", path]).exit_code == 0
    [article] = stories()
    assert (article.headline, article.teaser, article.byline) == (
        "Ferry fares rise",
        "Up again",
        "Ana",
    )
    for feed in ("/feeds/rss.xml", "/feeds/atom.xml"):
        parsed = feedparser.parse(client.get(feed).data)
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        assert parsed.entries[0].title == "Ferry fares rise"
