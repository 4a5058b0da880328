"""Eight readers commenting at once through four gunicorn workers: nothing lost, nothing doubled."""

from __future__ import annotations

import pytest

from .conftest import CLIENTS, SECONDS, report, spawn
from .load import write_comments

pytestmark = pytest.mark.reliability


def run_writers(server, seconds: float, label: str, clients: int = CLIENTS, stop_file=None):
    """Start the client processes and return their tallies; the caller may act meanwhile."""
    site = server.site
    pool = spawn().Pool(clients)
    pending = pool.starmap_async(
        write_comments,
        [
            (server.port, site.story_path, site.story_id, seconds, f"{label}-{i}", stop_file)
            for i in range(clients)
        ],
    )
    pool.close()
    return pool, pending


def collect(pool, pending, seconds: float):
    try:
        return pending.get(timeout=seconds + 120)
    finally:
        pool.terminate()
        pool.join()


def assert_nothing_lost_or_doubled(site, tallies) -> dict[str, int]:
    stored = site.stored_bodies()
    sent = {body for t in tallies for body in t.sent}
    acked = [body for t in tallies for body in t.acked]
    assert acked, "no comment was acknowledged: the load never reached the server"
    missing = [body for body in acked if body not in stored]
    doubled = {body: n for body, n in stored.items() if n > 1}
    unknown = set(stored) - sent
    assert not missing, f"{len(missing)} acknowledged comments were not stored: {missing[:3]}"
    assert not doubled, f"comments stored more than once: {list(doubled.items())[:3]}"
    assert not unknown, f"stored comments nobody sent: {list(unknown)[:3]}"
    return stored


def test_concurrent_writers_lose_and_double_nothing(site, serve):
    server = serve(site)
    tallies = collect(*run_writers(server, SECONDS, "writers"), SECONDS)
    stored = assert_nothing_lost_or_doubled(site, tallies)
    report(f"concurrent writers [{site.url.split(':')[0]}]", tallies, sum(stored.values()))

    errors = [e for t in tallies for e in t.errors]
    assert not errors, f"{len(errors)} posts failed: {errors[:5]}"
    refused = [r for t in tallies for r in t.refused]
    assert not refused, f"{len(refused)} good posts were refused: {refused[:3]}"
    assert sum(t.reads for t in tallies) >= CLIENTS, "the page was hardly read during the writes"
    read_failures = [f for t in tallies for f in t.read_failures]
    assert not read_failures, f"reads failed during the writes: {read_failures[:5]}"
    log = server.log_text()
    assert "database is locked" not in log
    assert "Traceback" not in log, log[-3000:]
    count = site.query(f"SELECT comment_count FROM articles WHERE id = {site.story_id}")[0][0]
    assert count == sum(stored.values()), "the story's comment count drifted under load"
    if site.sqlite_path:
        assert site.query("PRAGMA journal_mode") == [("wal",)], "SQLite must run in WAL mode"
