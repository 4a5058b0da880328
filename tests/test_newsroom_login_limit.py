"""Sign-in attempts are limited per address, and guesses at one account back off."""

from __future__ import annotations

from datetime import timedelta

import pytest

from broadsheet.clock import utcnow

from .conftest import STAFF_PASSWORD


@pytest.fixture
def app_config(app_config):
    app_config.update(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3/minute")
    return app_config


def test_password_guessing_is_stopped_with_the_form_and_a_reason(client, make_user):
    user = make_user("editor")
    for _ in range(3):
        response = client.post(
            "/newsroom/login", data={"email": user.email, "password": "a wrong guess"}
        )
        assert response.status_code == 422
    response = client.post(
        "/newsroom/login", data={"email": user.email, "password": STAFF_PASSWORD}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Too many sign-in attempts" in html
    assert user.email in html
    # Still refused with the right password: the limit is not a hint about which was right.
    assert client.get("/newsroom/stories").status_code == 302


def test_viewing_the_sign_in_page_is_not_limited(client):
    for _ in range(5):
        assert client.get("/newsroom/login").status_code == 200


def test_an_account_guessed_at_waits_then_the_right_password_works(
    app, client, make_user, move_clock
):
    """Per account, whatever the address: five wrong passwords, then a wait that ends."""
    app.config["LOGIN_RATE_LIMIT"] = "100/minute"
    user = make_user("editor")
    start = utcnow()
    move_clock(start)
    for n in range(5):
        wrong = {"email": user.email, "password": f"wrong guess {n}"}
        assert client.post("/newsroom/login", data=wrong).status_code == 422
    right = {"email": user.email, "password": STAFF_PASSWORD}
    response = client.post("/newsroom/login", data=right)
    assert response.status_code == 429 and response.headers["Retry-After"] == "30"
    assert "too many wrong passwords" in response.get_data(as_text=True)
    move_clock(start + timedelta(seconds=31))
    assert client.post("/newsroom/login", data=right).status_code == 303


def test_a_stranger_cannot_lock_an_editor_out_for_more_than_fifteen_minutes(
    app, client, make_user, move_clock
):
    app.config["LOGIN_RATE_LIMIT"] = "1000/minute"
    user = make_user("editor")
    now = utcnow()
    for _guess in range(30):  # a guess each time the wait ends, all day long
        move_clock(now)
        response = client.post("/newsroom/login", data={"email": user.email, "password": "no"})
        now += timedelta(seconds=int(response.headers.get("Retry-After", 0)) + 1)
    assert int(response.headers["Retry-After"]) <= 15 * 60
    move_clock(now + timedelta(minutes=15))
    right = {"email": user.email, "password": STAFF_PASSWORD}
    assert client.post("/newsroom/login", data=right).status_code == 303
