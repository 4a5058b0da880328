"""Sign-in attempts are rate limited per address, with Flask-Limiter switched on."""

from __future__ import annotations

import pytest

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
