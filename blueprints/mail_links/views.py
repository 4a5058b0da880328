"""Moderation from an email, confirming reply notices, and one-click unsubscribe."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from broadsheet import notifications
from broadsheet.discussion import set_status
from broadsheet.mail import read_unsubscribe_token
from broadsheet.tokens import LinkError
from broadsheet.web.links import done, link_error
from extensions import csrf, db

from . import bp
from .forms import ConfirmForm


@bp.route("/moderate/<token>", methods=["GET", "POST"])
def moderate(token: str):
    try:
        link = notifications.read_moderation_token(token)
    except LinkError as error:
        return link_error(error)
    comment, action = link.comment, link.action
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template(
            "mail_links/moderate.html", comment=comment, action=action, form=form
        )
    set_status(comment, notifications.MODERATION_ACTIONS[action])
    db.session.commit()
    messages = {
        "approve": _("The comment is approved and now shows under the story."),
        "spam": _("The comment is marked as spam and stays hidden."),
        "delete": _("The comment is deleted."),
    }
    story_link = notifications.permalink(comment) if action == "approve" else None
    return done(_("Done"), messages[action], story_link)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    try:
        subscription = notifications.read_confirm_token(token)
    except LinkError as error:
        return link_error(error)
    form = ConfirmForm()
    if subscription.confirmed_at is None and not form.validate_on_submit():
        return render_template("mail_links/confirm.html", subscription=subscription, form=form)
    notifications.confirm(subscription)
    db.session.commit()
    return done(
        _("Confirmed"),
        _("We will email you when someone's reply to your comment is published."),
        notifications.permalink(subscription.comment),
    )


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail clients POST here without a form; the signed token is the proof
def unsubscribe(token: str):
    details = read_unsubscribe_token(token)
    if details is None:
        return link_error(LinkError("invalid"))
    digest, subscription_id = details
    if request.method == "GET":
        return render_template(
            "mail_links/unsubscribe.html", everything=subscription_id is None, form=ConfirmForm()
        )
    notifications.unsubscribe(digest, subscription_id)
    db.session.commit()
    if subscription_id is None:
        return done(_("Unsubscribed"), _("We will not send this address any more email."))
    return done(_("Unsubscribed"), _("You will get no more emails about replies to that comment."))
