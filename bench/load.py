"""Bulk loader for benchmark databases: migrated schema, then rows in big executemany batches.

    python bench/load.py 10k          # builds (or reuses) bench/out/10k-<key>.db

Scales name the story count; comments are twenty per story (ten at 100k, a million in all).
Two stories, the newest, carry exactly 50 comments each: the first is read by the bench,
the second takes the posted comments, so read figures do not drift while posts land.
Built files are cached by scale and by a key over the migrations and this loader.
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

SCALES = {
    "tiny": (120, 1_500),
    "plans": (3_000, 6_000),  # tests/test_query_plans.py
    "1k": (1_000, 20_000),
    "10k": (10_000, 200_000),
    "100k": (100_000, 1_000_000),
}
THREAD_SIZE = 50  # comments on each of the two bench stories
CATEGORY = "news"  # every story lands here so the deep page exists at every scale
OTHER_CATEGORIES = [("Sport", "sport"), ("Business", "business"), ("Culture", "culture")]
SEARCH_WORD = "harbour"  # planted in one story in fifty: the bench search query
BATCH = 20_000

_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ren",
    "tas",
    "vol",
    "dun",
    "pe",
    "ri",
    "sa",
    "to",
    "bel",
    "mar",
    "cor",
    "fin",
    "gal",
    "hol",
    "ist",
    "jun",
    "kel",
]
_COMMON = [
    "council",
    "city",
    "river",
    "market",
    "school",
    "bridge",
    "road",
    "police",
    "hospital",
    "budget",
    "vote",
    "mayor",
    "report",
    "plan",
    "week",
    "families",
    "club",
    "season",
    "farm",
    "station",
    "water",
    "power",
    "housing",
    "library",
    "park",
    "ferry",
    "court",
    "union",
    "festival",
    "museum",
    "workers",
    "tenants",
    "rain",
    "storm",
    "harvest",
    "trains",
]


def cache_key() -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted((ROOT / "migrations" / "versions").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def db_path(scale: str) -> Path:
    return OUT / f"{scale}-{cache_key()}.db"


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _sentence(rng: random.Random, vocab: list[str], n: int) -> str:
    # Rare invented words and a few common ones, as news copy reads to a search index.
    words = [rng.choice(_COMMON) if rng.random() < 0.3 else rng.choice(vocab) for _ in range(n)]
    return " ".join(words).capitalize()


def _story_bodies(rng: random.Random, vocab: list[str], variants: int = 128) -> list[tuple]:
    from broadsheet.rendering import html_to_text, markdown_to_html

    bodies = []
    for _ in range(variants):
        paragraphs = [_sentence(rng, vocab, 28) + "." for _ in range(4)]
        paragraphs.insert(2, "## " + _sentence(rng, vocab, 4))
        paragraphs.insert(1, f'"{_sentence(rng, vocab, 12)}," said a spokesperson.')
        body = "\n\n".join(paragraphs)
        html = markdown_to_html(body)
        bodies.append((body, html, html_to_text(html)))
    return bodies


def _comment_bodies(rng: random.Random, vocab: list[str], variants: int = 64) -> list[str]:
    bodies = []
    for i in range(variants):
        parts = [_sentence(rng, vocab, rng.randint(8, 30)) + "." for _ in range(rng.randint(1, 3))]
        if i % 4 == 0:
            parts[-1] += f" More at https://example.org/notes/{i} for anyone curious."
        if i % 5 == 0:
            parts.append("Second line of the same paragraph.\nAnd a third one.")
        bodies.append("\n\n".join(parts))
    return bodies


def _migrate(path: Path) -> None:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{path}",
        SECRET_KEY="bench-loader",
        FLASK_APP="app:create_app",
    )
    flask = Path(sys.executable).with_name("flask")
    subprocess.run(
        [str(flask), "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def build(scale: str, *, quiet: bool = False) -> Path:
    """The database for a scale: cached in bench/out/, built when missing."""
    target = db_path(scale)
    if target.exists():
        return target
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    stories, comments = SCALES[scale]
    tmp = target.with_suffix(".building")
    for leftover in OUT.glob(tmp.name + "*"):
        leftover.unlink()
    _migrate(tmp)
    _load(tmp, stories, comments)
    tmp.rename(target)
    if not quiet:
        print(
            f"built {target.name}: {stories} stories, {comments} comments "
            f"in {time.monotonic() - started:.1f}s",
            file=sys.stderr,
        )
    return target


def _load(path: Path, n_stories: int, n_comments: int) -> None:
    from sqlalchemy import create_engine, event, text

    from broadsheet import stemming
    from broadsheet.clock import utcnow
    from models import Article, Category, Comment

    rng = random.Random(7)
    vocab = _vocabulary(rng)
    bodies = _story_bodies(rng, vocab)
    comment_bodies = _comment_bodies(rng, vocab)
    now = utcnow()
    spacing = timedelta(minutes=7)

    # Which story each comment belongs to: two bench stories get exactly THREAD_SIZE.
    per_story = [0] * (n_stories + 1)
    rest = n_comments - 2 * THREAD_SIZE
    for _ in range(rest):
        per_story[rng.randint(1, n_stories - 2)] += 1
    per_story[n_stories - 1] = per_story[n_stories] = THREAD_SIZE

    engine = create_engine(f"sqlite:///{path}")
    # The search index's triggers stem every story they index.
    event.listen(engine, "connect", lambda connection, _record: stemming.register(connection))
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
        conn.exec_driver_sql("PRAGMA journal_mode=MEMORY")
        cats = [{"id": 1, "name": "News", "slug": CATEGORY, "description": "", "nav_order": 0}]
        cats += [
            {"id": i + 2, "name": name, "slug": slug, "description": "", "nav_order": i + 1}
            for i, (name, slug) in enumerate(OTHER_CATEGORIES)
        ]
        conn.execute(Category.__table__.insert(), cats)

        rows = []
        for i in range(1, n_stories + 1):
            body, html, plain = bodies[i % len(bodies)]
            headline = _sentence(rng, vocab, 7)
            teaser = _sentence(rng, vocab, 18) + "."
            if i % 50 == 0:
                teaser = f"The {SEARCH_WORD} {teaser[0].lower()}{teaser[1:]}"
            published = now - spacing * (n_stories - i) - timedelta(hours=1)
            rows.append(
                {
                    "id": i,
                    "headline": headline,
                    "slug": f"story-{i}",
                    "category_id": 1,
                    "byline": f"Reporter {i % 37}",
                    "teaser": teaser,
                    "dateline": "PORT ALDER",
                    "body": body,
                    "body_html": html,
                    "body_text": plain,
                    "image": None,
                    "image_alt": "",
                    "image_caption": "",
                    "image_credit": "",
                    "source_name": "",
                    "source_url": "",
                    "copyright": "",
                    "status": "published",
                    "published_at": published,
                    "created_at": published,
                    "updated_at": published,
                    "comments_open": True,
                    "comment_count": per_story[i],
                }
            )
            if len(rows) >= BATCH:
                conn.execute(Article.__table__.insert(), rows)
                rows = []
        if rows:
            conn.execute(Article.__table__.insert(), rows)

        rows = []
        next_id = 1
        for article_id in range(1, n_stories + 1):
            count = per_story[article_id]
            if not count:
                continue
            published = now - spacing * (n_stories - article_id) - timedelta(hours=1)
            thread: list[tuple[int, int, int]] = []  # (id, root, depth)
            bench_story = article_id > n_stories - 2
            for k in range(count):
                parent = None
                if bench_story:
                    # 35 top level, 10 replies, 5 replies to replies.
                    if 35 <= k < 45:
                        parent = thread[k - 35]
                    elif k >= 45:
                        parent = thread[k - 10]
                elif thread and rng.random() < 0.3:
                    parent = rng.choice(thread)
                cid = next_id
                next_id += 1
                root, depth = (parent[1], parent[2] + 1) if parent else (cid, 0)
                thread.append((cid, root, depth))
                created = (
                    published + timedelta(minutes=k + 1)
                    if bench_story
                    else (published + timedelta(seconds=37 * (k + 1)))
                )
                reader = rng.randrange(5000)
                rows.append(
                    {
                        "id": cid,
                        "article_id": article_id,
                        "parent_id": parent[0] if parent else None,
                        "root_id": root,
                        "depth": depth,
                        "author_name": f"Reader {reader}",
                        "author_email": f"reader{reader}@example.org",
                        "author_url": f"https://example.org/~{reader}" if reader % 7 == 0 else "",
                        "body": comment_bodies[cid % len(comment_bodies)],
                        "status": "approved",
                        "created_at": created,
                        "edited_at": None,
                        "changed_at": created,
                        "ip_hash": "",
                        "user_agent": "bench",
                        "submission_token": None,
                    }
                )
                if len(rows) >= BATCH:
                    conn.execute(Comment.__table__.insert(), rows)
                    rows = []
        if rows:
            conn.execute(Comment.__table__.insert(), rows)
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    engine.dispose()


def bench_stories(n_stories: int) -> tuple[str, str]:
    """Slugs of the story whose 50 comments are read, and of the one that takes posts."""
    return f"story-{n_stories}", f"story-{n_stories - 1}"


def refresh(path: Path, n_stories: int) -> None:
    """Move the two bench stories to an hour ago, so a cached database keeps comments open."""
    import sqlite3

    from broadsheet.clock import utcnow

    now = utcnow()
    conn = sqlite3.connect(path)
    with conn:
        for offset, article_id in ((1, n_stories), (2, n_stories - 1)):
            stamp = (now - timedelta(hours=offset)).strftime("%Y-%m-%d %H:%M:%S.000000")
            conn.execute(
                "UPDATE articles SET published_at = ?, created_at = ?, updated_at = ? WHERE id = ?",
                (stamp, stamp, stamp, article_id),
            )
    conn.close()


if __name__ == "__main__":
    for name in sys.argv[1:] or ["10k"]:
        print(build(name))
