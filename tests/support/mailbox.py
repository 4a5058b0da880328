"""Reading the emails the test SMTP server received: parts, links and the paths they open."""

from __future__ import annotations

import re
from email.message import EmailMessage
from urllib.parse import urlsplit

from broadsheet import mail

_URL = re.compile(r"https?://[^\s<>\"]+")


def deliver() -> mail.SendReport:
    """Run the sender once, as `flask mail send-queue` does."""
    return mail.send_queue()


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def links_in(message: EmailMessage) -> list[str]:
    return _URL.findall(text_of(message))


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def link_to(message: EmailMessage, fragment: str) -> str:
    """The path of the one link in the message whose URL contains `fragment`."""
    [url] = [u for u in links_in(message) if fragment in u]
    return path_of(url)


def unsubscribe_path(message: EmailMessage) -> str:
    header = str(message["List-Unsubscribe"])
    assert header.startswith("<") and header.endswith(">")
    return path_of(header[1:-1])
