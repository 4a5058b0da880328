"""Authors blueprint."""

from flask import Blueprint

bp = Blueprint("authors", __name__)
