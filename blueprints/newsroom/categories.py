"""Categories in the newsroom: create, rename (old addresses redirect), reorder, delete."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, func, select

from broadsheet.stories import nav_categories
from extensions import db
from models import Article, Category, CategorySlugAlias

from . import bp
from .access import role_required
from .forms import CategoryForm, EmptyForm


def _category(category_id: int) -> Category:
    category = db.session.get(Category, category_id)
    if category is None:
        abort(404)
    return category


def _story_counts() -> dict[int, int]:
    rows = db.session.execute(
        select(Article.category_id, func.count()).group_by(Article.category_id)
    )
    return dict(rows.all())


def _slug_free(slug: str, category: Category | None) -> bool:
    own_id = category.id if category else None
    owner = db.session.scalar(select(Category.id).where(Category.slug == slug))
    if owner is not None and owner != own_id:
        return False
    alias_owner = db.session.scalar(
        select(CategorySlugAlias.category_id).where(CategorySlugAlias.slug == slug)
    )
    return alias_owner is None or alias_owner == own_id


def _list_page(form: CategoryForm, status: int = 200, error: str | None = None):
    return render_template(
        "newsroom/categories.html",
        categories=nav_categories(),
        counts=_story_counts(),
        form=form,
        error=error,
        button_form=EmptyForm(),
    ), status


@bp.route("/categories", methods=["GET", "POST"])
@role_required("editor")
def categories():
    form = CategoryForm() if request.method == "POST" else CategoryForm(formdata=None)
    if request.method == "GET":
        return _list_page(form)
    if form.validate():
        if not _slug_free(form.slug.data, None):
            form.slug.errors = [_("Another category already uses this address.")]
        else:
            last = db.session.scalar(select(func.max(Category.nav_order))) or 0
            category = Category(
                name=form.name.data,
                slug=form.slug.data,
                description=form.description.data or "",
                nav_order=last + 1,
            )
            db.session.add(category)
            db.session.commit()
            flash(_("Category “%(name)s” created.", name=category.name))
            return redirect(url_for(".categories"), 303)
    return _list_page(form, 422)


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@role_required("editor")
def category(category_id: int):
    category = _category(category_id)
    if request.method == "GET":
        form = CategoryForm(formdata=None, obj=category)
        return render_template(
            "newsroom/category.html", category=category, form=form, aliases=_aliases(category)
        )
    form = CategoryForm()
    if form.validate():
        if not _slug_free(form.slug.data, category):
            form.slug.errors = [_("Another category already uses this address.")]
        else:
            rename(category, form.slug.data)
            category.name = form.name.data
            category.description = form.description.data or ""
            db.session.commit()
            flash(_("Category “%(name)s” saved.", name=category.name))
            return redirect(url_for(".categories"), 303)
    return render_template(
        "newsroom/category.html", category=category, form=form, aliases=_aliases(category)
    ), 422


def _aliases(category: Category) -> list[str]:
    return list(
        db.session.scalars(
            select(CategorySlugAlias.slug)
            .where(CategorySlugAlias.category_id == category.id)
            .order_by(CategorySlugAlias.slug)
        )
    )


def rename(category: Category, new_slug: str) -> None:
    """A new slug; the old one stays as an alias so its listing and story URLs answer 301."""
    old = category.slug
    if new_slug == old:
        return
    db.session.execute(
        delete(CategorySlugAlias).where(
            CategorySlugAlias.slug == new_slug, CategorySlugAlias.category_id == category.id
        )
    )
    db.session.add(CategorySlugAlias(slug=old, category_id=category.id))
    category.slug = new_slug


@bp.post("/categories/<int:category_id>/move")
@role_required("editor")
def move_category(category_id: int):
    """One place up or down the navigation."""
    category = _category(category_id)
    if not EmptyForm().validate():
        abort(400)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    ordered = nav_categories()
    index = ordered.index(category)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.nav_order = position
    db.session.commit()
    return redirect(url_for(".categories"), 303)


@bp.post("/categories/<int:category_id>/delete")
@role_required("editor")
def delete_category(category_id: int):
    category = _category(category_id)
    if not EmptyForm().validate():
        abort(400)
    stories = _story_counts().get(category.id, 0)
    if stories:
        message = ngettext(
            "“%(name)s” still has %(num)d story. Move it to another category first.",
            "“%(name)s” still has %(num)d stories. Move them to another category first.",
            stories,
            name=category.name,
        )
        return _list_page(CategoryForm(formdata=None), 409, message)
    name = category.name
    db.session.delete(category)
    db.session.commit()
    flash(_("Category “%(name)s” deleted.", name=name))
    return redirect(url_for(".categories"), 303)
