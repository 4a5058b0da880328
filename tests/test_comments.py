"""Reader comments: posting, validating, replying, paging, live updates, abuse guards and
self-service, through htmx fragment requests and plain form posts alike."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from broadsheet.web.commenter import signed_render_time
from extensions import db
from models import Article, Comment

from .conftest import HX

GOOD = {"name": "Ana Ruiz", "email": "ana@example.org", "website": "", "body": "Well reported."}


@pytest.fixture
def story(make_article) -> Article:
    return make_article("Ferry timetable changes", dateline="PORT ALDER")


@pytest.fixture
def open_moderation(app):
    app.config["COMMENT_MODERATION"] = "none"


def post(client, story, headers=None, **fields):
    """Send the comment form as a browser would, with the stamp the rendered form carries."""
    data = {**GOOD, "rendered": signed_render_time(), **fields}
    return client.post(f"/comments/{story.id}", data=data, headers=headers or {})


def page(client, story) -> str:
    return client.get(f"/{story.category.slug}/{story.slug}").get_data(as_text=True)


def stored() -> list[Comment]:
    return list(db.session.scalars(select(Comment).order_by(Comment.id)))


def test_form_reads_as_readers_know_it(client, story):
    html = page(client, story)
    assert "Leave a Reply" in html
    assert "Your email address will not be published." in html
    assert "Required fields are marked *" in html
    for label in ("Comment", "Name", "Email", "Website"):
        assert re.search(rf'<label for="\w+">{label}(<| <span)', html), label
    assert "Save my name and email in this browser" in html
    assert "Post Comment" in html
    assert 'id="comment-form"' in html and 'id="comment-list"' in html
    assert 'id="comment-count"' in html and "0 comments" in html


def test_htmx_post_adds_comment_count_and_fresh_form(client, story, open_moderation):
    response = post(client, story, headers=HX)
    html = response.get_data(as_text=True)
    [comment] = stored()

    assert response.status_code == 200
    assert "<html" not in html
    assert response.headers["HX-Reswap"] == "delete"
    assert "HX-Request" in response.headers["Vary"]
    assert 'data-hx-swap-oob="beforeend:#comment-list"' in html
    assert f'id="comment-{comment.id}"' in html
    assert 'data-hx-swap-oob="innerHTML:.comment-count"' in html and "1 comment<" in html
    assert 'data-hx-swap-oob="innerHTML:#respond-home"' in html
    assert "Your comment was posted." in html
    assert comment.status == "approved" and comment.body == "Well reported."
    assert db.session.get(Article, story.id).comment_count == 1
    # the fresh form is empty again
    assert "Well reported.</textarea>" not in html


def test_plain_post_redirects_to_the_comment(client, story, open_moderation):
    response = post(client, story)
    [comment] = stored()
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/local/ferry-timetable-changes#comment-{comment.id}"
    )
    html = page(client, story)
    assert "Well reported." in html and "1 comment<" in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Please give your name."),
        ("email", "", "Please give your email address"),
        ("email", "not-an-email", "That does not look like an email address."),
        ("website", "javascript:alert(1)", "Please give a full web address"),
        ("website", "ftp://example.org/x", "Please give a full web address"),
        ("body", "   ", "Please write a comment."),
        ("body", "x" * 5001, "Comments are limited to 5000 characters."),
        ("name", "n" * 81, "Names are limited to 80 characters."),
    ],
)
def test_invalid_htmx_post_is_422_with_error_by_the_field_and_text_kept(
    client, story, field, value, message
):
    fields = {"body": "My carefully typed thought.", field: value}
    response = post(client, story, headers=HX, **fields)
    html = response.get_data(as_text=True)

    assert response.status_code == 422
    assert "<html" not in html and 'id="respond"' in html
    assert "data-hx-swap-oob" not in html
    error = re.search(rf'<span class="field-error" id="{field}-error">([^<]*)</span>', html)
    assert error and message in error.group(1).replace("&#39;", "'")
    if field != "body":
        assert "My carefully typed thought.</textarea>" in html
    assert stored() == []


def test_invalid_plain_post_rerenders_whole_page_with_errors(client, story):
    response = post(client, story, email="nope", body="Keep this text")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" in html and "Ferry timetable changes" in html
    assert "That does not look like an email address." in html
    assert "Keep this text</textarea>" in html
    assert 'value="nope"' in html


def test_hostile_text_in_every_field_renders_as_text(client, story, open_moderation):
    post(
        client,
        story,
        name='<script>alert("n")</script>',
        website='https://example.org/"><script>alert(1)</script>',
        body='<img src=x onerror=alert(1)> javascript:alert(2) <a href="javascript:x">y</a>',
    )
    html = page(client, story)
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;n&#34;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript:' not in html


def test_email_is_never_rendered(client, story, open_moderation):
    post(client, story, email="secret.person@example.org")
    other_reader = client.application.test_client()
    html = page(other_reader, story)
    assert "secret.person" not in html
    live = other_reader.get(f"/comments/{story.id}/new?since=0")
    assert "secret.person" not in live.get_data(as_text=True)


def test_urls_in_comments_become_nofollow_links_and_paragraphs(client, story, open_moderation):
    post(client, story, body="See https://example.org/report.\n\nSecond paragraph\nsame para")
    html = page(client, story)
    assert '<a href="https://example.org/report" rel="nofollow ugc noopener">' in html
    assert "<p>Second paragraph<br>same para</p>" in html


def test_author_website_links_with_nofollow(client, story, open_moderation):
    post(client, story, website="https://ana.example.org")
    assert '<a href="https://ana.example.org" rel="nofollow ugc noopener">Ana Ruiz</a>' in page(
        client, story
    )


def test_reply_form_moves_under_the_comment(client, story, open_moderation):
    post(client, story)
    [parent] = stored()
    response = client.get(f"/comments/{story.id}/form?replyto={parent.id}", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'data-hx-swap-oob="innerHTML:#reply-slot-{parent.id}"' in html
    assert "Reply to <bdi>Ana Ruiz</bdi>" in html and "Cancel reply" in html
    assert f'name="parent_id" type="hidden" value="{parent.id}"' in html


def test_reply_without_javascript_uses_replyto_link(client, story, open_moderation):
    post(client, story)
    [parent] = stored()
    html = page(client, story)
    assert f"?replyto={parent.id}#respond" in html
    reply_page = client.get(f"/local/{story.slug}?replyto={parent.id}").get_data(as_text=True)
    assert "Reply to <bdi>Ana Ruiz</bdi>" in reply_page
    assert f'name="parent_id" type="hidden" value="{parent.id}"' in reply_page
    plain = client.get(f"/comments/{story.id}/form?replyto={parent.id}")
    assert plain.status_code == 303 and f"replyto={parent.id}#respond" in plain.headers["Location"]


def test_replies_nest_three_levels_then_attach_to_the_third(client, story, open_moderation):
    post(client, story, body="level one")
    parent_id = stored()[-1].id
    for body in ("level two", "level three", "level four"):
        response = post(client, story, headers=HX, body=body, parent_id=str(parent_id))
        assert response.status_code == 200
        newest = stored()[-1]
        parent_id = newest.id
    one, two, three, four = stored()
    assert (two.parent_id, three.parent_id, four.parent_id) == (one.id, two.id, three.id)
    assert f'beforeend:#replies-{two.id}"' in response.get_data(as_text=True)
    html = page(client, story)
    replies_of_two = html[html.index(f'id="replies-{two.id}"') :]
    assert replies_of_two.index(f'id="comment-{three.id}"') < replies_of_two.index(
        f'id="comment-{four.id}"'
    )
    assert f'class="comment depth-2" id="comment-{four.id}"' in html


def test_reply_to_a_comment_of_another_story_is_refused(
    client, story, make_article, open_moderation
):
    other = make_article("Another story")
    post(client, other)
    [foreign] = stored()
    response = post(client, story, headers=HX, parent_id=str(foreign.id))
    assert response.status_code == 422
    assert "no longer available" in response.get_data(as_text=True)
    assert len(stored()) == 1


def _add_comments(story, n, **fields):
    for i in range(n):
        comment = Comment(
            article_id=story.id,
            author_name=f"Reader {i}",
            author_email="r@example.org",
            body=f"Comment number {i}",
            status="approved",
            created_at=story.published_at + timedelta(minutes=i),
            **fields,
        )
        db.session.add(comment)
        db.session.flush()
        comment.root_id = comment.id
    db.session.commit()


def test_long_threads_load_more_with_htmx_and_without(client, story):
    _add_comments(story, 55)
    html = page(client, story)
    assert "Comment number 49<" in html and "Comment number 50<" not in html
    assert "Load more comments" in html
    more_url = re.search(r'data-hx-get="([^"]+/comments\?after=\d+)"', html).group(1)

    fragment = client.get(more_url, headers=HX)
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in text
    assert "Comment number 50<" in text and "Comment number 54<" in text
    assert "Comment number 49<" not in text and "Load more comments" not in text

    full = client.get(more_url).get_data(as_text=True)
    assert "<html" in full and "Comment number 54<" in full and "Show the first comments" in full


@pytest.mark.parametrize("number", ["2147483648", "99999999999", "0", "２"])
def test_an_id_the_database_cannot_hold_just_shows_the_first_comments(client, story, number):
    # PostgreSQL's integer ends at 2147483647; a larger number used to abort the query (500).
    _add_comments(story, 3)
    base = f"/{story.category.slug}/{story.slug}"
    for url in (f"{base}/comments?after={number}", f"{base}?replyto={number}"):
        for headers in ({}, HX):
            response = client.get(url, headers=headers)
            assert response.status_code == 200, (url, headers)
            assert "Comment number 0<" in response.get_data(as_text=True)


def test_live_poll_is_204_until_a_comment_is_approved(client, story):
    html = page(client, story)
    poll_url = re.search(r'data-hx-get="(/comments/\d+/new\?since=\d+)"', html).group(1)
    assert client.get(poll_url, headers=HX).status_code == 204

    _add_comments(story, 1)
    response = client.get(poll_url, headers=HX)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Comment number 0" in text and "beforeend:#comment-list" in text
    next_poll = re.search(r'data-hx-get="(/comments/\d+/new\?since=\d+)"', text).group(1)
    assert client.get(next_poll, headers=HX).status_code == 204


def test_live_poll_ignores_pending_and_rejects_bad_cursor(client, story):
    _add_comments(story, 1)
    db.session.scalar(select(Comment)).status = "pending"
    db.session.commit()
    assert client.get(f"/comments/{story.id}/new?since=0").status_code == 204
    assert client.get(f"/comments/{story.id}/new?since=abc").status_code == 400


def test_honeypot_filled_is_stored_as_spam_and_not_shown(client, story, open_moderation):
    response = post(client, story, nickname="I am a bot")
    assert response.status_code == 303
    [comment] = stored()
    assert comment.status == "spam"
    other = client.application.test_client()
    assert "Well reported." not in page(other, story)


def test_posting_faster_than_a_person_is_refused_with_text_kept(app, client, story):
    app.config["COMMENT_MIN_SECONDS"] = 60
    response = post(client, story, headers=HX, body="Too quick")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "That was quick!" in html and "Too quick</textarea>" in html
    assert stored() == []


def test_forged_render_stamp_is_refused(app, client, story):
    app.config["COMMENT_MIN_SECONDS"] = 1
    response = post(client, story, headers=HX, rendered="forged")
    assert response.status_code == 422
    assert stored() == []


def test_more_than_two_links_is_held_for_moderation(client, story, open_moderation):
    post(client, story, body="http://a.example http://b.example http://c.example")
    assert stored()[0].status == "pending"


@pytest.mark.parametrize(
    ("mode", "statuses"),
    [
        ("none", ["approved", "approved"]),
        ("first-time", ["pending", "approved"]),
        ("all", ["pending", "pending"]),
    ],
)
def test_moderation_modes(app, client, story, mode, statuses):
    app.config["COMMENT_MODERATION"] = mode
    post(client, story, body="first")
    first = stored()[0]
    if mode == "first-time":
        first.status = "approved"  # a moderator approved the first one
        db.session.commit()
    post(client, story, body="second")
    assert [c.status for c in stored()][1] == statuses[1]
    if mode != "first-time":
        assert first.status == statuses[0]


def test_pending_comment_is_shown_only_to_its_author(client, story):
    response = post(client, story, headers=HX, body="Awaiting approval text")
    assert "awaiting moderation" in response.get_data(as_text=True)
    html = page(client, story)
    assert "Awaiting approval text" in html and "Your comment is awaiting moderation." in html
    assert "0 comments" in html
    stranger = client.application.test_client()
    assert "Awaiting approval text" not in page(stranger, story)


def test_remembered_name_and_email_fill_the_next_form(client, story, open_moderation):
    response = post(client, story, headers=HX, remember="y")
    assert 'value="Ana Ruiz"' in response.get_data(as_text=True)
    html = page(client, story)
    assert 'value="Ana Ruiz"' in html and 'value="ana@example.org"' in html
    post(client, story, headers=HX, body="Second thoughts.")  # box not ticked: forgotten
    assert 'value="Ana Ruiz"' not in page(client, story)


def test_double_submit_creates_one_comment(client, story, open_moderation):
    first = post(client, story, headers=HX, token="same-token-123")
    second = post(client, story, headers=HX, token="same-token-123")
    assert first.status_code == second.status_code == 200
    assert len(stored()) == 1
    assert db.session.get(Article, story.id).comment_count == 1


def test_author_edits_comment_in_place_within_window(client, story, open_moderation):
    post(client, story, headers=HX)
    [comment] = stored()
    form = client.get(f"/comments/c/{comment.id}/edit", headers=HX)
    assert form.status_code == 200 and "Well reported.</textarea>" in form.get_data(as_text=True)
    response = client.post(
        f"/comments/c/{comment.id}/edit", data={"body": "Edited <b>text</b>"}, headers=HX
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="comment-card-{comment.id}"' in html
    assert "Edited &lt;b&gt;text&lt;/b&gt;" in html and "(edited)" in html
    bad = client.post(f"/comments/c/{comment.id}/edit", data={"body": ""}, headers=HX)
    assert bad.status_code == 422 and "Please write a comment." in bad.get_data(as_text=True)


def test_author_edits_without_javascript(client, story, open_moderation):
    post(client, story)
    [comment] = stored()
    page_html = client.get(f"/comments/c/{comment.id}/edit").get_data(as_text=True)
    assert "<html" in page_html and "Edit your comment" in page_html
    response = client.post(f"/comments/c/{comment.id}/edit", data={"body": "Plain edit"})
    assert response.status_code == 303
    assert "Plain edit" in page(client, story)


def test_author_deletes_with_and_without_javascript(client, story, open_moderation):
    post(client, story, body="first")
    post(client, story, body="second")
    first, second = stored()
    response = client.post(f"/comments/c/{first.id}/delete", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "This comment was deleted." in html
    assert "1 comment<" in html
    confirm = client.get(f"/comments/c/{second.id}/delete")
    assert confirm.status_code == 200 and "Delete your comment?" in confirm.get_data(as_text=True)
    assert client.post(f"/comments/c/{second.id}/delete").status_code == 303
    assert [c.status for c in stored()] == ["deleted", "deleted"]
    assert db.session.get(Article, story.id).comment_count == 0
    assert "first" not in page(client, story).split('id="comments"')[1].split("respond")[0]


def test_edit_refused_after_fifteen_minutes_and_for_other_browsers(client, story, open_moderation):
    post(client, story)
    [comment] = stored()
    stranger = client.application.test_client()
    assert stranger.get(f"/comments/c/{comment.id}/edit").status_code == 403
    assert stranger.post(f"/comments/c/{comment.id}/delete").status_code == 403
    comment.created_at -= timedelta(minutes=16)
    db.session.commit()
    assert client.get(f"/comments/c/{comment.id}/edit").status_code == 403
    assert "Edit</a>" not in page(client, story)


def test_closed_story_shows_closed_and_refuses_posts(client, make_article):
    story = make_article("Closed story", comments_open=False)
    html = page(client, story)
    assert "Comments are closed." in html and 'id="comment-form"' not in html
    assert post(client, story).status_code == 403
    assert post(client, story, headers=HX).status_code == 403
    assert stored() == []


def test_comments_close_automatically_after_configured_days(app, client, make_article):
    app.config["COMMENTS_CLOSE_AFTER_DAYS"] = 10
    old = make_article("Old story", hours_ago=24 * 11)
    fresh = make_article("Fresh story", hours_ago=24 * 9)
    assert "Comments are closed." in page(client, old)
    assert "Comments are closed." not in page(client, fresh)


def test_existing_comments_stay_when_closed(client, story, open_moderation):
    post(client, story, body="Said before closing")
    story.comments_open = False
    db.session.commit()
    html = page(client, story)
    assert "Said before closing" in html and "Comments are closed." in html
    assert ">Reply</a>" not in html


def test_listing_cards_show_comment_counts(client, story, open_moderation):
    post(client, story)
    assert "1 comment</a>" in client.get("/local/").get_data(as_text=True)


def test_comment_on_unpublished_story_is_404(client, make_article):
    draft = make_article("Draft", status="draft")
    assert post(client, draft).status_code == 404
    count = db.session.scalar(select(func.count()).select_from(Comment))
    assert count == 0


def test_a_new_comment_does_not_mark_the_story_updated(client, story, open_moderation):
    before = story.updated_at
    post(client, story)
    db.session.refresh(story)
    assert story.updated_at == before and story.comment_count == 1


def test_relative_comment_time_moves_on_despite_the_card_cache(
    client, story, open_moderation, time_machine
):
    post(client, story, body="Timely remark")
    first = re.search(r'class="comment-time"[^>]*><time[^>]*>([^<]*)<', page(client, story))
    assert "hours" not in first.group(1)
    time_machine.move_to(datetime.now(UTC) + timedelta(hours=2))
    assert "2 hours ago" in page(client, story)
