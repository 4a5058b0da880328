"""Sitemaps blueprint: what crawlers may fetch (robots.txt) and every URL worth fetching."""

from flask import Blueprint

bp = Blueprint("sitemaps", __name__)
