"""The front page editors choose: a pinned lead, ordered top stories that fall back to the
newest, and a breaking-news banner with a link and an end time, on every page and in the
page validators (so no cache keeps a stale banner or lead)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from flask_babel import to_user_timezone

from broadsheet.clock import utcnow
from extensions import db
from models import BreakingNews, FrontPagePin

from .conftest import HX


@pytest.fixture
def stories(make_category, make_article):
    local = make_category("Local")
    return {
        "brief": make_article("Wire brief on tides", local, hours_ago=0.1),
        "fire": make_article("Harbour fire: what we know", local, hours_ago=5),
        "budget": make_article("Council passes the budget", local, hours_ago=8),
        "rowing": make_article("Rowing club turns 100", local, hours_ago=20),
        "old": make_article("Old story from last week", local, hours_ago=200),
    }


def lead_headline(html: str) -> str:
    return re.search(r'id="lead-headline"[^>]*><a [^>]*>([^<]+)</a>', html).group(1)


def top_headlines(html: str) -> list[str]:
    block = html.split('id="top-stories-title"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'class="card-headline"><a [^>]*>([^<]+)</a>', block)


def pin(client, lead, *top, **headers):
    ids = [str(a.id) if a else "" for a in top] + [""] * (4 - len(top))
    form = {"lead": str(lead.id) if lead else ""}
    form |= {f"top-{n}": value for n, value in enumerate(ids)}
    return client.post("/newsroom/front-page", data=form, headers=headers)


def test_without_pins_the_newest_story_leads_and_the_next_are_top_stories(client, stories):
    html = client.get("/").text
    assert lead_headline(html) == "Wire brief on tides"
    assert top_headlines(html) == [
        "Harbour fire: what we know",
        "Council passes the budget",
        "Rowing club turns 100",
        "Old story from last week",
    ]


def test_editor_pins_the_lead_and_orders_top_stories(client, login, stories):
    login("editor")
    response = pin(client, stories["fire"], stories["rowing"], stories["budget"])
    assert response.status_code == 303
    assert response.headers["Location"] == "/newsroom/front-page"
    html = client.get("/").text
    assert lead_headline(html) == "Harbour fire: what we know"
    # Pinned top stories in the editor's order, then the newest not already shown.
    assert top_headlines(html) == [
        "Rowing club turns 100",
        "Council passes the budget",
        "Wire brief on tides",
        "Old story from last week",
    ]
    # Each story once: the lead and top stories are not repeated in the section blocks.
    assert html.count(">Harbour fire: what we know<") == 1


def test_unpublished_pinned_lead_gives_way_to_the_newest(client, login, stories):
    login("editor")
    pin(client, stories["fire"], stories["budget"])
    stories["fire"].status = "draft"
    stories["budget"].published_at = utcnow() + timedelta(hours=3)
    db.session.commit()
    html = client.get("/").text
    assert lead_headline(html) == "Wire brief on tides"
    assert "Council passes the budget" not in html
    assert "Harbour fire" not in html


def test_unpinning_returns_the_front_page_to_newest_first(client, login, stories):
    login("editor")
    pin(client, stories["old"])
    assert lead_headline(client.get("/").text) == "Old story from last week"
    pin(client, None)
    assert lead_headline(client.get("/").text) == "Wire brief on tides"


def test_the_same_story_twice_is_refused_next_to_the_field_and_choices_kept(client, login, stories):
    login("editor")
    response = pin(client, stories["fire"], stories["budget"], stories["fire"])
    assert response.status_code == 422
    assert "This story is already on the front page." in response.text
    assert f'<option selected value="{stories["budget"].id}">' in response.text
    assert db.session.query(FrontPagePin).count() == 0


def test_pinning_with_htmx_answers_the_editor_fragment(client, login, stories):
    login("editor")
    response = pin(client, stories["fire"], **HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="front-page-editor"')
    assert "<html" not in response.text
    assert "Front page saved." in response.text
    assert "HX-Request" in response.headers["Vary"]


def test_writers_cannot_choose_the_front_page(client, login, stories):
    login("writer")
    assert client.get("/newsroom/front-page").status_code == 403
    assert pin(client, stories["old"]).status_code == 403


def test_a_pin_changes_the_front_pages_validator(client, login, stories):
    first = client.get("/")
    login("editor")
    pin(client, stories["old"])
    again = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert lead_headline(again.text) == "Old story from last week"


def local_input(when: datetime) -> str:
    return to_user_timezone(when).strftime("%Y-%m-%dT%H:%M")


def raise_banner(client, text="Harbour bridge closed", url="/local/bridge", hours=2, **headers):
    form = {"text": text, "url": url, "ends_at": local_input(utcnow() + timedelta(hours=hours))}
    return client.post("/newsroom/front-page/banner", data=form, headers=headers)


@pytest.mark.parametrize("path", ["/", "/local/", "/search?q=fire", "/privacy"])
def test_banner_shows_on_every_reader_page_with_its_link(client, login, stories, path):
    login("editor")
    assert raise_banner(client).status_code == 303
    html = client.get(path).text
    assert 'class="breaking-news"' in html
    assert '<a dir="auto" href="/local/bridge">Harbour bridge closed</a>' in html


def test_banner_comes_down_at_its_end_time(client, login, stories, move_clock):
    login("editor")
    raise_banner(client, hours=1)
    before = client.get("/")
    assert "Harbour bridge closed" in before.text
    move_clock(utcnow() + timedelta(hours=1, minutes=1))
    after = client.get("/", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert "Harbour bridge closed" not in after.text


def test_taking_the_banner_down_changes_pages_a_cache_holds(client, login, stories, move_clock):
    login("editor")
    move_clock(utcnow())
    raise_banner(client)
    cached = client.get("/local/")
    # Last-Modified counts whole seconds.
    move_clock(utcnow() + timedelta(seconds=5))
    response = client.post("/newsroom/front-page/banner/down")
    assert response.status_code == 303
    again = client.get(
        "/local/",
        headers={
            "If-None-Match": cached.headers["ETag"],
            "If-Modified-Since": cached.headers["Last-Modified"],
        },
    )
    assert again.status_code == 200 and "Harbour bridge closed" not in again.text
    only_date = client.get(
        "/local/", headers={"If-Modified-Since": cached.headers["Last-Modified"]}
    )
    assert only_date.status_code == 200


@pytest.mark.parametrize(
    ("text", "url", "hours", "message"),
    [
        ("", "", 2, "Say what happened in a few words."),
        ("Bridge closed", "javascript:alert(1)", 2, "Give a full web address"),
        ("Bridge closed", "//evil.example/", 2, "Give a full web address"),
        ("Bridge closed", "", -1, "Choose a time in the future."),
        ("x" * 201, "", 2, "Field cannot be longer than 200 characters."),
    ],
)
def test_bad_banner_is_refused_next_to_the_field_and_text_kept(
    client, login, stories, text, url, hours, message
):
    login("editor")
    response = raise_banner(client, text=text, url=url, hours=hours)
    assert response.status_code == 422
    assert message in response.text
    if text:
        assert f'value="{text}"' in response.text
    assert db.session.query(BreakingNews).count() == 0


def test_banner_text_is_escaped(client, login, stories):
    login("editor")
    raise_banner(client, text="<script>alert(1)</script> bridge", url="")
    html = client.get("/").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; bridge" in html


def test_banner_with_htmx_answers_the_editor_fragment(client, login, stories):
    login("editor")
    response = raise_banner(client, **HX)
    assert response.status_code == 200
    assert "The banner is up on every page." in response.text
    assert "Take the banner down" in response.text
    bad = raise_banner(client, text="", **HX)
    assert bad.status_code == 422 and 'id="front-page-editor"' in bad.text
