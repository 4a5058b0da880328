"""Categories blueprint."""

from flask import Blueprint

bp = Blueprint("categories", __name__)

from . import views  # noqa: E402, F401
