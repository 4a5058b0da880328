"""Issue 9's "done when", tried as new users would, with CSRF on and a real SMTP server:
a moderator approves from the email link; a reader confirms a subscription, gets exactly
one email for an approved reply, and unsubscribes with one click."""

from __future__ import annotations

import re

import pytest

from broadsheet.web.commenter import signed_render_time
from models import Article

from .support.mailbox import deliver, link_to, text_of, unsubscribe_path
from .test_comments import stored

MODERATOR = "desk@example.org"


@pytest.fixture
def app_config(app_config, smtp_server):
    app_config.update(
        WTF_CSRF_ENABLED=True,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_server.port,
        MODERATOR_EMAILS=[MODERATOR],
        COMMENT_MODERATION="first-time",
    )
    return app_config


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def press_button(browser, path: str) -> str:
    """Open a link from an email and press the button on the page it shows."""
    page = browser.get(path)
    assert page.status_code == 200
    done = browser.post(path, data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert done.status_code == 200, done.get_data(as_text=True)[-1500:]
    return done.get_data(as_text=True)


def comment(browser, story: Article, **fields) -> None:
    """Fill in the comment form on the story page and send it, as a browser would."""
    assert browser.get(f"/local/{story.slug}").status_code == 200
    data = {
        "rendered": signed_render_time(),
        "body": "",
        **fields,
    }
    assert browser.post(f"/comments/{story.id}", data=data).status_code == 303


def moderator_approves_latest(app, inbox) -> None:
    deliver()
    message = inbox.to(MODERATOR)[-1]
    approve = re.search(r"^Approve: (\S+)$", text_of(message), re.MULTILINE).group(1)
    moderator = app.test_client()  # never logged in: the link is the credential
    assert "is approved" in press_button(moderator, approve.removeprefix("http://localhost"))


def test_moderator_approves_reader_confirms_gets_one_reply_and_unsubscribes(
    app, make_article, smtp_server
):
    inbox = smtp_server.inbox
    story = make_article("Ferry timetable changes")
    ana, ben, cy = app.test_client(), app.test_client(), app.test_client()

    # Ana comments for the first time and asks for replies: held for moderation.
    comment(
        ana,
        story,
        name="Ana",
        email="ana@example.org",
        body="Will the late ferry stay?",
        notify_replies="y",
    )
    [first] = stored()
    assert first.status == "pending"

    # The moderator approves it from the email, without logging in.
    moderator_approves_latest(app, inbox)
    assert stored()[0].status == "approved"
    assert "Will the late ferry stay?" in ben.get(f"/local/{story.slug}").get_data(as_text=True)

    # Ana confirms her subscription from her email.
    [confirmation] = inbox.to("ana@example.org")
    assert "confirmed" in press_button(ana, link_to(confirmation, "/mail/confirm/")).lower()
    inbox.clear()

    # Ben replies; he is new, so the reply waits. Ana hears nothing yet.
    comment(
        ben,
        story,
        name="Ben",
        email="ben@example.org",
        body="It stays until May.",
        parent_id=str(first.id),
    )
    deliver()
    assert inbox.to("ana@example.org") == []

    # Approved from the moderator's email: Ana gets exactly one email about it.
    moderator_approves_latest(app, inbox)
    deliver()
    deliver()
    [notice] = inbox.to("ana@example.org")
    assert "It stays until May." in text_of(notice)
    assert "ben@example.org" not in notice.as_string()

    # One click in her mail client (RFC 8058), no login, no form token.
    one_click = app.test_client().post(
        unsubscribe_path(notice),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200

    # Cy's reply is approved too, and Ana hears nothing more.
    comment(cy, story, name="Cy", email="cy@example.org", body="Thanks!", parent_id=str(first.id))
    moderator_approves_latest(app, inbox)
    deliver()
    assert inbox.to("ana@example.org") == [notice]
