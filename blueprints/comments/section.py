"""The comment section of a story page: its thread, its form, and the comment being answered."""

from __future__ import annotations

from flask import current_app, request

from broadsheet import community
from broadsheet.clock import precise_utcnow
from broadsheet.discussion import Node, Thread, comments_open, load_thread
from broadsheet.web.commenter import (
    chosen_sort,
    own_ids,
    remembered,
    seconds_since_render,
    signed_render_time,
)
from broadsheet.web.params import id_param
from extensions import db
from models import Article, Comment

from .forms import CommentForm


def details_to_remember(form: CommentForm) -> dict[str, str]:
    """What the reader asked us to remember from this form (nothing if the box is clear)."""
    if not form.remember.data:
        return {}
    return {"name": form.name.data, "email": form.email.data, "website": form.website.data or ""}


def fresh_form(parent: Comment | None = None, details: dict[str, str] | None = None) -> CommentForm:
    """An empty form, with the reader's remembered (or just given) details filled in."""
    details = remembered() if details is None else details
    form = CommentForm(formdata=None)
    form.name.data = details.get("name", "")
    form.email.data = details.get("email", "")
    form.website.data = details.get("website", "")
    form.remember.data = bool(details)
    form.parent_id.data = str(parent.id) if parent else ""
    prepare_hidden(form)
    return form


def prepare_hidden(form: CommentForm) -> CommentForm:
    """Render stamp and submission token. A form shown again (with an error) keeps the stamp
    of its first showing: a person who fixes a mistake quickly is not posting too fast."""
    if seconds_since_render(form.rendered.data) is None:
        form.rendered.data = signed_render_time()
    if not form.token.data:
        form.token.data = CommentForm.new_token()
    return form


def reply_target(article: Article, raw: str | None) -> Comment | None:
    """The comment a reader is answering, if it is a shown comment of this story."""
    wanted = id_param(raw)
    if wanted is None:
        return None
    parent = db.session.get(Comment, wanted)
    if parent is None or parent.article_id != article.id:
        return None
    if parent.status != "approved" and parent.id not in own_ids():
        return None
    return parent


def section_context(
    article: Article,
    *,
    form: CommentForm | None = None,
    parent: Comment | None = None,
    after: int | None = None,
    focus: str | None = None,
) -> dict:
    """Everything templates/comments/_section.html needs."""
    mine = own_ids()
    per_page = current_app.config["COMMENTS_PER_PAGE"]
    view = "featured" if request.args.get("view") == "featured" else "all"
    if view == "featured":
        thread = Thread([Node(c) for c in community.featured(article.id, per_page)], None)
    else:
        thread = load_thread(article, per_page, after, mine, chosen_sort(), through=True)
    if form is None:
        form = fresh_form(parent)
    return {
        "thread": thread,
        "form": form,
        "parent": parent,
        "open": comments_open(article),
        "own_ids": mine,
        "live_since": precise_utcnow(),
        "focus": focus,
        "view": view,
        "sort": chosen_sort(),
        "featured_count": community.featured_count(article.id),
    }
