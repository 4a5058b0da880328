"""The article page, rendered by the articles view and by comment views that must show it whole."""

from __future__ import annotations

from flask import current_app, render_template

from blueprints.comments.section import section_context
from broadsheet.stories import related
from models import Article


def render_story(article: Article, **comment_state) -> str:
    """The whole story page; comment_state carries a form with errors, a reply or a cursor."""
    more = related(article, current_app.config["RELATED_COUNT"])
    return render_template(
        "articles/article.html",
        article=article,
        related=more,
        comments=section_context(article, **comment_state),
    )
