"""Real Chromium (Debian's, driven by Playwright) against the app served on 127.0.0.1.

Without Chromium the browser tests are skipped, and the run says so loudly at the end;
with CI=true a missing browser is an error instead.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from broadsheet.clock import utcnow
from extensions import db

from ..conftest import reset_database

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
_skipped: list[str] = []


def _browser_missing() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} not found (apt-get install chromium chromium-driver)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def screenshots(tmp_path) -> Path:
    """Where a test keeps its screenshots: docs/screenshots/ with UPDATE_SCREENSHOTS=1 (the
    pictures docs/newsroom.md shows), else a temporary folder."""
    return DOCS_SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path


@pytest.fixture(scope="session")
def browser():
    reason = _browser_missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Browser tests cannot run in CI: {reason}", pytrace=False)
        _skipped.append(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.write_sep("!", "BROWSER TESTS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(f"Chromium tests did not run: {_skipped[0]}", red=True)


@pytest.fixture
def live_app(app_config):
    """The app with production-like guards (CSRF on), served by a real HTTP server."""
    app_config.update(WTF_CSRF_ENABLED=True, COMMENT_MODERATION="none")
    app = create_app(app_config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    with app.app_context():
        yield app
        server.shutdown()
        thread.join(timeout=5)
        reset_database()


@pytest.fixture
def page(browser, live_app) -> Iterator:
    context = browser.new_context(base_url=live_app.config["LIVE_URL"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()


@pytest.fixture
def nojs_page(browser, live_app) -> Iterator:
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def story(live_app):
    """A published story with comments open, made in the served app's database."""
    from broadsheet.stories import prepare
    from models import Article, Category

    category = Category(name="Local", slug="local")
    article = Article(
        headline="Ferry timetable changes",
        category=category,
        status="published",
        published_at=utcnow() - timedelta(hours=1),
        body="The ferry runs later.",
        teaser="New times from Monday.",
    )
    db.session.add_all([category, prepare(article)])
    db.session.commit()
    return article


def story_url(article) -> str:
    return f"/{article.category.slug}/{article.slug}"
