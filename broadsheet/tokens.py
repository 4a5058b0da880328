"""Every signed value the site hands out: links in emails, readers' cookies, form stamps.

Each purpose has its own salt, so a value signed for one can never be used as another.
A link that cannot be used raises LinkError with the reason a person can act on.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

# Email links.
MODERATE = "moderate"
CONFIRM_REPLIES = "confirm-replies"
ERASE = "privacy-erase"
UNSUBSCRIBE = "unsubscribe"  # never expires, so it is signed without a time
# Readers' cookies and the comment form.
OWN_COMMENTS = "own-comments"
COMMENTER = "commenter"
FORM_RENDERED = "form-rendered"
# Staff: the browser that signed in to an account before (skips its sign-in back-off).
SIGNED_IN_BROWSER = "signed-in-browser"
# Staff: links to choose a password, a two-factor secret being set up, and a sign-in
# whose password was right and which waits for its code.
INVITE = "staff-invite"
PASSWORD_RESET = "password-reset"  # noqa: S105 (a salt, not a password)
TWO_FACTOR_SETUP = "two-factor-setup"
TWO_FACTOR_SIGN_IN = "two-factor-sign-in"


class LinkError(Exception):
    """Why a signed link cannot be used: 'invalid', 'expired' or 'used'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _timed(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _lasting(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def sign(salt: str, payload: Any, *, expires: bool = True) -> str:
    """A URL-safe signed token; `expires=False` for one that is good forever."""
    return (_timed(salt) if expires else _lasting(salt)).dumps(payload)


def read(salt: str, token: str, max_age: int | None) -> Any:
    """The payload of a token signed with `salt`; max_age None for one that never expires.

    Raises LinkError("expired") or LinkError("invalid").
    """
    try:
        if max_age is None:
            return _lasting(salt).loads(token)
        return _timed(salt).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise LinkError("expired") from error
    except (BadSignature, ValueError, TypeError) as error:
        raise LinkError("invalid") from error


def read_or_none(salt: str, token: str | None, max_age: int) -> Any:
    """The payload, or None for a missing, forged or expired value (cookies, form fields)."""
    if not token:
        return None
    try:
        return read(salt, token, max_age)
    except LinkError:
        return None
