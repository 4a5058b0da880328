"""Every kind of reader page passes the Nu HTML checker (npm vnu-jar) with no errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from broadsheet.clock import utcnow
from broadsheet.front_page import raise_banner
from broadsheet.mail import unsubscribe_token
from broadsheet.notifications import confirm_token, moderation_token, subscribe
from broadsheet.privacy import erase_token
from broadsheet.publishing import correct
from broadsheet.web.commenter import signed_render_time
from extensions import db
from models import AuthorPage, Comment, User

VNU = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"


@pytest.fixture
def vnu():
    missing = None if shutil.which("java") else "java is not installed"
    if not VNU.exists():
        missing = "node_modules/vnu-jar is missing (npm install)"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"HTML checker cannot run in CI: {missing}", pytrace=False)
        pytest.skip(missing)

    def check(pages: dict[str, str], tmp_path: Path) -> list[str]:
        files = []
        for name, html in pages.items():
            path = tmp_path / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            files.append(str(path))
        result = subprocess.run(
            ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        messages = json.loads(result.stderr or '{"messages": []}')["messages"]
        return [f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}" for m in messages]

    return check


def test_reader_pages_have_no_html_errors(client, app, make_category, make_article, vnu, tmp_path):
    app.config["COMMENT_MODERATION"] = "none"
    local = make_category("Local", description="News from the city.")
    story = make_article(
        "Ferry timetable changes",
        local,
        byline="Ana Ruiz",
        dateline="PORT ALDER",
        teaser="New times.",
        image="demo/x",
        image_alt="A ferry",
        image_caption="The ferry.",
        image_credit="Photo: L. Park",
        source_name="Wire",
        source_url="https://wire.example.org/a",
        copyright="Copyright 2026 Wire.",
        tags=("ferry",),
    )
    for i in range(25):
        make_article(f"Story {i}", local, hours_ago=i + 2)
    data = {
        "name": "Ana",
        "email": "a@example.org",
        "body": "Nice.\n\nhttps://example.org",
        "rendered": signed_render_time(),
    }
    client.post(f"/comments/{story.id}", data=data)
    parent_id = 1
    client.post(f"/comments/{story.id}", data={**data, "parent_id": str(parent_id)})
    app.config["COMMENT_MODERATION"] = "all"
    client.post(f"/comments/{story.id}", data={**data, "body": "pending one"})
    pending = db.session.scalar(select(Comment).where(Comment.status == "pending"))
    subscription = subscribe(pending)
    writer = User(email="ana@example.org", name="Ana Ruiz", password_hash="x", role="writer")
    db.session.add(writer)
    db.session.flush()
    db.session.add(AuthorPage(user_id=writer.id, slug="ana-ruiz", bio="Covers the harbour."))
    correct(story, "An earlier version gave the wrong time.")
    raise_banner("Harbour bridge closed", "/local/", utcnow() + timedelta(hours=1))
    db.session.commit()

    pages = {
        "front": client.get("/").get_data(as_text=True),
        "category": client.get("/local/").get_data(as_text=True),
        "article": client.get("/local/ferry-timetable-changes").get_data(as_text=True),
        "reply": client.get(f"/local/ferry-timetable-changes?replyto={parent_id}").get_data(
            as_text=True
        ),
        "invalid": client.post(f"/comments/{story.id}", data={"body": "x"}).get_data(as_text=True),
        "search": client.get("/search?q=ferry").get_data(as_text=True),
        "search-section": client.get("/search?q=ferry&section=local").get_data(as_text=True),
        "topic": client.get("/topic/ferry/").get_data(as_text=True),
        "author": client.get("/author/ana-ruiz/").get_data(as_text=True),
        "empty-search": client.get("/search").get_data(as_text=True),
        "not-found": client.get("/nope/").get_data(as_text=True),
        "edit": client.get("/comments/c/1/edit").get_data(as_text=True),
        "delete": client.get("/comments/c/1/delete").get_data(as_text=True),
        "privacy": client.get("/privacy").get_data(as_text=True),
        "privacy-invalid": client.post("/privacy", data={"email": "x"}).get_data(as_text=True),
        "privacy-sent": client.get("/privacy/sent").get_data(as_text=True),
        "privacy-erase": client.get(f"/privacy/erase/{erase_token(pending)}").get_data(
            as_text=True
        ),
        "moderate": client.get(f"/mail/moderate/{moderation_token(pending, 'spam')}").get_data(
            as_text=True
        ),
        "link-invalid": client.get("/mail/moderate/forged").get_data(as_text=True),
        "unsubscribe": client.get(
            f"/mail/unsubscribe/{unsubscribe_token('a@example.org')}"
        ).get_data(as_text=True),
        "confirm": client.get(f"/mail/confirm/{confirm_token(subscription)}").get_data(
            as_text=True
        ),
    }
    assert vnu(pages, tmp_path) == []
