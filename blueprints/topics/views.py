"""Topic pages: /topic/<slug>/, a topic's stories newest first, with a feed."""

from flask import abort, current_app, render_template, request
from sqlalchemy import select

from broadsheet.stories import topic_page
from broadsheet.web import httpcache
from broadsheet.web.params import page_number
from extensions import db
from models import Tag

from . import bp


@bp.get("/topic/<slug>/")
def topic(slug: str):
    tag = db.session.scalar(select(Tag).where(Tag.slug == slug))
    number = page_number(request.args.get("page"))
    if tag is None or number is None:
        abort(404)

    def render():
        page = topic_page(tag, number, current_app.config["PAGE_SIZE"])
        if number > page.pages:
            abort(404)
        return render_template("topics/topic.html", tag=tag, page=page)

    return httpcache.respond(httpcache.site_validator("topic"), render)
