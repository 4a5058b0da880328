"""A test module's own site under gunicorn: several sync workers on a free loopback port,
on a database of its own (a SQLite file, or a throwaway PostgreSQL database under the
suite's PostgreSQL pass), for behaviour that only shows with many worker processes.

    site = Site.create(tmp_path)             # migrated, with one published story
    server = Gunicorn(site, tmp_path / "log", {"BROADSHEET_LOGIN_RATE_LIMIT": '"3/minute"'})
    server.start(); server.request("GET", "/healthz"); server.stop()
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The PostgreSQL server that throwaway databases are made on: the suite's own when it runs
# there (tests/run_suite.py), else the one .ci/run starts.
PG_ADMIN_URL = os.environ.get(
    "TEST_DATABASE_URL",
    os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
)


@dataclass
class Site:
    """A migrated database holding one published story with comments open."""

    url: str
    story_id: int
    story_path: str
    dropped: str = ""  # the throwaway PostgreSQL database to drop afterwards

    @classmethod
    def create(cls, tmp_path: Path, database: str | None = None) -> Site:
        """database: "sqlite" or "postgresql"; by default the one the suite runs on."""
        from flask_migrate import upgrade

        from app import create_app
        from broadsheet.clock import utcnow
        from broadsheet.stories import prepare
        from extensions import db
        from models import Article, Category

        if database is None:
            database = "postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite"
        dropped = ""
        if database == "postgresql":
            dropped = f"broadsheet_site_{os.getpid()}_{secrets.token_hex(4)}"
            _admin(f'CREATE DATABASE "{dropped}"')
            url = make_url(PG_ADMIN_URL).set(database=dropped).render_as_string(False)
        else:
            url = f"sqlite:///{tmp_path / 'site.db'}"
        config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "seed"}
        app = create_app({**config, "UPLOAD_FOLDER": str(tmp_path / "uploads")})
        with app.app_context():
            upgrade()
            category = Category(name="Local", slug="local")
            story = Article(
                headline="Harbour wall repairs begin",
                category=category,
                status="published",
                published_at=utcnow() - timedelta(hours=1),
                body="Work starts on Monday.",
            )
            db.session.add_all([category, prepare(story)])
            db.session.commit()
            site = cls(url, story.id, f"/local/{story.slug}", dropped)
            db.session.remove()
            db.engine.dispose()
        return site

    @property
    def sqlite_path(self) -> str | None:
        return self.url.removeprefix("sqlite:///") if self.url.startswith("sqlite") else None

    def query(self, sql: str) -> list[tuple]:
        engine = create_engine(self.url)
        try:
            with engine.connect() as conn:
                return [tuple(row) for row in conn.execute(text(sql))]
        finally:
            engine.dispose()

    def stored_bodies(self) -> dict[str, int]:
        """How many times each comment text is stored under the story."""
        return dict(
            self.query(
                "SELECT body, count(*) FROM comments "
                f"WHERE article_id = {self.story_id} GROUP BY body"
            )
        )

    def drop(self) -> None:
        if self.dropped:
            _admin(f'DROP DATABASE IF EXISTS "{self.dropped}" WITH (FORCE)')


def _admin(sql: str) -> None:
    url = make_url(PG_ADMIN_URL).set(drivername="postgresql+psycopg", database="postgres")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


class Gunicorn:
    """gunicorn serving create_app() with WORKERS sync workers, configured by environment."""

    def __init__(self, site: Site, log: Path, env: dict[str, str] | None = None) -> None:
        self.site = site
        self.log = log
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.env = {
            **os.environ,
            "DATABASE_URL": site.url,
            "SECRET_KEY": "gunicorn-" + secrets.token_hex(8),
            "BROADSHEET_ENV": "production",
            **(env or {}),
        }

    def start(self, timeout: float = 30) -> Gunicorn:
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
                if self.request("GET", self.site.story_path)[0] == 200 and self.all_workers_up():
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log_text()}")

    def all_workers_up(self) -> bool:
        return len(self.worker_pids()) == WORKERS

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc."""
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return sorted(int(pid) for pid in children.read_text().split())
        except OSError:
            return []

    def kill_worker(self) -> int:
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill_all(self) -> None:
        """SIGKILL the master and every worker at once: no graceful anything."""
        assert self.process is not None
        workers = self.worker_pids()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{pid}").exists() for pid in workers):
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn workers outlived SIGKILL")
            time.sleep(0.05)
        self.process = None

    def stop(self) -> None:
        """Stop the master and wait for it (it stops its workers first)."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill_all()
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # a worker left behind, if any
        self.process = None

    def request(
        self,
        method: str,
        path: str,
        fields: dict | None = None,
        headers: dict | None = None,
        timeout: float = 30,
    ) -> tuple[int, dict[str, str], str]:
        """One request on a new connection: (status, headers, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            sent = {"Connection": "close", **(headers or {})}
            body = None
            if fields is not None:
                body = urllib.parse.urlencode(fields).encode()
                sent["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            return response.status, dict(response.headers), response.read().decode()
        finally:
            conn.close()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""
