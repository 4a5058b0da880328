"""Staff sign-in plumbing: Flask-Login bound to staff sessions, and the session cookie.

The cookie carries the user's id and the token of their row in staff_sessions
(accounts.py); without a live row it signs nobody in, whoever holds a copy of it.
"""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, login_user, logout_user

from broadsheet.accounts import can_moderate, end_session, session_user, start_session
from extensions import login_manager
from models import User

# The session key holding the staff session's token.
STAFF_SESSION_ENTRY = "staff_session"


class _SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the site is reached over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        configured = super().get_cookie_secure(app)
        return configured or (has_request_context() and request.is_secure)


def init_app(app: Flask) -> None:
    app.session_interface = _SessionInterface()
    # Flask-Login's template context and after-request hook read the session on every
    # response (the hook for remember-me cookies, which the newsroom does not use), which
    # would add `Vary: Cookie` and a changing validator to every reader's page. Without
    # them only pages that look for a signed-in user touch the session; the newsroom's
    # templates get `current_user` from its blueprint.
    login_manager.init_app(app, add_context_processor=False)
    app.after_request_funcs[None].remove(login_manager._update_remember_cookie)
    login_manager.user_loader(_load_user)
    login_manager.login_view = "newsroom.login"
    login_manager.session_protection = "basic"
    app.teardown_request(_forget_signed_in_user)


def _load_user(user_id: str) -> User | None:
    return session_user(user_id, session.get(STAFF_SESSION_ENTRY))


def sign_in(user: User) -> None:
    """A fresh session for the user: whatever the browser's session held before, its CSRF
    token included, is dropped, so nothing from before signing in stays valid after it.
    The caller commits."""
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF's copy of the old token for this request
    login_user(user)
    session[STAFF_SESSION_ENTRY] = start_session(user)


def sign_out() -> None:
    """End this session everywhere its cookie went. The caller commits."""
    end_session(session.get(STAFF_SESSION_ENTRY))
    logout_user()
    session.clear()


def _forget_signed_in_user(_error: BaseException | None) -> None:
    # g outlives the request when a test (or CLI) holds the app context.
    g.pop("_login_user", None)


def signed_in_staff() -> User | None:
    """The staff member signed in on this browser, if any, read without starting a session
    for readers (see viewer_may_moderate)."""
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return None
    if "_user_id" not in session or not current_user.is_authenticated:
        return None
    return current_user._get_current_object()


def viewer_may_moderate() -> bool:
    """Whether the person viewing a page may moderate (the story page shows them the buttons).

    Readers never signed in: their pages must not read the session (that would add
    `Vary: Cookie` and change the page's validator), so look for a signed-in user only
    when the session says there is one.
    """
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return False
    if "_user_id" not in session:
        return False
    return current_user.is_authenticated and can_moderate(current_user)
