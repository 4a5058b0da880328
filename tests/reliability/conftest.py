"""The app under gunicorn on a loopback port, on a throwaway SQLite file or PostgreSQL database.

RELIABILITY_SECONDS sets how long each load runs (a few seconds in the normal suite;
`make soak DURATION=300` raises it). Each run's counts are printed at the end of pytest.
RELIABILITY_PG_ADMIN_URL names the PostgreSQL server for throwaway databases.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from .load import Session, Tally

ROOT = Path(__file__).resolve().parents[2]
SECONDS = float(os.environ.get("RELIABILITY_SECONDS", "5"))
WORKERS = 4
CLIENTS = 8
PG_ADMIN_URL = os.environ.get(
    "RELIABILITY_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Databases ---------------------------------------------------------------------------


@dataclass
class Site:
    url: str
    article_id: int
    article_path: str

    @property
    def sqlite_path(self) -> str | None:
        return self.url.removeprefix("sqlite:///") if self.url.startswith("sqlite") else None

    def query(self, sql: str) -> list[tuple]:
        if self.sqlite_path:
            with sqlite3.connect(self.sqlite_path, timeout=30) as conn:
                return conn.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.url, connect_timeout=10) as conn:
            return conn.execute(sql).fetchall()

    def stored_bodies(self) -> dict[str, int]:
        rows = self.query(
            f"SELECT body, count(*) FROM comments WHERE article_id = {self.article_id} "
            "GROUP BY body"
        )
        return dict(rows)


def migrate_and_seed(url: str, tmp_path: Path) -> Site:
    """Migrate a fresh database and publish one story with comments open."""
    from flask_migrate import upgrade

    from app import create_app
    from broadsheet.clock import utcnow
    from broadsheet.stories import prepare
    from extensions import db
    from models import Article, Category

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "seed", "UPLOAD_FOLDER": str(tmp_path)}
    )
    with app.app_context():
        upgrade()
        category = Category(name="Local", slug="local")
        article = Article(
            headline="Harbour wall repairs begin",
            category=category,
            status="published",
            published_at=utcnow() - timedelta(hours=1),
            body="Work starts on Monday.",
        )
        db.session.add_all([category, prepare(article)])
        db.session.commit()
        site = Site(url, article.id, f"/local/{article.slug}")
        db.session.remove()
        db.engine.dispose()
    return site


def _postgres_admin():
    import psycopg

    try:
        return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI: {error}", pytrace=False)
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}")


# A plain `pytest` run loads both databases; the suite's PostgreSQL pass (TEST_DATABASE_URL,
# see tests/run_suite.py) only PostgreSQL, which the SQLite pass has then covered already.
DATABASES = ["postgresql"] if os.environ.get("TEST_DATABASE_URL") else ["sqlite", "postgresql"]


@pytest.fixture(params=DATABASES)
def site(request, tmp_path) -> Site:
    """A migrated database with one story: a SQLite file, or a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        yield migrate_and_seed(f"sqlite:///{tmp_path / 'site.db'}", tmp_path)
        return
    admin = _postgres_admin()
    name = f"broadsheet_rel_{os.getpid()}_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base = PG_ADMIN_URL.rsplit("/", 1)[0]
        yield migrate_and_seed(f"{base}/{name}", tmp_path)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def sqlite_site(tmp_path) -> Site:
    return migrate_and_seed(f"sqlite:///{tmp_path / 'site.db'}", tmp_path)


# --- gunicorn ----------------------------------------------------------------------------


class Server:
    """gunicorn with four sync workers serving create_app() on a free loopback port."""

    def __init__(self, site: Site, log: Path, extra_env: dict[str, str] | None = None) -> None:
        self.site = site
        self.log = log
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.env = {
            **os.environ,
            "DATABASE_URL": site.url,
            "SECRET_KEY": "reliability-" + secrets.token_hex(8),
            "BROADSHEET_COMMENT_RATE_LIMIT": "100000/second",
            "BROADSHEET_COMMENT_ADDRESS_RATE_LIMIT": "100000/second",
            "BROADSHEET_COMMENT_MIN_SECONDS": "0",
            "BROADSHEET_COMMENT_MODERATION": '"none"',
            **(extra_env or {}),
        }

    def start(self, timeout: float = 30) -> Server:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        args = [str(gunicorn), "-w", str(WORKERS), "-b", f"127.0.0.1:{self.port}"]
        args += ["--timeout", "30", "--graceful-timeout", "5", "--capture-output"]
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [*args, "app:create_app()"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log_text()}")
            try:
                status = Session(self.port, timeout=5).request("GET", self.site.article_path)[0]
                if status == 200 and len(self.worker_pids()) == WORKERS:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log_text()}")

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc."""
        if self.process is None:
            return []
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'.
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def kill_worker(self) -> int:
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill_all(self) -> None:
        """SIGKILL the master and every worker at once: no graceful anything."""
        workers = self.worker_pids()
        os.kill(self.process.pid, signal.SIGKILL)
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{pid}").exists() for pid in workers):
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn workers outlived SIGKILL")
            time.sleep(0.05)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        workers = self.worker_pids()
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill_all()
            return
        for pid in workers:
            if Path(f"/proc/{pid}").exists():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self.process = None

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@pytest.fixture
def serve(tmp_path):
    """Start gunicorn for a site; every server started is stopped at the end of the test."""
    servers: list[Server] = []

    def start(site: Site, **extra_env: str) -> Server:
        server = Server(site, tmp_path / "gunicorn.log", extra_env).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
