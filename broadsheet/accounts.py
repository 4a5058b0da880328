"""Staff accounts: creating them, passwords, sign-in and sessions, and what each role may do.

Passwords are hashed with werkzeug's scrypt and follow OWASP ASVS level 1: at least 12
characters, none of the most common passwords, no other composition rules. A signed-in
browser is a row in staff_sessions, so signing out, a new password or a switched-off
account ends every copy of its cookie. Readers never have accounts; these are the people
who write, edit and moderate.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from broadsheet import mail, tokens
from broadsheet.clock import utcnow
from broadsheet.database import rows_changed
from broadsheet.locales import site_setting
from broadsheet.site_address import external_url
from extensions import db
from models import ROLES, Article, StaffSession, User

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
_timing_hash: str | None = None


class AccountError(ValueError):
    """A request to create or change an account that cannot be carried out, with the reason."""


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def password_problem(password: str) -> str | None:
    """Why a password may not be used, in the site's language; None when it may."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Passwords need at least %(min)d characters.", min=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("Passwords are limited to %(max)d characters.", max=MAX_PASSWORD_LENGTH)
    if password.lower() in _common_passwords():
        return _("That is one of the most common passwords. Please choose another.")
    return None


@cache
def _common_passwords() -> frozenset[str]:
    """The most common passwords (zxcvbn's list of 30,000, lowercase) long enough to pass
    the length rule: the others are refused by it already."""
    # About 14 MiB of word lists: loaded only where a password is set, never by readers.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p for p in FREQUENCY_LISTS["passwords"] if len(p) >= MIN_PASSWORD_LENGTH)


def check_password_rules(password: str) -> None:
    if problem := password_problem(password):
        raise AccountError(problem)


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AccountError(f"{email!r} is not an email address: {error}") from None


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


# --- Signing in ------------------------------------------------------------------------


@dataclass
class SignIn:
    """What a sign-in attempt came to: the user, or nobody; `wait` seconds when the account
    is in back-off and the password was not even tried."""

    user: User | None = None
    wait: int = 0


def sign_in(email: str, password: str, *, trusted_browser_of: int | None = None) -> SignIn:
    """Check an email and password, with per-account back-off against guessing.

    After LOGIN_FREE_ATTEMPTS wrong passwords in a row, each further try on the account
    must wait LOGIN_BACKOFF_SECONDS, doubling up to LOGIN_BACKOFF_MAX_SECONDS, from any
    address. A browser that signed in to this account before (`trusted_browser_of` is
    its user id) skips the wait, so a stranger guessing cannot lock the editor out of
    their own browser, and from a new one only for LOGIN_BACKOFF_MAX_SECONDS at most.
    Takes as long for an unknown address as for a wrong password.
    """
    global _timing_hash
    user = find_user(email)
    if user is None:
        _timing_hash = _timing_hash or hash_password("not-a-real-password")
        check_password_hash(_timing_hash, password)
        return SignIn()
    trusted = trusted_browser_of == user.id
    if not trusted and (wait := claim_attempt(user)):
        return SignIn(wait=wait)
    if not check_password_hash(user.password_hash, password) or not user.active:
        return SignIn()
    clear_failures(user)
    return SignIn(user)


def clear_failures(user: User) -> None:
    """A right password (or two-factor code) ends the account's back-off."""
    if user.failed_sign_ins or user.sign_in_blocked_until:
        user.failed_sign_ins, user.sign_in_blocked_until = 0, None
        db.session.commit()


def claim_attempt(user: User) -> int:
    """Count this attempt as failed before the password is checked, and commit, so workers
    checking passwords at once cannot slip extra guesses past the back-off (a right
    password then clears it). Returns the seconds to wait instead, when in back-off."""
    for _try in range(5):
        db.session.refresh(user)
        now = utcnow()
        if user.sign_in_blocked_until is not None and user.sign_in_blocked_until > now:
            return max(1, int((user.sign_in_blocked_until - now).total_seconds()))
        failures = user.failed_sign_ins + 1
        claimed = rows_changed(
            update(User)
            .where(
                User.id == user.id,
                User.failed_sign_ins == user.failed_sign_ins,
                or_(User.sign_in_blocked_until.is_(None), User.sign_in_blocked_until <= now),
            )
            .values(failed_sign_ins=failures, sign_in_blocked_until=_blocked_until(failures, now))
        )
        db.session.commit()
        if claimed:
            return 0
    return 1  # other attempts kept winning: this one waits


def _blocked_until(failures: int, now: datetime) -> datetime | None:
    config = current_app.config
    beyond = failures - config["LOGIN_FREE_ATTEMPTS"]
    if beyond < 0:
        return None
    wait = min(config["LOGIN_BACKOFF_SECONDS"] * 2**beyond, config["LOGIN_BACKOFF_MAX_SECONDS"])
    return now + timedelta(seconds=wait)


# --- Sessions -----------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> str:
    """A new signed-in session for the user; returns its token, for the session cookie only.
    The caller commits."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    user.last_sign_in_at = now
    db.session.add(
        StaffSession(
            token_hash=_token_hash(token), user_id=user.id, created_at=now, last_seen_at=now
        )
    )
    return token


def session_user(user_id: str, token: str | None) -> User | None:
    """The active user a session signs in, while the session lasts (Flask-Login's loader).

    A session ends when it has not been used for STAFF_SESSION_IDLE_SECONDS, or
    STAFF_SESSION_MAX_SECONDS after sign-in, whichever comes first.
    """
    if not token or not user_id.isdigit():
        return None
    row = db.session.scalar(
        select(StaffSession).where(StaffSession.token_hash == _token_hash(token))
    )
    if row is None or row.user_id != int(user_id) or not row.user.active:
        return None
    config = current_app.config
    now = utcnow()
    idle = timedelta(seconds=config["STAFF_SESSION_IDLE_SECONDS"])
    lifetime = timedelta(seconds=config["STAFF_SESSION_MAX_SECONDS"])
    if now - row.last_seen_at > idle or now - row.created_at > lifetime:
        return None
    if now - row.last_seen_at > timedelta(minutes=1):  # one write a minute, not per request
        row.last_seen_at = now
        db.session.commit()
    return row.user


def end_session(token: str | None) -> None:
    """Sign this session out, wherever its cookie has been copied to. The caller commits."""
    if token:
        ended = delete(StaffSession).where(StaffSession.token_hash == _token_hash(token))
        db.session.execute(ended)


def end_sessions(user: User) -> None:
    """Sign the user out everywhere. The caller commits."""
    db.session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))


def purge_sessions() -> int:
    """Delete sessions that can no longer be used; the caller commits."""
    config = current_app.config
    now = utcnow()
    idle = now - timedelta(seconds=config["STAFF_SESSION_IDLE_SECONDS"])
    born = now - timedelta(seconds=config["STAFF_SESSION_MAX_SECONDS"])
    changed = rows_changed(
        delete(StaffSession).where(
            or_(StaffSession.last_seen_at < idle, StaffSession.created_at < born)
        )
    )
    return changed


def create_user(email: str, password: str, role: str = "writer", name: str = "") -> User:
    """Add a staff account; the caller commits."""
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    email = normalise_email(email)
    if find_user(email) is not None:
        raise AccountError(f"There is already an account for {email}.")
    check_password_rules(password)
    user = User(email=email, name=name.strip(), role=role, password_hash=hash_password(password))
    db.session.add(user)
    return user


def set_password(user: User, password: str) -> None:
    """A new password signs the account out everywhere. The caller commits."""
    check_password_rules(password)
    user.password_hash = hash_password(password)
    user.failed_sign_ins, user.sign_in_blocked_until = 0, None
    end_sessions(user)


def change_email(user: User, email: str) -> None:
    """The caller commits; raises AccountError when another account has the address."""
    email = normalise_email(email)
    other = find_user(email)
    if other is not None and other.id != user.id:
        raise AccountError(f"There is already an account for {email}.")
    user.email = email


def set_active(user: User, active: bool) -> None:
    """Switching an account off signs it out everywhere at once. The caller commits."""
    user.active = active
    if not active:
        end_sessions(user)


# --- Invitations and "forgot password": links to choose a password ---------------------

# What each kind of link is signed for, the setting that says how long it works, the
# email it comes in and the page it opens.
_LINKS = {
    "invite": (tokens.INVITE, "INVITE_LINK_MAX_AGE", "staff_invite", "newsroom.welcome"),
    "reset": (tokens.PASSWORD_RESET, "PASSWORD_RESET_MAX_AGE", "password_reset", "newsroom.reset"),
}


def _password_fingerprint(user: User) -> str:
    # Choosing a password changes it, so every link sent before is spent.
    return hashlib.sha256(f"{user.id}:{user.password_hash}".encode()).hexdigest()[:20]


def invite_user(email: str, role: str, name: str = "") -> User:
    """An account with no password yet, and an email inviting its owner to choose one.
    The caller commits."""
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    email = normalise_email(email)
    if find_user(email) is not None:
        raise AccountError(f"There is already an account for {email}.")
    # An empty hash matches no password, so nobody can sign in until the link is used.
    user = User(email=email, name=name.strip(), role=role, password_hash="")
    db.session.add(user)
    db.session.flush()
    send_password_link(user, "invite")
    return user


def invited(user: User) -> bool:
    """Invited and has not chosen a password yet."""
    return not user.password_hash


def send_password_link(user: User, kind: str) -> bool:
    """Email the invitation ("invite") or the "forgot password" link ("reset"); the caller
    commits. False when the mailbox had too many emails this hour."""
    salt, _max_age, template, endpoint = _LINKS[kind]
    token = tokens.sign(salt, {"u": user.id, "p": _password_fingerprint(user)})
    site = site_setting("SITE_NAME")
    subject = (
        _("You are invited to the %(site)s newsroom", site=site)
        if kind == "invite"
        else _("Choose a new password for %(site)s", site=site)
    )
    message = mail.build(
        user.email,
        subject,
        template,
        unsubscribe_url=None,
        link=external_url(endpoint, token=token),
        hours=current_app.config[_LINKS[kind][1]] // 3600,
    )
    return mail.queue(message, kind) is not None


def request_password_reset(email: str) -> None:
    """Send a "forgot password" link when an active account has the address; nothing
    otherwise, and the caller answers the same either way. The caller commits."""
    user = find_user(email)
    if user is not None and user.active:
        send_password_link(user, "reset")


def user_of_password_link(kind: str, token: str) -> User:
    """The account a link lets someone choose the password of.

    Raises tokens.LinkError: "expired", "invalid", or "used" once a password was chosen
    through it (or any other way) since it was sent.
    """
    salt, max_age, _template, _endpoint = _LINKS[kind]
    data = tokens.read(salt, token, current_app.config[max_age])
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise tokens.LinkError("invalid")
    user = db.session.get(User, data["u"])
    if user is None or not user.active:
        raise tokens.LinkError("invalid")
    if not secrets.compare_digest(_password_fingerprint(user), str(data.get("p"))):
        raise tokens.LinkError("used")
    return user


# --- What each role may do ------------------------------------------------------------------


def can_publish(user: User) -> bool:
    """Publishing, scheduling, unpublishing and taking pending edits live: editors and admins."""
    return user.at_least("editor")


def can_edit(user: User, article: Article) -> bool:
    """Editors edit every story; writers only their own."""
    return user.at_least("editor") or article.author_id == user.id


def can_save_live(user: User, article: Article) -> bool:
    """Saving straight onto the story: any editor; a writer only while it is a draft."""
    if not can_edit(user, article):
        return False
    return article.status == "draft" or can_publish(user)


def can_moderate(user: User) -> bool:
    return user.at_least("editor")


def can_manage_users(user: User) -> bool:
    return user.at_least("admin")
