"""Commenters' data: retention of IP hashes, export of one address's comments, and erasure.

IP addresses are never stored, only a keyed hash (discussion.ip_hash); purge() blanks it and
the browser name once IP_RETENTION_DAYS have passed. Erasure keeps each comment as a
"deleted" placeholder (so replies still read) and blanks every personal field.
"""

from __future__ import annotations

import json
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from broadsheet import mail, tokens
from broadsheet.clock import utcnow
from broadsheet.database import rows_changed
from broadsheet.discussion import set_status
from broadsheet.locales import site_setting
from broadsheet.notifications import mail_about, permalink
from broadsheet.site_address import external_url
from broadsheet.tokens import LinkError
from extensions import db
from models import Comment, MailMessage, ReplySubscription


def purge(now=None) -> int:
    """Blank IP hashes and browser names older than IP_RETENTION_DAYS; old sent mail goes too."""
    config = current_app.config
    cutoff = (now or utcnow()) - timedelta(days=config["IP_RETENTION_DAYS"])
    changed = rows_changed(
        update(Comment)
        .where(Comment.created_at < cutoff, (Comment.ip_hash != "") | (Comment.user_agent != ""))
        .values(ip_hash="", user_agent="")
        .execution_options(synchronize_session=False)
    )
    mail.purge_sent(config["MAIL_KEEP_SENT_DAYS"])
    return changed


def comments_of(address: str) -> list[Comment]:
    return list(
        db.session.scalars(
            select(Comment)
            .where(func.lower(Comment.author_email) == mail.normalise(address))
            .order_by(Comment.created_at, Comment.id)
        )
    )


def export_json(address: str) -> bytes:
    """Everything stored with this address's comments, as JSON (the IP hash is not personal
    data we can read back, but it is theirs, so it is included while it is kept)."""
    records = [
        {
            "id": c.id,
            "story": c.article.headline,
            "url": permalink(c),
            "in_reply_to": c.parent_id,
            "name": c.author_name,
            "email": c.author_email,
            "website": c.author_url,
            "comment": c.body,
            "status": c.status,
            "posted_at": c.created_at.isoformat() + "Z",
            "edited_at": c.edited_at.isoformat() + "Z" if c.edited_at else None,
            "ip_hash": c.ip_hash,
            "browser": c.user_agent,
        }
        for c in comments_of(address)
    ]
    subscriptions = db.session.scalars(
        select(ReplySubscription).where(ReplySubscription.email == mail.normalise(address))
    )
    document = {
        "site": site_setting("SITE_NAME"),
        "email": mail.normalise(address),
        "exported_at": utcnow().isoformat() + "Z",
        "comments": records,
        "reply_notifications": [
            {"comment_id": s.comment_id, "confirmed": s.confirmed_at is not None}
            for s in subscriptions
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def _unsubscribe_url(address: str) -> str:
    return external_url("mail_links.unsubscribe", token=mail.unsubscribe_token(address))


def send_export(address: str) -> bool:
    """Queue the export to the address itself: only its owner can read it."""
    data = export_json(address)
    count = len(json.loads(data)["comments"])
    message = mail.build(
        address,
        _("Your comments on %(site)s", site=site_setting("SITE_NAME")),
        "privacy_export",
        unsubscribe_url=_unsubscribe_url(address),
        count=count,
        attachments=(("comments.json", "application/json", data),),
    )
    return mail.queue(message, "privacy") is not None


def erase_token(comment: Comment) -> str:
    """Names one comment of the address and the address's hash, never the address itself."""
    payload = {"c": comment.id, "h": mail.address_hash(comment.author_email)}
    return tokens.sign(tokens.ERASE, payload)


def read_erase_token(token: str) -> str:
    """The address whose comments the link erases."""
    data = tokens.read(tokens.ERASE, token, current_app.config["MAIL_CONFIRM_MAX_AGE"])
    if not isinstance(data, dict) or not isinstance(data.get("c"), int):
        raise LinkError("invalid")
    comment = db.session.get(Comment, data["c"])
    if comment is None or not comment.author_email:
        raise LinkError("used")  # erased already
    if mail.address_hash(comment.author_email) != data.get("h"):
        raise LinkError("invalid")
    return comment.author_email


def send_erase_confirmation(address: str) -> bool:
    """A link to confirm erasure, or word that there is nothing to erase."""
    comments = comments_of(address)
    url = external_url("privacy.erase", token=erase_token(comments[0])) if comments else None
    message = mail.build(
        address,
        _("Confirm: erase your comments on %(site)s", site=site_setting("SITE_NAME"))
        if comments
        else _("Your comments on %(site)s", site=site_setting("SITE_NAME")),
        "privacy_erase",
        unsubscribe_url=_unsubscribe_url(address),
        confirm_url=url,
    )
    return mail.queue(message, "privacy") is not None


def erase(address: str) -> int:
    """Every comment of the address becomes a deleted placeholder with no personal data, for
    good; its reply subscriptions, the mail queued or sent to it and the notices and digests
    that quote its comments go too. The caller commits."""
    address = mail.normalise(address)
    comments = comments_of(address)
    for comment in comments:
        set_status(comment, "deleted")
        comment.erased_at = utcnow()
        db.session.execute(db.delete(MailMessage).where(mail_about(comment.id)))
        comment.author_name = ""
        comment.author_email = ""
        comment.author_url = ""
        comment.body = ""
        comment.ip_hash = ""
        comment.user_agent = ""
        comment.submission_token = None
    if comments:
        # Moderators' digests quote every pending comment: those made since the first of
        # these go, queued or sent; the next digest lists again whatever still waits.
        first = min(comment.created_at for comment in comments)
        db.session.execute(
            db.delete(MailMessage).where(
                MailMessage.kind == "digest", MailMessage.created_at >= first
            )
        )
    db.session.execute(db.delete(ReplySubscription).where(ReplySubscription.email == address))
    db.session.execute(db.delete(MailMessage).where(MailMessage.recipient == address))
    db.session.flush()
    return len(comments)
