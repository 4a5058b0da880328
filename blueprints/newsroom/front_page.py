"""The front page in the newsroom (editors): the lead, the top stories, the breaking-news banner."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, get_timezone, to_utc
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from broadsheet import front_page as front
from broadsheet.clock import utcnow
from broadsheet.stories import CARD
from broadsheet.web.templating import is_fragment_request
from extensions import db
from models import Article

from . import bp
from .access import role_required
from .forms import BannerForm, FrontPageForm

# How many of the latest published stories the lists offer (pinned ones are always offered).
CHOICES = 60


def _choices(pinned: dict[int, Article]) -> list[SelectChoice]:
    recent = db.session.scalars(
        select(Article)
        .options(*CARD)
        .where(Article.status == "published", Article.published_at.is_not(None))
        .order_by(Article.published_at.desc(), Article.id.desc())
        .limit(CHOICES)
    )
    stories = {a.id: a for a in recent}
    stories.update({a.id: a for a in pinned.values() if a.status == "published"})
    now = utcnow()
    dated = [(a.published_at or now, a) for a in stories.values()]
    return [
        SelectChoice(
            a.id,
            f"{a.headline} ({a.category.name}, {format_datetime(when, 'short')})"
            + ("" if when <= now else " — " + _("not yet live")),
        )
        for when, a in sorted(dated, key=lambda pair: (pair[0], pair[1].id), reverse=True)
    ]


def _pick_form(formdata=None) -> FrontPageForm:
    pinned = front.pins()
    places = range(1, 1 + front.TOP_STORIES)
    data = {
        "lead": pinned[0].id if 0 in pinned else None,
        "top": [pinned[p].id if p in pinned else None for p in places],
    }
    form = FrontPageForm(formdata=formdata, data=data)
    choices = _choices(pinned)
    form.lead.choices = [SelectChoice("", _("The newest story")), *choices]
    for n, entry in enumerate(form.top, start=1):
        entry.label.text = _("Top story %(n)d", n=n)
        entry.choices = [SelectChoice("", _("The newest not shown above")), *choices]
    return form


def _banner_form(formdata=None) -> BannerForm:
    form = BannerForm(formdata=formdata)
    form.ends_at.description = _("In the site's time zone (%(zone)s).", zone=get_timezone().zone)
    return form


def _page(
    pick: FrontPageForm | None = None,
    banner: BannerForm | None = None,
    status: int = 200,
    notice: str | None = None,
):
    """The whole page, or for htmx the editor it replaces (#front-page-editor)."""
    template = "newsroom/_front_page.html" if is_fragment_request() else "newsroom/front_page.html"
    return render_template(
        template,
        pick=pick or _pick_form(),
        banner_form=banner or _banner_form(),
        banner=front.banner(),
        notice=notice,
    ), status


def _done(message: str):
    """htmx: the fresh editor with the message; without JavaScript: 303 back to the page."""
    db.session.commit()
    if is_fragment_request():
        return _page(notice=message)
    flash(message)
    return redirect(url_for(".front_page"), 303)


@bp.route("/front-page", methods=["GET", "POST"])
@role_required("editor")
def front_page():
    if request.method == "GET":
        return _page()
    pick = _pick_form(request.form)
    if not pick.validate():
        return _page(pick, status=422)
    front.set_pins(pick.lead.data, [entry.data for entry in pick.top])
    return _done(_("Front page saved."))


@bp.post("/front-page/banner")
@role_required("editor")
def raise_banner():
    form = _banner_form(request.form)
    valid = form.validate()
    if valid and to_utc(form.ends_at.data) <= utcnow():
        form.ends_at.errors = [*form.ends_at.errors, _("Choose a time in the future.")]
        valid = False
    if not valid:
        return _page(banner=form, status=422)
    front.raise_banner(form.text.data, form.url.data or "", to_utc(form.ends_at.data))
    return _done(_("The banner is up on every page."))


@bp.post("/front-page/banner/down")
@role_required("editor")
def take_down_banner():
    front.take_down_banner()
    return _done(_("The banner is down."))
