"""Old links of imported stories, in the one form legacy_redirects stores and looks up."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit


def legacy_path(url: str | None) -> str | None:
    """How an old link is stored: "?p=123" for query links, else the decoded path without a
    trailing slash ("/2021/07/11/slug"). None for the bare front page."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    p = parse_qs(parts.query).get("p")
    if p and p[0].isdigit():
        return f"?p={p[0]}"
    path = unquote(parts.path).rstrip("/")
    if not path or path in ("/index.php",):
        return None
    return path if path.startswith("/") else "/" + path
