"""What the shared rate limits add to a comment post: CPU milliseconds, limits on and off.

    .venv/bin/python bench/limit_cost.py [--posts 300]

Posts comments through the test client to a fresh SQLite database, each from a new reader
(so every post inserts its windows, the dearer path), with the limits set too high to refuse
anything, and prints the least and the median CPU time (time.process_time) of one post with
RATELIMIT_ENABLED off and on. docs/security.md quotes it.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from broadsheet.clock import utcnow  # noqa: E402
from broadsheet.stories import prepare  # noqa: E402
from broadsheet.web.commenter import signed_render_time  # noqa: E402
from extensions import db  # noqa: E402
from models import Article, Category  # noqa: E402


def post_times(limits: bool, posts: int) -> list[float]:
    folder = tempfile.mkdtemp()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
            "SECRET_KEY": "bench",
            "MAIL_OUTBOX": folder,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": limits,
            "COMMENT_RATE_LIMIT": "100000/second",
            "COMMENT_ADDRESS_RATE_LIMIT": "100000/second",
            "COMMENT_MIN_SECONDS": 0,
            "COMMENT_MODERATION": "none",
        }
    )
    logging.getLogger("broadsheet.request").setLevel(logging.WARNING)
    with app.app_context():
        upgrade()
        story = Article(
            headline="Harbour wall repairs begin",
            category=Category(name="Local", slug="local"),
            status="published",
            published_at=utcnow() - timedelta(hours=1),
            body="Work starts on Monday.",
        )
        db.session.add(prepare(story))
        db.session.commit()
        client = app.test_client()
        stamp = signed_render_time()
        times = []
        for n in range(posts):
            fields = {"name": "Reader", "email": f"r{n}@example.org", "body": f"No. {n}"}
            started = time.process_time()
            response = client.post(
                f"/comments/{story.id}",
                data={**fields, "rendered": stamp},
                headers={"HX-Request": "true"},
            )
            times.append((time.process_time() - started) * 1000)
            assert response.status_code == 200, response.status_code
        db.engine.dispose()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300)
    args = parser.parse_args()
    for limits in (False, True):
        times = post_times(limits, args.posts)
        print(
            f"limits {'on ' if limits else 'off'}: least {min(times):.2f} ms, "
            f"median {statistics.median(times):.2f} ms CPU per comment post"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
