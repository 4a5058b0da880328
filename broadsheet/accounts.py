"""Staff accounts: creating them, checking passwords, and what each role may do.

Passwords are hashed with werkzeug's scrypt. Readers never have accounts; these are the
people who write, edit and moderate.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from extensions import db
from models import ROLES, Article, User

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
_timing_hash: str | None = None


class AccountError(ValueError):
    """A request to create or change an account that cannot be carried out, with the reason."""


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"Passwords are limited to {MAX_PASSWORD_LENGTH} characters.")


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AccountError(f"{email!r} is not an email address: {error}") from None


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def load_user(session_id: str) -> User | None:
    """Flask-Login's loader: the id names the password hash too, so a new password ends it."""
    user_id, _sep, stamp = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.get_id() != session_id:
        return None
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None (taking as long either way)."""
    global _timing_hash
    user = find_user(email)
    if user is None:
        # Hash anyway, so a wrong address takes as long as a wrong password.
        _timing_hash = _timing_hash or hash_password("not-a-real-password")
        check_password_hash(_timing_hash, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


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
    check_password_rules(password)
    user.password_hash = hash_password(password)


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
