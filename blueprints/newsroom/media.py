"""The media library: upload pictures once, find them by their words, use them in stories.

The story editor's picture picker is this list as a fragment (htmx), with a button that
writes the picture's Markdown line into the story."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from broadsheet import media_library
from broadsheet.web.params import page_number
from broadsheet.web.templating import is_fragment_request
from broadsheet.web.uploads import takes_picture
from extensions import db

from . import bp
from .access import role_required
from .forms import MediaForm
from .pictures import take_picture


def _query() -> str:
    return (request.args.get("q") or "").strip()[: current_app.config["SEARCH_MAX_QUERY_LENGTH"]]


@bp.route("/media", methods=["GET", "POST"])
@takes_picture
@role_required("writer")
def media():
    form = MediaForm()
    if request.method == "POST":
        stem = take_picture(form.file) if form.validate() else None
        if stem:
            media_library.add(
                stem, current_user, form.alt.data, form.caption.data or "", form.credit.data or ""
            )
            db.session.commit()
            flash(_("The picture is in the library."))
            return redirect(url_for(".media"), 303)
        return _library(form, 422)
    if is_fragment_request():
        return render_template(
            "newsroom/_picker.html",
            picker_page=media_library.find(_query(), 1, media_library.PICKER_SIZE),
            markdown=media_library.markdown,
        )
    return _library(form)


def _library(form: MediaForm, status: int = 200):
    number = page_number(request.args.get("page"))
    if number is None:
        abort(404)
    query = _query()
    page = media_library.find(query, number, current_app.config["NEWSROOM_PAGE_SIZE"])
    return render_template(
        "newsroom/media.html", form=form, page=page, query=query, markdown=media_library.markdown
    ), status
