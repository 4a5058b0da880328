"""The front page and the article page."""

from flask import abort, redirect, render_template, request, url_for

from blueprints.articles.page import render_story
from blueprints.comments.section import reply_target
from broadsheet.front_page import front_page
from broadsheet.stories import find_article
from broadsheet.web import httpcache

from . import bp


@bp.get("/")
def index():
    def render():
        lead, top, sections = front_page()
        return render_template("articles/index.html", lead=lead, top=top, sections=sections)

    return httpcache.respond(httpcache.site_validator("front"), render)


@bp.get("/<category_slug>/<slug>")
def article(category_slug: str, slug: str):
    story, renamed = find_article(slug)
    if story is None:
        abort(404)
    if renamed or story.category.slug != category_slug:
        return redirect(
            url_for(".article", category_slug=story.category.slug, slug=story.slug), 301
        )
    return httpcache.respond(
        httpcache.story_validator(story),
        lambda: render_story(story, parent=reply_target(story, request.args.get("replyto"))),
    )
