"""The moderation queue explains itself (issue 20, item 6): why each comment was held, which
comment a reply answers, Approve / Spam / Delete that look different, and a Restore from
spam that asks whether to approve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from broadsheet.web.commenter import signed_render_time
from extensions import db
from models import Comment

from .conftest import HX

GOOD = {"name": "Ana Ruiz", "email": "ana@example.org", "website": "", "body": "Well reported."}


@pytest.fixture
def story(make_article):
    return make_article("Ferry timetable changes")


@pytest.fixture
def editor(login):
    return login("editor")


def post_as_reader(app, story, **fields) -> Comment:
    reader = app.test_client()
    data = {**GOOD, "rendered": signed_render_time(), **fields}
    assert reader.post(f"/comments/{story.id}", data=data).status_code in (200, 303)
    return db.session.scalar(db.select(Comment).order_by(Comment.id.desc()).limit(1))


def row_of(html: str, comment: Comment) -> str:
    found = re.search(rf'<li id="mod-comment-{comment.id}".*?</li>', html, re.S)
    return found.group(0)


@pytest.mark.parametrize(
    "fields, tab, reason",
    [
        ({}, "pending", "the first comment from this email address"),
        (
            {"body": "See https://a.example https://b.example https://c.example"},
            "pending",
            "more links than comments may carry",
        ),
        ({"nickname": "bot"}, "spam", "the hidden field only robots fill in"),
    ],
)
def test_the_queue_says_why_a_comment_was_held(app, client, editor, story, fields, tab, reason):
    comment = post_as_reader(app, story, **fields)
    assert comment.status == tab
    html = client.get("/newsroom/comments", query_string={"tab": tab}).get_data(as_text=True)
    assert reason in row_of(html, comment)


def test_every_comment_held_when_the_site_moderates_all(app, client, editor, story):
    app.config["COMMENT_MODERATION"] = "all"
    db.session.add(
        Comment(
            article_id=story.id,
            author_name="A",
            author_email=GOOD["email"],
            body="Hi",
            status="approved",
        )
    )
    db.session.commit()
    comment = post_as_reader(app, story)
    html = client.get("/newsroom/comments").get_data(as_text=True)
    assert "every comment waits for moderation" in row_of(html, comment)


def test_a_held_reply_shows_the_comment_it_answers(app, client, editor, story):
    parent = Comment(
        article_id=story.id,
        author_name="Bea <b>",
        author_email="b@example.org",
        body="The ferry is always late <script>",
        status="approved",
    )
    db.session.add(parent)
    db.session.flush()
    parent.root_id = parent.id
    db.session.commit()
    reply = post_as_reader(app, story, parent_id=str(parent.id), body="Not on Sundays.")
    assert reply.parent_id == parent.id
    row = row_of(client.get("/newsroom/comments").get_data(as_text=True), reply)
    assert "In reply to Bea &lt;b&gt;:" in row
    assert "The ferry is always late &lt;script&gt;" in row


def test_approve_spam_and_delete_buttons_look_different(app, client, editor, story):
    comment = post_as_reader(app, story)
    row = row_of(client.get("/newsroom/comments").get_data(as_text=True), comment)
    classes = re.findall(r'<button type="submit" class="(\w+)"', row)
    assert classes == ["approve", "spam", "delete"]
    css = (Path(app.static_folder) / "css" / "newsroom.css").read_text()
    looks = {c: re.search(rf"button\.{c} \{{([^}}]+)\}}", css).group(1) for c in classes}
    assert len(set(looks.values())) == 3


def test_restore_from_spam_asks_whether_to_approve(app, client, editor, story):
    comment = post_as_reader(app, story, nickname="bot")
    spam_tab = client.get("/newsroom/comments", query_string={"tab": "spam"}).get_data(as_text=True)
    row = row_of(spam_tab, comment)
    assert ">Approve<" not in row  # from spam, approving is one of two answers, not a click
    question = client.get(f"/newsroom/comments/{comment.id}/unspam?tab=spam", headers=HX)
    html = question.get_data(as_text=True)
    assert question.status_code == 200 and html.lstrip().startswith("<li")
    assert "Restore and approve" in html and "Restore to pending" in html

    # Without JavaScript, the same question as a page; then back to the queue.
    page = client.get(f"/newsroom/comments/{comment.id}/unspam?tab=spam")
    assert "<html" in page.get_data(as_text=True) and "Restore to pending" in page.get_data(
        as_text=True
    )
    response = client.post(f"/newsroom/comments/{comment.id}/requeue", data={"tab": "spam"})
    assert response.status_code == 303
    db.session.refresh(comment)
    assert comment.status == "pending"

    client.post(f"/newsroom/comments/{comment.id}/spam")
    swapped = client.post(f"/newsroom/comments/{comment.id}/approve", headers=HX)
    assert swapped.status_code == 200
    db.session.refresh(comment)
    assert comment.status == "approved"
