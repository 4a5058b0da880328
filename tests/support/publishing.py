"""Helpers for the publishing-surface tests: a small newsroom, comments, and reading a <head>."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

from broadsheet.clock import precise_utcnow, utcnow
from broadsheet.discussion import recount
from extensions import db
from models import Article, Comment


@dataclass
class Newsroom:
    published: list[Article]
    draft: Article
    scheduled: Article


def build_newsroom(make_category, make_article) -> Newsroom:
    """Five published stories in two sections, plus a draft and a story scheduled for later."""
    local = make_category("Local", description="News from Port Alder.")
    sport = make_category("Sports")
    published = [
        make_article(
            "Mill reopens as makers' market",
            local,
            hours_ago=2,
            byline="Ana Ruiz",
            teaser="The old mill has tenants again.",
            body="The mill *reopened* on Saturday.",
            image="demo/mill",
            image_alt="The mill at dusk",
            image_caption="The mill's north wall, repainted.",
            image_credit="Photo: Lena Park",
            copyright="Copyright 2026 Cascadia Wire.",
            source_name="Cascadia Wire",
            source_url="https://wire.example.org/mill",
            dateline="PORT ALDER",
        ),
        make_article("Ferry timetable changes", local, hours_ago=5, body="Ferries run later."),
        make_article("Council approves harbour budget", local, hours_ago=30, body="It passed."),
        make_article(
            "Harbour Hawks win the final", sport, hours_ago=3, byline="Sam Lee", body="3-1."
        ),
        make_article("Rowing club turns 100", sport, hours_ago=100, body="A century on the water."),
    ]
    draft = make_article("Unfinished draft about the ferry", local, status="draft")
    scheduled = make_article("Embargoed budget story", local, hours_ago=-5)
    return Newsroom(published, draft, scheduled)


def add_comment(article: Article, status: str = "approved", **fields) -> Comment:
    """A comment stored as the comment views store one, with the story's count kept right."""
    fields.setdefault("author_name", "Reader")
    fields.setdefault("author_email", "reader@example.org")
    fields.setdefault("body", "Thanks for this.")
    comment = Comment(
        article_id=article.id,
        status=status,
        created_at=utcnow() - timedelta(minutes=1),
        changed_at=precise_utcnow(),
        **fields,
    )
    db.session.add(comment)
    db.session.flush()
    comment.root_id = comment.id
    recount(article.id)
    db.session.commit()
    return comment


@dataclass
class Head(HTMLParser):
    """The parts of a page a crawler or a social site reads: title, meta, links, JSON-LD."""

    title: str = ""
    meta: dict[str, list[str]] = field(default_factory=dict)
    links: list[dict[str, str]] = field(default_factory=list)
    json_ld: list[dict] = field(default_factory=list)
    _in: str | None = None
    _text: str = ""

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and "content" in values:
            key = values.get("property") or values.get("name") or ""
            self.meta.setdefault(key, []).append(values["content"])
        elif tag == "link":
            self.links.append(values)
        elif tag == "title" or (tag == "script" and values.get("type") == "application/ld+json"):
            self._in, self._text = tag, ""

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag != self._in:
            return
        if tag == "title":
            self.title = self._text
        else:
            self.json_ld.append(json.loads(self._text))
        self._in = None

    def first(self, key: str) -> str:
        return self.meta[key][0]

    def link_hrefs(self, rel: str) -> list[str]:
        return [link["href"] for link in self.links if link.get("rel") == rel]


def read_head(html: str) -> Head:
    head = Head()
    head.feed(html)
    return head


def get_file(client, path: str, **kwargs):
    """GET a file the server streams from disk, closing it so no handle is left open."""
    response = client.get(path, **kwargs)
    response.close()
    return response


def story_path(article: Article) -> str:
    return f"/{article.category.slug}/{article.slug}"
