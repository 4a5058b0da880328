"""The moderators' tools beyond the status tabs: word lists, bans, reader reports and picks."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from broadsheet import community
from extensions import db

from . import bp
from .access import role_required
from .forms import WordListsForm


@bp.route("/comments/words", methods=["GET", "POST"])
@role_required("editor")
def word_lists():
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
    return redirect(url_for(".word_lists"), 303)
