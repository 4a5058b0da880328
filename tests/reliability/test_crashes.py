"""kill -9 mid-load, a worker and then the whole server, and a backup taken mid-load:
nothing acknowledged is lost, and the backup opens and is consistent."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..support.gunicorn import WORKERS
from .conftest import ROOT, SECONDS, report
from .load import Session, form_fields
from .test_concurrent_writers import assert_nothing_lost_or_doubled, collect, run_writers

pytestmark = pytest.mark.reliability


def wait_for_replacement(server, killed: int, timeout: float = 60) -> list[int]:
    """Wait until gunicorn has reaped the killed worker and runs a full set again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = server.worker_pids()
        if len(pids) == WORKERS and killed not in pids:
            return pids
        time.sleep(0.1)
    raise AssertionError(f"gunicorn did not replace worker {killed}: {server.worker_pids()}")


def wait_for_progress(site, seconds: float, comments: int = 10, stall: float = 90) -> int:
    """Let the load run `seconds`, and at least until `comments` more are stored."""
    start = len(site.stored_bodies())
    began = time.monotonic()
    timeout = seconds + stall
    while time.monotonic() - began < timeout:
        stored = len(site.stored_bodies())
        if stored - start >= comments and time.monotonic() - began >= seconds:
            return stored
        time.sleep(0.25)
    raise AssertionError(f"the load stalled: {stored - start} comments in {timeout} s")


def test_sigkilled_worker_then_server_lose_no_acknowledged_comment(site, serve, tmp_path):
    server = serve(site)
    stop = tmp_path / "stop"
    seconds = SECONDS * 3 + 300  # a cap only: the clients stop when the stop file appears
    pool, pending = run_writers(server, seconds, "crash", stop_file=str(stop))

    wait_for_progress(site, SECONDS / 3)
    killed = server.kill_worker()
    wait_for_replacement(server, killed)

    wait_for_progress(site, SECONDS / 3)
    server.kill_all()
    restarted_at = time.monotonic()
    server.start(timeout=60)
    restart_seconds = time.monotonic() - restarted_at

    wait_for_progress(site, SECONDS / 3)
    stop.touch()
    tallies = collect(pool, pending, seconds)
    stored = assert_nothing_lost_or_doubled(site, tallies)
    lost_in_flight = sum(len(t.errors) for t in tallies)
    report(
        f"crashes [{site.url.split(':')[0]}]",
        tallies,
        sum(stored.values()),
        f"worker {killed} and then the whole server SIGKILLed; "
        f"back in {restart_seconds:.1f} s; {lost_in_flight} requests cut off",
    )

    assert sum(t.server_errors for t in tallies) == 0, "the server answered with a 5xx"
    assert "database is locked" not in server.log_text()

    # The restarted server takes comments as before.
    session = Session(server.port)
    status, _headers, html = session.request("GET", site.story_path)
    assert status == 200
    fields = {"name": "After", "email": "after@example.org", "body": "after the crash"}
    status, _headers, _text = session.request(
        "POST", f"/comments/{site.story_id}", {**fields, **form_fields(html)}
    )
    assert status == 303
    server.stop()

    assert site.stored_bodies().get("after the crash") == 1
    if site.sqlite_path:
        assert site.query("PRAGMA integrity_check") == [("ok",)]
        assert site.query("PRAGMA foreign_key_check") == []
    count = site.query(f"SELECT comment_count FROM articles WHERE id = {site.story_id}")[0][0]
    assert count == sum(stored.values()) + 1, "the story's comment count does not match"


def test_backup_taken_during_load_opens_and_is_consistent(sqlite_site, serve, tmp_path):
    site = sqlite_site
    folder = tmp_path / "backups"
    server = serve(site, BROADSHEET_BACKUP_FOLDER=str(folder))
    stop = tmp_path / "stop"
    pool, pending = run_writers(server, SECONDS * 3 + 300, "backup", stop_file=str(stop))

    wait_for_progress(site, SECONDS / 2)
    started = time.time()
    backup = subprocess.run(
        [str(Path(sys.executable).with_name("flask")), "backup"],
        cwd=ROOT,
        env={**server.env, "FLASK_APP": "app:create_app"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    wait_for_progress(site, SECONDS / 2)
    stop.touch()
    tallies = collect(pool, pending, SECONDS)
    assert backup.returncode == 0, backup.stdout + backup.stderr
    stored = assert_nothing_lost_or_doubled(site, tallies)

    [path] = folder.glob("*.db")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
        in_backup = dict(copy.execute("SELECT body, count(*) FROM comments GROUP BY body"))
        count = copy.execute(
            "SELECT comment_count FROM articles WHERE id = ?", (site.story_id,)
        ).fetchone()[0]
    acked_before = [
        body for t in tallies for body, at in zip(t.acked, t.acked_at, strict=True) if at < started
    ]
    report(
        "backup during load [sqlite]",
        tallies,
        sum(stored.values()),
        f"backup holds {len(in_backup)} comments, {len(acked_before)} acknowledged before it began",
    )
    assert acked_before, "no comment was acknowledged before the backup began"
    missing = [body for body in acked_before if body not in in_backup]
    assert not missing, f"the backup lacks comments acknowledged before it began: {missing[:3]}"
    assert set(in_backup) <= set(stored) and set(in_backup.values()) == {1}
    assert count == len(in_backup), "the backup's comment count disagrees with its comments"
