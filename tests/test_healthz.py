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


def test_reader_pages_show_the_sites_own_error_page_when_the_database_is_down(
    tmp_path, caplog, make_app
):
    # The masthead reads the saved site settings; with no database, configuration decides.
    caplog.set_level(logging.CRITICAL)
    config = base_config("sqlite:////nonexistent-directory/broadsheet.db", tmp_path)
    settings = {"SITE_NAME": "Valley Courier", "SITE_LANGUAGE": "es", "PROPAGATE_EXCEPTIONS": False}
    app = make_app({**config, **settings})
    response = app.test_client().get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert '<html lang="es"' in html and "Valley Courier" in html
    assert "Traceback" not in html
