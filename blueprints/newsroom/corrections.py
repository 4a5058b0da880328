"""Corrections in the newsroom (editors): a dated note added to a story, or withdrawn."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from broadsheet import publishing
from broadsheet.web.templating import is_fragment_request
from extensions import db
from models import Article, Correction

from . import bp
from .access import role_required
from .forms import CorrectionForm


def _editor(article: Article, form: CorrectionForm, status: int = 200, notice: str | None = None):
    return render_template(
        "newsroom/_corrections.html",
        article=article,
        correction_form=form,
        notice=notice,
    ), status


def _done(article: Article, message: str):
    """htmx: the fresh list and form with the message; without JavaScript: 303 to the story."""
    db.session.commit()
    if is_fragment_request():
        return _editor(article, CorrectionForm(formdata=None), notice=message)
    flash(message)
    return redirect(url_for(".story", article_id=article.id, _anchor="corrections"), 303)


@bp.post("/stories/<int:article_id>/corrections")
@role_required("editor")
def add_correction(article_id: int):
    article = db.session.get(Article, article_id) or abort(404)
    form = CorrectionForm()
    if not form.validate():
        if is_fragment_request():
            return _editor(article, form, 422)
        return render_template(
            "newsroom/correction.html", article=article, correction_form=form, notice=None
        ), 422
    publishing.correct(article, form.note.data)
    return _done(article, _("Correction added. Readers see it under the story."))


@bp.post("/corrections/<int:correction_id>/delete")
@role_required("editor")
def delete_correction(correction_id: int):
    correction = db.session.get(Correction, correction_id) or abort(404)
    article = correction.article
    publishing.withdraw_correction(correction)
    return _done(article, _("Correction removed."))
