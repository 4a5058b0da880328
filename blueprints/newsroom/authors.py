"""Author pages in the newsroom: each member of staff edits their own; editors edit anyone's."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from broadsheet import authors
from broadsheet.slugs import slugify
from broadsheet.web.uploads import takes_picture
from extensions import db
from models import AuthorPage, User

from . import bp
from .access import role_required
from .forms import AuthorPageForm
from .pictures import take_picture


@bp.get("/authors")
@role_required("editor")
def author_pages():
    people = db.session.scalars(select(User).order_by(User.name, User.email)).all()
    pages = {p.user_id: p for p in db.session.scalars(select(AuthorPage))}
    return render_template("newsroom/authors.html", people=people, pages=pages)


@bp.route("/authors/<int:user_id>", methods=["GET", "POST"])
@takes_picture
@role_required("writer")
def author_page(user_id: int):
    person = db.session.get(User, user_id) or abort(404)
    if person.id != current_user.id and not current_user.at_least("editor"):
        abort(403)
    page = authors.page_of(person)
    context = {"person": person, "page": page, "saved": page in db.session}
    if request.method == "GET":
        form = AuthorPageForm(formdata=None, obj=page)
        return render_template("newsroom/author_page.html", form=form, **context)
    form = AuthorPageForm()
    valid = form.validate()
    slug = slugify(form.slug.data or person.display_name, 80)
    if not slug:
        form.slug.errors = [*form.slug.errors, _("Use letters and numbers in the slug.")]
        valid = False
    elif authors.slug_taken(slug, person.id):
        form.slug.errors = [*form.slug.errors, _("Another author page already uses this address.")]
        valid = False
    photo = take_picture(form.photo_file)
    if not valid or form.photo_file.errors:
        return render_template("newsroom/author_page.html", form=form, **context), 422
    page.slug, page.bio = slug, form.bio.data or ""
    if photo:
        page.photo = photo
    elif form.remove_photo.data:
        page.photo = None
    db.session.add(page)
    db.session.commit()
    flash(_("Author page saved."))
    return redirect(url_for(".author_page", user_id=person.id), 303)
