"""The app under gunicorn on a loopback port, on a throwaway SQLite file or PostgreSQL database.

RELIABILITY_SECONDS sets how long each load runs (a few seconds in the normal suite;
`make soak DURATION=300` raises it). Each run's counts are printed at the end of pytest.
RELIABILITY_PG_ADMIN_URL names the PostgreSQL server for throwaway databases.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import psycopg
import pytest

from ..support.gunicorn import PG_ADMIN_URL, Gunicorn, Site
from .load import Tally

ROOT = Path(__file__).resolve().parents[2]
SECONDS = float(os.environ.get("RELIABILITY_SECONDS", "5"))
CLIENTS = 8
_runs: list[str] = []


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "reliability: gunicorn and client processes on loopback (bounded by time)"
    )


def pytest_terminal_summary(terminalreporter):
    if _runs:
        terminalreporter.write_sep("=", f"reliability runs ({SECONDS:g} s of load each)")
        for line in _runs:
            terminalreporter.write_line(line)


def report(name: str, tallies: list[Tally], stored: int, extra: str = "") -> str:
    """Record one run's counts for the end-of-run summary, and return the line."""
    sent = sum(len(t.sent) for t in tallies)
    acked = sum(len(t.acked) for t in tallies)
    refused = sum(len(t.refused) for t in tallies)
    errors = sum(len(t.errors) for t in tallies)
    reads = sum(t.reads for t in tallies)
    failed_reads = sum(len(t.read_failures) for t in tallies)
    slowest = max((t.slowest_read for t in tallies), default=0.0)
    line = (
        f"{name}: sent {sent}, acknowledged {acked}, stored {stored}, refused {refused}, "
        f"errors {errors}; reads {reads} ok, {failed_reads} failed, slowest {slowest:.2f} s"
        + (f"; {extra}" if extra else "")
    )
    _runs.append(line)
    print(line)
    return line


def spawn():
    # Spawned, not forked: the test process may hold threads (Playwright, servers).
    return multiprocessing.get_context("spawn")


# --- Databases and gunicorn (tests/support/gunicorn.py) -----------------------------------

# A plain `pytest` run loads both databases; the suite's PostgreSQL pass (TEST_DATABASE_URL,
# see tests/run_suite.py) only PostgreSQL, which the SQLite pass has then covered already.
DATABASES = ["postgresql"] if os.environ.get("TEST_DATABASE_URL") else ["sqlite", "postgresql"]

# Load from a few addresses at machine speed: the guards against people are not under test.
LOAD_ENV = {
    "BROADSHEET_COMMENT_RATE_LIMIT": "100000/second",
    "BROADSHEET_COMMENT_ADDRESS_RATE_LIMIT": "100000/second",
    "BROADSHEET_COMMENT_MIN_SECONDS": "0",
    "BROADSHEET_COMMENT_MODERATION": '"none"',
}


@pytest.fixture(params=DATABASES)
def site(request, tmp_path) -> Site:
    """A migrated database with one story: a SQLite file, or a throwaway PostgreSQL database."""
    if request.param == "postgresql":
        _require_postgresql()
    site = Site.create(tmp_path, request.param)
    yield site
    site.drop()


def _require_postgresql() -> None:
    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI: {error}", pytrace=False)
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}")


@pytest.fixture
def sqlite_site(tmp_path) -> Site:
    return Site.create(tmp_path, "sqlite")


@pytest.fixture
def serve(tmp_path):
    """Start gunicorn for a site; every server started is stopped at the end of the test."""
    servers: list[Gunicorn] = []

    def start(site: Site, **extra_env: str) -> Gunicorn:
        server = Gunicorn(site, tmp_path / "gunicorn.log", {**LOAD_ENV, **extra_env}).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
