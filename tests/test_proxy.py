"""X-Forwarded-For is believed only behind a configured proxy: a reader cannot fake an
address to dodge the comment limit, and behind nginx each reader has a limit of their own."""

from __future__ import annotations

import pytest

from .conftest import HX
from .test_comments import post


@pytest.fixture
def app_config(app_config):
    app_config.update(RATELIMIT_ENABLED=True, COMMENT_RATE_LIMIT="1/minute")
    return app_config


@pytest.fixture
def story(make_article):
    return make_article("Ferry timetable changes")


def as_client(address: str) -> dict:
    return {**HX, "X-Forwarded-For": address}


def test_a_faked_forwarded_for_does_not_dodge_the_limit(client, story):
    assert (
        post(client, story, body="Comment 1.", headers=as_client("203.0.113.1")).status_code == 200
    )
    assert (
        post(client, story, body="Comment 2.", headers=as_client("203.0.113.2")).status_code == 429
    )


def test_behind_a_configured_proxy_each_reader_has_their_own_limit(app_config, make_app, story):
    app_config["PROXY_FIX_X_FOR"] = 1
    client = make_app(app_config).test_client()
    assert (
        post(client, story, body="Comment 3.", headers=as_client("203.0.113.1")).status_code == 200
    )
    assert (
        post(client, story, body="Comment 4.", headers=as_client("203.0.113.2")).status_code == 200
    )
    assert (
        post(client, story, body="Comment 5.", headers=as_client("203.0.113.1")).status_code == 429
    )


def test_only_the_hop_the_proxy_added_counts(app_config, make_app, story):
    """A reader's own X-Forwarded-For entry is ignored; nginx appends the real address."""
    app_config["PROXY_FIX_X_FOR"] = 1
    client = make_app(app_config).test_client()
    assert (
        post(
            client, story, body="Comment 6.", headers=as_client("198.51.100.9, 203.0.113.1")
        ).status_code
        == 200
    )
    assert (
        post(
            client, story, body="Comment 7.", headers=as_client("198.51.100.8, 203.0.113.1")
        ).status_code
        == 429
    )
