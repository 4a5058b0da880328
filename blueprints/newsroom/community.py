"""The moderators' tools beyond the status tabs: word lists, bans, reader reports and picks."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from broadsheet import community
from broadsheet.discussion import set_status
from broadsheet.web.params import id_param
from broadsheet.web.templating import is_fragment_request
from extensions import db
from models import Article, Comment, CommentBan

from . import bp
from .access import role_required, safe_next
from .forms import BanForm, DiscussionForm, EmptyForm, WordListsForm


@bp.route("/comments/words", methods=["GET", "POST"])
@role_required("editor")
def comment_word_lists():
    if request.method == "GET":
        data = {kind: community.word_list(kind) for kind in ("banned", "suspect")}
        form = WordListsForm(formdata=None, data=data)
        return render_template("newsroom/word_lists.html", form=form)
    form = WordListsForm()
    if not form.validate():
        return render_template("newsroom/word_lists.html", form=form), 422
    community.save_word_list("banned", form.banned.data or "")
    community.save_word_list("suspect", form.suspect.data or "")
    db.session.commit()
    flash(_("Word lists saved."))
    return redirect(url_for(".comment_word_lists"), 303)


def _comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    return comment


@bp.route("/comments/<int:comment_id>/ban", methods=["GET", "POST"])
@role_required("editor")
def ban_commenter(comment_id: int):
    """Refuse the comment's author from now on: a form beside the row (htmx) or a page."""
    comment = _comment(comment_id)
    form = BanForm() if request.method == "POST" else BanForm(formdata=None)
    back: dict[str, Any] = {"tab": request.values.get("tab"), "page": request.values.get("page")}
    if request.method == "POST" and form.validate():
        community.ban(
            comment,
            form.reason.data,
            by_address=form.by_address.data,
            moderator_id=current_user.id,
        )
        db.session.commit()
        message = _("%(name)s may no longer comment.", name=comment.author_name)
        if is_fragment_request():
            return render_template("newsroom/_ban_done.html", comment=comment, message=message)
        flash(message)
        return redirect(url_for(".comments", **back), 303)
    status = 422 if request.method == "POST" else 200
    template = "newsroom/_ban_form.html" if is_fragment_request() else "newsroom/ban.html"
    return render_template(template, comment=comment, form=form, back=back), status


@bp.get("/comments/bans")
@role_required("editor")
def comment_bans():
    return render_template("newsroom/bans.html", bans=community.active_bans(), form=EmptyForm())


@bp.post("/comments/bans/<int:ban_id>/lift")
@role_required("editor")
def lift_ban(ban_id: int):
    row = db.session.get(CommentBan, ban_id)
    if row is None:
        abort(404)
    if not EmptyForm().validate():
        abort(400)
    community.lift(row)
    db.session.commit()
    flash(_("Ban lifted: %(name)s may comment again.", name=row.author_name))
    return redirect(url_for(".comment_bans"), 303)


@bp.context_processor
def _community_context() -> dict:
    return {"reported_total": community.reported_count}


@bp.get("/comments/reported")
@role_required("editor")
def reported_comments():
    """Comments readers reported, most reported first, with their reasons and notes."""
    return render_template(
        "newsroom/reported.html", reported=community.reported_comments(), form=EmptyForm()
    )


# What each decision on a reported comment does to its status.
DECISIONS = {"keep": "approved", "spam": "spam", "delete": "deleted"}


@bp.post("/comments/reported/<int:comment_id>/<any(keep, spam, delete):decision>")
@role_required("editor")
def decide(comment_id: int, decision: str):
    comment = _comment(comment_id)
    if not EmptyForm().validate():
        abort(400)
    set_status(comment, DECISIONS[decision])
    community.close_reports(comment)
    db.session.commit()
    name = comment.author_name
    message = {
        "keep": _("Kept: the comment by %(name)s is shown, its reports are closed.", name=name),
        "spam": _("The comment by %(name)s was marked as spam.", name=name),
        "delete": _("The comment by %(name)s was deleted.", name=name),
    }[decision]
    if is_fragment_request():
        return render_template("newsroom/_decided.html", comment=comment, message=message)
    flash(message)
    return redirect(url_for(".reported_comments"), 303)


@bp.post("/comments/<int:comment_id>/<any(feature, unfeature):pick>")
@role_required("editor")
def feature(comment_id: int, pick: str):
    """Make an approved comment an editors' pick, or stop, from the queue or the story."""
    comment = _comment(comment_id)
    if not EmptyForm().validate():
        abort(400)
    if comment.status != "approved" and pick == "feature":
        abort(409)
    community.feature(comment, pick == "feature")
    db.session.commit()
    on_story = request.form.get("context") == "story"
    if is_fragment_request():
        if on_story:
            return render_template(
                "newsroom/_story_tools.html", comment=comment, article=comment.article
            )
        return render_template(
            "newsroom/_comment_row.html",
            comment=comment,
            tab=request.values.get("tab") or "approved",
            page_number=request.values.get("page") or 1,
            story_filter=id_param(request.values.get("story")),
        )
    if pick == "feature":
        flash(_("The comment by %(name)s is featured.", name=comment.author_name))
    else:
        flash(_("The comment by %(name)s is no longer featured.", name=comment.author_name))
    if on_story and (target := safe_next(request.form.get("next"))):
        return redirect(target, 303)
    return redirect(url_for(".comments", tab=request.values.get("tab")), 303)


@bp.route("/stories/<int:article_id>/discussion", methods=["GET", "POST"])
@role_required("editor")
def discussion_settings(article_id: int):
    """One story's comment settings: pre-moderate everything, and a note above the comments."""
    article = db.session.get(Article, article_id)
    if article is None:
        abort(404)
    if request.method == "GET":
        data = {"premoderated": article.comments_premoderated, "notice": article.comments_notice}
        form = DiscussionForm(formdata=None, data=data)
        return render_template("newsroom/discussion.html", article=article, form=form)
    form = DiscussionForm()
    if not form.validate():
        return render_template("newsroom/discussion.html", article=article, form=form), 422
    community.configure(article, premoderated=form.premoderated.data, notice=form.notice.data)
    db.session.commit()
    flash(_("Comment settings saved."))
    return redirect(url_for(".discussion_settings", article_id=article.id), 303)


@bp.get("/comments/queue")
@role_required("editor")
def queue_more():
    """The next pending rows after the last one shown (htmx), for a queue that never reloads."""
    after = db.session.get(Comment, id_param(request.args.get("after")) or 0)
    story_id = id_param(request.args.get("story"))
    per_page = current_app.config["NEWSROOM_PAGE_SIZE"]
    rows = community.pending_after(after, story_id, per_page + 1)
    if not is_fragment_request():
        return redirect(url_for(".comments", tab="pending", story=story_id), 303)
    return render_template(
        "newsroom/_queue_more.html",
        rows=rows[:per_page],
        more=len(rows) > per_page,
        tab="pending",
        page_number=1,
        story_filter=story_id,
    )
