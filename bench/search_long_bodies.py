"""Search over stories whose stored bodies are megabytes long (as an import left them
before bodies were capped): how long one results page takes.

    python bench/search_long_bodies.py                      # SQLite in a temporary folder
    python bench/search_long_bodies.py --database URL       # an empty, throwaway database

Ten stories of about 3 MB each all match the query, so the page shows ten snippets.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import update  # noqa: E402

from app import create_app  # noqa: E402
from broadsheet.clock import utcnow  # noqa: E402
from broadsheet.search import search  # noqa: E402
from broadsheet.stories import prepare  # noqa: E402
from extensions import db  # noqa: E402
from models import Article, Category  # noqa: E402

WORDS = ["harbour", "ferry", "council", "budget", "water", "river", "market"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="an empty database URL (default: SQLite)")
    parser.add_argument("--stories", type=int, default=10)
    parser.add_argument("--megabytes", type=float, default=3.0)
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    url = args.database or f"sqlite:///{folder}/search.db"
    app = create_app(
        {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": folder}
    )
    # Numbered words, so the last query word matches as a prefix of many.
    body = " ".join(f"{WORDS[i % 7]}{i % 13}" for i in range(int(args.megabytes * 1e6) // 8))
    with app.app_context():
        upgrade()
        category = Category(name="Local", slug="local")
        db.session.add(category)
        for n in range(args.stories):
            story = prepare(
                Article(
                    headline=f"Long read {n}",
                    category=category,
                    status="published",
                    body="short",
                    published_at=utcnow() - timedelta(minutes=1),
                )
            )
            db.session.add(story)
            db.session.flush()
            db.session.execute(update(Article).where(Article.id == story.id).values(body_text=body))
        db.session.commit()
        for query in ("ferry1", "harbour0 ferry1"):
            started = time.perf_counter()
            page = search(query, 1, args.stories)
            took = time.perf_counter() - started
            print(
                f"{db.engine.dialect.name}: {len(page.items)} hits of {len(body) / 1e6:.1f} MB "
                f"for {query!r}: {took * 1000:.0f} ms"
            )


if __name__ == "__main__":
    main()
