"""The site's settings (admins only): its name and tagline, language and time zone."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import format_datetime, refresh
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from broadsheet import search
from broadsheet.clock import utcnow
from broadsheet.locales import language_choices, site_settings, timezone_choices
from extensions import db
from models import SiteSetting

from . import bp
from .access import role_required
from .forms import SettingsForm

FIELDS = {
    "site_name": "SITE_NAME",
    "site_tagline": "SITE_TAGLINE",
    "language": "SITE_LANGUAGE",
    "timezone": "SITE_TIMEZONE",
    "require_two_factor": "REQUIRE_TWO_FACTOR",
}


def _stored(value) -> str:
    """A setting as it is saved: switches as "true" / "false"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value or ""


def _page(form: SettingsForm, status: int = 200, error: str | None = None):
    return render_template("newsroom/settings.html", form=form, error=error), status


def _save(changed: dict[str, str]) -> None:
    for name, value in changed.items():
        row = db.session.get(SiteSetting, name)
        if row is None:
            db.session.add(SiteSetting(name=name, value=value, updated_at=utcnow()))
        else:
            row.value, row.updated_at = value, utcnow()
    if "SITE_LANGUAGE" in changed:
        search.use_search_language(changed["SITE_LANGUAGE"])
    db.session.commit()


@bp.route("/settings", methods=["GET", "POST"])
@role_required("admin")
def settings():
    current = site_settings()
    if request.method == "POST":
        form = SettingsForm()
    else:
        data: dict[str, Any] = {f: current[s] for f, s in FIELDS.items()}
        data["require_two_factor"] = _stored(data["require_two_factor"]) == "true"
        form = SettingsForm(formdata=None, data=data)
    form.language.choices = language_choices(current["SITE_LANGUAGE"])
    form.timezone.choices = timezone_choices()
    form.timezone.description = _(
        "Dates and times on the site are shown in this time zone. "
        "Site time now: %(now)s (%(zone)s).",
        now=format_datetime(utcnow(), "short"),
        zone=current["SITE_TIMEZONE"],
    )
    if request.method == "GET":
        return _page(form)
    if not form.validate():
        return _page(form, 422)
    wanted = {setting: _stored(getattr(form, f).data) for f, setting in FIELDS.items()}
    changed = {s: v for s, v in wanted.items() if v != _stored(current[s])}
    if changed:
        try:
            _save(changed)
        except IntegrityError:
            # Another admin saved the first settings at the same moment: keep what was typed.
            db.session.rollback()
            message = _("Someone else saved the settings just now; check them and save again.")
            return _page(form, 409, message)
        # This response (its message) already speaks the new language.
        g.pop("request_site_settings", None)
        refresh()
        flash(_("Settings saved."))
    else:
        flash(_("Nothing to save: the settings are as they were."))
    return redirect(url_for(".settings"), 303)
