"""The shipped nginx site run for real, as the shared page cache and as the buffer that
keeps slow clients off gunicorn's sync workers: Debian's nginx in front of gunicorn on
loopback, with deploy/nginx-broadsheet.conf pointed at temporary paths.

Skipped when nginx is not installed, except with CI=true, where that fails the run.
"""

from __future__ import annotations

import os
import re
import socket
import time

import pytest

from .support.gunicorn import ROOT, WORKERS, Gunicorn, Site
from .support.nginx import NGINX, Nginx

SHARED_SECONDS = 2  # s-maxage for this test's pages: short, so freshness shows quickly

if not NGINX.exists():
    if os.environ.get("CI") == "true":
        pytest.fail("Debian's nginx is missing (apt-get install nginx)", pytrace=False)
    pytest.skip("Debian's nginx is not installed (apt-get install nginx)", allow_module_level=True)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx")
    site = Site.create(folder)
    app = Gunicorn(
        site,
        folder / "gunicorn.log",
        {
            "BROADSHEET_SHARED_CACHE_SECONDS": str(SHARED_SECONDS),
            "BROADSHEET_COMMENT_MIN_SECONDS": "0",
            "BROADSHEET_COMMENT_MODERATION": "none",
        },
    ).start()
    nginx = Nginx(folder, app.port, ROOT / "static")
    proxy = Gunicorn(site, folder / "unused.log")  # its request() helper, aimed at nginx
    proxy.port = nginx.port
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                proxy.request("GET", "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or nginx.process.poll() is not None:
                    raise RuntimeError((folder / "error.log").read_text()) from None
                time.sleep(0.2)
        yield site, proxy
    finally:
        nginx.stop()
        app.stop()
        site.drop()


def get(proxy, path: str, cookie: str = "") -> tuple[int, dict[str, str], str]:
    return proxy.request("GET", path, headers={"Cookie": cookie} if cookie else {})


def test_second_anonymous_get_is_a_cache_hit(served):
    site, proxy = served
    path = site.story_path + "?first"

    _status, first, body = get(proxy, path)
    _status, second, again = get(proxy, path)

    assert first["X-Cache"] == "MISS" and second["X-Cache"] == "HIT"
    assert again == body
    assert "Set-Cookie" not in first and "Set-Cookie" not in second


@pytest.mark.parametrize("cookie", ["bs_commenter=x", "session=x", "theme=dark; bs_own=x"])
def test_reader_with_a_session_or_commenter_cookie_goes_past_the_cache(served, cookie):
    site, proxy = served
    get(proxy, site.story_path)
    get(proxy, site.story_path)

    _status, headers, _body = get(proxy, site.story_path, cookie)

    assert headers["X-Cache"] == "BYPASS"


def post_comment(site, proxy, body: str) -> tuple[int, dict[str, str]]:
    _status, _headers, html = get(proxy, site.story_path)
    hidden = dict(re.findall(r'name="(rendered|token)" type="hidden" value="([^"]*)"', html))
    fields = {**hidden, "name": "Kim", "email": "kim@example.org", "body": body}
    status, headers, _html = proxy.request("POST", f"/comments/{site.story_id}", fields)
    return status, headers


def test_post_goes_past_the_cache_and_the_comment_reaches_anonymous_readers(served):
    site, proxy = served
    get(proxy, site.story_path)
    assert get(proxy, site.story_path)[1]["X-Cache"] == "HIT"

    status, headers = post_comment(site, proxy, "The wall looks solid.")
    assert status == 303
    assert headers.get("X-Cache", "") not in ("HIT", "STALE", "UPDATING")
    assert "Set-Cookie" in headers

    # Within the cache time, one stale answer while nginx fetches the new copy.
    deadline = time.monotonic() + SHARED_SECONDS + 10
    seen = False
    while not seen and time.monotonic() < deadline:
        seen = "The wall looks solid." in get(proxy, site.story_path)[2]
        if not seen:
            time.sleep(0.5)
    assert seen


def test_response_that_sets_a_cookie_is_never_cached(served):
    _site, proxy = served

    answers = [get(proxy, "/newsroom/login")[1] for _ in range(3)]

    assert all("Set-Cookie" in headers for headers in answers)
    assert all(headers.get("X-Cache") != "HIT" for headers in answers)


def test_slow_clients_do_not_stall_other_readers(served):
    """More clients than gunicorn has workers, each trickling a comment body: sent straight
    to gunicorn they would hold every sync worker; nginx reads the bodies itself first."""
    site, proxy = served
    head = (
        f"POST /comments/{site.story_id} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
    )
    slow = [socket.create_connection(("127.0.0.1", proxy.port)) for _ in range(WORKERS + 2)]
    try:
        for connection in slow:
            connection.sendall(head.encode() + b"body=still+typing")
        # A reader with a commenter cookie goes past the cache, so gunicorn must answer.
        status, headers, html = proxy.request(
            "GET", site.story_path, headers={"Cookie": "bs_commenter=x"}, timeout=10
        )
        assert status == 200 and headers["X-Cache"] == "BYPASS"
        assert "Harbour wall repairs begin" in html
    finally:
        for connection in slow:
            connection.close()
