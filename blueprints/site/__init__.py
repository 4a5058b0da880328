"""Site blueprint: the files browsers ask for at fixed addresses (favicon, web app manifest)."""

from flask import Blueprint

bp = Blueprint("site", __name__)
