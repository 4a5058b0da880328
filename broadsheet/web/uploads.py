"""Views that take a picture accept a body up to the picture limit, not the site-wide one."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, request

View = TypeVar("View", bound=Callable)


def takes_picture(view: View) -> View:
    """Mark a view whose form may carry a picture of up to IMAGE_MAX_BYTES."""
    view.takes_picture = True  # type: ignore[attr-defined]
    return view


def init_app(app: Flask) -> None:
    """Call before anything that reads a request's form (CSRF protection, the size checks)."""
    app.before_request(_raise_the_limit_for_pictures)


def _raise_the_limit_for_pictures() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "takes_picture", False):
        # The rest of the form (a story's text) comes on top of the picture.
        request.max_content_length = current_app.config["IMAGE_MAX_BYTES"] + 2**20
