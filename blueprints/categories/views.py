"""Category listings: /<category>/ with numbered, stable pages."""

from datetime import UTC
from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for

from broadsheet.stories import category_page, find_category
from broadsheet.web import httpcache
from broadsheet.web.params import epoch_time, page_number

from . import bp


@bp.get("/<category_slug>/")
def listing(category_slug: str):
    category, renamed = find_category(category_slug)
    if category is not None and renamed:
        # A renamed category: its old address points at the new one for good.
        query: dict[str, Any] = request.args.to_dict()
        return redirect(url_for(".listing", category_slug=category.slug, **query), 301)
    number = page_number(request.args.get("page"))
    if category is None or number is None:
        abort(404)
    asof = epoch_time(request.args.get("asof"))

    def render():
        page = category_page(category, number, current_app.config["PAGE_SIZE"], asof)
        if number > page.pages:
            abort(404)
        # Page links pin the listing to the newest story on the page the reader started from.
        anchor = asof or (page.items[0].published_at if number == 1 and page.items else None)
        return render_template(
            "categories/listing.html",
            category=category,
            page=page,
            asof=int(anchor.replace(tzinfo=UTC).timestamp()) if anchor else None,
        )

    return httpcache.respond(httpcache.site_validator("listing"), render)
