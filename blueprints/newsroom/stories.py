"""Stories in the newsroom: the list, writing and editing, preview, publishing, revisions."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, get_timezone, ngettext, to_user_timezone, to_utc
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from blueprints.articles.page import render_story
from broadsheet import media_library, publishing, search
from broadsheet.accounts import can_edit, can_publish, can_save_live
from broadsheet.clock import utcnow
from broadsheet.pagination import Page
from broadsheet.rendering import markdown_to_html
from broadsheet.stories import nav_categories, slug_taken
from broadsheet.web.params import id_param, page_number
from broadsheet.web.templating import is_fragment_request
from broadsheet.web.uploads import takes_picture
from extensions import db
from models import Article, Revision, User

from . import bp
from .access import role_required, safe_next
from .forms import CorrectionForm, EmptyForm, PreviewForm, StoriesBulkForm, StoryForm
from .pictures import take_picture

ACTIONS = ("save", "publish", "schedule", "unpublish", "pending", "preview")
STATES = ("draft", "scheduled", "published", "trash")
_STEM = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def _story(article_id: int) -> Article:
    article = db.session.get(Article, article_id)
    if article is None or article.deleted_at is not None:
        abort(404)
    if not can_edit(current_user, article):
        abort(403)
    return article


# --- The list ---------------------------------------------------------------------------------


@bp.get("/stories")
@role_required("writer")
def stories():
    number = page_number(request.args.get("page"))
    if number is None:
        abort(404)
    filters: dict[str, Any] = {
        "status": request.args.get("status", "") if request.args.get("status") in STATES else "",
        "category": id_param(request.args.get("category")),
        "author": id_param(request.args.get("author")),
        "q": (request.args.get("q") or "").strip()[: current_app.config["SEARCH_MAX_QUERY_LENGTH"]],
    }
    now = utcnow()
    trash = filters["status"] == "trash"
    stmt = select(Article).where(
        Article.deleted_at.is_not(None) if trash else Article.deleted_at.is_(None)
    )
    if not current_user.at_least("editor"):
        stmt = stmt.where(Article.author_id == current_user.id)
    if filters["status"] == "draft":
        stmt = stmt.where(Article.status == "draft")
    elif filters["status"] == "scheduled":
        stmt = stmt.where(Article.status == "published", Article.published_at > now)
    elif filters["status"] == "published":
        stmt = stmt.where(Article.visible(now))
    if filters["category"]:
        stmt = stmt.where(Article.category_id == filters["category"])
    if filters["author"]:
        stmt = stmt.where(Article.author_id == filters["author"])
    if filters["q"]:
        like = (
            "%" + filters["q"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        in_text = search.text_matches(filters["q"])
        stmt = stmt.where(
            or_(
                Article.headline.ilike(like, escape="\\"),
                Article.byline.ilike(like, escape="\\"),
                Article.slug.ilike(like, escape="\\"),
                *([in_text] if in_text is not None else []),
            )
        )
    per_page = current_app.config["NEWSROOM_PAGE_SIZE"]
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.options(selectinload(Article.author))
        .order_by(
            *((Article.deleted_at.desc(),) if trash else ()),
            Article.updated_at.desc(),
            Article.id.desc(),
        )
        .limit(per_page)
        .offset((number - 1) * per_page)
    )
    page = Page(list(rows), number, per_page, total)
    pending_ids = set(
        db.session.scalars(
            select(Revision.article_id).where(
                Revision.pending.is_(True), Revision.article_id.in_([a.id for a in page.items])
            )
        )
    )
    return render_template(
        "newsroom/stories.html",
        page=page,
        filters=filters,
        categories=nav_categories(),
        authors=list(db.session.scalars(select(User).order_by(User.name, User.email))),
        pending_ids=pending_ids,
        state=publishing.state,
        now=now,
        toggle_form=EmptyForm(),
        bulk_form=_bulk_form(formdata=None),
        trash_days=current_app.config["TRASH_DAYS"],
    )


def _bulk_form(**kwargs) -> StoriesBulkForm:
    form = StoriesBulkForm(**kwargs)
    form.category_id.choices = [SelectChoice(0, _("Choose a category"))] + [
        SelectChoice(c.id, c.name) for c in nav_categories()
    ]
    return form


def _back_to_stories():
    target = safe_next(request.form.get("next"))
    return redirect(
        target if target and target.startswith("/newsroom/stories") else url_for(".stories"), 303
    )


@bp.post("/stories/bulk")
@role_required("editor")
def bulk_stories():
    """Publish, unpublish, move or trash every ticked story, then the list again."""
    form = _bulk_form()
    ids = [n for n in map(id_param, request.form.getlist("ids")) if n is not None][:500]
    if not form.validate():
        abort(400)
    if not ids:
        flash(_("Tick at least one story, then choose what to do."))
        return _back_to_stories()
    if form.action.data == "move" and not form.category_id.data:
        flash(_("Choose the category to move the stories to."))
        return _back_to_stories()
    chosen = list(
        db.session.scalars(select(Article).where(Article.id.in_(ids), Article.deleted_at.is_(None)))
    )
    changed = publishing.change_many(chosen, form.action.data, current_user, form.category_id.data)
    db.session.commit()
    flash(_bulk_message(form.action.data, changed))
    return _back_to_stories()


def _bulk_message(action: str, n: int) -> str:
    if action == "publish":
        return ngettext("%(num)d story published.", "%(num)d stories published.", n)
    if action == "unpublish":
        return ngettext("%(num)d story unpublished.", "%(num)d stories unpublished.", n)
    if action == "move":
        return ngettext("%(num)d story moved.", "%(num)d stories moved.", n)
    return ngettext("%(num)d story moved to the trash.", "%(num)d stories moved to the trash.", n)


@bp.post("/stories/<int:article_id>/untrash")
@role_required("editor")
def untrash_story(article_id: int):
    article = db.session.get(Article, article_id)
    if article is None or article.deleted_at is None:
        abort(404)
    if not EmptyForm().validate():
        abort(400)
    publishing.restore_from_trash(article, current_user)
    db.session.commit()
    flash(_("“%(headline)s” is back, as a draft.", headline=article.headline))
    return redirect(url_for(".story", article_id=article.id), 303)


# --- Writing and editing ----------------------------------------------------------------------


def _category_choices(form: StoryForm) -> None:
    form.category_id.choices = [SelectChoice(c.id, c.name) for c in nav_categories()]


def _form_for(article: Article) -> StoryForm:
    form = StoryForm(formdata=None, obj=article)
    form.tags.data = ", ".join(tag.name for tag in article.tags)
    form.version.data = str(article.version)
    if article.status == "published" and article.published_at is not None:
        # The field speaks the site's time zone; the database keeps UTC.
        form.publish_at.data = to_user_timezone(article.published_at).replace(tzinfo=None)
    _category_choices(form)
    return form


def _valid_stem(stem: str | None) -> bool:
    """A stem the upload step made: safe characters, and its files are really there."""
    if not stem or not _STEM.match(stem):
        return False
    widths = current_app.config["IMAGE_WIDTHS"]
    return Path(current_app.config["UPLOAD_FOLDER"], f"{stem}-{widths[-1]}.jpg").is_file()


def _story_data(form: StoryForm, article: Article | None, image: str | None) -> dict[str, Any]:
    """The editable fields as the form sets them (the slug only when one was typed)."""
    data = {
        "headline": form.headline.data,
        "category_id": form.category_id.data,
        "byline": form.byline.data or "",
        "teaser": form.teaser.data or "",
        "dateline": form.dateline.data or "",
        "body": form.body.data or "",
        "image": image,
        "image_alt": form.image_alt.data or "" if image else "",
        "image_caption": form.image_caption.data or "",
        "image_credit": form.image_credit.data or "",
        "image_focus": form.image_focus.data or "",
        "source_name": form.source_name.data or "",
        "source_url": form.source_url.data or "",
        "copyright": form.copyright.data or "",
        "comments_open": bool(form.comments_open.data),
        "tags": form.tag_names(),
    }
    if form.slug.data:
        data["slug"] = form.slug.data
    elif article is not None:
        data["slug"] = article.slug
    return data


def _allowed(action: str, article: Article | None) -> bool:
    if action == "preview":
        return True
    if article is None:
        return action in ("save", "publish", "schedule") and (
            action == "save" or can_publish(current_user)
        )
    if action == "save":
        return can_save_live(current_user, article)
    if action == "pending":
        return article.status == "published"
    return can_publish(current_user)


def _render_form(form: StoryForm, article: Article | None, status: int = 200):
    pending = []
    if article is not None:
        pending = list(
            db.session.scalars(
                select(Revision)
                .where(Revision.article_id == article.id, Revision.pending.is_(True))
                .order_by(Revision.created_at.desc(), Revision.id.desc())
            )
        )
    form.publish_at.description = _(
        "For Schedule: when the story goes live, in the site's time zone (%(zone)s).",
        zone=get_timezone().zone,
    )
    return render_template(
        "newsroom/story_form.html",
        form=form,
        article=article,
        preview=markdown_to_html(form.body.data or ""),
        pending=pending,
        state=publishing.state(article) if article else "draft",
        may_publish=can_publish(current_user),
        may_save=article is None or can_save_live(current_user, article),
        action_form=EmptyForm(),
        correction_form=CorrectionForm(formdata=None),
        notice=None,
        picker_page=media_library.find("", 1, media_library.PICKER_SIZE),
        markdown=media_library.markdown,
    ), status


def _save(form: StoryForm, article: Article | None):
    """Validate, store and report one press of Save, Publish, Schedule, Unpublish or Pending."""
    action = request.form.get("action", "save")
    if action not in ACTIONS:
        abort(400)
    if not _allowed(action, article):
        abort(403)
    valid = form.validate()
    new_stem = take_picture(form.image_file)
    if new_stem:
        form.uploaded_image.data = new_stem
    if action == "preview":
        form.form_errors.clear()
        return _render_form(form, article, 200)

    image = new_stem or (
        form.uploaded_image.data if _valid_stem(form.uploaded_image.data) else None
    )
    if image is None and article is not None and not form.remove_image.data:
        image = article.image
    if image and not form.image_alt.data:
        form.image_alt.errors = [
            *form.image_alt.errors,
            _("Describe the picture for readers who cannot see it."),
        ]
        valid = False
    if form.slug.data and slug_taken(form.slug.data, ignore_id=article.id if article else None):
        form.slug.errors = [*form.slug.errors, _("Another story already uses this address.")]
        valid = False
    when = to_utc(form.publish_at.data) if form.publish_at.data else None
    if action == "schedule" and (when is None or when <= utcnow()):
        form.publish_at.errors = [
            *form.publish_at.errors,
            _("Choose a time in the future to schedule, or use Publish now."),
        ]
        valid = False
    if image is not None and not valid:
        form.uploaded_image.data = image
    if not valid or form.image_file.errors:
        return _render_form(form, article, 422)

    if article is not None:
        expected = int(form.version.data) if (form.version.data or "").isdigit() else -1
        if expected != article.version or (
            action != "pending" and not publishing.claim_version(article, expected)
        ):
            db.session.rollback()
            return _conflict(form, article)

    data = _story_data(form, article, image)
    if action == "pending":
        assert article is not None, "only a story that exists takes a pending edit"
        merged = {**publishing.snapshot(article), **data}
        publishing.record(article, current_user, "pending", data=merged, pending=True)
        db.session.commit()
        flash(
            _(
                "Your edit is saved as pending; the published story is unchanged "
                "until an editor publishes it."
            )
        )
        return redirect(url_for(".story", article_id=article.id), 303)

    created = article is None
    if article is None:
        article = Article(author_id=current_user.id, status="draft", version=1)
        db.session.add(article)
    with db.session.no_autoflush:
        if image and image != article.image:  # a new featured picture joins the library
            media_library.add(
                image, current_user, data["image_alt"], data["image_caption"], data["image_credit"]
            )
        publishing.apply(article, data)
    if action == "publish":
        publishing.publish_now(article)
    elif action == "schedule" and when is not None:
        publishing.schedule(article, when.replace(second=0, microsecond=0))
    elif action == "unpublish":
        publishing.unpublish(article)
    db.session.flush()
    word = {"save": "created" if created else "saved", "publish": "published"}.get(
        action, action + "d"
    )
    publishing.record(article, current_user, word)
    db.session.commit()
    flash(_flash_for(action, article, created))
    return redirect(url_for(".story", article_id=article.id), 303)


def _flash_for(action: str, article: Article, created: bool) -> str:
    if action == "publish":
        return _("Published. The story is live.")
    if action == "schedule":
        return _(
            "Scheduled. The story goes live at %(when)s.",
            when=format_datetime(article.published_at, "medium"),
        )
    if action == "unpublish":
        return _("Unpublished. Readers can no longer see the story.")
    return _("Draft created.") if created else _("Saved.")


def _conflict(form: StoryForm, article: Article):
    """Someone saved since this form was opened: keep what was typed, say so, save nothing."""
    article = db.session.get_one(Article, article.id)
    latest = publishing.latest_revision(article)
    who = latest.user.display_name if latest and latest.user else _("someone else")
    form.form_errors.append(
        _(
            "%(who)s saved this story after you opened it, so your changes were not saved "
            "(that would have lost theirs). Your text is still below: open the latest version "
            "in a new tab, copy your changes across, and save there.",
            who=who,
        )
    )
    return _render_form(form, article, 409)


@bp.route("/stories/new", methods=["GET", "POST"])
@takes_picture
@role_required("writer")
def new_story():
    form = StoryForm() if request.method == "POST" else StoryForm(formdata=None)
    _category_choices(form)
    if request.method == "GET":
        form.byline.data = current_user.name
        form.comments_open.data = True
        return _render_form(form, None)
    return _save(form, None)


@bp.route("/stories/<int:article_id>", methods=["GET", "POST"])
@takes_picture
@role_required("writer")
def story(article_id: int):
    article = _story(article_id)
    if request.method == "GET":
        return _render_form(_form_for(article), article)
    form = StoryForm()
    _category_choices(form)
    return _save(form, article)


@bp.get("/stories/<int:article_id>/view")
@role_required("writer")
def view_story(article_id: int):
    """The story exactly as readers will see it, before it is published or while scheduled."""
    return render_story(_story(article_id))


@bp.post("/preview")
@role_required("writer")
def preview():
    """The story body as readers will see it: a fragment for htmx, or nothing to show."""
    form = PreviewForm()
    if not form.validate():
        return render_template("newsroom/_preview.html", preview=""), 422
    return render_template("newsroom/_preview.html", preview=markdown_to_html(form.body.data or ""))


@bp.post("/stories/<int:article_id>/comments")
@role_required("editor")
def toggle_comments(article_id: int):
    """Open or close comments on one story."""
    article = _story(article_id)
    form = EmptyForm()
    if not form.validate():
        abort(400)
    article.comments_open = request.form.get("open") == "1"
    db.session.commit()
    if is_fragment_request():
        return render_template(
            "newsroom/_comments_toggle.html", article=article, toggle_form=EmptyForm()
        )
    flash(_("Comments are open.") if article.comments_open else _("Comments are closed."))
    return redirect(safe_next(request.form.get("next")) or url_for(".stories"), 303)


# --- Revisions ------------------------------------------------------------------------------


def _revision(revision_id: int) -> Revision:
    revision = db.session.get(Revision, revision_id)
    if revision is None:
        abort(404)
    _story(revision.article_id)
    return revision


@bp.get("/stories/<int:article_id>/revisions")
@role_required("writer")
def revisions(article_id: int):
    article = _story(article_id)
    rows = list(
        db.session.scalars(
            select(Revision)
            .where(Revision.article_id == article.id)
            .order_by(Revision.created_at.desc(), Revision.id.desc())
        )
    )
    return render_template(
        "newsroom/revisions.html", article=article, revisions=rows, action_form=EmptyForm()
    )


@bp.get("/revisions/<int:revision_id>")
@role_required("writer")
def revision(revision_id: int):
    """What this revision changed: against the one before it, or another chosen with ?against."""
    revision = _revision(revision_id)
    against_id = id_param(request.args.get("against"))
    other: Revision | None
    if against_id:
        other = _revision(against_id)
        if other.article_id != revision.article_id:
            abort(404)
    else:
        other = db.session.scalar(
            select(Revision)
            .where(
                Revision.article_id == revision.article_id,
                Revision.pending.is_(False),
                Revision.id != revision.id,
                Revision.created_at <= revision.created_at,
                or_(Revision.created_at < revision.created_at, Revision.id < revision.id),
            )
            .order_by(Revision.created_at.desc(), Revision.id.desc())
            .limit(1)
        )
    before = json.loads(other.snapshot) if other else {}
    after = json.loads(revision.snapshot)
    return render_template(
        "newsroom/revision.html",
        article=revision.article,
        revision=revision,
        other=other,
        changes=publishing.compare(before, after),
        action_form=EmptyForm(),
        may_publish=can_publish(current_user),
        may_save=can_save_live(current_user, revision.article),
    )


@bp.post("/revisions/<int:revision_id>/restore")
@role_required("writer")
def restore(revision_id: int):
    """Put a revision's fields back onto the story, as a new save (nothing is lost)."""
    revision = _revision(revision_id)
    article = revision.article
    form = EmptyForm()
    if not form.validate():
        abort(400)
    publish = revision.pending
    if not (can_publish(current_user) if publish else can_save_live(current_user, article)):
        abort(403)
    data = publishing.pending_changes(revision) if publish else json.loads(revision.snapshot)
    if data.get("slug") and slug_taken(data["slug"], ignore_id=article.id):
        data.pop("slug")
    publishing.claim_version(article, article.version)
    with db.session.no_autoflush:
        publishing.apply(article, {k: v for k, v in data.items() if k in publishing.EDITABLE})
    db.session.flush()
    publishing.record(article, current_user, "applied" if publish else "restored")
    # Kept in the history, where it shows who wrote the edit and when.
    revision.pending = False
    db.session.commit()
    flash(_("The pending edit is published.") if publish else _("The revision is restored."))
    return redirect(url_for(".story", article_id=article.id), 303)
