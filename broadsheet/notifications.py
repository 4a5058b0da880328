"""Who gets which email about comments: moderators, and readers following replies.

init_app() connects the comment signals of broadsheet.discussion: a new comment (and the
reader's "Email me replies to this comment") and a comment approved later. Everything here
only queues mail (mail.queue), in the transaction of the change; its caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import ColumnElement, Select, String, cast, func, literal, or_, select

from broadsheet import discussion, mail, tokens
from broadsheet.clock import precise_utcnow, utcnow
from broadsheet.locales import site_setting
from broadsheet.site_address import external_url
from extensions import db
from models import Comment, MailMessage, ReplySubscription

MODERATION_ACTIONS = {"approve": "approved", "spam": "spam", "delete": "deleted"}


def story_url(comment: Comment) -> str:
    article = comment.article
    return external_url("articles.article", category_slug=article.category.slug, slug=article.slug)


def permalink(comment: Comment) -> str:
    """/comments/c/<id>, which sends the reader to the page of the thread that shows it."""
    return external_url("comments.show", comment_id=comment.id)


# --- Moderators --------------------------------------------------------------------------


def moderators() -> list[str]:
    """MODERATOR_EMAILS that have not unsubscribed (the newsroom's users may replace this)."""
    configured = current_app.config["MODERATOR_EMAILS"]
    if isinstance(configured, str):  # BROADSHEET_MODERATOR_EMAILS="a@x.org, b@x.org"
        configured = configured.split(",")
    addresses = [mail.normalise(a) for a in configured if a.strip()]
    return [a for a in dict.fromkeys(addresses) if not mail.suppressed(a)]


def moderation_token(comment: Comment, action: str) -> str:
    """Signed, expiring, and tied to the comment's last change: once acted on, it is spent."""
    payload = {"c": comment.id, "a": action, "v": comment.changed_at.isoformat()}
    return tokens.sign(tokens.MODERATE, payload)


@dataclass
class ModerationRequest:
    comment: Comment
    action: str


def read_moderation_token(token: str) -> ModerationRequest:
    data = tokens.read(tokens.MODERATE, token, current_app.config["MODERATION_LINK_MAX_AGE"])
    if not isinstance(data, dict) or data.get("a") not in MODERATION_ACTIONS:
        raise tokens.LinkError("invalid")
    comment = db.session.get(Comment, data.get("c")) if isinstance(data.get("c"), int) else None
    if comment is None:
        raise tokens.LinkError("invalid")
    if comment.changed_at.isoformat() != data.get("v"):
        raise tokens.LinkError("used")  # approved, marked or deleted since the email went out
    return ModerationRequest(comment, data["a"])


def _moderation_links(comment: Comment) -> dict[str, str]:
    return {
        action: external_url("mail_links.moderate", token=moderation_token(comment, action))
        for action in MODERATION_ACTIONS
    }


def _unsubscribe_url(address: str, subscription_id: int | None = None) -> str:
    return external_url(
        "mail_links.unsubscribe", token=mail.unsubscribe_token(address, subscription_id)
    )


def notify_moderators(comment: Comment) -> int:
    """One email per moderator about a comment waiting for review (each mode).

    A moderator already sent MODERATION_EMAIL_CAP_PER_HOUR of them in the last hour gets
    none: the comment waits for their next digest instead (queue_digest_if_due).
    """
    cap = current_app.config["MODERATION_EMAIL_CAP_PER_HOUR"]
    queued = 0
    for address in moderators():
        if mail.sent_lately(address, kind="moderation") >= cap:
            continue
        message = mail.build(
            address,
            _("Comment awaiting moderation: %(headline)s", headline=comment.article.headline),
            "moderate",
            unsubscribe_url=_unsubscribe_url(address),
            comment=comment,
            article=comment.article,
            links=_moderation_links(comment),
            story_url=story_url(comment),
        )
        key = _moderation_key(comment.id, address)
        queued += mail.queue(message, "moderation", dedupe_key=key, capped=False) is not None
    return queued


def _moderation_key(comment_id: int, address: str) -> str:
    return f"moderate:{comment_id}:{address}"[:120]


def _reply_key(subscription_id: int | str, reply_id: int) -> str:
    return f"reply:{subscription_id}:{reply_id}"


def mail_about(comment_id: int) -> ColumnElement[bool]:
    """The mail rows that quote the comment: its moderation notices and reply notices."""
    return or_(
        MailMessage.dedupe_key.like(_moderation_key(comment_id, "%")),
        MailMessage.dedupe_key.like(_reply_key("%", comment_id)),
    )


# The most comments one digest lists; the rest wait in the newsroom, which it links to.
DIGEST_MAX_ITEMS = 50


def queue_digest_if_due(force: bool = False) -> int:
    """At most one email per moderator each MODERATION_DIGEST_MINUTES, listing the pending
    comments that changed since their last digest: every one in digest mode; in each mode,
    those that went over the moderator's cap. Returns the messages queued."""
    config = current_app.config
    every = timedelta(minutes=config["MODERATION_DIGEST_MINUTES"])
    now = precise_utcnow()
    queued = 0
    for address in moderators():
        last = db.session.scalar(
            select(func.max(MailMessage.created_at)).where(
                MailMessage.kind == "digest", MailMessage.mailbox == mail.mailbox(address)
            )
        )
        if last is not None and not force and now - last < every:
            continue
        pending = _digest_query(address, since=last)
        total = db.session.scalar(select(func.count()).select_from(pending.subquery()))
        if not total:
            continue
        listed = db.session.scalars(pending.order_by(Comment.created_at).limit(DIGEST_MAX_ITEMS))
        items = [(c, _moderation_links(c), story_url(c)) for c in listed]
        subject = ngettext(
            "%(num)d comment awaiting moderation", "%(num)d comments awaiting moderation", total
        )
        message = mail.build(
            address,
            subject,
            "digest",
            unsubscribe_url=_unsubscribe_url(address),
            items=items,
            total=total,
            newsroom_url=external_url("newsroom.comments"),
        )
        queued += mail.queue(message, "digest", capped=False) is not None
    return queued


def _digest_query(address: str, since: datetime | None) -> Select:
    query = select(Comment).where(Comment.status == "pending")
    if since is not None:
        query = query.where(Comment.changed_at > since)
    if current_app.config["MODERATION_EMAIL_MODE"] != "digest":
        # Each mode: only what the cap held back (no email of its own went to this moderator),
        # from the last day at most, so a moderator added later is not sent the archive.
        if since is None:
            query = query.where(Comment.changed_at > precise_utcnow() - timedelta(days=1))
        key = literal("moderate:") + cast(Comment.id, String) + literal(f":{address}")
        mailed = select(MailMessage.id).where(MailMessage.dedupe_key == func.substr(key, 1, 120))
        query = query.where(~mailed.exists())
    return query


# --- Readers following replies ---------------------------------------------------------------


def address_confirmed(address: str) -> bool:
    """The address confirmed a subscription before (double opt-in is per address)."""
    return (
        db.session.scalar(
            select(ReplySubscription.id)
            .where(
                ReplySubscription.email == mail.normalise(address),
                ReplySubscription.confirmed_at.is_not(None),
            )
            .limit(1)
        )
        is not None
    )


def confirm_token(subscription: ReplySubscription) -> str:
    payload = {"s": subscription.id, "h": mail.address_hash(subscription.email)}
    return tokens.sign(tokens.CONFIRM_REPLIES, payload)


def read_confirm_token(token: str) -> ReplySubscription:
    data = tokens.read(tokens.CONFIRM_REPLIES, token, current_app.config["MAIL_CONFIRM_MAX_AGE"])
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        raise tokens.LinkError("invalid")
    subscription = db.session.get(ReplySubscription, data["s"])
    if subscription is None or mail.address_hash(subscription.email) != data.get("h"):
        raise tokens.LinkError("invalid")  # unsubscribed or erased since
    return subscription


def subscribe(comment: Comment) -> ReplySubscription | None:
    """Follow replies to the comment; a confirmation email first unless the address is known."""
    if comment.status == "spam" or not comment.author_email:
        return None
    address = mail.normalise(comment.author_email)
    subscription = ReplySubscription(comment_id=comment.id, email=address, created_at=utcnow())
    db.session.add(subscription)
    db.session.flush()
    if address_confirmed(address):
        subscription.confirmed_at = utcnow()
    elif not mail.suppressed(address) and not _confirmation_sent_lately(address):
        url = external_url("mail_links.confirm", token=confirm_token(subscription))
        message = mail.build(
            address,
            _("Please confirm: email me replies on %(site)s", site=site_setting("SITE_NAME")),
            "confirm",
            # Unsubscribing from a confirmation nobody asked for stops all mail to the address.
            unsubscribe_url=_unsubscribe_url(address),
            comment=comment,
            article=comment.article,
            confirm_url=url,
        )
        mail.queue(message, "confirm")
    return subscription


def _confirmation_sent_lately(address: str) -> bool:
    """One confirmation a day to a mailbox is enough: its link confirms the address, so
    every subscription waiting on it (a stranger typing your address, with or without a
    +tag, gets one email, not ten)."""
    return mail.sent_lately(address, timedelta(days=1), kind="confirm") > 0


def confirm(subscription: ReplySubscription) -> None:
    """Double opt-in is per address: confirming confirms every subscription waiting on it."""
    now = utcnow()
    waiting = db.session.scalars(
        select(ReplySubscription).where(
            ReplySubscription.email == subscription.email,
            ReplySubscription.confirmed_at.is_(None),
        )
    )
    for each in waiting:
        each.confirmed_at = now


def notify_reply(reply: Comment) -> int:
    """Tell confirmed followers of the parent comment about an approved reply, once each."""
    if reply.status != "approved" or reply.parent_id is None:
        return 0
    parent = reply.parent
    if parent is None or parent.status not in ("approved", "pending"):
        return 0
    subscriptions = db.session.scalars(
        select(ReplySubscription).where(
            ReplySubscription.comment_id == parent.id,
            ReplySubscription.confirmed_at.is_not(None),
        )
    )
    queued = 0
    for subscription in subscriptions:
        if subscription.email == mail.normalise(reply.author_email):
            continue  # answering yourself needs no email
        if mail.suppressed(subscription.email):
            continue
        message = mail.build(
            subscription.email,
            _("%(name)s replied to your comment", name=reply.author_name),
            "reply",
            unsubscribe_url=_unsubscribe_url(subscription.email, subscription.id),
            reply=reply,
            parent=parent,
            article=reply.article,
            permalink=permalink(reply),
        )
        key = _reply_key(subscription.id, reply.id)
        queued += mail.queue(message, "reply", dedupe_key=key) is not None
    return queued


def unsubscribe(digest: str, subscription_id: int | None) -> None:
    """One subscription ends; with none named, the address (by its hash) gets nothing more."""
    if subscription_id is None:
        mail.suppress(digest)
        return
    subscription = db.session.get(ReplySubscription, subscription_id)
    if subscription is not None and mail.address_hash(subscription.email) == digest:
        db.session.delete(subscription)


# --- Listening to the comment signals -----------------------------------------------------------


def _comment_created(_app: Flask, *, comment: Comment, follow_replies: bool) -> None:
    """Moderators hear about a pending comment, followers about an approved reply, and the
    writer is asked to confirm following replies when they ticked the box."""
    if comment.status == "pending" and current_app.config["MODERATION_EMAIL_MODE"] == "each":
        notify_moderators(comment)
    elif comment.status == "approved":
        notify_reply(comment)
    if follow_replies:
        subscribe(comment)


def _comment_approved(_app: Flask, *, comment: Comment) -> None:
    notify_reply(comment)


def _comment_decided(_app: Flask, *, comment: Comment) -> None:
    """A notice not yet sent about a comment someone has already dealt with is withdrawn."""
    db.session.execute(
        db.delete(MailMessage).where(
            MailMessage.status == "queued",
            MailMessage.dedupe_key.like(_moderation_key(comment.id, "%")),
        )
    )


def init_app(app: Flask) -> None:
    discussion.comment_created.connect(_comment_created)
    discussion.comment_approved.connect(_comment_approved)
    discussion.comment_decided.connect(_comment_decided)
