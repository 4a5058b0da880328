"""Load clients for the reliability tests: processes that read and comment like a browser.

Kept free of application imports so that each spawned client starts quickly. Every loop is
bounded by a deadline and a count, and traffic only goes to 127.0.0.1.
"""

from __future__ import annotations

import http.client
import os
import re
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field

HOST = "127.0.0.1"
HX = {"HX-Request": "true"}
MAX_POSTS = 100_000
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_RENDERED = re.compile(r'name="rendered" type="hidden" value="([^"]+)"')
_COMMENT_ID = re.compile(r'id="comment-(\d+)"')
_LOCATION_ID = re.compile(r"#comment-(\d+)$")


class Session:
    """One browser: its cookies, a new connection per request (gunicorn's sync workers close)."""

    def __init__(self, port: int, timeout: float = 30) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, fields: dict | None = None, headers: dict | None = None
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            sent = {"Connection": "close", **(headers or {})}
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            data = None
            if fields is not None:
                data = urllib.parse.urlencode(fields).encode()
                sent["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=data, headers=sent)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for cookie in response.headers.get_all("Set-Cookie") or []:
                self._keep(cookie)
            return response.status, dict(response.headers), text
        finally:
            conn.close()

    def _keep(self, header: str) -> None:
        name, _, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        if not value or "Max-Age=0" in header or "expires=Thu, 01 Jan 1970" in header:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value


def form_fields(html: str) -> dict[str, str]:
    """The hidden fields a rendered comment form carries: its render stamp, and a CSRF token
    when the form has one (the anonymous comment form has none)."""
    rendered = _RENDERED.search(html)
    if not rendered:
        raise RuntimeError("no comment form on the page")
    fields = {"rendered": rendered.group(1)}
    if csrf := _CSRF.search(html):
        fields["csrf_token"] = csrf.group(1)
    return fields


def comment_id(status: int, headers: dict[str, str], text: str) -> int | None:
    """The id of the comment a successful post answered with (303 Location or htmx fragment)."""
    if status == 303:
        match = _LOCATION_ID.search(headers.get("Location", ""))
    else:
        match = _COMMENT_ID.search(text)
    return int(match.group(1)) if match else None


@dataclass
class Tally:
    """What one client did: every body sent, which were acknowledged, and what went wrong."""

    sent: list[str] = field(default_factory=list)
    acked: list[str] = field(default_factory=list)
    acked_at: list[float] = field(default_factory=list)  # wall clock, to compare across processes
    refused: list[tuple[int, str]] = field(default_factory=list)  # 4xx: not an error, not acked
    errors: list[str] = field(default_factory=list)  # 5xx and broken connections
    server_errors: int = 0
    reads: int = 0
    read_failures: list[str] = field(default_factory=list)
    slowest_read: float = 0.0


def write_comments(
    port: int,
    article_path: str,
    article_id: int,
    seconds: float,
    label: str,
    stop_file: str | None = None,
    read_every: int = 4,
) -> Tally:
    """Post uniquely worded comments until the deadline (or the stop file), reading the page
    every few posts."""
    tally = Tally()
    session = Session(port)
    deadline = time.monotonic() + seconds
    hidden = None
    n = 0
    while time.monotonic() < deadline and n < MAX_POSTS:
        if stop_file and os.path.exists(stop_file):
            break
        n += 1
        if hidden is None or n % read_every == 0:
            page = _read(session, article_path, tally)
            if page is not None:
                hidden = form_fields(page)
            if hidden is None:
                time.sleep(0.05)  # the server may be restarting; try again shortly
                continue
        body = f"{label} comment {n} {uuid.uuid4().hex}"
        fields = {
            "name": f"Reader {label}",
            "email": "reader@example.org",
            "website": "",
            "body": body,
            "token": uuid.uuid4().hex,
            "parent_id": "",
            "nickname": "",
            **hidden,
        }
        tally.sent.append(body)
        try:
            status, _headers, _text = session.request(
                "POST", f"/comments/{article_id}", fields, HX if n % 2 else None
            )
        except (OSError, http.client.HTTPException) as error:
            tally.errors.append(f"POST: {type(error).__name__}: {error}")
            hidden = None
            continue
        if status in (200, 303):
            tally.acked.append(body)
            tally.acked_at.append(time.time())
        elif status >= 500:
            tally.server_errors += 1
            tally.errors.append(f"POST: HTTP {status}")
        else:
            tally.refused.append((status, body))
    return tally


def _read(session: Session, path: str, tally: Tally) -> str | None:
    started = time.monotonic()
    try:
        status, _headers, text = session.request("GET", path)
    except (OSError, http.client.HTTPException) as error:
        tally.read_failures.append(f"GET: {type(error).__name__}: {error}")
        return None
    tally.reads += 1
    tally.slowest_read = max(tally.slowest_read, time.monotonic() - started)
    if status != 200:
        tally.read_failures.append(f"GET: HTTP {status}")
        if status >= 500:
            tally.server_errors += 1
        return None
    return text


def double_submit(
    port: int,
    article_id: int,
    cookies: dict[str, str],
    forms: list[dict[str, str]],
    barrier,
    htmx: bool,
) -> list[tuple[str, int, int | None]]:
    """Send each form at the same moment as the other clients: (token, status, comment id)."""
    session = Session(port)
    session.cookies = dict(cookies)
    answers = []
    for fields in forms:
        barrier.wait(timeout=30)
        try:
            status, headers, text = session.request(
                "POST", f"/comments/{article_id}", fields, HX if htmx else None
            )
        except (OSError, http.client.HTTPException):
            answers.append((fields["token"], -1, None))
            continue
        answers.append((fields["token"], status, comment_id(status, headers, text)))
    return answers


def double_submit_into(queue, *args) -> None:
    """double_submit() in a process of its own, its answers put on the queue."""
    queue.put(double_submit(*args))
