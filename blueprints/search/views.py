"""Search: /search?q= over published stories."""

from flask import abort, current_app, render_template, request

from broadsheet.search import MAX_TERMS, has_unused_words, search
from broadsheet.stories import nav_categories
from broadsheet.web import httpcache
from broadsheet.web.params import page_number

from . import bp


@bp.get("/search")
def results():
    limit = current_app.config["SEARCH_MAX_QUERY_LENGTH"]
    query = request.args.get("q", "").strip()
    number = page_number(request.args.get("page"))
    if number is None:
        abort(404)
    too_long = len(query) > limit
    # Only what is searched is shown back: a pasted essay must not fill the page or title.
    query = query[:limit]
    sections = nav_categories()
    wanted = request.args.get("section", "")
    section = next((c for c in sections if c.slug == wanted), None)

    def render():
        size = current_app.config["SEARCH_PAGE_SIZE"]
        page = search(query, number, size, section)
        if page.total and number > page.pages:
            abort(404)
        return render_template(
            "search/results.html",
            query=query,
            page=page,
            too_long=too_long,
            too_many_words=has_unused_words(query),
            max_words=MAX_TERMS,
            sections=sections,
            section=section,
        )

    return httpcache.respond(httpcache.site_validator("search"), render)
