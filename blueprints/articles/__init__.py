"""Articles blueprint."""

from flask import Blueprint

bp = Blueprint("articles", __name__)
