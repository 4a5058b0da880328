"""Comment moderation: tabs with counts, row actions in place (htmx) and as plain forms,
editing, bulk actions, and the story's comment count kept right throughout."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from extensions import db
from models import Article, Comment

from .conftest import HX, sign_in_client


@pytest.fixture(autouse=True)
def editor(login):
    return login("editor")


@pytest.fixture
def story(make_article):
    return make_article("Ferry timetable changes")


@pytest.fixture
def make_comment(story):
    def make(body="A comment", status="pending", name="Reader", **fields) -> Comment:
        comment = Comment(
            article_id=story.id,
            author_name=name,
            author_email="reader@example.org",
            body=body,
            status=status,
            **fields,
        )
        db.session.add(comment)
        db.session.flush()
        comment.root_id = comment.id
        db.session.commit()
        return comment

    return make


def count_of(story) -> int:
    return db.session.get(Article, story.id).comment_count


def tab_counts(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'id="count-(\w+)">(\d+)<', html)}


def test_tabs_show_counts_and_the_queue_oldest_first(client, make_comment):
    make_comment("First in line")
    make_comment("Second in line")
    make_comment("Fine", status="approved")
    make_comment("Buy pills", status="spam")
    html = client.get("/newsroom/comments").get_data(as_text=True)
    assert tab_counts(html) == {"pending": 2, "approved": 1, "spam": 1, "deleted": 0}
    assert html.index("First in line") < html.index("Second in line")
    assert "Fine" not in html and "Buy pills" not in html
    spam = client.get("/newsroom/comments?tab=spam").get_data(as_text=True)
    assert "Buy pills" in spam and "First in line" not in spam


def test_approve_with_htmx_swaps_the_row_and_counts(client, story, make_comment):
    comment = make_comment()
    response = client.post(
        f"/newsroom/comments/{comment.id}/approve", data={"tab": "pending"}, headers=HX
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith(f'<li id="mod-comment-{comment.id}"')
    assert 'id="moderation-tabs"' in html and 'data-hx-swap-oob="true"' in html
    assert tab_counts(html) == {"pending": 0, "approved": 1, "spam": 0, "deleted": 0}
    assert "HX-Request" in response.headers["Vary"]
    db.session.refresh(comment)
    assert comment.status == "approved"
    assert count_of(story) == 1
    # readers now see it
    page = client.get(f"/{story.category.slug}/{story.slug}").get_data(as_text=True)
    assert "A comment" in page


def test_row_buttons_target_their_own_row(client, make_comment):
    comment = make_comment()
    html = client.get("/newsroom/comments").get_data(as_text=True)
    assert f'data-hx-post="/newsroom/comments/{comment.id}/approve"' in html
    assert f'data-hx-target="#mod-comment-{comment.id}"' in html
    assert f'action="/newsroom/comments/{comment.id}/approve"' in html  # works without JS
    assert "data-hx-headers:inherited" in html


@pytest.mark.parametrize(
    "start, action, end, counted",
    [
        ("pending", "approve", "approved", 1),
        ("pending", "spam", "spam", 0),
        ("approved", "spam", "spam", 0),
        ("approved", "delete", "deleted", 0),
        ("deleted", "restore", "approved", 1),
        ("spam", "approve", "approved", 1),
    ],
)
def test_plain_post_moves_the_comment_and_returns_to_the_tab(
    client, story, make_comment, start, action, end, counted
):
    comment = make_comment(status=start)
    response = client.post(
        f"/newsroom/comments/{comment.id}/{action}", data={"tab": start, "page": "1"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/newsroom/comments?tab={start}&page=1"
    db.session.refresh(comment)
    assert comment.status == end
    assert count_of(story) == counted


def test_unknown_action_is_404(client, make_comment):
    comment = make_comment()
    assert client.post(f"/newsroom/comments/{comment.id}/publish").status_code in (404, 405)


def test_edit_in_place_and_hostile_text_comes_back_escaped(client, make_comment):
    comment = make_comment()
    form = client.get(f"/newsroom/comments/{comment.id}/edit", headers=HX)
    assert form.status_code == 200 and "<html" not in form.get_data(as_text=True)
    assert "A comment</textarea>" in form.get_data(as_text=True)

    response = client.post(
        f"/newsroom/comments/{comment.id}/edit",
        data={"author_name": "<b>Reader</b>", "body": "<script>alert(1)</script> fixed"},
        headers=HX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; fixed" in html
    assert "<script>alert" not in html and "<b>Reader" not in html
    db.session.refresh(comment)
    assert comment.body == "<script>alert(1)</script> fixed"
    assert comment.edited_at is not None


def test_invalid_edit_is_422_and_keeps_what_was_typed(client, make_comment):
    comment = make_comment()
    response = client.post(
        f"/newsroom/comments/{comment.id}/edit",
        data={"author_name": "", "body": "kept text"},
        headers=HX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Please give a name." in html and "kept text</textarea>" in html
    plain = client.post(
        f"/newsroom/comments/{comment.id}/edit", data={"author_name": "R", "body": ""}
    )
    assert plain.status_code == 422 and "<html" in plain.get_data(as_text=True)


def test_edit_without_javascript_redirects_back(client, make_comment):
    comment = make_comment()
    response = client.post(
        f"/newsroom/comments/{comment.id}/edit",
        data={"author_name": "Reader", "body": "Corrected", "tab": "pending"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/newsroom/comments?tab=pending")


def test_bulk_action_on_selected_rows(client, story, make_comment):
    a, b, c = make_comment("one"), make_comment("two"), make_comment("three")
    response = client.post(
        "/newsroom/comments/bulk",
        data={"action": "approve", "ids": [str(a.id), str(c.id)], "tab": "pending"},
        headers=HX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="moderation">')
    assert "2 comments approved." in html
    assert tab_counts(html) == {"pending": 1, "approved": 2, "spam": 0, "deleted": 0}
    statuses = dict(db.session.execute(select(Comment.id, Comment.status)).all())
    assert statuses == {a.id: "approved", b.id: "pending", c.id: "approved"}
    assert count_of(story) == 2

    plain = client.post(
        "/newsroom/comments/bulk", data={"action": "spam", "ids": [str(b.id)], "tab": "pending"}
    )
    assert plain.status_code == 303
    db.session.refresh(b)
    assert b.status == "spam"


def test_bulk_without_selection_says_so(client, make_comment):
    make_comment()
    response = client.post("/newsroom/comments/bulk", data={"action": "approve"}, headers=HX)
    assert response.status_code == 422
    assert "Tick at least one comment" in response.get_data(as_text=True)


def test_bulk_form_and_checkboxes_are_valid_html_without_nesting(client, make_comment):
    comment = make_comment()
    html = client.get("/newsroom/comments").get_data(as_text=True)
    assert f'name="ids" value="{comment.id}" form="bulk-form"' in html
    # the bulk form closes before the rows (each row has its own small forms)
    assert html.index("</form>", html.index('id="bulk-form"')) < html.index(
        f'id="mod-comment-{comment.id}"'
    )


def test_moderation_list_pages(client, app, make_comment):
    app.config["NEWSROOM_PAGE_SIZE"] = 2
    for n in range(5):
        make_comment(f"comment {n}")
    html = client.get("/newsroom/comments?page=3").get_data(as_text=True)
    assert "comment 4" in html and "comment 0" not in html
    assert client.get("/newsroom/comments?page=zero").status_code == 404


# --- The same buttons beside each comment on the story page ------------------------------------


def story_page(client, story) -> str:
    return client.get(f"/{story.category.slug}/{story.slug}").get_data(as_text=True)


def test_editor_sees_moderation_buttons_on_the_story_page(client, story, make_comment):
    comment = make_comment("Worth reading", status="approved")
    html = story_page(client, story)
    assert f'id="mod-tools-{comment.id}"' in html
    assert f'data-hx-post="/newsroom/comments/{comment.id}/spam"' in html
    assert f'data-hx-target="#mod-tools-{comment.id}"' in html


@pytest.mark.parametrize("role", ["anonymous", "writer"])
def test_readers_and_writers_see_no_moderation_buttons(app, story, make_comment, make_user, role):
    make_comment("Worth reading", status="approved")
    other = app.test_client()
    if role == "writer":
        sign_in_client(other, make_user("writer"))
    html = story_page(other, story)
    assert "Worth reading" in html
    assert "mod-tools-" not in html and "/newsroom/comments/" not in html


def test_spam_from_the_story_page_with_htmx_swaps_the_card_and_count(
    client, app, story, make_comment
):
    from broadsheet.discussion import recount

    keep = make_comment("Worth reading", status="approved")
    bad = make_comment("Buy pills", status="approved")
    recount(story.id)
    db.session.commit()
    assert count_of(story) == 2
    response = client.post(
        f"/newsroom/comments/{bad.id}/spam",
        data={"context": "story", "next": f"/local/{story.slug}#comment-{bad.id}"},
        headers=HX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<div class="moderation-tools" id="mod-tools-{bad.id}"' in html
    assert "Marked as spam" in html
    assert 'data-hx-swap-oob="innerHTML:.comment-count"' in html and "1 comment<" in html
    assert count_of(story) == 1
    reader = story_page(app.test_client(), story)
    assert "Buy pills" not in reader and keep.body in reader


def test_spam_from_the_story_page_without_javascript_returns_to_the_comment(
    client, story, make_comment
):
    bad = make_comment("Buy pills", status="approved")
    target = f"/{story.category.slug}/{story.slug}#comment-{bad.id}"
    response = client.post(
        f"/newsroom/comments/{bad.id}/spam", data={"context": "story", "next": target}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == target
    db.session.refresh(bad)
    assert bad.status == "spam"


def test_queue_filtered_to_one_story_keeps_the_filter(client, story, make_article, make_comment):
    other = make_article("Another story")
    mine = make_comment("On the ferry story")
    elsewhere = Comment(
        article_id=other.id, author_name="X", author_email="x@example.org", body="Elsewhere"
    )
    db.session.add(elsewhere)
    db.session.commit()
    html = client.get(f"/newsroom/comments?story={story.id}").get_data(as_text=True)
    assert "On the ferry story" in html and "Elsewhere" not in html
    assert tab_counts(html)["pending"] == 1
    assert f"/newsroom/comments?tab=spam&amp;story={story.id}" in html
    response = client.post(
        f"/newsroom/comments/{mine.id}/approve",
        data={"tab": "pending", "page": "1", "story": str(story.id)},
    )
    assert response.headers["Location"] == f"/newsroom/comments?tab=pending&page=1&story={story.id}"
    row = client.post(
        f"/newsroom/comments/{elsewhere.id}/spam",
        data={"tab": "pending", "story": str(other.id)},
        headers=HX,
    ).get_data(as_text=True)
    assert tab_counts(row) == {"pending": 0, "approved": 0, "spam": 1, "deleted": 0}


def test_editor_buttons_never_reach_a_reader_after_an_editor_saw_the_page(
    client, app, story, make_comment
):
    make_comment("Worth reading", status="approved")
    assert "mod-tools-" in story_page(client, story)  # the editor's view, cards now cached
    reader = story_page(app.test_client(), story)
    assert "Worth reading" in reader and "mod-tools-" not in reader
