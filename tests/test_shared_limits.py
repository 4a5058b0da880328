"""With REDIS_URL set, rate limits live in Redis, so every worker and host counts together.

Worker B is a separate Python process, as a second gunicorn worker or host would be: no
in-process state can be shared with it, only Redis.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

from .conftest import HX
from .support.apps import require
from .test_comments import post, stored

REDIS_URL = "redis://127.0.0.1:6379/0"
# One prefix for the whole test process: Flask-Limiter keeps the first prefix it is given
# for as long as the (module-level) limiter lives.
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
    data = {"name": "Bo", "email": "bo@example.org", "body": "From worker B",
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
        return list(redis_client.scan_iter(match=f"*{PREFIX}*", count=1000))

    yield keys
    if leftover := keys():
        redis_client.delete(*leftover)


@pytest.fixture
def app_config(app_config, limit_keys):
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


def test_a_limit_reached_on_one_worker_holds_on_another(app_config, client, story, limit_keys):
    for n in range(2):
        assert post(client, story, headers=HX, body=f"From worker A {n}").status_code == 200
    assert limit_keys(), "the counts live in Redis"

    assert worker_b(app_config, story) == 429
    assert [c.body for c in stored()] == ["From worker A 0", "From worker A 1"]


def test_without_redis_each_worker_counts_alone(app_config, make_app, story, limit_keys):
    """The single-box default (memory:// in each worker) that docs/deploy.md describes."""
    app_config.pop("REDIS_URL")
    worker_a = make_app(app_config).test_client()
    for n in range(2):
        assert post(worker_a, story, headers=HX, body=f"From worker A {n}").status_code == 200
    assert worker_b(app_config, story) == 200
    assert len(stored()) == 3 and not limit_keys()
