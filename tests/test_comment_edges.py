"""Comment edges through the HTTP client: the edit window, times, permalinks on busy
stories, the time trap, rate limits, closing, the honeypot, with htmx and without."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from flask_babel import format_date, format_time
from sqlalchemy import select

from broadsheet import tokens
from broadsheet.clock import utcnow
from broadsheet.web.formats import ago
from extensions import db
from models import Article, Comment

from .conftest import HX
from .test_comments import post


@pytest.fixture
def app_config(app_config, request):
    app_config["SITE_LANGUAGE"] = getattr(request, "param", "en")
    return app_config


@pytest.fixture
def story(app, make_article) -> Article:
    app.config["COMMENT_MODERATION"] = "none"
    return make_article("Ferry timetable changes", dateline="PORT ALDER")


def only_comment() -> Comment:
    return db.session.scalars(select(Comment)).one()


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_edit_and_delete_after_the_window_answer_htmx_with_the_card_not_a_page(
    client, story, action
):
    post(client, story, body="Said and done.")
    comment = only_comment()
    comment.created_at -= timedelta(minutes=16)
    db.session.commit()

    url = f"/comments/c/{comment.id}/{action}"
    response = client.get(url, headers=HX) if action == "edit" else client.post(url, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "<html" not in html and "site-header" not in html
    assert f'id="comment-card-{comment.id}"' in html and "Said and done." in html
    assert "The time to edit or delete this comment is over." in html
    assert ">Edit</a>" not in html
    assert only_comment().status == "approved"


def test_htmx_request_for_a_missing_comment_gets_a_line_not_a_page(client, story):
    response = client.get("/comments/c/999/edit", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "<html" not in html and 'role="alert"' in html
    assert "<html" in client.get("/comments/c/999/edit").get_data(as_text=True)


def test_author_sees_until_when_the_comment_can_be_edited(client, story):
    post(client, story)
    closes = only_comment().created_at + timedelta(minutes=15)
    with client.application.test_request_context():
        shown = format_time(closes, "short")
    html = client.get(f"/{story.category.slug}/{story.slug}").get_data(as_text=True)
    assert f"You can edit or delete it until {shown}." in html
    assert f'data-editable-until="{closes.isoformat()}Z"' in html


@pytest.mark.parametrize(
    ("app_config", "just_now"),
    [("en", "just now"), ("es", "hace un momento"), ("ar", "الآن")],
    indirect=["app_config"],
)
def test_a_just_posted_comment_reads_just_now_with_and_without_javascript(client, story, just_now):
    fragment = post(client, story, headers=HX).get_data(as_text=True)
    page = client.get(f"/{story.category.slug}/{story.slug}").get_data(as_text=True)
    for html in (fragment, page):
        shown = re.search(r'class="comment-time"[^>]*><time[^>]*>([^<]*)<', html).group(1)
        assert shown == just_now


def test_no_time_in_the_past_reads_as_future(app):
    with app.test_request_context():
        assert ago(utcnow() + timedelta(seconds=5)) == "just now"
        assert ago(utcnow() - timedelta(seconds=59)) == "just now"
        assert ago(utcnow() - timedelta(minutes=2)) == "2 minutes ago"


def test_every_link_to_a_comment_on_a_busy_story_opens_the_page_that_shows_it(app, client, story):
    app.config["COMMENTS_PER_PAGE"] = 2
    for n in range(5):
        post(client.application.test_client(), story, body=f"Top comment {n}.")
    tops = db.session.scalars(select(Comment).order_by(Comment.id)).all()
    response = post(client, story, body="A reply on page two.", parent_id=str(tops[3].id))
    reply = db.session.scalars(select(Comment).order_by(Comment.id.desc())).first()

    feed = client.get(f"/feeds/comments/{story.id}.xml").get_data(as_text=True)
    permalink = f"http://localhost/comments/c/{reply.id}"
    assert f"<link>{permalink}</link>" in feed
    for location in (response.headers["Location"], client.get(permalink).headers["Location"]):
        assert location.endswith(f"#comment-{reply.id}")
        html = client.get(location).get_data(as_text=True)
        assert f'id="comment-{reply.id}"' in html and "A reply on page two." in html


def test_a_permalink_to_a_first_page_comment_stays_on_the_story_page(client, story):
    post(client, story)
    comment = only_comment()
    location = client.get(f"/comments/c/{comment.id}").headers["Location"]
    assert location == f"/{story.category.slug}/{story.slug}#comment-{comment.id}"


def test_fixing_a_mistake_quickly_is_not_too_quick(app, client, story):
    app.config["COMMENT_MIN_SECONDS"] = 3
    opened = tokens.sign(tokens.FORM_RENDERED, int(time.time()) - 30)
    first = post(client, story, headers=HX, name="", rendered=opened)
    assert first.status_code == 422
    stamp = re.search(
        r'name="rendered" type="hidden" value="([^"]+)"', first.get_data(as_text=True)
    )
    response = post(client, story, headers=HX, rendered=stamp.group(1))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert only_comment().author_name == "Ana Ruiz"


@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "no-js"])
def test_comments_closing_while_someone_types_keeps_their_text(client, story, headers):
    story.comments_open = False
    db.session.commit()
    response = post(client, story, headers=headers, body="My carefully written <b>point</b>.")
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Comments closed while you were writing" in html
    assert "My carefully written &lt;b&gt;point&lt;/b&gt;.</textarea>" in html
    assert ("<html" in html) is (headers == {})
    assert db.session.scalars(select(Comment)).all() == []


def test_a_filled_honeypot_reads_as_held_for_review_with_and_without_javascript(client, story):
    fragment = post(client, story, headers=HX, nickname="autofilled", body="Held one.")
    html = fragment.get_data(as_text=True)
    assert "Your comment was received and is awaiting moderation." in html
    assert "Your comment is awaiting moderation." in html

    plain = client.application.test_client()
    location = post(plain, story, nickname="autofilled", body="Held two.").headers["Location"]
    comment_id = int(location.rsplit("-", 1)[1])
    page = plain.get(location).get_data(as_text=True)
    card = page.split(f'id="comment-{comment_id}"')[1].split("</article>")[0]
    assert "Held two." in card and "Your comment is awaiting moderation." in card

    stranger = client.application.test_client()
    html = stranger.get(f"/{story.category.slug}/{story.slug}").get_data(as_text=True)
    assert "Held one." not in html and "Held two." not in html
    assert {c.status for c in db.session.scalars(select(Comment))} == {"spam"}


def test_the_author_of_a_held_comment_counts_it_and_nobody_else_does(app, client, story):
    app.config["COMMENT_MODERATION"] = "all"
    fragment = post(client, story, headers=HX).get_data(as_text=True)
    assert "1 comment</span>" in fragment
    html = client.get(f"/{story.category.slug}/{story.slug}").get_data(as_text=True)
    assert html.count(">1 comment</span>") == 2 and "Your comment is awaiting moderation." in html
    stranger = client.application.test_client()
    html = stranger.get(f"/{story.category.slug}/{story.slug}").get_data(as_text=True)
    assert html.count(">0 comments</span>") == 2


def test_a_closed_story_does_not_poll(client, story, make_article):
    closed = make_article("Closed story", comments_open=False)
    assert 'id="comment-poller"' in client.get(f"/local/{story.slug}").get_data(as_text=True)
    assert 'id="comment-poller"' not in client.get(f"/local/{closed.slug}").get_data(as_text=True)


@pytest.mark.parametrize(
    "typed",
    [
        "/local/ferry-timetable-changes/",
        "/Local/Ferry-Timetable-Changes",
        "/LOCAL/ferry-timetable-changes/",
    ],
)
def test_a_story_address_typed_loosely_redirects_to_the_story(client, story, typed):
    response = client.get(typed)
    assert response.status_code == 301
    assert response.headers["Location"] == "/local/ferry-timetable-changes"


def test_a_section_address_in_capitals_redirects_to_the_section(client, story):
    response = client.get("/LOCAL/")
    assert response.status_code == 301 and response.headers["Location"] == "/local/"
    assert client.get("/nowhere/").status_code == 404


def test_a_story_page_gives_the_time_it_was_published(client, story):
    with client.application.test_request_context():
        shown = f"{format_date(story.published_at, 'medium')}, "
        shown += format_time(story.published_at, "short")  # to the minute: no seconds
    html = client.get(f"/{story.category.slug}/{story.slug}").get_data(as_text=True)
    meta = html.split('class="meta"')[1].split("</p>")[0]
    assert shown in meta


def test_a_fourth_level_reply_says_whom_it_answers(client, story):
    parent = None
    for depth, name in enumerate(["Ana Ruiz", "Ben Osei", "Cai Lin", "Dee Park"]):
        post(client, story, name=name, body=f"Level {depth}.", parent_id=parent or "")
        parent = str(db.session.scalars(select(Comment).order_by(Comment.id.desc())).first().id)
    html = client.get(f"/{story.category.slug}/{story.slug}").get_data(as_text=True)
    cards = {
        name: html.split(f"Comment by {name}")[1].split("</header>")[0]
        for name in ("Cai Lin", "Dee Park")
    }
    assert "In reply to <bdi>Cai Lin</bdi>" in cards["Dee Park"]
    assert "In reply to" not in cards["Cai Lin"]


def test_load_more_without_javascript_extends_the_list(app, client, story):
    app.config["COMMENTS_PER_PAGE"] = 2
    for n in range(5):
        post(client, story, body=f"Top comment {n}.")
    url = f"/{story.category.slug}/{story.slug}"
    shown = []
    for _page in range(3):
        html = client.get(url).get_data(as_text=True)
        shown.append(re.findall(r"Top comment (\d)\.", html))
        more = re.search(r'id="load-more".*?href="([^"]+)"', html, re.S)
        url = more.group(1).replace("&amp;", "&") if more else None
    assert shown == [["0", "1"], ["0", "1", "2", "3"], ["0", "1", "2", "3", "4"]]
    assert url is None and "Show the first comments" not in html


def test_a_page_far_down_a_long_thread_starts_at_its_cursor(app, client, story):
    app.config["COMMENTS_PER_PAGE"] = 1
    for n in range(13):
        post(client, story, body=f"Top comment {n}.")
    ids = db.session.scalars(select(Comment.id).order_by(Comment.id)).all()
    html = client.get(f"/local/{story.slug}/comments?after={ids[11]}").get_data(as_text=True)
    assert re.findall(r"Top comment (\d+)\.", html) == ["12"]
    assert "Show the first comments" in html
