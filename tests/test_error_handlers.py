"""An error page never turns into a 500: every error handler, the application's and each
blueprint's, answers for every route, even one whose story or comment does not exist."""

from __future__ import annotations

import pytest
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import default_exceptions
from werkzeug.routing import AnyConverter, IntegerConverter

from .conftest import HX


@pytest.fixture
def app_config(app_config):
    app_config.update(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True)
    return app_config


def handlers(app):
    """(blueprint or None, exception class, handler) for every registered error handler."""
    for blueprint, by_code in app.error_handler_spec.items():
        for classes in by_code.values():
            for exception_class, handler in classes.items():
                yield blueprint, exception_class, handler


def example(exception_class) -> Exception:
    if issubclass(exception_class, CSRFError):
        return CSRFError("The CSRF token is missing.")
    return exception_class()


def missing_url(rule) -> str:
    """The rule's URL for things that do not exist: id 999999, slug 'missing'."""
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = 999999
        elif isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = "missing"
    return rule.build(values, append_unknown=False)[1]


def test_no_error_handler_raises_on_any_route(app, make_article):
    make_article("Ferry timetable changes")
    checked = 0
    for blueprint, exception_class, handler in handlers(app):
        for rule in app.url_map.iter_rules():
            if blueprint is not None and rule.endpoint.split(".")[0] != blueprint:
                continue
            method = "POST" if "POST" in rule.methods else "GET"
            for headers in ({}, HX):
                with app.test_request_context(
                    missing_url(rule), method=method, data={"body": "x"}, headers=headers
                ):
                    response = app.make_response(handler(example(exception_class)))
                expected = getattr(example(exception_class), "code", 500) or 500
                assert response.status_code < 500 or expected >= 500, (rule, handler)
                checked += 1
    assert checked > 100


@pytest.mark.parametrize("which", ["missing", "draft"])
def test_a_comment_post_without_a_token_to_no_story_is_a_4xx(client, make_article, which):
    story_id = 999999 if which == "missing" else make_article("Unfinished", status="draft").id
    for headers in ({}, HX):
        response = client.post(f"/comments/{story_id}", data={"body": "Hi"}, headers=headers)
        assert 400 <= response.status_code < 500


@pytest.mark.parametrize("code", sorted(set(default_exceptions) & {400, 403, 404, 405, 413, 429}))
def test_each_error_page_renders_for_a_reader(app, code):
    handler = app.error_handler_spec[None][code][default_exceptions[code]]
    with app.test_request_context("/"):
        assert app.make_response(handler(default_exceptions[code]())).status_code == code
