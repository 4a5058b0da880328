"""The per-IP rate limit on comment posts, with Flask-Limiter switched on."""

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
