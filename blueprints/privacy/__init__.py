"""The privacy page: what we keep about commenters, and asking for an export or erasure."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)
