"""Staff accounts in the newsroom (admins only): add people, change roles, switch off access."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from broadsheet.accounts import AccountError, create_user, find_user, set_active
from extensions import db
from models import User

from . import bp
from .access import role_required
from .forms import UserForm, UserRoleForm


def _page(form: UserForm, status: int = 200, error: str | None = None):
    users = list(db.session.scalars(select(User).order_by(User.email)))
    role_forms = {}
    for user in users:
        role_form = UserRoleForm(formdata=None, obj=user, prefix=f"user-{user.id}")
        role_forms[user.id] = role_form
    return render_template(
        "newsroom/users.html", users=users, form=form, role_forms=role_forms, error=error
    ), status


@bp.get("/users")
@role_required("admin")
def users():
    return _page(UserForm(formdata=None))


@bp.post("/users")
@role_required("admin")
def create_staff():
    form = UserForm()
    if form.validate():
        if find_user(form.email.data) is not None:
            form.email.errors = [_("There is already an account for this address.")]
        else:
            try:
                user = create_user(
                    form.email.data, form.password.data, form.role.data, form.name.data or ""
                )
            except AccountError:
                form.email.errors = [_("That does not look like an email address.")]
            else:
                db.session.commit()
                flash(_("Account created for %(name)s.", name=user.display_name))
                return redirect(url_for(".users"), 303)
    form.password.data = ""
    return _page(form, 422)


@bp.post("/users/<int:user_id>")
@role_required("admin")
def update_staff(user_id: int):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    form = UserRoleForm(prefix=f"user-{user.id}")
    if not form.validate():
        return _page(UserForm(formdata=None), 422, _("Choose one of the roles listed."))
    if user.id == current_user.id and (form.role.data != "admin" or not form.active.data):
        # An admin who removes their own access may leave the site with no admin at all.
        return _page(
            UserForm(formdata=None),
            409,
            _("You cannot take away your own admin access; ask another admin."),
        )
    user.role = form.role.data
    set_active(user, bool(form.active.data))
    db.session.commit()
    flash(_("Saved %(name)s.", name=user.display_name))
    return redirect(url_for(".users"), 303)
