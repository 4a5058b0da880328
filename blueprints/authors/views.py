"""Author pages: /author/<slug>/, a member of staff with their bio, photo and stories."""

from flask import abort, current_app, render_template, request

from broadsheet import authors
from broadsheet.stories import byline_page
from broadsheet.web import httpcache
from broadsheet.web.params import page_number

from . import bp


@bp.get("/author/<slug>/")
def author(slug: str):
    profile = authors.find(slug)
    number = page_number(request.args.get("page"))
    if profile is None or number is None:
        abort(404)

    def render():
        page = byline_page(profile.user.name, number, current_app.config["PAGE_SIZE"])
        if number > page.pages:
            abort(404)
        return render_template("authors/author.html", profile=profile, page=page)

    validator = httpcache.site_validator("author", profile.updated_at, profile.user.name)
    return httpcache.respond(validator, render)
