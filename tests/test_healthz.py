"""/healthz tells a monitor whether the site can reach each service it needs."""

from __future__ import annotations

import logging

import pytest

from .conftest import base_config, free_port


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "database ok\n"
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
    assert response.get_data(as_text=True) == "database unavailable\n"
    assert any(r.exc_info for r in caplog.records), "the reason belongs in the log"


def test_healthz_reports_redis_when_the_site_uses_it(app_config, make_app, caplog):
    app_config["REDIS_URL"] = "redis://127.0.0.1:6379/4"
    up = make_app(app_config).test_client().get("/healthz")
    if up.status_code == 200:  # Redis may be missing on a developer's machine
        assert up.get_data(as_text=True) == "database ok\nredis ok\n"

    app_config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/4"
    down = make_app(app_config).test_client().get("/healthz")
    assert down.status_code == 503
    assert down.get_data(as_text=True) == "database ok\nredis unavailable\n"
    assert "Redis (REDIS_URL) did not answer" in caplog.text


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


@pytest.mark.parametrize("mode", ["development", "production"])
def test_a_database_never_migrated_says_what_to_run_and_fails_healthz(
    tmp_path, caplog, make_app, mode
):
    caplog.set_level(logging.ERROR)
    config = base_config("sqlite:///" + str(tmp_path / "empty.db"), tmp_path)
    app = make_app({**config, "ENV": mode, "PROPAGATE_EXCEPTIONS": False})
    client = app.test_client()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_data(as_text=True) == "database not migrated (run flask db upgrade)\n"
    page = client.get("/")
    assert page.status_code == 500
    assert ("flask db upgrade" in page.get_data(as_text=True)) == (mode == "development")
    assert "The database is not migrated: run `flask db upgrade`" in caplog.text
