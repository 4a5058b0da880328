"""Two-factor sign-in for staff: a TOTP code from an authenticator app, or a recovery code.

A code is accepted once (the time step it was made in is remembered), within one step of
the server's clock either way. Recovery codes are stored as SHA-256 hashes and each works
once; setting two-factor up again makes a fresh set.
"""

from __future__ import annotations

import hashlib
import secrets
import time

import pyotp
from markupsafe import Markup

from broadsheet.locales import site_setting
from models import User

RECOVERY_CODES = 10
ISSUER = "Broadsheet"


def required_for(user: User) -> bool:
    """Whether the site makes this account sign in with a code (editors and admins, when on)."""
    required = site_setting("REQUIRE_TWO_FACTOR")
    if isinstance(required, str):  # saved on the Settings page
        return required == "true" and user.at_least("editor")
    return bool(required) and user.at_least("editor")


def new_secret() -> str:
    return pyotp.random_base32()


def setup_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads (from a QR code or typed in)."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.email, issuer_name=site_setting("SITE_NAME") or ISSUER
    )


def setup_qr(uri: str) -> Markup:
    """The setup address as an inline SVG QR code (drawn here: no request leaves the site)."""
    # Loaded by the one page that draws a code, not by every web worker.
    import qrcode
    from qrcode.image.svg import SvgPathImage

    svg = qrcode.make(uri, image_factory=SvgPathImage, box_size=8).to_string(encoding="unicode")
    return Markup(svg.replace(' version="1.1"', ""))  # noqa: S704 (our own drawing, no input text)


def code_matches(secret: str, code: str, after_step: int | None = None) -> int | None:
    """The time step the code belongs to when it is right (now, or one step either side)
    and newer than `after_step`; None otherwise."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(time.time())
    for step in (now, now - 1, now + 1):
        if (after_step is None or step > after_step) and secrets.compare_digest(
            totp.generate_otp(step), code
        ):
            return step
    return None


def _hash(code: str) -> str:
    return hashlib.sha256("".join(code.split()).lower().encode()).hexdigest()


def enable(user: User, secret: str) -> list[str]:
    """Turn two-factor on with a secret the user's app has shown a right code for; returns
    the recovery codes, shown once. The caller commits."""
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    user.totp_secret = secret
    user.totp_last_step = None
    user.recovery_codes = " ".join(_hash(code) for code in codes)
    return codes


def disable(user: User) -> None:
    """The caller commits."""
    user.totp_secret, user.totp_last_step, user.recovery_codes = None, None, ""


def verify(user: User, code: str) -> bool:
    """A right code from the app, not used before, or an unused recovery code (spent now).
    The caller commits."""
    if not user.totp_secret:
        return False
    step = code_matches(user.totp_secret, code, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        return True
    hashes = user.recovery_codes.split()
    wanted = _hash(code)
    if any(secrets.compare_digest(wanted, h) for h in hashes):
        user.recovery_codes = " ".join(h for h in hashes if h != wanted)
        return True
    return False


def recovery_codes_left(user: User) -> int:
    return len(user.recovery_codes.split())
