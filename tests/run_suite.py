"""Run the test suite on one database: `python tests/run_suite.py sqlite|postgresql [pytest args]`.

For PostgreSQL it creates a throwaway database with a unique name on the server named by
TEST_PG_ADMIN_URL (default: user postgres on 127.0.0.1:5432), points the suite at it with
TEST_DATABASE_URL, and drops it afterwards, whatever the outcome. A run that collects no
tests fails loudly instead of passing quietly.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
NO_TESTS_COLLECTED = 5


def pytest(args: list[str], env: dict[str, str], label: str) -> int:
    print(f"--- test suite on {label} ---", flush=True)
    code = subprocess.call([sys.executable, "-m", "pytest", *args], env=env)
    if code == NO_TESTS_COLLECTED:
        print(f"ERROR: pytest collected no tests on {label}; that is a failure.", file=sys.stderr)
        return 1
    return code


def admin() -> psycopg.Connection:
    try:
        return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        sys.exit(
            f"ERROR: PostgreSQL is not answering at {ADMIN_URL} ({error}).\n"
            "Start it (see .ci/run), set TEST_PG_ADMIN_URL, or run `.venv/bin/pytest` "
            "for the SQLite run alone."
        )


def run_on_postgresql(args: list[str]) -> int:
    name = f"broadsheet_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with admin() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        env = {**os.environ, "TEST_DATABASE_URL": url}
        return pytest(args, env, f"PostgreSQL (database {name})")
    finally:
        with admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("sqlite", "postgresql"):
        print(__doc__, file=sys.stderr)
        return 2
    database, args = argv[0], argv[1:]
    if database == "sqlite":
        env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
        return pytest(args, env, "SQLite")
    return run_on_postgresql(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
