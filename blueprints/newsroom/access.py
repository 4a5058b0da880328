"""Who may use which newsroom page, and where a sign-in may send someone next."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, make_response, redirect, request, url_for
from flask_login import current_user

from broadsheet import two_factor
from broadsheet.web.templating import is_fragment_request


def signed_out_response():
    """To the sign-in page: a redirect, or for htmx a 401 with HX-Location (never a 3xx)."""
    # Back to the page after signing in; a form post cannot be replayed, so only for GETs.
    back = request.full_path.rstrip("?") if request.method == "GET" else None
    return _to(url_for("newsroom.login", next=back), 401)


def _to(target: str, fragment_status: int = 403):
    """A redirect, or for htmx an empty answer with HX-Location (never a 3xx)."""
    if is_fragment_request():
        response = make_response("", fragment_status)
        response.headers["HX-Location"] = target
        return response
    return redirect(target)


def role_required(role: str, *, two_factor_set_up: bool = True) -> Callable:
    """Signed in, and at least `role` (writer < editor < admin); otherwise 403.

    Where the site requires two-factor sign-in for this account and it has none yet, every
    page but those that set it up (`two_factor_set_up=False`) sends them there first.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return signed_out_response()
            if not current_user.at_least(role):
                abort(403)
            if (
                two_factor_set_up
                and not current_user.totp_secret
                and two_factor.required_for(current_user)
            ):
                return _to(url_for("newsroom.two_factor_setup"))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no '//' or backslash tricks."""
    if not target or len(target) > 500:
        return None
    if not target.startswith("/") or target.startswith(("//", "/\\")) or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return None
    return target
