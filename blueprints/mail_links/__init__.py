"""The pages the links in our emails open: moderate a comment, confirm or stop notices.

They work without logging in: each link carries a signed token. A GET only shows what the
link will do and a button; the change happens on the POST, so mail scanners that fetch
every link in a message change nothing.
"""

from flask import Blueprint

bp = Blueprint("mail_links", __name__, url_prefix="/mail")
