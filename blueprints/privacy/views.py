"""/privacy: the notice, export requests (mailed to the address) and confirmed erasure."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import ngettext

from broadsheet import privacy as personal_data
from broadsheet.tokens import LinkError
from broadsheet.web.links import done, link_error
from extensions import db, limiter

from . import bp
from .forms import ConfirmForm, PrivacyRequestForm


def _request_limit() -> str:
    return current_app.config["PRIVACY_REQUEST_RATE_LIMIT"]


@bp.route("/privacy", methods=["GET", "POST"])
@limiter.limit(_request_limit, methods=["POST"])
def notice():
    form = PrivacyRequestForm()
    if request.method == "GET":
        return render_template("privacy/notice.html", form=form)
    if not form.validate():
        return render_template("privacy/notice.html", form=form), 422
    if form.action.data == "export":
        personal_data.send_export(form.email.data)
    else:
        personal_data.send_erase_confirmation(form.email.data)
    db.session.commit()
    # The same answer whether or not we know the address: the page reveals nothing.
    return redirect(url_for(".sent"), 303)


@bp.get("/privacy/sent")
def sent():
    return render_template("privacy/sent.html")


@bp.route("/privacy/erase/<token>", methods=["GET", "POST"])
def erase(token: str):
    try:
        address = personal_data.read_erase_token(token)
    except LinkError as error:
        return link_error(error)
    form = ConfirmForm()
    if not form.validate_on_submit():
        count = len(personal_data.comments_of(address))
        return render_template("privacy/erase.html", form=form, count=count)
    erased = personal_data.erase(address)
    db.session.commit()
    return done(
        ngettext("%(num)d comment erased", "%(num)d comments erased", erased),
        ngettext(
            "Your comment now shows as deleted, and your name, email, website and network "
            "details are gone.",
            "Your comments now show as deleted, and your name, email, website and network "
            "details are gone.",
            erased,
        ),
    )
