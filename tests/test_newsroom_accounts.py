"""Staff accounts: signing in and out, where sign-in may lead, rate limits, cookies, the CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from broadsheet import accounts
from broadsheet.accounts import find_user
from extensions import db
from models import User

from .conftest import HX, STAFF_PASSWORD


def sign_in(client, user, password=STAFF_PASSWORD, **extra):
    return client.post("/newsroom/login", data={"email": user.email, "password": password, **extra})


def test_login_page_has_labelled_fields(client):
    html = client.get("/newsroom/login").get_data(as_text=True)
    assert 'for="email">Email</label>' in html
    assert 'for="password">Password</label>' in html


def test_editor_signs_in_and_lands_on_stories(client, make_user):
    user = make_user("editor")
    response = sign_in(client, user)
    assert response.status_code == 303
    assert response.headers["Location"] == "/newsroom/stories"
    assert client.get("/newsroom/stories").status_code == 200


def test_email_is_matched_without_regard_to_case(client, make_user):
    user = make_user("writer", email="Sam@Example.org")
    response = client.post(
        "/newsroom/login", data={"email": "sam@example.ORG", "password": STAFF_PASSWORD}
    )
    assert response.status_code == 303
    assert user.id


@pytest.mark.parametrize(
    "email, password",
    [("editor-x@example.org", "wrong password"), ("nobody@example.org", STAFF_PASSWORD)],
)
def test_wrong_password_or_unknown_email_says_the_same_thing(client, make_user, email, password):
    make_user("editor", email="editor-x@example.org")
    response = client.post("/newsroom/login", data={"email": email, "password": password})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "That email and password do not match an active account." in html
    assert email in html  # what was typed is kept
    assert password not in html  # but never the password
    assert client.get("/newsroom/stories").status_code == 302


def test_inactive_account_cannot_sign_in(client, make_user):
    user = make_user("editor", active=False)
    assert sign_in(client, user).status_code == 422


def test_deactivated_user_is_signed_out_on_next_request(client, login):
    user = login("editor")
    assert client.get("/newsroom/stories").status_code == 200
    user.active = False
    db.session.commit()
    assert client.get("/newsroom/stories").status_code == 302


def test_new_password_signs_out_old_sessions(client, login):
    from broadsheet.accounts import set_password

    user = login("editor")
    assert client.get("/newsroom/stories").status_code == 200
    set_password(user, "a brand new passphrase")
    db.session.commit()
    assert client.get("/newsroom/stories").status_code == 302


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/newsroom/comments", "/newsroom/comments"),
        ("/newsroom/stories?status=draft", "/newsroom/stories?status=draft"),
        ("https://evil.example/", "/newsroom/stories"),
        ("//evil.example/", "/newsroom/stories"),
        ("/\\evil.example/", "/newsroom/stories"),
        ("javascript:alert(1)", "/newsroom/stories"),
        ("newsroom", "/newsroom/stories"),
    ],
)
def test_next_only_leads_to_our_own_paths(client, make_user, target, expected):
    user = make_user("editor")
    response = sign_in(client, user, next=target)
    assert response.status_code == 303
    assert response.headers["Location"] == expected


def test_anonymous_visit_is_sent_to_login_with_next(client):
    response = client.get("/newsroom/comments?tab=spam")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/newsroom/login?next=")
    assert (
        "tab%3Dspam" in response.headers["Location"] or "tab=spam" in response.headers["Location"]
    )


def test_anonymous_htmx_request_gets_401_with_hx_location_not_a_redirect(client):
    response = client.post("/newsroom/preview", data={"body": "x"}, headers=HX)
    assert response.status_code == 401
    assert response.headers["HX-Location"].startswith("/newsroom/login")


def test_logout_needs_a_post_and_ends_the_session(client, login):
    login("editor")
    assert client.get("/newsroom/logout").status_code in (404, 405)
    assert client.get("/newsroom/stories").status_code == 200
    response = client.post("/newsroom/logout")
    assert response.status_code == 303
    assert client.get("/newsroom/stories").status_code == 302


def test_session_cookie_is_httponly_and_lax(client, make_user):
    response = sign_in(client, make_user("editor"))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_over_https(client, make_user):
    user = make_user("editor")
    response = client.post(
        "/newsroom/login",
        data={"email": user.email, "password": STAFF_PASSWORD},
        base_url="https://localhost",
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_cli_creates_admin_and_sets_password(app, runner):
    result = runner.invoke(
        args=["users", "create", "Chief@Example.org", "--role", "admin", "--password", "x" * 12]
    )
    assert result.exit_code == 0, result.output
    user = find_user("chief@example.org")
    assert user.role == "admin" and user.email == "chief@example.org"
    assert user.password_hash.startswith("scrypt:")
    assert accounts.sign_in("chief@example.org", "x" * 12).user == user

    result = runner.invoke(
        args=["users", "set-password", "chief@example.org"], input="y" * 12 + "\n" + "y" * 12 + "\n"
    )
    assert result.exit_code == 0, result.output
    assert accounts.sign_in("chief@example.org", "y" * 12).user == user
    assert accounts.sign_in("chief@example.org", "x" * 12).user is None


@pytest.mark.parametrize(
    "args, message",
    [
        (["users", "create", "not-an-email", "--password", "x" * 12], "not an email address"),
        (["users", "create", "a@example.org", "--password", "short"], "at least 12"),
        (["users", "create", "a@example.org", "--password", "123qweasdzxc"], "most common"),
        (["users", "create", "a@example.org", "--role", "boss", "--password", "x" * 12], "boss"),
        (["users", "set-password", "ghost@example.org", "--password", "x" * 12], "no account"),
    ],
)
def test_cli_refuses_bad_input_with_a_reason(app, runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalars(select(User)).all() == []


def test_cli_refuses_a_second_account_for_the_same_email(app, runner):
    runner.invoke(args=["users", "create", "a@example.org", "--password", "x" * 12])
    result = runner.invoke(args=["users", "create", "A@example.org", "--password", "x" * 12])
    assert result.exit_code != 0 and "already an account" in result.output


def test_cli_lists_accounts_without_passwords(app, runner, make_user):
    make_user("editor", email="ed@example.org")
    make_user("writer", email="wri@example.org", active=False)
    result = runner.invoke(args=["users", "list"])
    assert result.output.splitlines() == [
        "ed@example.org\teditor\tactive",
        "wri@example.org\twriter\tinactive",
    ]
