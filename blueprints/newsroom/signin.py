"""Signing in and out of the newsroom, and its front door."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from broadsheet import throttle, tokens, two_factor
from broadsheet.accounts import claim_attempt, clear_failures, sign_in
from broadsheet.web import auth
from extensions import db
from models import User

from . import bp
from .access import role_required, safe_next
from .forms import EmptyForm, LoginForm, TwoFactorCodeForm

# A browser that signed in to an account before: its sign-ins skip the account's back-off.
BROWSER_COOKIE = "newsroom_browser"
BROWSER_COOKIE_DAYS = 365
# A right password for an account with two-factor sign-in: the session entry naming it while
# the code is asked for, and for how long.
PENDING_ENTRY = "two_factor_pending"
PENDING_SECONDS = 5 * 60


@bp.context_processor
def _newsroom_context() -> dict:
    return {"signout_form": EmptyForm, "current_user": current_user}


@bp.after_request
def _private(response):
    # Staff pages carry tokens and unpublished text: never cached, never indexed.
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Robots-Tag", "noindex")
    return response


@bp.get("/")
@role_required("writer")
def home():
    return redirect(url_for(".stories"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
        if current_user.is_authenticated:
            return redirect(form.next.data or url_for(".stories"))
        return render_template("newsroom/login.html", form=form)
    network = throttle.network(request.remote_addr or "")
    allowed = throttle.take(("LOGIN_RATE_LIMIT", network))
    db.session.commit()  # counted before the password is checked, in every worker
    if not allowed:
        return _refused(
            form, _("Too many sign-in attempts. Please wait a minute and try again."), 60
        )
    if form.validate():
        attempt = sign_in(
            form.email.data, form.password.data, trusted_browser_of=_browser_signed_in_as()
        )
        if attempt.wait:
            return _refused(form, _backoff_message(attempt.wait), attempt.wait)
        if attempt.user is not None and attempt.user.totp_secret:
            pending = {"u": attempt.user.id, "n": safe_next(form.next.data) or ""}
            session[PENDING_ENTRY] = tokens.sign(tokens.TWO_FACTOR_SIGN_IN, pending)
            return redirect(url_for(".login_code"), 303)
        if attempt.user is not None:
            return _signed_in(attempt.user, form.next.data)
        form.form_errors.append(_("That email and password do not match an active account."))
    form.password.data = ""
    return render_template("newsroom/login.html", form=form), 422


def _signed_in(user, next_page: str | None):
    auth.sign_in(user)
    db.session.commit()
    response = redirect(safe_next(next_page) or url_for(".stories"), 303)
    response.set_cookie(
        BROWSER_COOKIE,
        tokens.sign(tokens.SIGNED_IN_BROWSER, user.id),
        max_age=BROWSER_COOKIE_DAYS * 86400,
        path=url_for(".login"),
        secure=request.is_secure,
        httponly=True,
        samesite="Lax",
    )
    return response


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    """The second step for an account with two-factor sign-in: its code, or a recovery code."""
    pending = tokens.read_or_none(
        tokens.TWO_FACTOR_SIGN_IN, session.get(PENDING_ENTRY), PENDING_SECONDS
    )
    user = db.session.get(User, pending["u"]) if isinstance(pending, dict) else None
    if user is None or not user.active or not user.totp_secret:
        session.pop(PENDING_ENTRY, None)
        flash(_("Please sign in again."))
        return redirect(url_for(".login"), 303)
    form = TwoFactorCodeForm()
    if request.method == "GET":
        return render_template("newsroom/login_code.html", form=form)
    network = throttle.network(request.remote_addr or "")
    allowed = throttle.take(("LOGIN_RATE_LIMIT", network))
    db.session.commit()
    if not allowed:
        message = _("Too many sign-in attempts. Please wait a minute and try again.")
        return _code_refused(form, message, 60)
    if form.validate():
        # Wrong codes count against the account like wrong passwords (the same back-off).
        if _browser_signed_in_as() != user.id and (wait := claim_attempt(user)):
            return _code_refused(form, _backoff_message(wait), wait)
        if two_factor.verify(user, form.code.data):
            session.pop(PENDING_ENTRY, None)
            clear_failures(user)
            return _signed_in(user, pending["n"])
        db.session.commit()
        form.code.errors = [_("That code is not right, or was used already.")]
    form.code.data = ""
    return render_template("newsroom/login_code.html", form=form), 422


def _code_refused(form: TwoFactorCodeForm, reason: str, seconds: int):
    form.code.data = ""
    form.form_errors.append(reason)
    response = make_response(render_template("newsroom/login_code.html", form=form), 429)
    response.headers["Retry-After"] = str(seconds)
    return response


def _backoff_message(wait: int) -> str:
    return ngettext(
        "This account had too many wrong passwords. Please try again in a "
        "minute, or from a browser you have signed in with before.",
        "This account had too many wrong passwords. Please try again in "
        "%(num)d minutes, or from a browser you have signed in with before.",
        -(-wait // 60),
    )


def _browser_signed_in_as() -> int | None:
    """The account this browser signed in to before, from its signed cookie."""
    value = request.cookies.get(BROWSER_COOKIE)
    if not value:
        return None
    try:
        user_id = tokens.read(tokens.SIGNED_IN_BROWSER, value, BROWSER_COOKIE_DAYS * 86400)
    except tokens.LinkError:
        return None
    return user_id if isinstance(user_id, int) else None


def _refused(form: LoginForm, reason: str, seconds: int):
    """The sign-in form again with the address typed and the reason: 429, Retry-After."""
    form.password.data = ""
    form.form_errors.append(reason)
    response = make_response(render_template("newsroom/login.html", form=form), 429)
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.errorhandler(CSRFError)
def csrf_failed(error: CSRFError):
    """A stale sign-in page: the form again with a fresh token, not a bare error page."""
    if request.endpoint != "newsroom.login":
        return render_template("errors/error.html", error=error), 400
    form = LoginForm(formdata=None)
    form.email.data = request.form.get("email", "")[:254]
    form.next.data = safe_next(request.form.get("next")) or ""
    form.form_errors.append(_("The sign-in page had expired. Please sign in again."))
    return render_template("newsroom/login.html", form=form), 400


@bp.post("/logout")
def logout():
    form = EmptyForm()
    if form.validate():
        auth.sign_out()
        db.session.commit()
    return redirect(url_for(".login"), 303)
