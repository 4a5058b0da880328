"""Legacy blueprint: old links of imported stories answer 301 to the new URLs."""

from flask import Blueprint

bp = Blueprint("legacy", __name__)
