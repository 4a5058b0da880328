"""Accounts people run themselves (issue 20, item 1), with CSRF on and a real SMTP server:
invitations, "forgot password", changing one's own password, editing a person, the last
sign-in, and two-factor sign-in with recovery codes."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta

import pyotp
import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from broadsheet.accounts import sign_in
from extensions import db
from models import MailMessage, User

from .conftest import STAFF_PASSWORD, sign_in_client
from .support.mailbox import deliver, link_to, text_of

NEW_PASSWORD = "lantern harbour fog"


@pytest.fixture
def app_config(app_config, smtp_server):
    app_config.update(WTF_CSRF_ENABLED=True, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    return app_config


def token_in(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def post_form(client: FlaskClient, path: str, data: dict, page: str | None = None):
    """Open the page (for its CSRF token) and send the form, as a browser would."""
    html = client.get(page or path).get_data(as_text=True)
    return client.post(path, data={**data, "csrf_token": token_in(html)})


def sign_in_with_password(client: FlaskClient, email: str, password: str):
    return post_form(client, "/newsroom/login", {"email": email, "password": password})


@pytest.fixture
def admin_client(app, make_user):
    client = app.test_client()
    sign_in_client(client, make_user("admin", name="Ada Admin"))
    return client


def the_mail_to(smtp_server, address: str):
    deliver()
    [message] = smtp_server.inbox.to(address)
    return message


def test_invited_writer_chooses_a_password_and_signs_in(app, admin_client, smtp_server):
    response = post_form(
        admin_client,
        "/newsroom/users",
        {"email": "nia@example.org", "name": "Nia", "role": "writer"},
    )
    assert response.status_code == 303
    message = the_mail_to(smtp_server, "nia@example.org")
    assert "invited" in str(message["Subject"])
    assert "List-Unsubscribe" not in message
    link = link_to(message, "/newsroom/welcome/")

    newcomer = app.test_client()
    page = newcomer.get(link)
    assert page.status_code == 200 and "nia@example.org" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert post_form(newcomer, link, {"password": NEW_PASSWORD}).status_code == 303
    assert sign_in("nia@example.org", NEW_PASSWORD).user is not None
    assert sign_in_with_password(newcomer, "nia@example.org", NEW_PASSWORD).status_code == 303
    assert newcomer.get("/newsroom/stories").status_code == 200

    # The link worked once.
    again = newcomer.get(link)
    assert again.status_code == 410 and "used already" in again.get_data(as_text=True)


@pytest.mark.parametrize(
    "password, message",
    [
        ("short", "at least 12"),
        ("1qaz2wsx3edc", "most common"),
        ("", "Please choose a password."),
    ],
)
def test_a_weak_chosen_password_is_refused_next_to_the_field(
    app, admin_client, smtp_server, password, message
):
    post_form(admin_client, "/newsroom/users", {"email": "w@example.org", "role": "writer"})
    link = link_to(the_mail_to(smtp_server, "w@example.org"), "/newsroom/welcome/")
    newcomer = app.test_client()
    response = post_form(newcomer, link, {"password": password})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert 'id="password-error"' in html
    assert newcomer.get(link).status_code == 200  # still unused


def test_an_expired_invitation_says_so(app, admin_client, smtp_server, move_clock):
    post_form(admin_client, "/newsroom/users", {"email": "late@example.org", "role": "writer"})
    link = link_to(the_mail_to(smtp_server, "late@example.org"), "/newsroom/welcome/")
    move_clock(datetime.now() + timedelta(days=8))
    response = app.test_client().get(link)
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)


def test_a_tampered_link_is_refused(app):
    response = app.test_client().get("/newsroom/reset/not-a-token")
    assert response.status_code == 400 and "not valid" in response.get_data(as_text=True)


def test_forgot_password_answers_the_same_for_known_and_unknown_addresses(
    app, make_user, smtp_server
):
    user = make_user("editor", email="ed@example.org")
    client = app.test_client()
    known = post_form(client, "/newsroom/forgot", {"email": "ed@example.org"})
    unknown = post_form(client, "/newsroom/forgot", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200

    def page_without(address: str, response) -> str:
        # The session's CSRF token is signed with the second it was made in.
        html = re.sub(r'"X-CSRFToken": "[^"]+"', "", response.get_data(as_text=True))
        return html.replace(address, "X")

    assert page_without("ed@example.org", known) == page_without("nobody@example.org", unknown)
    assert (
        db.session.scalar(select(MailMessage).where(MailMessage.recipient == "nobody@example.org"))
        is None
    )

    message = the_mail_to(smtp_server, "ed@example.org")
    link = link_to(message, "/newsroom/reset/")
    assert "ignore this email" in text_of(message)
    assert post_form(client, link, {"password": NEW_PASSWORD}).status_code == 303
    db.session.refresh(user)
    assert sign_in("ed@example.org", NEW_PASSWORD).user == user
    assert sign_in("ed@example.org", STAFF_PASSWORD).user is None


def test_forgot_password_with_a_bad_address_keeps_it_and_says_why(app):
    client = app.test_client()
    response = post_form(client, "/newsroom/forgot", {"email": "not an address"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "does not look like an email address" in html and 'value="not an address"' in html


def test_change_own_password_needs_the_current_one_and_signs_out_other_browsers(app, make_user):
    user = make_user("writer", email="w@example.org")
    here, elsewhere = app.test_client(), app.test_client()
    sign_in_client(here, user)
    sign_in_client(elsewhere, user)

    wrong = post_form(
        here, "/newsroom/account", {"current_password": "not it at all", "password": NEW_PASSWORD}
    )
    assert wrong.status_code == 422
    assert "That is not your current password." in wrong.get_data(as_text=True)
    assert sign_in("w@example.org", NEW_PASSWORD).user is None

    done = post_form(
        here, "/newsroom/account", {"current_password": STAFF_PASSWORD, "password": NEW_PASSWORD}
    )
    assert done.status_code == 303
    assert sign_in("w@example.org", NEW_PASSWORD).user == user
    assert here.get("/newsroom/stories").status_code == 200
    assert elsewhere.get("/newsroom/stories").status_code == 302


def test_admin_edits_a_persons_name_and_email(admin_client, make_user):
    writer = make_user("writer", email="old@example.org")
    make_user("writer", email="taken@example.org")
    path = f"/newsroom/users/{writer.id}/edit"
    taken = post_form(admin_client, path, {"name": "Nia <b>", "email": "taken@example.org"})
    html = taken.get_data(as_text=True)
    assert taken.status_code == 422 and "There is already an account" in html
    assert 'value="Nia &lt;b&gt;"' in html
    done = post_form(admin_client, path, {"name": "Nia Noor", "email": "New@Example.org"})
    assert done.status_code == 303
    db.session.refresh(writer)
    assert (writer.name, writer.email) == ("Nia Noor", "new@example.org")


def test_staff_page_shows_when_each_person_last_signed_in(app, admin_client, make_user):
    make_user("writer", email="w@example.org", name="Wanda")
    row = re.compile(r'<tr id="user-\d+">.*?Wanda.*?</tr>', re.S)
    html = admin_client.get("/newsroom/users").get_data(as_text=True)
    assert "Never" in row.search(html).group(0)
    assert (
        sign_in_with_password(app.test_client(), "w@example.org", STAFF_PASSWORD).status_code == 303
    )
    html = admin_client.get("/newsroom/users").get_data(as_text=True)
    assert "Never" not in row.search(html).group(0)
    assert "<time datetime=" in row.search(html).group(0)


# --- Two-factor sign-in -------------------------------------------------------------------


def set_up_two_factor(client: FlaskClient) -> tuple[str, list[str]]:
    """Go through the setup page as a person with an authenticator app; returns the secret
    and the recovery codes shown."""
    html = client.get("/newsroom/account/two-factor").get_data(as_text=True)
    assert re.search(r'<figure class="totp-qr"[^>]*><svg [^>]*viewBox=', html)  # to scan
    secret = re.search(r'<code class="totp-key">([^<]+)</code>', html).group(1).replace(" ", "")
    signed = re.search(r'name="secret" type="hidden" value="([^"]+)"', html).group(1)
    wrong = client.post(
        "/newsroom/account/two-factor",
        data={"csrf_token": token_in(html), "secret": signed, "code": "000000"},
    )
    assert wrong.status_code == 422 and "does not match" in wrong.get_data(as_text=True)
    done = client.post(
        "/newsroom/account/two-factor",
        data={"csrf_token": token_in(html), "secret": signed, "code": pyotp.TOTP(secret).now()},
    )
    assert done.status_code == 200
    codes = re.findall(
        r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", done.get_data(as_text=True)
    )
    assert len(codes) == 10
    return secret, codes


def test_two_factor_sign_in_asks_for_a_code_after_the_password(app, make_user):
    user = make_user("editor", email="ed@example.org")
    client = app.test_client()
    sign_in_client(client, user)
    secret, codes = set_up_two_factor(client)

    browser = app.test_client()
    step = sign_in_with_password(browser, "ed@example.org", STAFF_PASSWORD)
    assert step.status_code == 303 and step.headers["Location"].endswith("/newsroom/login/code")
    assert browser.get("/newsroom/stories").status_code == 302  # not signed in yet
    wrong = post_form(browser, "/newsroom/login/code", {"code": "123456"})
    assert wrong.status_code == 422 and "not right" in wrong.get_data(as_text=True)
    code = pyotp.TOTP(secret).at(time.time() + 30)  # the next step: not used for setup
    assert post_form(browser, "/newsroom/login/code", {"code": code}).status_code == 303
    assert browser.get("/newsroom/stories").status_code == 200

    # The same code cannot sign in a second browser.
    thief = app.test_client()
    sign_in_with_password(thief, "ed@example.org", STAFF_PASSWORD)
    assert post_form(thief, "/newsroom/login/code", {"code": code}).status_code == 422


def test_guessing_codes_meets_the_accounts_back_off(app, make_user):
    user = make_user("editor", email="ed@example.org")
    client = app.test_client()
    sign_in_client(client, user)
    secret, _codes = set_up_two_factor(client)
    thief = app.test_client()
    sign_in_with_password(thief, "ed@example.org", STAFF_PASSWORD)
    for guess in range(app.config["LOGIN_FREE_ATTEMPTS"]):
        assert post_form(thief, "/newsroom/login/code", {"code": f"{guess:06d}"}).status_code == 422
    right = pyotp.TOTP(secret).at(time.time() + 30)
    refused = post_form(thief, "/newsroom/login/code", {"code": right})
    assert refused.status_code == 429 and "too many wrong" in refused.get_data(as_text=True)
    assert thief.get("/newsroom/stories").status_code == 302


def test_a_recovery_code_signs_in_once(app, make_user):
    user = make_user("writer", email="w@example.org")
    client = app.test_client()
    sign_in_client(client, user)
    _secret, codes = set_up_two_factor(client)
    for expected in (303, 422):
        browser = app.test_client()
        sign_in_with_password(browser, "w@example.org", STAFF_PASSWORD)
        response = post_form(browser, "/newsroom/login/code", {"code": codes[0].upper()})
        assert response.status_code == expected
    assert "9 recovery codes left" in client.get("/newsroom/account").get_data(as_text=True)


def test_the_code_step_without_a_right_password_goes_back_to_sign_in(app):
    response = app.test_client().get("/newsroom/login/code")
    assert response.status_code == 303 and response.headers["Location"].endswith("/newsroom/login")


def test_turning_two_factor_off_needs_the_password(app, make_user):
    user = make_user("writer", email="w@example.org")
    client = app.test_client()
    sign_in_client(client, user)
    set_up_two_factor(client)
    page = "/newsroom/account"
    off = "/newsroom/account/two-factor/off"
    assert post_form(client, off, {"current_password": "wrong one"}, page).status_code == 422
    assert db.session.get(User, user.id).totp_secret
    assert post_form(client, off, {"current_password": STAFF_PASSWORD}, page).status_code == 303
    db.session.refresh(user)
    assert user.totp_secret is None


def test_admin_turns_off_two_factor_for_someone_who_lost_their_phone(app, admin_client, make_user):
    user = make_user("writer", email="w@example.org", name="Wanda")
    client = app.test_client()
    sign_in_client(client, user)
    set_up_two_factor(client)
    page = f"/newsroom/users/{user.id}/edit"
    assert "Turn off their two-factor sign-in" in admin_client.get(page).get_data(as_text=True)
    response = post_form(admin_client, f"/newsroom/users/{user.id}/two-factor/off", {}, page)
    assert response.status_code == 303
    db.session.refresh(user)
    assert user.totp_secret is None
    browser = app.test_client()
    assert sign_in_with_password(browser, "w@example.org", STAFF_PASSWORD).status_code == 303
    assert browser.get("/newsroom/stories").status_code == 200


def test_admin_can_require_two_factor_for_editors_and_admins(app, admin_client, make_user):
    response = post_form(
        admin_client,
        "/newsroom/settings",
        {
            "site_name": "Port Alder Ledger",
            "language": "en",
            "timezone": "UTC",
            "require_two_factor": "y",
        },
    )
    assert response.status_code == 303
    # The admin who switched it on is sent to set it up first.
    to_setup = admin_client.get("/newsroom/stories")
    assert to_setup.status_code == 302
    assert to_setup.headers["Location"].endswith("/newsroom/account/two-factor")

    editor, writer = app.test_client(), app.test_client()
    sign_in_client(editor, make_user("editor"))
    sign_in_client(writer, make_user("writer"))
    assert writer.get("/newsroom/stories").status_code == 200
    assert editor.get("/newsroom/comments").status_code == 302
    page = editor.get("/newsroom/account/two-factor").get_data(as_text=True)
    assert "Please set it up to go on." in page
    set_up_two_factor(editor)
    assert editor.get("/newsroom/comments").status_code == 200
    # Required: it cannot be switched off.
    assert "cannot be turned off" in editor.get("/newsroom/account").get_data(as_text=True)
