"""Articles blueprint."""

from flask import Blueprint

bp = Blueprint("articles", __name__)

from . import views  # noqa: E402, F401
