"""Bringing the real WordPress 6.1 site over again after it (or the newsroom) changed
(issue 22 items 5, 7, 8 and 9): what WordPress changed arrives as a new revision, what
the newsroom changed is kept, deletions there carry over, and the pictures come from the
originals. Each test imports the fixture into its own empty site."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import func, select

from extensions import db
from models import Article, Category, Comment, Revision
from tests.support.imports import WP61, story_body

SOURCE = "wordpress http://127.0.0.1:8091"
BUDGET = "Council passes 2025 budget after all-night session"


def run(runner, export: Path = WP61 / "export.xml", *flags: str, uploads: Path | None = None):
    """Import an export; without --uploads (pictures are not what these tests are about,
    and leaving them out makes each import quicker) unless given."""
    extra = ["--uploads", str(uploads)] if uploads else []
    result = runner.invoke(args=["import", "wordpress", str(export), *extra, *flags])
    assert result.exit_code == 0, result.output
    return result.output


def changed(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    """The fixture with some text replaced, as if WordPress had been used since."""
    text = (WP61 / "export.xml").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "changed.xml"
    path.write_text(text, encoding="utf-8")
    return path


def story(key: str) -> Article:
    db.session.expire_all()
    return db.session.scalar(
        select(Article).where(Article.import_source == SOURCE, Article.import_key == key)
    )


def page(client, article: Article):
    return client.get(f"/{quote(article.category.slug)}/{quote(article.slug)}")


def edit_in_newsroom(client, article: Article, version: int | None = None, **fields):
    """Press Save on the story's newsroom form, as an editor would."""
    data = {
        "headline": article.headline,
        "category_id": str(article.category_id),
        "byline": article.byline,
        "teaser": article.teaser,
        "body": article.body,
        "image_alt": article.image_alt,
        "image_caption": article.image_caption,
        "comments_open": "y",
        "version": str(article.version if version is None else version),
        "action": "save",
        **fields,
    }
    return client.post(f"/newsroom/stories/{article.id}", data=data)


def test_a_changed_post_is_updated_as_a_new_revision_and_open_forms_are_refused(
    runner, client, login, tmp_path
):
    run(runner)
    login("editor")
    budget = story("8")
    opened = budget.version
    output = run(runner, changed(tmp_path, (BUDGET, "Council passes budget at dawn")))
    assert "Stories: 0 created, 1 updated, 13 unchanged" in output
    budget = story("8")
    assert "Council passes budget at dawn" in page(client, budget).get_data(as_text=True)
    assert budget.version == opened + 1
    summaries = db.session.scalars(
        select(Revision.summary).where(Revision.article_id == budget.id).order_by(Revision.id)
    ).all()
    assert summaries == ["imported", "imported headline"]
    # An editor's form opened before the import cannot save over it.
    refused = edit_in_newsroom(client, budget, version=opened, headline="Stale form")
    assert refused.status_code == 409 and story("8").headline == "Council passes budget at dawn"


def test_a_story_edited_in_the_newsroom_is_left_alone_unless_asked(runner, client, login, tmp_path):
    run(runner)
    login("editor")
    saved = edit_in_newsroom(client, story("8"), headline="Budget passes after a long night")
    assert saved.status_code == 303
    again = changed(tmp_path, (BUDGET, "Council passes budget at dawn"))

    output = run(runner, again)
    assert "edited in the newsroom since the last import, so left as it is" in output
    assert f"(--overwrite-edited takes the WordPress copy) ({BUDGET})" not in output
    assert "Budget passes after a long night" in page(client, story("8")).get_data(as_text=True)

    output = run(runner, again, "--overwrite-edited")
    assert "Stories: 0 created, 1 updated" in output
    budget = story("8")
    assert budget.headline == "Council passes budget at dawn"
    latest = db.session.scalar(
        select(Revision.summary)
        .where(Revision.article_id == budget.id)
        .order_by(Revision.id.desc())
    )
    assert latest.startswith("imported headline")


def test_a_post_trashed_in_wordpress_is_taken_off_the_site(runner, client, tmp_path):
    run(runner)
    url = "/2025/03/council-passes-2025-budget/"
    assert client.get(url).status_code == 301
    output = run(
        runner,
        changed(
            tmp_path,
            (
                "<wp:post_name><![CDATA[council-passes-2025-budget]]></wp:post_name>\n"
                "\t\t<wp:status><![CDATA[publish]]>",
                "<wp:post_name><![CDATA[council-passes-2025-budget]]></wp:post_name>\n"
                "\t\t<wp:status><![CDATA[trash]]>",
            ),
        ),
    )
    assert f"trashed in WordPress, so taken off the site ({BUDGET})" in output
    budget = story("8")
    assert budget.status == "draft" and page(client, budget).status_code == 404
    assert client.get(url).status_code == 404


def test_comments_the_new_export_lacks_are_listed_and_held_when_asked(runner, client, tmp_path):
    """WordPress leaves spam out of its exports: a comment marked spam there since the
    first import is simply missing from the next file."""
    run(runner)
    marked_spam = changed(
        tmp_path,
        (
            re.search(
                r"\t*<wp:comment>\s*<wp:comment_id>5</wp:comment_id>.*?</wp:comment>\n",
                (WP61 / "export.xml").read_text(encoding="utf-8"),
                re.S,
            ).group(0),
            "",
        ),
    )
    output = run(runner, marked_spam)
    assert "approved comments the file no longer has (WordPress leaves spam out" in output
    assert "--hold-missing holds them for review (5)" in output
    assert "The ridership figures" in page(client, story("8")).get_data(as_text=True)

    output = run(runner, marked_spam, "--hold-missing")
    assert "comments the file no longer has were held for review (5)" in output
    held = db.session.scalar(select(Comment).where(Comment.import_key == "5"))
    assert held.status == "pending"
    html = page(client, story("8")).get_data(as_text=True)
    assert "The ridership figures" not in html and "11 comments" in html


def test_an_arabic_category_is_a_section_of_its_own(runner, client, make_category, tmp_path):
    """Its slug used to come out empty, fall back to "uncategorized" and rename the site's
    own Uncategorized."""
    make_category("Uncategorized", slug="uncategorized")
    middle_east = '<category domain="category" nicename="middle-east"><![CDATA[Middle East]]>'
    local = '<category domain="category" nicename="%d9%85%d8%ad%d9%84%d9%8a"><![CDATA[محلي]]>'
    run(runner, changed(tmp_path, (middle_east, local)))  # the Amman elections post
    amman = story("6")
    assert amman.category.slug == "محلي" and amman.category.name == "محلي"
    uncategorized = select(Category.name).where(Category.slug == "uncategorized")
    assert db.session.scalar(uncategorized) == "Uncategorized"
    assert page(client, amman).status_code == 200
    listing = client.get("/" + quote("محلي") + "/")
    assert listing.status_code == 200
    assert "انتخابات بلدية في عمّان" in listing.get_data(as_text=True)
    moved = client.get("/category/%d9%85%d8%ad%d9%84%d9%8a/")
    assert moved.status_code == 301 and moved.headers["Location"] == "/" + quote("محلي") + "/"


def test_the_featured_picture_is_the_original_not_wordpress_scaled_copy(runner, app, tmp_path):
    """WordPress shows a "-scaled" copy of big uploads; the original it was made from is
    the one brought over (here the scaled copy is not even in the folder)."""
    uploads = tmp_path / "uploads"
    shutil.copytree(WP61 / "uploads", uploads)
    (uploads / "2025" / "09" / "harbour-cranes-scaled.jpg").unlink()
    output = run(runner, uploads=uploads)
    assert "file missing from the uploads folder" not in output
    assert story("13").image == "wp/2025/09/harbour-cranes"
    assert Path(app.config["UPLOAD_FOLDER"], "wp/2025/09/harbour-cranes-1200.jpg").is_file()


def test_the_first_newsroom_save_keeps_every_paragraph(runner, client, login):
    """A classic post's paragraphs used to be lost for good on its first save here."""
    run(runner)
    login("editor")
    madrid = story("4")
    before = story_body(page(client, madrid).get_data(as_text=True))
    assert edit_in_newsroom(client, madrid).status_code == 303
    after = story_body(page(client, story("4")).get_data(as_text=True))
    assert after == before and after.count("<p>") == 5


def test_a_page_published_in_the_newsroom_answers_its_old_address(runner, client, login):
    run(runner)
    assert client.get("/sobre-nosotros/").status_code == 404
    login("editor")
    about = story("26")
    assert edit_in_newsroom(client, about, action="publish").status_code == 303
    moved = client.get("/sobre-nosotros/")
    assert moved.status_code == 301
    assert moved.headers["Location"] == f"/{about.category.slug}/sobre-nosotros"
    assert client.get("/?page_id=26").headers["Location"] == moved.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Article)) == 14
