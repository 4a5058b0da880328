"""Accounts people run themselves, in Chromium: an admin invites a writer, who chooses a
password from the emailed link, turns on two-factor sign-in and signs in with a code.

With UPDATE_SCREENSHOTS=1 the pages are kept in docs/screenshots/ for docs/newsroom.md."""

from __future__ import annotations

import re
import time
from email import message_from_string, policy

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from broadsheet.accounts import create_user
from extensions import db
from models import MailMessage

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
NEW_PASSWORD = "lantern harbour fog"


@pytest.fixture
def admin(live_app):
    create_user("ada@example.org", PASSWORD, "admin", "Ada Admin")
    db.session.commit()


def sign_in(page, email: str, password: str) -> None:
    page.goto("/newsroom/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def invitation_link(address: str) -> str:
    db.session.expire_all()
    row = db.session.scalar(select(MailMessage).where(MailMessage.recipient == address))
    text = message_from_string(row.raw, policy=policy.default).get_body(("plain",)).get_content()
    return re.search(r"https?://\S+/newsroom/welcome/\S+", text).group(0).split("/newsroom", 1)[1]


def test_invited_writer_sets_a_password_and_two_factor_sign_in(
    browser, live_app, admin, page, screenshots
):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "ada@example.org", PASSWORD)
    page.get_by_role("link", name="Staff").click()
    page.get_by_label("Email").fill("nia@example.org")
    page.get_by_label("Name").fill("Nia Noor")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to Nia Noor")).to_be_visible()
    expect(page.locator("tr", has_text="Nia Noor")).to_contain_text("Invited, no password yet")
    page.screenshot(path=screenshots / "newsroom-staff.png", full_page=True)

    context = browser.new_context(base_url=live_app.config["LIVE_URL"])
    nia = context.new_page()
    nia.goto("/newsroom" + invitation_link("nia@example.org"))
    expect(nia.get_by_role("heading", name="Welcome to the newsroom")).to_be_visible()
    nia.get_by_label("New password").fill("short")
    nia.get_by_role("button", name="Save password").click()
    expect(nia.get_by_text("Passwords need at least 12 characters.")).to_be_visible()
    nia.get_by_label("New password").fill(NEW_PASSWORD)
    nia.get_by_role("button", name="Save password").click()
    expect(nia.get_by_text("Your password is saved.")).to_be_visible()
    sign_in(nia, "nia@example.org", NEW_PASSWORD)
    expect(nia.get_by_role("heading", name="Stories")).to_be_visible()

    nia.get_by_role("link", name="Your account").click()
    nia.get_by_role("link", name="Set up two-factor sign-in").click()
    key = nia.locator(".totp-key").inner_text().replace(" ", "")
    nia.screenshot(path=screenshots / "newsroom-two-factor.png", full_page=True)
    nia.get_by_label("Code from the app").fill(pyotp.TOTP(key).now())
    nia.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(nia.locator(".recovery-codes li")).to_have_count(10)

    nia.get_by_role("button", name="Sign out").click()
    sign_in(nia, "nia@example.org", NEW_PASSWORD)
    expect(nia.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    nia.get_by_label("Code").fill(pyotp.TOTP(key).at(time.time() + 30))
    nia.get_by_role("button", name="Sign in").click()
    expect(nia.get_by_role("heading", name="Stories")).to_be_visible()
    context.close()

    page.reload()
    expect(page.locator("tr", has_text="Nia Noor")).to_contain_text("Two-factor")
    expect(page.locator("tr", has_text="Nia Noor")).not_to_contain_text("Never")
