"""/favicon.ico and /manifest.webmanifest, which browsers look for at the site root."""

from __future__ import annotations

from flask import current_app, url_for

import httpcache

from . import bp

ICON_SIZES = (192, 512)


@bp.get("/favicon.ico")
def favicon():
    # Browsers and feed readers ask for this address whatever the page says; it cannot carry
    # a content hash, so it is revalidated like a page rather than cached for a year.
    return current_app.send_static_file("favicon.ico")


@bp.get("/manifest.webmanifest")
def manifest():
    config = current_app.config

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
            "name": config["SITE_NAME"],
            "short_name": config["SITE_NAME"],
            "description": config["SITE_TAGLINE"],
            "lang": config["SITE_LANGUAGE"],
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

    return httpcache.respond(httpcache.Validator(("manifest",), None), render)
