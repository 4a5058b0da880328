"""/privacy: the notice, export requests (mailed to the address) and confirmed erasure."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from broadsheet import privacy as personal_data
from broadsheet import throttle
from broadsheet.tokens import LinkError
from broadsheet.web.links import done, link_error
from extensions import db

from . import bp
from .forms import ConfirmForm, PrivacyRequestForm


@bp.route("/privacy", methods=["GET", "POST"])
def notice():
    form = PrivacyRequestForm()
    if request.method == "GET":
        return render_template("privacy/notice.html", form=form)
    if not form.validate():
        return render_template("privacy/notice.html", form=form), 422
    # Counted with the request it sends, so only requests that send something count.
    network = throttle.network(request.remote_addr or "")
    if not throttle.take(("PRIVACY_REQUEST_RATE_LIMIT", network)):
        form.form_errors.append(
            _("Too many requests from your network. Please try again in an hour.")
        )
        return render_template("privacy/notice.html", form=form), 429, {"Retry-After": "3600"}
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
