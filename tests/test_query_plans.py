"""Every query a reader page runs walks an index, and no page runs a query per item.

On a database of thousands of stories and comments (bench/load.py's "plans" scale), each
reader page is fetched with SQLite's EXPLAIN QUERY PLAN taken of every statement it runs;
a full SCAN of the stories or the comments fails the test. The statement count per page
is capped on both databases, so an N+1 cannot creep back.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from extensions import db

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import load  # noqa: E402

from .conftest import HX, POSTGRES_URL  # noqa: E402

STORIES = load.SCALES["plans"][0]
STORY = f"/{load.CATEGORY}/story-{STORIES}"
# path, fragment request, most statements the page may run
PAGES = [
    ("/", False, 13),
    (f"/{load.CATEGORY}/", False, 7),
    (f"/{load.CATEGORY}/?page=deepest", False, 7),
    (f"/search?q={load.SEARCH_WORD}", False, 9),
    (STORY, False, 13),
    (f"{STORY}/comments", True, 7),
    ("/feeds/rss.xml", False, 7),
    (f"/feeds/comments/{STORIES}.xml", False, 6),
    ("/sitemaps/news.xml", False, 5),
]
# A sitemap names every story (up to SITEMAP_MAX_URLS): reading them all is its job.
LISTS_EVERY_STORY = [("/sitemap.xml", False, 10)]
# A full pass over a table; "SCAN t USING INDEX" walks an index in order and stops at LIMIT.
FULL_SCAN = re.compile(r"^SCAN (articles|comments)\b(?! USING)")


@pytest.fixture(scope="module")
def plans_database() -> Path:
    return load.build("plans", quiet=True)


@pytest.fixture
def app_config(app_config, plans_database, tmp_path):
    if not POSTGRES_URL:
        copy = tmp_path / "plans.db"
        shutil.copyfile(plans_database, copy)
        load.refresh(copy, STORIES)
        app_config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{copy}"
    return app_config


@pytest.fixture
def site(app, make_category, make_article):
    """The bench database on SQLite; on PostgreSQL a few stories with comments."""
    if POSTGRES_URL:
        from .support.publishing import add_comment

        news = make_category("News", slug=load.CATEGORY)
        for i in range(1, STORIES // 100 + 1):
            story = make_article(f"The {load.SEARCH_WORD} story {i}", news, slug=f"story-{i}")
        for _ in range(3):
            add_comment(story)
        return STORIES // 100
    return STORIES


def statements_of(app, path: str, headers: dict) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = app.test_client().get(path, headers=headers)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200, path
    return seen


def full_scans(statements: list[tuple[str, object]]) -> list[str]:
    found = []
    with db.engine.connect() as connection:
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            found += [
                f"{row[-1]}  <-  {statement[:200]}" for row in plan if FULL_SCAN.match(row[-1])
            ]
    return found


@pytest.mark.parametrize(("path", "fragment", "most"), PAGES)
def test_reader_page_walks_indexes_and_runs_few_queries(app, site, path, fragment, most):
    path = path.replace(str(STORIES), str(site)).replace("deepest", str(-(-site // 20)))
    statements = statements_of(app, path, HX if fragment else {})

    assert len(statements) <= most, [s for s, _ in statements]
    if not POSTGRES_URL:
        assert full_scans(statements) == []


@pytest.mark.parametrize(("path", "fragment", "most"), LISTS_EVERY_STORY)
def test_sitemap_runs_few_queries(app, site, path, fragment, most):
    assert len(statements_of(app, path, HX if fragment else {})) <= most
