"""Readers report a comment to the moderators: a form under the comment (htmx) or a page."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from broadsheet import community, throttle
from broadsheet.discussion import ip_hash
from broadsheet.web.templating import is_fragment_request
from extensions import db
from models import Comment

from . import bp
from .forms import ReportForm


def _reportable(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.status != "approved" or not comment.article.is_visible():
        abort(404)
    return comment


def _answer(comment: Comment, form: ReportForm | None, outcome: str | None, status: int = 200):
    """The form or the outcome: a fragment for the card's #report-slot-<id>, or a page."""
    template = "comments/_report.html" if is_fragment_request() else "comments/report.html"
    context = {"comment": comment, "article": comment.article, "form": form, "outcome": outcome}
    return render_template(template, **context), status


@bp.route("/comments/c/<int:comment_id>/report", methods=["GET", "POST"])
def report(comment_id: int):
    comment = _reportable(comment_id)
    if request.method == "GET":
        if request.args.get("sent"):
            return _answer(comment, None, "sent")
        return _answer(comment, ReportForm(formdata=None), None)
    form = ReportForm()
    if not form.validate():
        return _answer(comment, form, None, 422)
    reporter = ip_hash(request.remote_addr or "")
    if community.already_reported(comment, reporter):
        return _answer(comment, None, "already")
    if not throttle.take(
        ("COMMENT_REPORT_RATE_LIMIT", throttle.network(request.remote_addr or ""))
    ):
        return _answer(comment, form, "too-fast", 429)
    community.report(comment, form.reason.data, form.note.data or "", reporter)
    db.session.commit()
    if is_fragment_request():
        return _answer(comment, None, "sent")
    return redirect(url_for(".report", comment_id=comment.id, sent=1), 303)
