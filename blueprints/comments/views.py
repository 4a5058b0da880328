"""Posting, replying, editing, deleting and live-updating reader comments.

Each view answers an htmx fragment request with the partial it replaces and a plain
request with the whole page (or a 303 after a successful post), from the same templates.
"""

from __future__ import annotations

from flask import abort, current_app, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from blueprints.articles.page import render_story
from broadsheet import community, throttle
from broadsheet.discussion import (
    already_said,
    arrivals,
    changed_since,
    comments_open,
    create,
    edited,
    ip_hash,
    load_thread,
    page_cursor,
    set_status,
    shown_under,
)
from broadsheet.mail import mailbox
from broadsheet.stories import find_article
from broadsheet.web import httpcache
from broadsheet.web.auth import signed_in_staff, viewer_may_moderate
from broadsheet.web.commenter import (
    can_edit,
    chosen_sort,
    claim,
    own_ids,
    seconds_since_render,
    store_own,
    store_remembered,
    store_sort,
)
from broadsheet.web.crossorigin import sent_from_this_site
from broadsheet.web.params import epoch_time, id_param
from broadsheet.web.templating import is_fragment_request
from extensions import csrf, db
from models import Article, Comment

from . import bp, reports  # noqa: F401 (its views join bp)
from .forms import CommentBodyForm, CommentForm, EmptyForm
from .section import (
    details_to_remember,
    fresh_form,
    prepare_hidden,
    reply_target,
    section_context,
)


def _visible_article(article_id: int) -> Article | None:
    article = db.session.get(Article, article_id)
    return article if article is not None and article.is_visible() else None


def _article(article_id: int) -> Article:
    article = _visible_article(article_id)
    if article is None:
        abort(404)
    return article


def _permalink(comment: Comment) -> str:
    """The comment on the page of the list that shows it (busy stories have several)."""
    article = comment.article
    cursor = page_cursor(comment, current_app.config["COMMENTS_PER_PAGE"], own_ids())
    return url_for(
        "comments.thread" if cursor else "articles.article",
        category_slug=article.category.slug,
        slug=article.slug,
        after=cursor,
        _anchor=f"comment-{comment.id}",
    )


def _form_error(article: Article, form: CommentForm, status: int, message: str | None = None):
    """The form again with its errors and everything typed: a fragment or the whole page."""
    parent = reply_target(article, form.parent_id.data)
    prepare_hidden(form)
    if message:
        form.form_errors.append(message)
    focus = next(
        (name for name in ("body", "name", "email", "website") if form[name].errors), "body"
    )
    if is_fragment_request():
        html = render_template(
            "comments/_form.html", article=article, form=form, parent=parent, open=True, focus=focus
        )
        return html, status
    return render_story(article, form=form, parent=parent, focus=focus), status


@bp.post("/comments/<int:article_id>")
@csrf.exempt  # the form has no session token: where it came from is checked instead
def post(article_id: int):
    article = _article(article_id)
    form = CommentForm()
    if not sent_from_this_site():
        return _form_error(
            article,
            form,
            403,
            _("This comment was sent from another website, so it was not posted."),
        )
    if not comments_open(article):
        return _closed(article, form)
    if not form.validate():
        return _form_error(article, form, 422)

    existing = _submitted(form.token.data)
    if existing is not None and _same_submission(existing, article, form):
        # The same form sent twice (a double click, a retry): answer as the first time.
        return _posted(article, existing, form)
    # A token from another story's form, or from a cached copy of this page that another
    # reader posted from first, is not this post's to answer with: post without it.
    token = None if existing else form.token.data

    elapsed = seconds_since_render(form.rendered.data)
    if elapsed is None or elapsed < current_app.config["COMMENT_MIN_SECONDS"]:
        return _form_error(
            article,
            form,
            422,
            _("That was quick! Please take a moment, then post your comment again."),
        )
    parent = None
    if form.parent_id.data:
        parent = reply_target(article, form.parent_id.data)
        if parent is None:
            return _form_error(
                article, form, 422, _("The comment you are replying to is no longer available.")
            )
    if community.active_ban(form.email.data, ip_hash(request.remote_addr or "")):
        return _form_error(
            article,
            form,
            403,
            _(
                "Sorry, this site no longer accepts comments from you. Your text is below "
                "if you want to keep it."
            ),
        )
    if _has_banned_words(form):
        return _form_error(article, form, 422)
    if already_said(article, form.body.data, token):
        form.body.errors.append(_("This comment has already been posted on this story."))
        return _form_error(article, form, 422)
    if not _within_rate_limits(form):
        return _form_error(
            article,
            form,
            429,
            _("You are commenting faster than we allow. Please wait a minute and try again."),
        )
    try:
        comment = create(
            article,
            name=form.name.data,
            email=form.email.data,
            url=form.website.data or "",
            body=form.body.data,
            parent=parent,
            address=request.remote_addr or "",
            user_agent=request.user_agent.string,
            token=token,
            spam=bool(form.nickname.data),
            follow_replies=form.notify_replies.data,
            staff_role=staff.role if (staff := signed_in_staff()) else None,
            held_for=", ".join(community.matches("suspect", form.body.data)),
        )
        db.session.commit()
    except IntegrityError:
        # Copies of one form raced past the check above and another copy was stored first
        # (the token is unique): answer with that comment rather than a 500.
        db.session.rollback()
        existing = _submitted(token)
        if existing is None or existing.article_id != article.id:
            raise
        return _posted(article, existing, form)
    return _posted(article, comment, form)


def _has_banned_words(form: CommentBodyForm) -> bool:
    """Whether the text holds a banned word; if so the field says which ones."""
    banned = community.matches("banned", form.body.data)
    if banned:
        form.body.errors.append(
            _(
                "This site does not publish comments with these words: %(words)s. "
                "Please reword your comment; your text is kept.",
                words=", ".join(f"“{w}”" for w in banned),
            )
        )
    return bool(banned)


def _within_rate_limits(form: CommentForm) -> bool:
    """Count this comment, in the transaction that stores it, so only stored ones count.

    Each reader (an address and the email they give) has COMMENT_RATE_LIMIT; an address
    that many readers share (an office, a mobile carrier) has the looser
    COMMENT_ADDRESS_RATE_LIMIT in all.
    """
    network = throttle.network(request.remote_addr or "")
    return throttle.take(
        ("COMMENT_RATE_LIMIT", f"{network} {mailbox(form.email.data)}"),
        ("COMMENT_ADDRESS_RATE_LIMIT", network),
    )


def _submitted(token: str | None) -> Comment | None:
    """The comment already stored from the form with this submission token, if any."""
    if not token:
        return None
    return db.session.scalar(select(Comment).where(Comment.submission_token == token))


def _same_submission(existing: Comment, article: Article, form: CommentForm) -> bool:
    return (
        existing.article_id == article.id
        and existing.author_email == form.email.data
        and existing.body == form.body.data
    )


def _posted(article: Article, comment: Comment, form: CommentForm):
    claim(comment)
    if is_fragment_request():
        html = render_template(
            "comments/_posted.html",
            article=article,
            comment=comment,
            list_parent=shown_under(comment),
            form=fresh_form(details=details_to_remember(form)),
            parent=None,
            open=True,
            own_ids=own_ids(),
            sort=chosen_sort(),
        )
        response: Response = make_response(html, 200)
        # The old form goes (it may sit under a reply); a fresh one arrives out of band.
        response.headers["HX-Reswap"] = "delete"
    else:
        response = redirect(_permalink(comment), 303)
    store_own(response)
    store_remembered(response, details_to_remember(form))
    return response


def _closed(article: Article, form: CommentForm):
    """Comments closed while the reader wrote: say so, and keep their text to copy."""
    if is_fragment_request():
        return render_template(
            "comments/_form.html", article=article, form=form, parent=None, open=False
        ), 403
    return render_story(article, form=form), 403


@bp.get("/comments/<int:article_id>/form")
def reply_form(article_id: int):
    """The comment form, under the comment being answered (htmx) or on the page (no JS)."""
    article = _article(article_id)
    parent = reply_target(article, request.args.get("replyto"))
    if not is_fragment_request():
        return redirect(
            url_for(
                "articles.article",
                category_slug=article.category.slug,
                slug=article.slug,
                replyto=parent.id if parent else None,
                _anchor="respond",
            ),
            303,
        )
    response = make_response(
        render_template(
            "comments/_moved_form.html",
            article=article,
            form=fresh_form(parent),
            parent=parent,
            open=comments_open(article),
            focus="body",
        )
    )
    # The form carries its render stamp: each reader gets their own, never a stored copy.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<category_slug>/<slug>/comments")
def thread(category_slug: str, slug: str):
    """More comments: the next page of the list (htmx) or the story showing that page."""
    article, _renamed = find_article(slug)
    if article is None:
        abort(404)
    after = id_param(request.args.get("after"))

    def render():
        if not is_fragment_request():
            return render_story(article, after=after)
        mine = own_ids()
        sort = chosen_sort()
        per_page = current_app.config["COMMENTS_PER_PAGE"]
        thread = load_thread(article, per_page, after, mine, sort)
        # Focus moves to the first comment loaded, so a keyboard reader carries on from there.
        first = thread.nodes[0].comment.id if thread.nodes else None
        return render_template(
            "comments/_list.html",
            article=article,
            thread=thread,
            own_ids=mine,
            sort=sort,
            focus_comment=first,
        )

    # Like the story page: the same for every anonymous reader, so caches may keep it.
    return httpcache.respond(httpcache.story_validator(article), render)


@bp.get("/comments/<int:article_id>/order")
def order(article_id: int):
    """The reader picks an order: the section again (htmx) or the story in that order."""
    article = _article(article_id)
    sort = chosen_sort()
    if is_fragment_request():
        response: Response = make_response(
            render_template(
                "comments/_section.html", article=article, comments=section_context(article)
            )
        )
    else:
        response = redirect(
            url_for(
                "articles.article",
                category_slug=article.category.slug,
                slug=article.slug,
                sort=sort,
                _anchor="comments",
            ),
            303,
        )
    store_sort(response, sort)
    return response


@bp.get("/comments/<int:article_id>/new")
def live(article_id: int):
    """Comments approved since the page was opened; 204 when there are none (cheap polling)."""
    article = _article(article_id)
    since = epoch_time(request.args.get("since"), per_second=1_000_000)
    if since is None:
        abort(400)
    mine = own_ids()
    fresh = changed_since(article, since, mine)
    if not fresh:
        return "", 204
    latest = max(c.changed_at for c in fresh)
    return render_template(
        "comments/_live.html",
        article=article,
        placed=arrivals(fresh),
        arrived=len(fresh),
        live_since=latest,
        own_ids=mine,
        sort=chosen_sort(),
    )


def _own_comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or not comment.article.is_visible():
        abort(404)
    if not can_edit(comment):
        if is_fragment_request() and comment.id in own_ids():
            html = render_template(
                "comments/_edit_closed.html", comment=comment, article=comment.article
            )
            abort(make_response(html, 403))
        abort(403)
    return comment


@bp.route("/comments/c/<int:comment_id>/edit", methods=["GET", "POST"])
def edit(comment_id: int):
    comment = _own_comment(comment_id)
    form = CommentBodyForm(data={"body": comment.body} if request.method == "GET" else None)
    if request.method == "POST" and form.validate() and not _has_banned_words(form):
        edited(comment, form.body.data)
        db.session.commit()
        if is_fragment_request():
            return render_template(
                "comments/_card.html", comment=comment, article=comment.article, own_ids=own_ids()
            )
        return redirect(_permalink(comment), 303)
    status = 422 if request.method == "POST" else 200
    template = "comments/_edit_form.html" if is_fragment_request() else "comments/edit.html"
    return render_template(template, comment=comment, form=form, article=comment.article), status


@bp.get("/comments/c/<int:comment_id>")
def show(comment_id: int):
    """The comment in its story, for a cancelled edit or a link from elsewhere: only to those
    who may see it (anyone once it is approved, its author, a moderator)."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or not comment.article.is_visible():
        abort(404)
    shown = comment.status == "approved" or comment.id in own_ids() or viewer_may_moderate()
    if not shown:
        abort(404)
    if is_fragment_request():
        return render_template(
            "comments/_card.html", comment=comment, article=comment.article, own_ids=own_ids()
        )
    return redirect(_permalink(comment), 303)


@bp.route("/comments/c/<int:comment_id>/delete", methods=["GET", "POST"])
def delete(comment_id: int):
    comment = _own_comment(comment_id)
    form = EmptyForm()
    if request.method == "GET":
        return render_template(
            "comments/delete.html", comment=comment, form=form, article=comment.article
        )
    set_status(comment, "deleted")
    db.session.commit()
    if is_fragment_request():
        return render_template("comments/_deleted.html", comment=comment, article=comment.article)
    return redirect(
        url_for(
            "articles.article",
            category_slug=comment.article.category.slug,
            slug=comment.article.slug,
            _anchor="comments",
        ),
        303,
    )
