"""Topics blueprint."""

from flask import Blueprint

bp = Blueprint("topics", __name__)
