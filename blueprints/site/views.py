"""/favicon.ico and /manifest.webmanifest, which browsers look for at the site root."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import get_locale

from broadsheet.locales import language_tag, site_settings
from broadsheet.web import httpcache

from . import bp

ICON_SIZES = (192, 512)


@bp.get("/favicon.ico")
def favicon():
    # Browsers and feed readers ask for this address whatever the page says; it cannot carry
    # a content hash, so it is revalidated like a page rather than cached for a year.
    return current_app.send_static_file("favicon.ico")


@bp.get("/manifest.webmanifest")
def manifest():
    settings = site_settings()

    def render():
        icons = [
            {
                "src": url_for("static", filename=f"img/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
            }
            for size in ICON_SIZES
        ]
        icons.append(
            {
                "src": url_for("static", filename="favicon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
            }
        )
        body = {
            "name": settings["SITE_NAME"],
            "short_name": settings["SITE_NAME"],
            "description": settings["SITE_TAGLINE"],
            "lang": language_tag(get_locale()),
            "start_url": url_for("articles.index"),
            "scope": url_for("articles.index"),
            "display": "browser",
            "background_color": "#fffdf9",
            "theme_color": "#b3261e",
            "icons": icons,
        }
        response = current_app.json.response(body)
        response.mimetype = "application/manifest+json"
        return response

    return httpcache.respond(
        httpcache.Validator(("manifest", tuple(settings.items())), None), render
    )
