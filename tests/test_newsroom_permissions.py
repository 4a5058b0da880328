"""Who may do what in the newsroom: anonymous, writer, editor and admin × every action.

"Allowed" means the action was carried out or its page shown (200 or 303); anonymous
visitors are sent to sign in (302); staff without the role get 403.
"""

from __future__ import annotations

import pytest

from broadsheet.publishing import record
from extensions import db
from models import Comment, Revision

ROLES = ("anonymous", "writer", "editor", "admin")
SIGN_IN, FORBIDDEN = "sign-in", "forbidden"


@pytest.fixture
def world(app, make_category, make_article, make_user):
    """A category, a writer's own draft, someone else's published story, comments, users."""
    local = make_category("Local")
    empty = make_category("Empty")
    owner = make_user("writer", name="Owner")
    own = make_article("Own draft", local, status="draft", author_id=owner.id)
    other = make_article("Published story", local)
    comment = Comment(
        article_id=other.id,
        author_name="Reader",
        author_email="reader@example.org",
        body="A comment",
        status="pending",
    )
    db.session.add(comment)
    db.session.flush()
    revision = record(other, None, "created")
    own_revision = record(own, owner, "created")
    db.session.commit()
    return {
        "owner": owner,
        "own": own,
        "other": other,
        "local": local,
        "empty": empty,
        "comment": comment,
        "revision": revision,
        "own_revision": own_revision,
        "staff": make_user("writer", name="Someone"),
    }


def story_form(world, article=None, action="save") -> dict:
    data = {
        "headline": "A headline",
        "category_id": str(world["local"].id),
        "body": "Text",
        "action": action,
    }
    if article is not None:
        data["version"] = str(article.version)
    return data


# (name, method, url(world), data(world) or None, expected for writer, editor, admin)
# The writer in these tests owns "Own draft" and nothing else.
ALL = ("ok", "ok", "ok")
EDITORS = (FORBIDDEN, "ok", "ok")
ADMINS = (FORBIDDEN, FORBIDDEN, "ok")
ACTIONS = [
    ("home", "GET", lambda w: "/newsroom/", None, ALL),
    ("story list", "GET", lambda w: "/newsroom/stories", None, ALL),
    ("new story form", "GET", lambda w: "/newsroom/stories/new", None, ALL),
    ("save new draft", "POST", lambda w: "/newsroom/stories/new", story_form, ALL),
    (
        "publish new story",
        "POST",
        lambda w: "/newsroom/stories/new",
        lambda w: story_form(w, action="publish"),
        EDITORS,
    ),
    ("preview", "POST", lambda w: "/newsroom/preview", lambda w: {"body": "*x*"}, ALL),
    ("open own draft", "GET", lambda w: f"/newsroom/stories/{w['own'].id}", None, ALL),
    (
        "save own draft",
        "POST",
        lambda w: f"/newsroom/stories/{w['own'].id}",
        lambda w: story_form(w, w["own"]),
        ALL,
    ),
    (
        "publish own draft",
        "POST",
        lambda w: f"/newsroom/stories/{w['own'].id}",
        lambda w: story_form(w, w["own"], "publish"),
        EDITORS,
    ),
    (
        "view own draft as readers will",
        "GET",
        lambda w: f"/newsroom/stories/{w['own'].id}/view",
        None,
        ALL,
    ),
    (
        "view others' story as readers will",
        "GET",
        lambda w: f"/newsroom/stories/{w['other'].id}/view",
        None,
        EDITORS,
    ),
    ("open others' story", "GET", lambda w: f"/newsroom/stories/{w['other'].id}", None, EDITORS),
    (
        "save others' story",
        "POST",
        lambda w: f"/newsroom/stories/{w['other'].id}",
        lambda w: story_form(w, w["other"]),
        EDITORS,
    ),
    (
        "pending edit of others' story",
        "POST",
        lambda w: f"/newsroom/stories/{w['other'].id}",
        lambda w: story_form(w, w["other"], "pending"),
        EDITORS,
    ),
    (
        "unpublish",
        "POST",
        lambda w: f"/newsroom/stories/{w['other'].id}",
        lambda w: story_form(w, w["other"], "unpublish"),
        EDITORS,
    ),
    (
        "own revisions",
        "GET",
        lambda w: f"/newsroom/stories/{w['own'].id}/revisions",
        None,
        ALL,
    ),
    (
        "compare own revision",
        "GET",
        lambda w: f"/newsroom/revisions/{w['own_revision'].id}",
        None,
        ALL,
    ),
    (
        "restore own revision",
        "POST",
        lambda w: f"/newsroom/revisions/{w['own_revision'].id}/restore",
        dict,
        ALL,
    ),
    (
        "compare others' revision",
        "GET",
        lambda w: f"/newsroom/revisions/{w['revision'].id}",
        None,
        EDITORS,
    ),
    (
        "restore others' revision",
        "POST",
        lambda w: f"/newsroom/revisions/{w['revision'].id}/restore",
        dict,
        EDITORS,
    ),
    (
        "close comments on a story",
        "POST",
        lambda w: f"/newsroom/stories/{w['other'].id}/comments",
        lambda w: {"open": "0"},
        EDITORS,
    ),
    ("category list", "GET", lambda w: "/newsroom/categories", None, EDITORS),
    (
        "create category",
        "POST",
        lambda w: "/newsroom/categories",
        lambda w: {"name": "Weather"},
        EDITORS,
    ),
    ("category form", "GET", lambda w: f"/newsroom/categories/{w['local'].id}", None, EDITORS),
    (
        "rename category",
        "POST",
        lambda w: f"/newsroom/categories/{w['local'].id}",
        lambda w: {"name": "Local news", "slug": "local-news"},
        EDITORS,
    ),
    (
        "reorder categories",
        "POST",
        lambda w: f"/newsroom/categories/{w['empty'].id}/move",
        lambda w: {"direction": "up"},
        EDITORS,
    ),
    (
        "delete empty category",
        "POST",
        lambda w: f"/newsroom/categories/{w['empty'].id}/delete",
        dict,
        EDITORS,
    ),
    ("moderation queue", "GET", lambda w: "/newsroom/comments", None, EDITORS),
    (
        "approve comment",
        "POST",
        lambda w: f"/newsroom/comments/{w['comment'].id}/approve",
        dict,
        EDITORS,
    ),
    (
        "spam comment",
        "POST",
        lambda w: f"/newsroom/comments/{w['comment'].id}/spam",
        dict,
        EDITORS,
    ),
    (
        "delete comment",
        "POST",
        lambda w: f"/newsroom/comments/{w['comment'].id}/delete",
        dict,
        EDITORS,
    ),
    (
        "restore comment",
        "POST",
        lambda w: f"/newsroom/comments/{w['comment'].id}/restore",
        dict,
        EDITORS,
    ),
    (
        "edit comment form",
        "GET",
        lambda w: f"/newsroom/comments/{w['comment'].id}/edit",
        None,
        EDITORS,
    ),
    (
        "edit comment",
        "POST",
        lambda w: f"/newsroom/comments/{w['comment'].id}/edit",
        lambda w: {"author_name": "Reader", "body": "Edited"},
        EDITORS,
    ),
    (
        "bulk moderation",
        "POST",
        lambda w: "/newsroom/comments/bulk",
        lambda w: {"action": "approve", "ids": str(w["comment"].id)},
        EDITORS,
    ),
    ("staff list", "GET", lambda w: "/newsroom/users", None, ADMINS),
    (
        "add staff",
        "POST",
        lambda w: "/newsroom/users",
        lambda w: {"email": "new@example.org", "role": "writer"},
        ADMINS,
    ),
    (
        "change role",
        "POST",
        lambda w: f"/newsroom/users/{w['staff'].id}",
        lambda w: {f"user-{w['staff'].id}-role": "editor", f"user-{w['staff'].id}-active": "y"},
        ADMINS,
    ),
    ("edit staff", "GET", lambda w: f"/newsroom/users/{w['staff'].id}/edit", None, ADMINS),
    (
        "save staff",
        "POST",
        lambda w: f"/newsroom/users/{w['staff'].id}/edit",
        lambda w: {"name": "Renamed", "email": "renamed@example.org"},
        ADMINS,
    ),
    (
        "send invitation again",
        "POST",
        lambda w: f"/newsroom/users/{w['staff'].id}/invite",
        dict,
        ADMINS,
    ),
    (
        "turn off someone's two-factor",
        "POST",
        lambda w: f"/newsroom/users/{w['staff'].id}/two-factor/off",
        dict,
        ADMINS,
    ),
    ("own account", "GET", lambda w: "/newsroom/account", None, ALL),
    ("two-factor setup", "GET", lambda w: "/newsroom/account/two-factor", None, ALL),
    (
        "stories in bulk",
        "POST",
        lambda w: "/newsroom/stories/bulk",
        lambda w: {"action": "unpublish", "category_id": "0", "ids": str(w["other"].id)},
        EDITORS,
    ),
    ("trash list", "GET", lambda w: "/newsroom/stories?status=trash", None, ALL),
    (
        "restore from spam question",
        "GET",
        lambda w: f"/newsroom/comments/{w['comment'].id}/unspam",
        None,
        EDITORS,
    ),
    (
        "comment back to pending",
        "POST",
        lambda w: f"/newsroom/comments/{w['comment'].id}/requeue",
        dict,
        EDITORS,
    ),
    ("settings page", "GET", lambda w: "/newsroom/settings", None, ADMINS),
    (
        "change settings",
        "POST",
        lambda w: "/newsroom/settings",
        lambda w: {"site_name": "Valley Courier", "language": "en", "timezone": "Europe/Madrid"},
        ADMINS,
    ),
]


def _cases():
    for name, method, url, data, expected in ACTIONS:
        for role, outcome in zip(ROLES, (SIGN_IN, *expected), strict=True):
            yield pytest.param(role, method, url, data, outcome, id=f"{name}-{role}")


@pytest.mark.parametrize("role, method, url, data, outcome", list(_cases()))
def test_permissions(client, login, world, role, method, url, data, outcome):
    if role == "writer":
        login(user=world["owner"])
    elif role != "anonymous":
        login(role)
    target = url(world)
    if method == "GET":
        response = client.get(target)
    else:
        response = client.post(target, data=data(world) if data else {})
    if outcome == SIGN_IN:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/newsroom/login")
    elif outcome == FORBIDDEN:
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 302, 303), response.get_data(as_text=True)[:2000]
        assert not response.headers.get("Location", "").startswith("/newsroom/login")


def test_refused_actions_change_nothing(client, login, world):
    login(user=world["owner"])
    client.post(f"/newsroom/comments/{world['comment'].id}/spam")
    client.post(f"/newsroom/categories/{world['empty'].id}/delete")
    other = world["other"]
    client.post(f"/newsroom/stories/{other.id}", data=story_form(world, other, "unpublish"))
    db.session.expire_all()
    assert world["comment"].status == "pending"
    assert world["empty"] in db.session.scalars(db.select(type(world["empty"]))).all()
    assert other.status == "published" and other.headline == "Published story"
    assert db.session.scalar(db.select(db.func.count()).select_from(Revision)) == 2
