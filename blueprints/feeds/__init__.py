"""Feeds blueprint: RSS 2.0 and Atom for the site and each section, and per-story comment feeds."""

from flask import Blueprint

bp = Blueprint("feeds", __name__)
