"""Application factory: configuration, extensions, web plumbing, blueprints and commands."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

import importers.cli
from blueprints.articles import views as articles
from blueprints.categories import views as categories
from blueprints.comments import views as comments
from blueprints.feeds import views as feeds
from blueprints.health import views as health
from blueprints.legacy import views as legacy
from blueprints.mail_links import views as mail_links
from blueprints.media import views as media
from blueprints.newsroom import views as newsroom
from blueprints.privacy import views as privacy
from blueprints.search import views as search
from blueprints.site import views as site
from blueprints.sitemaps import views as sitemaps
from broadsheet import cli, config, database, jobs, locales, notifications, throttle
from broadsheet.web import (
    auth,
    errors,
    httpcache,
    params,
    request_log,
    security,
    static_urls,
    templating,
)
from extensions import csrf, db, migrate

BLUEPRINTS = (
    health,
    feeds,
    sitemaps,
    site,
    newsroom,
    comments,
    media,
    search,
    articles,
    categories,
    legacy,
    mail_links,
    privacy,
)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: defaults, then instance/config.py and the environment."""
    app = Flask(__name__, instance_relative_config=True)
    config.load(app, test_config)
    app.url_map.converters["int"] = params.IdConverter

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "migrations"))
    request_log.init_app(app)
    errors.init_app(app)  # before CSRF, the first to read a form
    csrf.init_app(app)
    locales.init_app(app)
    throttle.init_app(app)
    auth.init_app(app)
    security.init_app(app)
    static_urls.init_app(app)
    templating.init_app(app)
    httpcache.init_app(app)
    notifications.init_app(app)

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint.bp)
    cli.init_app(app)
    importers.cli.init_app(app)
    jobs.init_app(app)
    return app
