"""Comment rules a penetration test found loose (issue 17, items 1, 3 and 10): held comments
stay private, an edit meets the rules a new comment meets, floods and look-alike names fail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from extensions import db
from models import Article, Comment

from .conftest import HX
from .test_comments import page, post, stored

LINKS = " ".join(f"https://shop{n}.example/deal" for n in range(20))


@pytest.fixture
def story(make_article) -> Article:
    return make_article("Harbour dredging starts in spring")


def held_comment(client, story):
    response = post(client, story, body="Held until a moderator reads it.", headers=HX)
    assert response.status_code == 200
    [comment] = stored()
    assert comment.status == "pending"
    return comment


def test_a_held_comment_is_not_public_by_id(app, client, story):
    comment = held_comment(client, story)
    stranger = app.test_client()
    for headers in (HX, {}):
        response = stranger.get(f"/comments/c/{comment.id}", headers=headers)
        assert response.status_code == 404
        assert "Held until a moderator" not in response.get_data(as_text=True)
    # Its author (the browser that wrote it) still sees it, as on the story page.
    own = client.get(f"/comments/c/{comment.id}", headers=HX).get_data(as_text=True)
    assert "Held until a moderator reads it." in own


def test_spam_is_not_public_by_id_but_a_moderator_sees_it(app, client, story, login):
    response = post(client, story, body="Cheap watches here.", nickname="bot", headers=HX)
    assert response.status_code == 200
    [comment] = stored()
    assert comment.status == "spam"
    reader = app.test_client()
    assert reader.get(f"/comments/c/{comment.id}", headers=HX).status_code == 404
    login("editor")
    seen = client.get(f"/comments/c/{comment.id}", headers=HX)
    assert seen.status_code == 200 and "Cheap watches here." in seen.get_data(as_text=True)


def test_an_approved_comment_is_public_by_id(app, client, story):
    app.config["COMMENT_MODERATION"] = "none"
    post(client, story, headers=HX)
    [comment] = stored()
    response = app.test_client().get(f"/comments/c/{comment.id}", headers=HX)
    assert response.status_code == 200 and "Well reported." in response.get_data(as_text=True)


def test_an_edit_to_twenty_links_goes_back_to_the_queue(app, client, story):
    app.config["COMMENT_MODERATION"] = "none"
    post(client, story, headers=HX)
    [comment] = stored()
    assert comment.status == "approved"

    response = client.post(f"/comments/c/{comment.id}/edit", data={"body": LINKS}, headers=HX)
    assert response.status_code == 200
    assert "Your comment is awaiting moderation." in response.get_data(as_text=True)
    db.session.refresh(comment)
    assert comment.status == "pending"
    reader_page = page(app.test_client(), story)
    assert "shop7.example" not in reader_page and "0 comments" in reader_page


def test_with_moderation_all_an_edit_is_reviewed_again(app, client, story):
    app.config["COMMENT_MODERATION"] = "none"
    post(client, story, headers=HX)
    [comment] = stored()
    app.config["COMMENT_MODERATION"] = "all"
    client.post(f"/comments/c/{comment.id}/edit", data={"body": "Now something else."})
    db.session.refresh(comment)
    assert comment.status == "pending"
    assert "Now something else." not in page(app.test_client(), story)


def test_the_same_text_from_other_addresses_is_refused(app, client, story):
    app.config["COMMENT_MODERATION"] = "none"
    flood = "Visit my page for the real story behind the ferry timetable."
    assert post(client, story, body=flood).status_code == 303
    other = app.test_client()
    response = post(
        other,
        story,
        name="Someone Else",
        email="else@example.org",
        body=flood,
        headers=HX,
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This comment has already been posted on this story." in html
    assert flood in html  # the text is kept in the form
    assert len(stored()) == 1


def test_a_deleted_comment_does_not_block_its_text(app, client, story):
    app.config["COMMENT_MODERATION"] = "none"
    post(client, story, headers=HX)
    [comment] = stored()
    client.post(f"/comments/c/{comment.id}/delete", headers=HX)
    assert post(client, story, headers=HX).status_code == 200
    assert len(stored()) == 2


def test_first_time_approval_needs_the_name_and_the_email(app, client, story):
    app.config["COMMENT_MODERATION"] = "none"
    post(client, story, body="First, approved.")
    app.config["COMMENT_MODERATION"] = "first-time"
    post(app.test_client(), story, name="Mallory", body="Using Ana's address.")
    post(app.test_client(), story, name="ana ruiz", body="Ana again, lower case.")
    statuses = dict(db.session.execute(select(Comment.body, Comment.status)).all())
    assert statuses["Using Ana's address."] == "pending"
    assert statuses["Ana again, lower case."] == "approved"


def test_names_lose_bidi_overrides_invisible_characters_and_line_breaks(app, client, story):
    app.config["COMMENT_MODERATION"] = "none"
    post(client, story, name="Ana\u202egpj.exe\u200b\nRuiz\ufeff", headers=HX)
    [comment] = stored()
    assert comment.author_name == "Anagpj.exe Ruiz"
    # A joiner inside a Persian name is part of the name.
    post(client, story, name="\u0645\u06cc\u200c\u0631\u0627", body="Another view.", headers=HX)
    assert stored()[1].author_name == "\u0645\u06cc\u200c\u0631\u0627"


def test_the_reply_form_fragment_is_never_stored_by_a_cache(client, story):
    response = client.get(f"/comments/{story.id}/form", headers=HX)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
