"""A reader in Chromium asks for reply emails, confirms from the email, hears about a
reply and unsubscribes, with a real SMTP server on 127.0.0.1 catching the mail."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from broadsheet import mail

from ..support.mailbox import link_to, text_of, unsubscribe_path
from .conftest import story_url
from .test_comments_browser import fill_comment

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config, smtp_server):
    app_config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    return app_config


def test_reader_follows_replies_confirms_and_unsubscribes(
    page, browser, live_app, story, smtp_server
):
    inbox = smtp_server.inbox
    live_app.config["SITE_URL"] = live_app.config["LIVE_URL"]
    page.goto(story_url(story))
    fill_comment(page, "When does the first ferry leave?")
    page.get_by_role("checkbox", name="Email me replies to this comment").check()
    page.get_by_role("button", name="Post Comment").click()
    expect(page.locator("#comment-list .comment")).to_have_count(1)

    mail.send_queue()
    [confirmation] = inbox.to("ana@example.org")
    page.goto(link_to(confirmation, "/mail/confirm/"))
    page.get_by_role("button", name="Yes, email me replies").click()
    expect(page.get_by_role("heading", name="Confirmed")).to_be_visible()

    other = browser.new_context(base_url=live_app.config["LIVE_URL"]).new_page()
    other.goto(story_url(story))
    other.get_by_role("link", name="Reply to Ana Ruiz").click()
    expect(other.get_by_role("heading", name="Reply to Ana Ruiz")).to_be_visible()
    fill_comment(other, "At 6:10 on weekdays.", name="Ben", email="ben@example.org")
    other.get_by_role("button", name="Post Comment").click()
    expect(other.locator("#comment-list .comment")).to_have_count(2)

    mail.send_queue()
    [_confirmation, notice] = inbox.to("ana@example.org")
    assert "At 6:10 on weekdays." in text_of(notice)

    page.goto(unsubscribe_path(notice))
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="Unsubscribed")).to_be_visible()
    expect(page.locator("main")).to_contain_text(re.compile("no more emails about replies"))
