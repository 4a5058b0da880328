"""Comment moderation: tabs by status, per-row actions in place with htmx, bulk actions.

Every status change goes through discussion.set_status, which keeps each story's comment
count right. Each action answers an htmx request with the row (and the tab counts out of
band) and a plain form post with a 303 back to the tab it came from.
"""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import selectinload

from broadsheet import community
from broadsheet.clock import utcnow
from broadsheet.discussion import set_status
from broadsheet.pagination import Page
from broadsheet.web.params import id_param, page_number
from broadsheet.web.templating import is_fragment_request
from extensions import db
from models import Article, Comment

from . import bp
from .access import role_required, safe_next
from .forms import BulkForm, CommentEditForm, EmptyForm

TABS = ("pending", "approved", "spam", "deleted")
# What each button does to a comment's status.
ACTIONS = {
    "approve": "approved",
    "spam": "spam",
    "delete": "deleted",
    "restore": "approved",
    "requeue": "pending",
}


def status_counts(story_id: int | None = None) -> dict[str, int]:
    stmt = (
        select(Comment.status, func.count())
        .where(Comment.erased_at.is_(None))
        .group_by(Comment.status)
    )
    if story_id:
        stmt = stmt.where(Comment.article_id == story_id)
    rows = db.session.execute(stmt)
    counts = dict.fromkeys(TABS, 0)
    counts.update(dict(rows.all()))
    return counts


def _tab() -> str:
    tab = request.values.get("tab") or "pending"
    return tab if tab in TABS else "pending"


def _story_filter() -> int | None:
    """The one story whose comments are shown (?story=<id>), or None for all."""
    return id_param(request.values.get("story"))


def _page_number() -> int:
    return page_number(request.values.get("page")) or 1


def _comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.erased_at is not None:
        abort(404)
    return comment


def _list_context(tab: str, number: int) -> dict:
    per_page = current_app.config["NEWSROOM_PAGE_SIZE"]
    story_id = _story_filter()
    # Comments erased at their author's request are gone from the newsroom for good.
    where: tuple[ColumnElement[bool], ...] = (Comment.status == tab, Comment.erased_at.is_(None))
    if story_id:
        where += (Comment.article_id == story_id,)
    total = db.session.scalar(select(func.count()).select_from(Comment).where(*where)) or 0
    newest_first = tab != "pending"  # the queue reads oldest first, like a queue
    order = (
        (Comment.created_at.desc(), Comment.id.desc())
        if newest_first
        else (Comment.created_at, Comment.id)
    )
    rows = db.session.scalars(
        select(Comment)
        .where(*where)
        .options(selectinload(Comment.article), selectinload(Comment.parent))
        .order_by(*order)
        .limit(per_page)
        .offset((number - 1) * per_page)
    )
    return {
        "tab": tab,
        "page": Page(list(rows), number, per_page, total),
        "counts": status_counts(story_id),
        "story": db.session.get(Article, story_id) if story_id else None,
        "story_filter": story_id,
        "bulk_form": BulkForm(formdata=None),
    }


@bp.get("/comments")
@role_required("editor")
def comments():
    number = page_number(request.args.get("page"))
    if number is None:
        abort(404)
    context = _list_context(_tab(), number)
    if is_fragment_request():
        return render_template("newsroom/_moderation.html", **context)
    return render_template("newsroom/comments.html", **context)


def _back_to_list():
    return redirect(
        url_for(".comments", tab=_tab(), page=_page_number(), story=_story_filter()), 303
    )


def _row(comment: Comment, status: int = 200):
    """The row in its new state, with the tab counts swapped in out of band."""
    return render_template(
        "newsroom/_comment_row.html",
        comment=comment,
        tab=_tab(),
        page_number=_page_number(),
        counts=status_counts(_story_filter()),
        story_filter=_story_filter(),
        oob_counts=True,
    ), status


@bp.get("/comments/<int:comment_id>/unspam")
@role_required("editor")
def unspam_question(comment_id: int):
    """Restoring from spam: approve it, or back to the pending queue?"""
    comment = _comment(comment_id)
    if comment.status != "spam":
        return _back_to_list()
    context = {
        "comment": comment,
        "tab": _tab(),
        "page_number": _page_number(),
        "story_filter": _story_filter(),
    }
    if is_fragment_request():
        return render_template("newsroom/_unspam.html", **context)
    return render_template("newsroom/unspam.html", **context)


@bp.post("/comments/<int:comment_id>/<any(approve, spam, delete, restore, requeue):action>")
@role_required("editor")
def moderate(comment_id: int, action: str):
    comment = _comment(comment_id)
    if not EmptyForm().validate():
        abort(400)
    set_status(comment, ACTIONS[action])
    community.close_reports(comment)
    db.session.commit()
    on_story = request.form.get("context") == "story"
    if is_fragment_request():
        if on_story:
            db.session.refresh(comment.article)  # the recount ran as SQL
            return render_template(
                "newsroom/_story_card.html", comment=comment, article=comment.article
            )
        return _row(comment)
    flash(_done_message(action, 1))
    if on_story and (target := safe_next(request.form.get("next"))):
        return redirect(target, 303)
    return _back_to_list()


def _done_message(action: str, n: int) -> str:
    if action == "approve":
        return ngettext("%(num)d comment approved.", "%(num)d comments approved.", n)
    if action == "spam":
        return ngettext("%(num)d comment marked as spam.", "%(num)d comments marked as spam.", n)
    if action == "delete":
        return ngettext("%(num)d comment deleted.", "%(num)d comments deleted.", n)
    if action == "requeue":
        return ngettext(
            "%(num)d comment is back in the pending queue.",
            "%(num)d comments are back in the pending queue.",
            n,
        )
    return ngettext("%(num)d comment restored.", "%(num)d comments restored.", n)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@role_required("editor")
def edit_comment(comment_id: int):
    """Correct a comment's name or text (a typo, a phone number that should not be there)."""
    comment = _comment(comment_id)
    if request.method == "GET":
        form = CommentEditForm(formdata=None, obj=comment)
    else:
        form = CommentEditForm()
        if form.validate():
            if (comment.author_name, comment.body) != (form.author_name.data, form.body.data):
                comment.author_name = form.author_name.data
                comment.body = form.body.data
                comment.edited_at = utcnow()  # readers see "(edited)", as for their own edits
            db.session.commit()
            if is_fragment_request():
                return _row(comment)
            flash(_("Comment saved."))
            return _back_to_list()
    status = 422 if request.method == "POST" else 200
    context = {
        "comment": comment,
        "form": form,
        "tab": _tab(),
        "page_number": _page_number(),
        "story_filter": _story_filter(),
    }
    if is_fragment_request():
        return render_template("newsroom/_comment_edit.html", **context), status
    return render_template("newsroom/comment_edit.html", **context), status


@bp.get("/comments/<int:comment_id>")
@role_required("editor")
def comment_row(comment_id: int):
    """One row as it stands (a cancelled edit); without htmx, its tab."""
    comment = _comment(comment_id)
    if is_fragment_request():
        return render_template(
            "newsroom/_comment_row.html",
            comment=comment,
            tab=_tab(),
            page_number=_page_number(),
            story_filter=_story_filter(),
            oob_counts=False,
        )
    return _back_to_list()


@bp.post("/comments/bulk")
@role_required("editor")
def bulk():
    """The chosen action on every ticked row, then the list again."""
    form = BulkForm()
    ids = [n for n in map(id_param, request.form.getlist("ids")) if n is not None]
    tab, number = _tab(), _page_number()
    if not form.validate() or not ids:
        if is_fragment_request():
            context = _list_context(tab, number)
            context["bulk_error"] = _("Tick at least one comment, then choose what to do.")
            return render_template("newsroom/_moderation.html", **context), 422
        flash(_("Tick at least one comment, then choose what to do."))
        return _back_to_list()
    chosen = list(
        db.session.scalars(
            select(Comment).where(Comment.id.in_(ids[:500]), Comment.erased_at.is_(None))
        )
    )
    for comment in chosen:
        set_status(comment, ACTIONS[form.action.data])
        community.close_reports(comment)
    db.session.commit()
    message = _done_message(form.action.data, len(chosen))
    if is_fragment_request():
        context = _list_context(tab, number)
        context["bulk_message"] = message
        return render_template("newsroom/_moderation.html", **context)
    flash(message)
    return _back_to_list()
