"""Signing in and out of the newsroom, and its front door."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError

from broadsheet.accounts import authenticate
from extensions import limiter

from . import bp
from .access import role_required, safe_next
from .forms import EmptyForm, LoginForm


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


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
@limiter.limit(_login_rate_limit, methods=["POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
        if current_user.is_authenticated:
            return redirect(form.next.data or url_for(".stories"))
        return render_template("newsroom/login.html", form=form)
    if form.validate():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(safe_next(form.next.data) or url_for(".stories"), 303)
        form.form_errors.append(_("That email and password do not match an active account."))
    form.password.data = ""
    return render_template("newsroom/login.html", form=form), 422


@bp.errorhandler(RateLimitExceeded)
def rate_limited(_error):
    form = LoginForm(formdata=None)
    form.email.data = request.form.get("email", "")[:254]
    form.next.data = safe_next(request.form.get("next")) or ""
    form.form_errors.append(_("Too many sign-in attempts. Please wait a minute and try again."))
    return render_template("newsroom/login.html", form=form), 429


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
        logout_user()
    return redirect(url_for(".login"), 303)
