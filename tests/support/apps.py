"""Fixtures for tests that need an app of their own beside `app`, and outside services.

Loaded for every test module through `pytest_plugins` in conftest.py.
"""

from __future__ import annotations

import os

import pytest

from app import create_app
from extensions import db

# Under CI a missing service is a failure; on a developer's machine it is a skip.
IN_CI = bool(os.environ.get("CI"))


@pytest.fixture
def make_app():
    """Build apps from a config; their database connections are closed after the test."""
    made = []

    def make(config: dict):
        app = create_app(config)
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def require(available: bool, what: str) -> None:
    """Skip (or under CI fail) a test whose outside service or program is missing."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required under CI but is not available")
    pytest.skip(f"{what} is not available")
