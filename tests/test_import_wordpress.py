"""`flask import wordpress`: a WordPress site with comments, moved into an empty Broadsheet."""

from __future__ import annotations

from datetime import datetime

import pytest
from PIL import Image
from sqlalchemy import func, select

from extensions import db
from models import Article, Category, Comment, LegacyRedirect
from tests.support.imports import FIXTURES, snapshot, thread_shape, write_jpeg, write_large_wxr

WXR = FIXTURES / "wordpress.xml"
SOURCE = "wordpress https://old.example.org"


@pytest.fixture
def uploads(tmp_path):
    """The old site's wp-content/uploads: the harbour photo is there, the island one is not."""
    folder = tmp_path / "wp-uploads"
    write_jpeg(folder / "2021" / "07" / "harbour.jpg")
    return folder


@pytest.fixture
def imported(runner, uploads):
    result = runner.invoke(args=["import", "wordpress", str(WXR), "--uploads", str(uploads)])
    assert result.exit_code == 0, result.output
    return result


def story(key: str) -> Article:
    return db.session.scalar(
        select(Article).where(Article.import_source == SOURCE, Article.import_key == key)
    )


def comment(key: str) -> Comment:
    return db.session.scalar(
        select(Comment).where(Comment.import_source == SOURCE, Comment.import_key == key)
    )


def test_posts_become_stories_with_categories_bylines_dates_and_tags(imported):
    ferry = story("101")
    assert ferry.headline == "Ferry timetable changes – what you need to know"
    assert ferry.slug == "ferry-timetable"
    assert ferry.category.slug == "harbour"
    assert ferry.category.name == "Harbour & Sea"
    assert ferry.category.description == "Boats, tides and the quay."
    assert ferry.byline == "Máire Jones"
    assert ferry.status == "published"
    assert ferry.published_at == datetime(2021, 7, 11, 9, 30)
    assert ferry.updated_at == datetime(2021, 7, 12, 8, 0)
    assert ferry.teaser == "Sailings move earlier from Monday."
    assert [t.name for t in ferry.tags] == ["Ferries", "Summer"]
    assert ferry.comments_open is True
    island = story("102")
    assert island.byline == "tk"  # no display name: the login
    assert island.comments_open is False


def test_duplicate_slug_gets_a_suffix_and_reserved_category_slug_is_moved(imported):
    assert story("102").slug == "ferry-timetable-2"
    assert story("102").category.slug == "cafes"  # "caf%c3%a9s" decoded and folded
    assert story("103").category.slug == "search-news"  # /search/ is ours


def test_slug_taken_by_an_existing_story_is_not_stolen(runner, make_article, uploads):
    mine = make_article("Ferry timetable", slug="ferry-timetable")
    runner.invoke(args=["import", "wordpress", str(WXR), "--uploads", str(uploads)])
    assert mine.slug == "ferry-timetable"
    assert story("101").slug == "ferry-timetable-2"
    assert story("102").slug == "ferry-timetable-3"


def test_drafts_and_pages_stay_drafts_trash_and_pingbacks_are_skipped_with_reasons(imported):
    draft = story("103")
    assert draft.status == "draft" and draft.published_at is None
    assert draft.slug == "lifeboat-crew-called-out-twice"
    assert story("104").status == "draft" and story("105") is None
    output = imported.output
    assert "Stories: 5 created, 0 updated, 0 unchanged, 1 skipped" in output
    assert "WordPress pages were imported as drafts: publish, move or copy them (About us)" in (
        output
    )
    assert "status trash is not imported (Old rumour)" in output
    assert "pingbacks and trackbacks are not comments (18)" in output


def test_password_protected_post_is_kept_out_of_sight(imported, client):
    assert story("106").status == "draft"
    assert "password-protected posts were imported as drafts" in imported.output
    assert client.get("/2021/07/14/accounts/").status_code == 404


def test_html_body_is_sanitised_like_markdown_output_and_stays_editable(imported):
    ferry = story("101")
    assert "<script" not in ferry.body_html and "javascript:" not in ferry.body_html
    assert "onclick" not in ferry.body_html and "[caption" not in ferry.body_html
    assert '<figure class="body-picture"><img src="/media/wp/2021/07/harbour-1200.jpg"' in (
        ferry.body_html
    )
    assert "<figcaption>The quay at dawn</figcaption>" in ferry.body_html
    assert '![](/media/wp/2021/07/harbour-1200.jpg "The quay at dawn")' in ferry.body
    assert "<p>The summer timetable starts on Monday.</p>" in ferry.body_html
    assert "<strong>half an hour</strong> earlier.<br>" in ferry.body_html
    assert "CDATA can hold ]]&gt; too." in ferry.body_html
    assert "**half an hour**" in ferry.body
    assert "[the operator](https://ferries.example.net/)" in ferry.body
    assert ferry.body_text.startswith("The summer timetable starts on Monday. Sailings")


def test_comments_keep_threads_status_dates_and_authors(imported):
    ann, office, bo = comment("11"), comment("12"), comment("13")
    assert (ann.parent_id, ann.depth, ann.root_id) == (None, 0, ann.id)
    assert (office.parent_id, office.depth, office.root_id) == (ann.id, 1, ann.id)
    # Comment 13 came before its parent 12 in the file; it still hangs beneath it.
    assert (bo.parent_id, bo.depth, bo.root_id) == (office.id, 2, ann.id)
    assert ann.created_at == datetime(2021, 7, 11, 11, 0)
    assert ann.author_name == "Ann Reader" and ann.author_email == "ann@example.com"
    assert ann.author_url == "https://ann.example.com/"
    assert ann.ip_hash and "192.0.2.10" not in ann.ip_hash
    assert ann.body == "Will the Friday boat carry bikes?\n\nAsking for the whole club."
    assert office.body == "Yes, up to six bikes (https://ferries.example.net/bikes)."
    assert bo.author_name == "Bo & Co" and bo.author_url == ""  # javascript: dropped
    assert bo.body == "And a reply to the reply — ünïcödé ✓"
    statuses = {key: comment(key).status for key in ("11", "14", "15", "16", "17")}
    assert statuses == {
        "11": "approved",
        "14": "pending",
        "15": "spam",
        "16": "deleted",
        "17": "approved",
    }
    assert story("101").comment_count == 4  # approved only


def test_reply_to_a_missing_comment_is_kept_at_the_top_and_reported(imported):
    orphan = comment("17")
    assert orphan.parent_id is None and orphan.root_id == orphan.id and orphan.depth == 0
    assert "replies to a comment missing from the file, shown at the top level (17)" in (
        imported.output
    )


def test_thread_looks_as_it_did_on_the_article_page(imported, client):
    page = client.get("/harbour/ferry-timetable")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    order, parent_of = thread_shape(html)
    ann, office, bo, orphan = (f"comment-{comment(k).id}" for k in ("11", "12", "13", "17"))
    assert order == [ann, office, bo, orphan]
    assert parent_of == {ann: None, office: ann, bo: office, orphan: None}
    for hidden in ("Held for moderation.", "Buy now", "Trashed comment", "Linked to you"):
        assert hidden not in html
    assert "4 comments" in html
    assert "ann@example.com" not in html
    assert "Asking for the whole club." in html


def test_old_permalinks_redirect_permanently_to_the_new_urls(imported, client):
    cases = {
        "/2021/07/11/ferry-timetable/": "/harbour/ferry-timetable",
        "/2021/07/11/ferry-timetable": "/harbour/ferry-timetable",
        "/?p=101": "/harbour/ferry-timetable",
        "/index.php?p=101": "/harbour/ferry-timetable",
        "/2021/07/12/ferry-timetable/": "/cafes/ferry-timetable-2",
        "/?p=102": "/cafes/ferry-timetable-2",
    }
    for old, new in cases.items():
        response = client.get(old)
        assert response.status_code == 301, old
        assert response.headers["Location"] == new, old
        assert client.get(new).status_code == 200


@pytest.mark.parametrize(
    "shape",
    ["/archives/101", "/ferry-timetable/", "/harbour/ferry-timetable/", "/news/ferry-timetable"],
)
def test_any_permalink_shape_that_is_not_a_page_of_ours_redirects(imported, client, shape):
    story("101")  # a permalink structure other than dates: store it as the old link
    db.session.add(LegacyRedirect(path=shape.rstrip("/"), article=story("101")))
    db.session.commit()
    response = client.get(shape)
    assert response.status_code == 301
    assert response.headers["Location"] == "/harbour/ferry-timetable"


def test_old_links_of_drafts_and_unknown_paths_do_not_redirect(imported, client):
    assert client.get("/?p=103").status_code == 200  # the front page, not the draft
    assert client.get("/?p=99999").status_code == 200
    assert client.get("/2021/07/11/no-such-story/").status_code == 404
    assert client.post("/2021/07/11/ferry-timetable/").status_code in (404, 405)
    paths = set(db.session.scalars(select(LegacyRedirect.path)))
    assert paths == {
        "/2021/07/11/ferry-timetable",
        "?p=101",
        "/2021/07/12/ferry-timetable",
        "?p=102",
        "?p=103",
        "/about",
        "?p=104",
        "?page_id=104",
        "/2021/07/14/accounts",
        "?p=106",
        "?attachment_id=201",
    }


def test_featured_image_is_resized_to_every_width_and_missing_one_reported(imported, app, client):
    ferry = story("101")
    assert ferry.image == "wp/2021/07/harbour"
    assert ferry.image_alt == "Boats at the quay"
    assert ferry.image_caption == "The quay at dawn."
    for width in app.config["IMAGE_WIDTHS"]:
        path = f"{app.config['UPLOAD_FOLDER']}/wp/2021/07/harbour-{width}.jpg"
        with Image.open(path) as picture:
            assert picture.width == width
    response = client.get(f"/media/wp/2021/07/harbour-{width}.jpg")
    assert response.status_code == 200
    response.close()
    assert story("102").image is None
    assert "file missing from the uploads folder (2021/07/island.jpg)" in imported.output


def test_without_an_uploads_folder_images_are_reported_not_fatal(runner):
    result = runner.invoke(args=["import", "wordpress", str(WXR)])
    assert result.exit_code == 0, result.output
    assert "no --uploads folder given (2021/07/harbour.jpg, 2021/07/island.jpg)" in result.output
    assert story("101").image is None


def test_running_twice_changes_nothing(imported, runner, uploads, app):
    before = snapshot()
    files = sorted(p.stat().st_mtime_ns for p in _uploads(app))
    again = runner.invoke(args=["import", "wordpress", str(WXR), "--uploads", str(uploads)])
    assert again.exit_code == 0, again.output
    assert snapshot() == before
    assert sorted(p.stat().st_mtime_ns for p in _uploads(app)) == files
    assert "Stories: 0 created, 0 updated, 5 unchanged, 1 skipped" in again.output
    assert "Comments: 0 created, 0 updated, 8 unchanged, 1 skipped" in again.output
    assert "Nothing changed." in again.output


def _uploads(app):
    from pathlib import Path

    return [p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file()]


def test_a_changed_post_is_updated_not_duplicated(imported, runner, uploads, tmp_path):
    changed = tmp_path / "changed.xml"
    changed.write_text(
        WXR.read_text(encoding="utf-8").replace(
            "Ferry timetable changes &#8211; what you need to know", "Ferry timetable, revised"
        ),
        encoding="utf-8",
    )
    result = runner.invoke(args=["import", "wordpress", str(changed), "--uploads", str(uploads)])
    assert "Stories: 0 created, 1 updated, 4 unchanged, 1 skipped" in result.output
    assert story("101").headline == "Ferry timetable, revised"
    assert db.session.scalar(select(func.count()).select_from(Article)) == 5


def test_malformed_export_stops_at_its_line_and_imports_nothing(runner, app, uploads):
    broken = FIXTURES / "wordpress-broken.xml"
    result = runner.invoke(args=["import", "wordpress", str(broken), "--uploads", str(uploads)])
    assert result.exit_code == 1
    assert "is malformed at line 155, column 20" in result.output
    assert "Nothing was imported." in result.output
    # The two posts before the bad line were read, and rolled back.
    assert db.session.scalar(select(func.count()).select_from(Article)) == 0
    assert db.session.scalar(select(func.count()).select_from(Category)) == 0
    assert _uploads(app) == []


def test_a_file_that_is_not_a_wordpress_export_is_refused(runner, tmp_path):
    other = tmp_path / "feed.xml"
    other.write_text("<?xml version='1.0'?><feed><entry/></feed>", encoding="utf-8")
    result = runner.invoke(args=["import", "wordpress", str(other)])
    assert result.exit_code == 1
    assert "is not a WordPress export" in result.output


def test_latin1_export_is_decoded(runner, client):
    result = runner.invoke(args=["import", "wordpress", str(FIXTURES / "wordpress-latin1.xml")])
    assert result.exit_code == 0, result.output
    cafe = db.session.scalar(select(Article).where(Article.slug == "cafe-reopens"))
    assert cafe.headline == "Café reopens on the quay"
    assert cafe.body_text == "Crème brûlée is back at £3."
    assert cafe.category.name == "Cafés"
    renee = db.session.scalar(select(Comment).where(Comment.article_id == cafe.id))
    assert (renee.author_name, renee.body) == ("Renée", "Délicieux!")
    assert client.get("/2019/03/02/cafe-reopens/").headers["Location"] == "/cafes/cafe-reopens"


def test_hostile_comment_text_is_escaped_on_the_page(imported, client):
    bo = comment("13")
    bo.body = '<img src=x onerror="alert(1)">'
    db.session.commit()
    html = client.get("/harbour/ferry-timetable").get_data(as_text=True)
    assert '<img src=x onerror="alert(1)">' not in html
    assert "&lt;img src=x onerror=" in html


def test_a_comment_listed_twice_fails_cleanly_and_imports_nothing(runner, tmp_path):
    doubled = tmp_path / "doubled.xml"
    text = WXR.read_text(encoding="utf-8")
    doubled.write_text(
        text.replace("<wp:comment_id>12</wp:comment_id>", "<wp:comment_id>11</wp:comment_id>"),
        "utf-8",
    )
    result = runner.invoke(args=["import", "wordpress", str(doubled)])
    assert result.exit_code == 1
    assert "names the same item twice" in result.output
    assert db.session.scalar(select(func.count()).select_from(Article)) == 0


def test_a_post_longer_than_the_newsroom_takes_is_skipped_with_its_reason(runner, tmp_path):
    """The newsroom caps a body at 200,000 characters; a longer post (a 48 MB one made
    every search for a common word time out) is reported, not imported."""
    export = write_large_wxr(tmp_path / "long.xml", posts=1, comments_per_post=2, body_kb=250)
    result = runner.invoke(args=["import", "wordpress", str(export)])
    assert result.exit_code == 0, result.output
    assert (
        "1 × Stories: the body is longer than the newsroom's limit of 200,000 characters (Story 1)"
    ) in result.output
    assert "2 × Comments: its post was not imported" in result.output
    assert db.session.scalar(select(func.count()).select_from(Article)) == 0


def test_a_comment_longer_than_comments_hold_is_skipped_with_its_reason(runner, tmp_path):
    long = tmp_path / "long-comment.xml"
    long.write_text(
        WXR.read_text(encoding="utf-8").replace(
            "Will the Friday boat carry bikes?", "Will the Friday boat carry bikes? " * 200
        ),
        encoding="utf-8",
    )
    result = runner.invoke(args=["import", "wordpress", str(long)])
    assert result.exit_code == 0, result.output
    assert "1 × Comments: longer than the 5,000 characters a comment holds (11)" in result.output
    assert comment("11") is None and story("101") is not None
