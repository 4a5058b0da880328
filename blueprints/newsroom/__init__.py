"""Newsroom blueprint: staff sign-in, stories, categories, comment moderation, users, settings."""

from flask import Blueprint

bp = Blueprint("newsroom", __name__, url_prefix="/newsroom")
