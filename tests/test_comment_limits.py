"""The comment rate limits: per reader (address and email), per address, and only
for comments that are stored."""

from __future__ import annotations

import pytest

from .conftest import HX
from .test_comments import post, stored, story  # noqa: F401


@pytest.fixture
def app_config(app_config):
    app_config.update(RATELIMIT_ENABLED=True, COMMENT_RATE_LIMIT="2/minute")
    return app_config


def test_rate_limit_answers_with_a_friendly_message_in_the_form(client, story):  # noqa: F811
    for i in range(2):
        assert post(client, story, headers=HX, body=f"comment {i}").status_code == 200
    response = post(client, story, headers=HX, body="third try text")
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "faster than we allow" in html and "third try text</textarea>" in html
    assert len(stored()) == 2
    plain = post(client, story, body="no script either")
    assert plain.status_code == 429 and "<html" in plain.get_data(as_text=True)


def test_refused_submits_do_not_count_toward_the_limit(client, story):  # noqa: F811
    for _ in range(5):
        assert post(client, story, headers=HX, body="").status_code == 422
    assert post(client, story, headers=HX, body="Now with words").status_code == 200
    assert post(client, story, headers=HX, body="And again").status_code == 200
    assert post(client, story, headers=HX, body="Once too often").status_code == 429


def test_readers_sharing_an_office_address_each_have_their_own_limit(
    app,
    client,
    story,  # noqa: F811
):
    """Colleagues behind one address post their own comments; the address as a whole has a
    looser ceiling, so one person inventing addresses cannot post without end."""
    app.config["COMMENT_ADDRESS_RATE_LIMIT"] = "5/minute"
    for colleague in ("ana", "ben"):
        for n in range(2):
            email = f"{colleague}@example.org"
            response = post(client, story, headers=HX, email=email, body=f"{colleague} {n}")
            assert response.status_code == 200
    for name, status in (("ana", 429), ("cy", 200), ("di", 429)):
        response = post(client, story, headers=HX, email=f"{name}@example.org", body=name)
        assert response.status_code == status, name
    assert len(stored()) == 5


def test_a_plus_tag_does_not_make_a_new_reader(client, story):  # noqa: F811
    for tag in ("", "+a"):
        response = post(client, story, headers=HX, email=f"ana{tag}@example.org", body=f"Ana{tag}")
        assert response.status_code == 200
    assert post(client, story, headers=HX, email="ANA+b@example.org").status_code == 429


def test_an_ipv6_reader_cannot_dodge_the_limit_within_their_own_block(
    app_config,
    make_app,
    story,  # noqa: F811
):
    app_config["PROXY_FIX_X_FOR"] = 1
    client = make_app(app_config).test_client()
    for n in (1, 2):
        headers = {**HX, "X-Forwarded-For": f"2001:db8:5:7::{n}"}
        assert post(client, story, headers=headers, body=f"From {n}").status_code == 200
    headers = {**HX, "X-Forwarded-For": "2001:db8:5:7:ffff::3"}
    assert post(client, story, headers=headers).status_code == 429
    headers = {**HX, "X-Forwarded-For": "2001:db8:5:8::1"}
    assert post(client, story, headers=headers).status_code == 200
