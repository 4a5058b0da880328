"""Each limit is declared once, on the column: forms refuse past it and inputs say it."""

from __future__ import annotations

import re

import pytest

from models import Article, Comment, max_length


def maxlengths(html: str) -> dict[str, int]:
    """name -> maxlength of every input and textarea that has one."""
    found = {}
    for tag in re.findall(r"<(?:input|textarea)\b[^>]*>", html):
        name = re.search(r'\bname="([^"]+)"', tag)
        limit = re.search(r'\bmaxlength="(\d+)"', tag)
        if name and limit:
            found[name.group(1)] = int(limit.group(1))
    return found


def test_comment_form_inputs_carry_the_column_limits(client, make_article):
    story = make_article("Ferry times")
    html = client.get(f"/{story.category.slug}/{story.slug}").get_data(as_text=True)
    assert (
        maxlengths(html).items()
        >= {
            "body": max_length(Comment.body),
            "name": max_length(Comment.author_name),
            "email": max_length(Comment.author_email),
            "website": max_length(Comment.author_url),
        }.items()
    )


def test_story_form_inputs_carry_the_column_limits(client, login, make_category):
    login("editor")
    make_category("Local")
    html = client.get("/newsroom/stories/new").get_data(as_text=True)
    limits = maxlengths(html)
    for name in ("headline", "slug", "byline", "dateline", "image_alt", "source_url", "body"):
        assert limits[name] == max_length(getattr(Article, name)), name


@pytest.mark.parametrize("field", ["name", "body"])
def test_a_comment_past_the_column_limit_is_refused_with_the_text_kept(client, make_article, field):
    story = make_article("Ferry times")
    column = {"name": Comment.author_name, "body": Comment.body}[field]
    data = {"name": "Ana", "email": "ana@example.org", "body": "Fine."}
    data[field] = "x" * (max_length(column) + 1)
    response = client.post(f"/comments/{story.id}", data=data)
    assert response.status_code == 422
    assert data[field] in response.get_data(as_text=True)
