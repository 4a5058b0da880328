"""Staff sessions end for good: a copied cookie stops working at sign-out, a new password or
a switched-off account, sessions have idle and absolute lifetimes, and signing in starts a
new session with a new CSRF token (CSRF is on in this module, as in production)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from broadsheet.clock import utcnow
from extensions import db

from .conftest import STAFF_PASSWORD, sign_in_client

STORIES = "/newsroom/stories"


@pytest.fixture
def app_config(app_config):
    app_config.update(WTF_CSRF_ENABLED=True)
    return app_config


def token_in(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def sign_in(client, user) -> str:
    """Sign in through the form, as a browser does; returns the session cookie's value."""
    token = token_in(client.get("/newsroom/login").get_data(as_text=True))
    response = client.post(
        "/newsroom/login",
        data={"email": user.email, "password": STAFF_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 303
    return client.get_cookie("session").value


def copy_of(app, cookie: str):
    """Another browser, somewhere else, holding a copy of the session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def sign_out(client) -> None:
    token = token_in(client.get(STORIES).get_data(as_text=True))
    assert client.post("/newsroom/logout", data={"csrf_token": token}).status_code == 303


def test_a_cookie_copied_before_sign_out_is_useless_after_it(app, client, make_user):
    cookie = sign_in(client, make_user("editor"))
    thief = copy_of(app, cookie)
    assert thief.get(STORIES).status_code == 200

    sign_out(client)
    assert thief.get(STORIES).status_code == 302
    assert thief.get("/newsroom/comments").status_code == 302


def test_switching_an_account_off_ends_its_sessions_for_good(app, client, make_user):
    editor = make_user("editor")
    cookie = sign_in(client, editor)
    admin = app.test_client()
    sign_in_client(admin, make_user("admin"))
    page = admin.get("/newsroom/users").get_data(as_text=True)
    field = f"user-{editor.id}"
    off = {f"{field}-role": "editor", "csrf_token": token_in(page)}
    assert admin.post(f"/newsroom/users/{editor.id}", data=off).status_code == 303
    on = {**off, f"{field}-active": "y"}
    assert admin.post(f"/newsroom/users/{editor.id}", data=on).status_code == 303
    db.session.refresh(editor)
    assert editor.active

    assert copy_of(app, cookie).get(STORIES).status_code == 302


def test_a_new_password_from_the_command_line_ends_every_session(app, client, make_user, runner):
    editor = make_user("editor")
    cookie = sign_in(client, editor)
    result = runner.invoke(
        args=["users", "set-password", editor.email, "--password", "a fresh long passphrase"]
    )
    assert result.exit_code == 0, result.output
    assert copy_of(app, cookie).get(STORIES).status_code == 302


def test_a_session_left_unused_past_the_idle_time_ends(client, make_user, move_clock):
    start = utcnow()
    move_clock(start)
    sign_in(client, make_user("editor"))
    move_clock(start + timedelta(hours=7, minutes=50))
    assert client.get(STORIES).status_code == 200
    move_clock(start + timedelta(hours=16, minutes=1))  # 8 h 11 min since that visit
    assert client.get(STORIES).status_code == 302


def test_a_session_in_daily_use_still_ends_a_week_after_sign_in(client, make_user, move_clock):
    start = utcnow()
    move_clock(start)
    sign_in(client, make_user("editor"))
    for hours in range(6, 7 * 24, 6):  # used every six hours, never idle for long
        move_clock(start + timedelta(hours=hours))
        assert client.get(STORIES).status_code == 200
    move_clock(start + timedelta(days=7, minutes=5))
    assert client.get(STORIES).status_code == 302


def test_signing_in_starts_a_new_session_and_a_new_csrf_token(app, client, make_user):
    before = client.get("/newsroom/login")
    old_token = token_in(before.get_data(as_text=True))
    old_cookie = client.get_cookie("session").value
    response = client.post(
        "/newsroom/login",
        data={
            "email": make_user("editor").email,
            "password": STAFF_PASSWORD,
            "csrf_token": old_token,
        },
    )
    assert response.status_code == 303
    assert client.get_cookie("session").value != old_cookie
    # The token from the sign-in page does not work after signing in; the new one does.
    assert client.post("/newsroom/logout", data={"csrf_token": old_token}).status_code == 400
    sign_out(client)
    assert client.get(STORIES).status_code == 302


def test_each_queue_run_deletes_ended_sessions_and_rate_limit_windows(
    app, client, make_user, runner, move_clock
):
    """Neither table grows without end: what can no longer be used is deleted."""
    from sqlalchemy import func, select

    from models import RateLimit, StaffSession

    def rows(model) -> int:
        return db.session.scalar(select(func.count()).select_from(model))

    app.config["RATELIMIT_ENABLED"] = True
    sign_in(client, make_user("editor"))
    assert rows(StaffSession) == 1 and rows(RateLimit) == 2  # LOGIN_RATE_LIMIT's windows
    runner.invoke(args=["mail", "send-queue"])
    assert rows(StaffSession) == 1 and rows(RateLimit) == 2

    move_clock(utcnow() + timedelta(days=8))
    result = runner.invoke(args=["mail", "send-queue"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert rows(StaffSession) == 0 and rows(RateLimit) == 0
