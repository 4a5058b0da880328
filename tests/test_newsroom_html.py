"""Every kind of newsroom page passes the Nu HTML checker with no errors."""

from __future__ import annotations

from broadsheet.discussion import create

from .test_html_valid import vnu  # noqa: F401
from .test_newsroom_stories import story_fields


def test_newsroom_pages_have_no_html_errors(
    client,
    app,
    login,
    make_category,
    make_article,
    vnu,  # noqa: F811
    tmp_path,
):
    login("admin")
    local = make_category("Local")
    story = make_article("Ferry timetable changes", local)
    with app.test_request_context():
        create(
            story,
            name="Mara",
            email="mara@example.org",
            url="",
            body="Hello\n\nthere",
            parent=None,
            address="127.0.0.1",
            user_agent="test",
            token=None,
        )
    client.post("/newsroom/stories/new", data=story_fields(local))
    client.post("/newsroom/stories/2", data=story_fields(local, version="1", headline="Changed"))
    client.post(f"/newsroom/stories/{story.id}/corrections", data={"note": "It was 6-1."})

    def get(path: str) -> str:
        response = client.get(path)
        assert response.status_code == 200, path
        return response.get_data(as_text=True)

    pages = {
        "stories": get("/newsroom/stories"),
        "new": get("/newsroom/stories/new"),
        "invalid": client.post(
            "/newsroom/stories/new", data=story_fields(local, headline="")
        ).get_data(as_text=True),
        "edit": get("/newsroom/stories/2"),
        "edit-with-corrections": get(f"/newsroom/stories/{story.id}"),
        "revisions": get("/newsroom/stories/2/revisions"),
        "compare": get("/newsroom/revisions/2"),
        "categories": get("/newsroom/categories"),
        "category": get(f"/newsroom/categories/{local.id}"),
        "comments": get("/newsroom/comments"),
        "comment-edit": get("/newsroom/comments/1/edit"),
        "users": get("/newsroom/users"),
        "settings": get("/newsroom/settings"),
        "front-page": get("/newsroom/front-page"),
        "front-page-invalid": client.post(
            "/newsroom/front-page/banner", data={"text": "", "url": "javascript:x"}
        ).get_data(as_text=True),
        "authors": get("/newsroom/authors"),
        "author-page": get("/newsroom/authors/1"),
        "settings-invalid": client.post(
            "/newsroom/settings", data={"site_name": "", "language": "xx", "timezone": "Nowhere"}
        ).get_data(as_text=True),
        "story-as-editor": get(f"/local/{story.slug}"),
        "trash": get("/newsroom/stories?status=trash"),
        "media": get("/newsroom/media"),
        "media-invalid": client.post("/newsroom/media", data={"alt": ""}).get_data(as_text=True),
        "account": get("/newsroom/account"),
        "two-factor": get("/newsroom/account/two-factor"),
        "edit-staff": get("/newsroom/users/1/edit"),
    }
    client.post("/newsroom/comments/1/spam")
    pages["spam"] = get("/newsroom/comments?tab=spam")
    pages["unspam"] = get("/newsroom/comments/1/unspam")
    client.post("/newsroom/logout")
    pages["login"] = get("/newsroom/login")
    pages["forgot"] = get("/newsroom/forgot")
    pages["bad-link"] = client.get("/newsroom/reset/not-a-token").get_data(as_text=True)
    assert vnu(pages, tmp_path) == []
