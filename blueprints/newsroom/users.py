"""Staff accounts in the newsroom (admins only): invite people, edit their name and email,
change roles, switch off access."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from broadsheet import two_factor
from broadsheet.accounts import (
    AccountError,
    change_email,
    find_user,
    invite_user,
    invited,
    send_password_link,
    set_active,
)
from extensions import db
from models import User

from . import bp
from .access import role_required
from .forms import EmptyForm, UserEditForm, UserForm, UserRoleForm


def _page(form: UserForm, status: int = 200, error: str | None = None):
    users = list(db.session.scalars(select(User).order_by(User.email)))
    role_forms = {}
    for user in users:
        role_form = UserRoleForm(formdata=None, obj=user, prefix=f"user-{user.id}")
        role_forms[user.id] = role_form
    return render_template(
        "newsroom/users.html",
        users=users,
        form=form,
        role_forms=role_forms,
        invited=invited,
        error=error,
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
                user = invite_user(form.email.data, form.role.data, form.name.data or "")
            except AccountError:
                form.email.errors = [_("That does not look like an email address.")]
            else:
                db.session.commit()
                flash(
                    _(
                        "Invitation sent to %(name)s: they choose their own password "
                        "with the link in it.",
                        name=user.display_name,
                    )
                )
                return redirect(url_for(".users"), 303)
    return _page(form, 422)


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.post("/users/<int:user_id>/invite")
@role_required("admin")
def reinvite_staff(user_id: int):
    user = _user_or_404(user_id)
    if EmptyForm().validate() and invited(user):
        if send_password_link(user, "invite"):
            flash(_("Invitation sent again to %(name)s.", name=user.display_name))
        else:
            flash(_("Too many emails went to this address in the last hour; try again later."))
        db.session.commit()
    return redirect(url_for(".users"), 303)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def edit_staff(user_id: int):
    user = _user_or_404(user_id)
    form = UserEditForm(obj=user)
    if form.validate_on_submit():
        try:
            change_email(user, form.email.data)
        except AccountError:
            form.email.errors = [_("There is already an account for this address.")]
        else:
            user.name = form.name.data or ""
            db.session.commit()
            flash(_("Saved %(name)s.", name=user.display_name))
            return redirect(url_for(".users"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("newsroom/user_edit.html", form=form, user=user), status


@bp.post("/users/<int:user_id>")
@role_required("admin")
def update_staff(user_id: int):
    user = _user_or_404(user_id)
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


@bp.post("/users/<int:user_id>/two-factor/off")
@role_required("admin")
def staff_two_factor_off(user_id: int):
    """For someone who lost their phone and their recovery codes: they sign in with the
    password alone, and set two-factor up again (at once, where the site requires it)."""
    user = _user_or_404(user_id)
    if EmptyForm().validate() and user.totp_secret:
        two_factor.disable(user)
        db.session.commit()
        flash(_("Two-factor sign-in is off for %(name)s.", name=user.display_name))
    return redirect(url_for(".edit_staff", user_id=user.id), 303)
