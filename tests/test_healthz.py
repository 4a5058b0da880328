"""/healthz tells a monitor whether the site can reach its database."""

from __future__ import annotations

import logging

import pytest

from .conftest import base_config


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "unreachable",
    [
        "sqlite:////nonexistent-directory/broadsheet.db",
        "postgresql://postgres@127.0.0.1:9/broadsheet?connect_timeout=2",
    ],
)
def test_healthz_answers_503_when_the_database_does_not(tmp_path, caplog, make_app, unreachable):
    caplog.set_level(logging.ERROR)
    app = make_app(base_config(unreachable, tmp_path))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "unavailable"
    assert any(r.exc_info for r in caplog.records), "the reason belongs in the log"
