"""Health check: /healthz answers whether the site can reach its database."""

from flask import Blueprint

bp = Blueprint("health", __name__)
