"""Rate limits hold across gunicorn's workers and its restarts, without Redis: the counts
live in the database (throttle.py). With REDIS_URL they live in Redis, and while Redis is
down each worker falls back to counting alone, with a loud log line, never a 500.

The gunicorn tests run the production way (BROADSHEET_ENV=production, four sync workers,
a database of their own) and send each burst from many threads at once. Behind nginx each
reader's address arrives in X-Forwarded-For, so each test is a reader of its own.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis

from .conftest import HX, STAFF_PASSWORD, free_port
from .support.apps import require
from .support.gunicorn import Gunicorn, Site
from .test_comments import post, stored

_RENDERED = re.compile(r'name="rendered" type="hidden" value="([^"]+)"')

GUNICORN_ENV = {
    "BROADSHEET_PROXY_FIX_X_FOR": "1",
    "BROADSHEET_COMMENT_RATE_LIMIT": "5/minute",
    "BROADSHEET_COMMENT_ADDRESS_RATE_LIMIT": "12/minute",
    "BROADSHEET_LOGIN_RATE_LIMIT": "10/minute",
    "BROADSHEET_PRIVACY_REQUEST_RATE_LIMIT": "5/hour",
    "BROADSHEET_COMMENT_MIN_SECONDS": "0",
    "BROADSHEET_COMMENT_MODERATION": '"none"',
    "BROADSHEET_WTF_CSRF_ENABLED": "false",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = Site.create(tmp_path_factory.mktemp("shared-limits"))
    add_editor(site, "editor@example.org")
    yield site
    site.drop()


@pytest.fixture(scope="module")
def server(site, tmp_path_factory):
    server = Gunicorn(site, tmp_path_factory.mktemp("gunicorn") / "log", GUNICORN_ENV).start()
    yield server
    server.stop()


def add_editor(site: Site, email: str) -> None:
    from app import create_app
    from broadsheet.accounts import hash_password
    from extensions import db
    from models import User

    app = create_app({"SQLALCHEMY_DATABASE_URI": site.url, "SECRET_KEY": "seed"})
    with app.app_context():
        db.session.add(
            User(email=email, role="editor", password_hash=hash_password(STAFF_PASSWORD))
        )
        db.session.commit()
        db.engine.dispose()


def at_once(count: int, send) -> Counter:
    """Call send(n) for n in range(count) from eight threads at once; count the statuses."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        return Counter(pool.map(send, range(count)))


def reader(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def test_forty_comments_at_once_from_one_reader_store_five(server, site):
    page = server.request("GET", site.story_path, headers=reader("198.51.100.10"))[2]
    rendered = _RENDERED.search(page).group(1)

    def send(n: int) -> int:
        fields = {
            "name": "Rapid Reader",
            "email": "rapid@example.org",
            "body": f"Burst comment {n}",
            "rendered": rendered,
            "token": secrets.token_urlsafe(16),
        }
        headers = {**HX, **reader("198.51.100.10")}
        return server.request("POST", f"/comments/{site.story_id}", fields, headers)[0]

    assert at_once(40, send) == {200: 5, 429: 35}
    bodies = site.query("SELECT count(*) FROM comments WHERE body LIKE 'Burst comment %'")
    assert bodies == [(5,)]


def test_sixty_sign_in_attempts_at_once_are_checked_ten_times(server):
    def send(n: int) -> int:
        fields = {"email": f"guess{n}@example.org", "password": "a wrong guess"}
        return server.request("POST", "/newsroom/login", fields, reader("198.51.100.20"))[0]

    # 422: the password was checked (and was wrong); 429: refused before any check.
    assert at_once(60, send) == {422: 10, 429: 50}


def test_eighteen_privacy_requests_at_once_send_five(server):
    def send(n: int) -> int:
        fields = {"email": f"reader{n}@example.org", "action": "export"}
        return server.request("POST", "/privacy", fields, reader("198.51.100.30"))[0]

    assert at_once(18, send) == {303: 5, 429: 13}


def test_guessing_one_password_from_fifteen_addresses_is_stopped_after_five(server):
    """The per-account back-off: addresses do not matter, and the right password from a new
    browser waits too; the editor's own browser, signed in before, does not."""
    status, headers, _ = server.request(
        "POST",
        "/newsroom/login",
        {"email": "editor@example.org", "password": STAFF_PASSWORD},
        reader("192.0.2.1"),
    )
    assert status == 303
    own_browser = headers["Set-Cookie"].split("newsroom_browser=", 1)[1].split(";", 1)[0]

    def guess(n: int) -> int:
        fields = {"email": "editor@example.org", "password": f"guess number {n}"}
        return server.request("POST", "/newsroom/login", fields, reader(f"203.0.113.{n}"))[0]

    assert at_once(15, guess) == {422: 5, 429: 10}
    right = {"email": "editor@example.org", "password": STAFF_PASSWORD}
    status, _, html = server.request("POST", "/newsroom/login", right, reader("203.0.113.99"))
    assert status == 429 and "too many wrong passwords" in html
    cookie = {"Cookie": f"newsroom_browser={own_browser}", **reader("192.0.2.1")}
    assert server.request("POST", "/newsroom/login", right, cookie)[0] == 303


def test_a_limit_reached_before_a_restart_holds_after_it(server):
    def send(n: int) -> int:
        fields = {"email": "nobody@example.org", "password": "a wrong guess"}
        return server.request("POST", "/newsroom/login", fields, reader("198.51.100.40"))[0]

    assert at_once(10, send) == {422: 10}
    server.stop()
    server.start()
    assert send(11) == 429
    assert server.request("POST", "/newsroom/login", {}, reader("198.51.100.41"))[0] == 422


# --- Redis ------------------------------------------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/0"
# One prefix for the whole test process: keys are easy to find, and to delete, afterwards.
PREFIX = f"broadsheet-test-{uuid.uuid4().hex}"
ROOT = Path(__file__).resolve().parent.parent

# Another worker: the same site and config in a fresh interpreter, posting one comment.
WORKER = """
import json, sys
from app import create_app
from broadsheet.web.commenter import signed_render_time
from extensions import db

config, article_id = json.loads(sys.argv[1]), int(sys.argv[2])
app = create_app(config)
with app.app_context():
    data = {"name": "Ana Ruiz", "email": "ana@example.org", "body": "From worker B",
            "rendered": signed_render_time()}
    response = app.test_client().post(f"/comments/{article_id}", data=data,
                                      headers={"HX-Request": "true"})
    db.engine.dispose()
print(response.status_code)
"""


@pytest.fixture
def redis_client():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        require(False, "Redis on 127.0.0.1:6379")
    yield client
    client.close()


@pytest.fixture
def limit_keys(redis_client):
    """The keys this test's limits leave in Redis; deleted afterwards."""

    def keys() -> list[bytes]:
        return list(redis_client.scan_iter(match=f"{PREFIX}:*", count=1000))

    yield keys
    if leftover := keys():
        redis_client.delete(*leftover)


@pytest.fixture
def app_config(app_config):
    app_config.update(
        RATELIMIT_ENABLED=True,
        COMMENT_RATE_LIMIT="2/minute",
        COMMENT_MODERATION="none",
        REDIS_URL=REDIS_URL,
        RATELIMIT_KEY_PREFIX=PREFIX,
    )
    return app_config


@pytest.fixture
def story(make_article):
    return make_article("Ferry timetable changes")


def worker_b(config: dict, story) -> int:
    result = subprocess.run(
        [sys.executable, "-c", WORKER, json.dumps(config), str(story.id)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return int(result.stdout.strip().splitlines()[-1])


def test_with_redis_a_limit_reached_on_one_worker_holds_on_another(
    app_config, client, story, limit_keys
):
    for n in range(2):
        assert post(client, story, headers=HX, body=f"From worker A {n}").status_code == 200
    assert limit_keys(), "the counts live in Redis"

    assert worker_b(app_config, story) == 429
    assert [c.body for c in stored()] == ["From worker A 0", "From worker A 1"]


def test_with_redis_down_comments_are_limited_per_process_and_the_log_says_so(
    app_config, make_app, story, caplog
):
    app_config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/4"
    client = make_app(app_config).test_client()
    for n in range(2):
        assert post(client, story, headers=HX, body=f"While Redis is down {n}").status_code == 200
    assert post(client, story, headers=HX, body="One too many").status_code == 429
    assert len(stored()) == 2
    assert any(
        r.levelname == "ERROR" and "RATE LIMITS DEGRADED" in r.getMessage() for r in caplog.records
    )
