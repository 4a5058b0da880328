"""One log line per request, with a request id that the response echoes."""

from __future__ import annotations

import logging
import re

import pytest


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger="broadsheet.request")

    def lines() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.name == "broadsheet.request"]

    return lines


def test_each_request_logs_method_path_status_duration_and_id(client, request_lines):
    response = client.get("/healthz")
    missing = client.get("/search?page=zero")
    [ok_line, missing_line] = request_lines()
    generated = response.headers["X-Request-ID"]
    assert re.fullmatch(r"GET /healthz 200 \d+\.\dms id=[0-9a-f]{32}", ok_line)
    assert ok_line.endswith(f"id={generated}")
    assert missing_line.startswith("GET /search 404 ")
    assert missing.headers["X-Request-ID"] != generated


def test_a_proxy_request_id_is_kept_and_echoed(client, request_lines):
    response = client.get("/healthz", headers={"X-Request-ID": "edge-7f3a.1"})
    assert response.headers["X-Request-ID"] == "edge-7f3a.1"
    assert request_lines()[0].endswith("id=edge-7f3a.1")


@pytest.mark.parametrize(
    "forged", ["abc\tGET /admin 200 1.0ms id=x", "two words", "x" * 500, "<script>"]
)
def test_forged_request_id_cannot_inject_log_lines(client, request_lines, forged):
    response = client.get("/healthz", headers={"X-Request-ID": forged})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])
    [line] = request_lines()
    assert "\t" not in line and forged not in line


def test_a_request_stopped_by_csrf_is_still_logged_with_its_id(
    app_config, make_article, make_app, request_lines
):
    article = make_article()
    app_config["WTF_CSRF_ENABLED"] = True
    client = make_app(app_config).test_client()
    # A commenter's delete button carries a session token (the comment form has none).
    path = f"/comments/c/{article.id}/delete"
    response = client.post(path, headers={"X-Request-ID": "no-token"})
    assert response.status_code == 400
    assert response.headers["X-Request-ID"] == "no-token"
    assert request_lines()[0].startswith(f"POST {path} 400 ")
