"""Hardening: security headers, HTTPS-only cookies and HSTS, trusted proxies, production checks."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from broadsheet.config import DEFAULTS

from .conftest import base_config
from .support.gunicorn import ROOT


def test_every_page_forbids_inline_script_framing_and_sniffing(client, make_article):
    article = make_article("Harbour news")
    for path in ("/", f"/{article.category.slug}/{article.slug}", "/search?q=x", "/nope"):
        headers = client.get(path).headers
        assert headers["Content-Security-Policy"] == DEFAULTS["CONTENT_SECURITY_POLICY"]
        assert "script-src 'self';" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_no_page_carries_inline_scripts_or_styles(client, make_article):
    article = make_article("Harbour news")
    html = client.get(f"/{article.category.slug}/{article.slug}").get_data(as_text=True)
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    assert " hx-on" not in html and "javascript:" not in html
    # JSON-LD is data, never run, so CSP's script-src does not apply to it.
    data = html.count('<script type="application/ld+json">')
    assert html.count("<script ") == html.count('<script src="/static/') + data


def test_plain_http_gets_no_hsts(client):
    response = client.get("/healthz")
    assert "Strict-Transport-Security" not in response.headers


def test_https_request_gets_hsts(client):
    response = client.get("/healthz", base_url="https://news.example.org")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_forwarded_proto_is_ignored_without_a_configured_proxy(client):
    response = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_forwarded_proto_is_believed_behind_a_configured_proxy(app_config, make_app):
    app_config.update(PROXY_FIX_X_FOR=1, PROXY_FIX_X_PROTO=1)
    client = make_app(app_config).test_client()
    response = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_https_flag_makes_the_session_cookie_secure(app_config, make_app):
    app_config["HTTPS"] = True
    app = make_app(app_config)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["PREFERRED_URL_SCHEME"] == "https"


def test_session_cookie_is_not_secure_by_default(app):
    assert not app.config.get("SESSION_COOKIE_SECURE")


def test_production_refuses_to_start_without_a_secret_key(tmp_path, make_app):
    config = base_config("sqlite:///" + str(tmp_path / "x.db"), tmp_path)
    config.update(ENV="production", SECRET_KEY=None)
    with pytest.raises(RuntimeError, match="SECRET_KEY is required in production"):
        make_app(config)


def test_production_refuses_to_start_in_debug_mode(tmp_path, make_app):
    config = base_config("sqlite:///" + str(tmp_path / "x.db"), tmp_path)
    config.update(ENV="production", DEBUG=True)
    with pytest.raises(RuntimeError, match="Debug mode must be off"):
        make_app(config)


def test_production_refuses_a_short_secret_key(tmp_path, make_app):
    config = base_config("sqlite:///" + str(tmp_path / "x.db"), tmp_path)
    config.update(ENV="production", SECRET_KEY="short")
    with pytest.raises(RuntimeError, match="SECRET_KEY is too short"):
        make_app(config)


def test_flask_says_a_missing_production_key_in_one_line(tmp_path):
    """A sysadmin running `flask ...` on a misconfigured server reads what to do, not a
    traceback."""
    env = {
        **os.environ,
        "FLASK_APP": "app:create_app",
        "BROADSHEET_ENV": "production",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
    }
    env.pop("SECRET_KEY", None)
    instance_config = ROOT / "instance" / "config.py"
    if instance_config.exists() and "SECRET_KEY" in instance_config.read_text():
        pytest.skip("this checkout's instance/config.py sets a SECRET_KEY")
    flask = Path(sys.executable).with_name("flask")
    done = subprocess.run(
        [str(flask), "routes"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "Error: SECRET_KEY is required in production" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("mistyped", ["prod", "Production", "live"])
def test_a_mistyped_mode_is_refused_not_run_as_development(tmp_path, make_app, mistyped):
    config = base_config("sqlite:///" + str(tmp_path / "x.db"), tmp_path)
    config["ENV"] = mistyped
    with pytest.raises(RuntimeError, match=f"BROADSHEET_ENV is {mistyped!r}"):
        make_app(config)


def test_production_starts_with_a_secret_key_and_debug_off(tmp_path, make_app):
    config = base_config("sqlite:///" + str(tmp_path / "x.db"), tmp_path)
    config["ENV"] = "production"
    app = make_app(config)
    assert app.config["SECRET_KEY"] == "test-secret-long-enough-for-production"
    assert not app.debug


@pytest.fixture
def failing_app(app_config, make_app):
    """An app with a view that crashes, and exceptions handled as in production."""
    app_config["PROPAGATE_EXCEPTIONS"] = False
    app = make_app(app_config)

    def crash():
        raise RuntimeError("password=hunter2 in /srv/broadsheet/secret.py")

    app.add_url_rule("/crash", view_func=crash)
    return app


def test_a_crash_shows_a_plain_page_and_keeps_the_traceback_in_the_log(failing_app, caplog):
    caplog.set_level(logging.ERROR)
    response = failing_app.test_client().get("/crash", headers={"X-Request-ID": "crash-42"})
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in html and "crash-42" in html
    assert "hunter2" not in html and "Traceback" not in html and "secret.py" not in html
    [record] = [r for r in caplog.records if r.exc_info]
    assert "hunter2" in str(record.exc_info[1])
    assert "crash-42" in record.getMessage()


def test_production_mode_can_be_switched_on_from_the_environment(monkeypatch):
    monkeypatch.setenv("BROADSHEET_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is required in production"):
        create_app()


def test_proxy_counts_and_https_can_be_set_from_the_environment(monkeypatch):
    for name in ("DATABASE_URL", "REDIS_URL", "BROADSHEET_ENV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("BROADSHEET_HTTPS", "true")
    monkeypatch.setenv("BROADSHEET_PROXY_FIX_X_PROTO", "1")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/static/css/site.css", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    response.close()
