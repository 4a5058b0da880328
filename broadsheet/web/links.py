"""What a page opened from a signed email link answers: done, or why the link cannot be used.

Shared by the email-link pages (moderate, confirm, unsubscribe) and the privacy erasure.
"""

from __future__ import annotations

from flask import render_template

from broadsheet.tokens import LinkError

LINK_ERROR_STATUS = {"invalid": 404, "expired": 410, "used": 409}


def link_error(error: LinkError):
    """A link that cannot be used, with the reason a person can act on."""
    status = LINK_ERROR_STATUS[error.reason]
    return render_template("links/link_error.html", reason=error.reason), status


def done(title: str, message: str, link: str | None = None):
    return render_template("links/done.html", title=title, message=message, link=link)
