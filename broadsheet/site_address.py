"""The site's public address, SITE_URL: every absolute link is built from it, never from the
Host header a request happens to carry, and only the hosts it names are answered.

A request naming another host could otherwise put that host into canonical links, feeds,
sitemaps and emails, and a shared cache would keep the poisoned copy for every reader.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from flask import current_app

# Names a developer's own machine answers to; trusted outside production only.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link to one of the site's pages, from SITE_URL."""
    anchor = values.pop("_anchor", None)
    current_app.inject_url_defaults(endpoint, values)  # static files' ?v=<hash>
    adapter = current_app.url_map.bind("localhost", url_scheme="http")
    url = current_app.config["SITE_URL"].rstrip("/") + adapter.build(endpoint, values)
    return f"{url}#{quote(anchor)}" if anchor else url


def site_host() -> str:
    """SITE_URL's host name, without a port (the authority of feed ids)."""
    return urlsplit(current_app.config["SITE_URL"]).hostname or "localhost"


def trusted_hosts(config: dict, production: bool) -> list[str]:
    """Flask's TRUSTED_HOSTS: SITE_URL's host, ALLOWED_HOSTS, and loopback in development."""
    extra = config["ALLOWED_HOSTS"]
    if isinstance(extra, str):  # BROADSHEET_ALLOWED_HOSTS="www.example.org, example.org"
        extra = extra.split(",")
    hosts = [urlsplit(config["SITE_URL"]).hostname or "", *(h.strip() for h in extra)]
    if not production:
        hosts += LOOPBACK_HOSTS
    return [h for h in dict.fromkeys(hosts) if h]
