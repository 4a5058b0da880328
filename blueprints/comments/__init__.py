"""Comments blueprint: reader comments that post and refresh in place, with or without JS."""

from flask import Blueprint

bp = Blueprint("comments", __name__)
