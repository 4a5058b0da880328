"""People's own accounts: choosing a password from an invitation or a "forgot password"
link, changing it, and two-factor sign-in."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.security import check_password_hash

from broadsheet import throttle, tokens, two_factor
from broadsheet.accounts import (
    request_password_reset,
    set_password,
    user_of_password_link,
)
from broadsheet.web import auth
from extensions import db

from . import bp
from .access import role_required
from .forms import (
    ChangePasswordForm,
    ChoosePasswordForm,
    ForgotPasswordForm,
    TwoFactorOffForm,
    TwoFactorSetupForm,
)

SETUP_SECONDS = 15 * 60

LINK_PROBLEMS = {
    "expired": _l("This link has expired."),
    "used": _l("This link has been used already: a password was chosen with it."),
    "invalid": _l("This link is not valid. Check that it was copied whole."),
}


def _no_referrer(response):
    # The page's address holds the link's token: never pass it on.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if request.method == "GET" or not form.validate():
        status = 200 if request.method == "GET" else 422
        return render_template("newsroom/forgot.html", form=form, sent=False), status
    network = throttle.network(request.remote_addr or "")
    if throttle.take(("LOGIN_RATE_LIMIT", network)):
        request_password_reset(form.email.data)
    db.session.commit()
    # The same answer whether or not an account has the address (or this address is over
    # its limit): nobody learns who works here from this form.
    return render_template("newsroom/forgot.html", form=form, sent=True)


def _choose_password(kind: str, token: str):
    try:
        user = user_of_password_link(kind, token)
    except tokens.LinkError as error:
        page = render_template(
            "newsroom/choose_password.html", kind=kind, problem=LINK_PROBLEMS[error.reason]
        )
        status = 400 if error.reason == "invalid" else 410
        return _no_referrer(current_app.make_response((page, status)))
    form = ChoosePasswordForm()
    if request.method == "POST" and form.validate():
        set_password(user, form.password.data)
        db.session.commit()
        flash(_("Your password is saved. Sign in with it now."))
        return redirect(url_for(".login"), 303)
    status = 422 if request.method == "POST" else 200
    form.password.data = ""
    page = render_template(
        "newsroom/choose_password.html", kind=kind, form=form, user=user, problem=None
    )
    return _no_referrer(current_app.make_response((page, status)))


@bp.route("/welcome/<token>", methods=["GET", "POST"])
def welcome(token: str):
    return _choose_password("invite", token)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    return _choose_password("reset", token)


@bp.route("/account", methods=["GET", "POST"])
@role_required("writer", two_factor_set_up=False)
def account():
    form = ChangePasswordForm()
    if request.method == "POST":
        if form.validate():
            if check_password_hash(current_user.password_hash, form.current_password.data):
                user = current_user._get_current_object()
                set_password(user, form.password.data)
                auth.sign_in(user)  # this browser stays signed in; every other one is out
                db.session.commit()
                flash(_("Password changed. Any other browser signed in as you is signed out."))
                return redirect(url_for(".account"), 303)
            form.current_password.errors = [_("That is not your current password.")]
        form.current_password.data = form.password.data = ""
        return _account_page(form, 422)
    return _account_page(form)


def _account_page(form: ChangePasswordForm, status: int = 200, off_error: str = ""):
    return render_template(
        "newsroom/account.html",
        form=form,
        off_form=TwoFactorOffForm(formdata=None),
        off_error=off_error,
        codes_left=two_factor.recovery_codes_left(current_user),
        two_factor_required=two_factor.required_for(current_user),
    ), status


@bp.route("/account/two-factor", methods=["GET", "POST"])
@role_required("writer", two_factor_set_up=False)
def two_factor_setup():
    if current_user.totp_secret:
        return redirect(url_for(".account"))
    form = TwoFactorSetupForm()
    if request.method == "POST":
        secret = _setup_secret(form.secret.data)
        if secret is None:
            flash(_("The setup page had expired; here is a new key for your app."))
            return redirect(url_for(".two_factor_setup"), 303)
        if form.validate():
            if two_factor.code_matches(secret, form.code.data) is not None:
                codes = two_factor.enable(current_user, secret)
                db.session.commit()
                return render_template("newsroom/two_factor.html", codes=codes)
            form.code.errors = [_("That code does not match. Check the app's clock and try again.")]
        form.code.data = ""
        return _setup_page(form, secret, 422)
    secret = two_factor.new_secret()
    form.secret.data = tokens.sign(tokens.TWO_FACTOR_SETUP, {"u": current_user.id, "s": secret})
    return _setup_page(form, secret)


def _setup_secret(signed: str | None) -> str | None:
    data = tokens.read_or_none(tokens.TWO_FACTOR_SETUP, signed, SETUP_SECONDS)
    if not isinstance(data, dict) or data.get("u") != current_user.id:
        return None
    return data.get("s")


def _setup_page(form: TwoFactorSetupForm, secret: str, status: int = 200):
    uri = two_factor.setup_uri(current_user, secret)
    return render_template(
        "newsroom/two_factor.html",
        codes=None,
        form=form,
        key=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        uri=uri,
        qr=two_factor.setup_qr(uri),
        required=two_factor.required_for(current_user),
    ), status


@bp.post("/account/two-factor/off")
@role_required("writer", two_factor_set_up=False)
def two_factor_off():
    form = TwoFactorOffForm()
    if not current_user.totp_secret:
        return redirect(url_for(".account"), 303)
    if two_factor.required_for(current_user):
        abort(403)
    if form.validate() and check_password_hash(
        current_user.password_hash, form.current_password.data
    ):
        two_factor.disable(current_user)
        db.session.commit()
        flash(_("Two-factor sign-in is off."))
        return redirect(url_for(".account"), 303)
    form = ChangePasswordForm(formdata=None)
    return _account_page(form, 422, off_error=_("That is not your current password."))
