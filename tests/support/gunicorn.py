"""A test module's own site under gunicorn: several sync workers on a free loopback port,
on a database of its own (a SQLite file, or a throwaway PostgreSQL database under the
suite's PostgreSQL pass), for behaviour that only shows with many worker processes.

    site = Site.create(tmp_path)             # migrated, with one published story
    server = Gunicorn(site, tmp_path / "log", {"BROADSHEET_LOGIN_RATE_LIMIT": '"3/minute"'})
    server.start(); server.request("GET", "/healthz"); server.stop()
"""

from __future__ import annotations

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


@dataclass
class Site:
    """A migrated database holding one published story with comments open."""

    url: str
    story_id: int
    story_path: str
    dropped: str = ""  # the throwaway PostgreSQL database to drop afterwards

    @classmethod
    def create(cls, tmp_path: Path) -> Site:
        from flask_migrate import upgrade

        from app import create_app
        from broadsheet.clock import utcnow
        from broadsheet.stories import prepare
        from extensions import db
        from models import Article, Category

        postgres = os.environ.get("TEST_DATABASE_URL", "")
        dropped = ""
        if postgres:
            dropped = f"{make_url(postgres).database}_{secrets.token_hex(4)}"
            _admin(postgres, f'CREATE DATABASE "{dropped}"')
            url = make_url(postgres).set(database=dropped).render_as_string(hide_password=False)
        else:
            url = f"sqlite:///{tmp_path / 'site.db'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "seed"})
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

    def query(self, sql: str) -> list[tuple]:
        engine = create_engine(self.url)
        try:
            with engine.connect() as conn:
                return [tuple(row) for row in conn.execute(text(sql))]
        finally:
            engine.dispose()

    def drop(self) -> None:
        if self.dropped:
            postgres = os.environ["TEST_DATABASE_URL"]
            _admin(postgres, f'DROP DATABASE IF EXISTS "{self.dropped}" WITH (FORCE)')


def _admin(postgres_url: str, sql: str) -> None:
    url = make_url(postgres_url).set(drivername="postgresql+psycopg", database="postgres")
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
            "SECRET_KEY": "gunicorn-" + secrets.token_hex(16),
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
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return len(children.read_text().split()) == WORKERS

    def stop(self) -> None:
        """Stop the master and wait for it (it stops its workers first)."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
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
