"""Category listings and related stories."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from broadsheet.stories import related
from extensions import db


def headlines(html: str) -> list[str]:
    return re.findall(r'class="card-headline"><a href="[^"]+">([^<]+)</a>', html)


def test_listing_is_newest_first_twenty_a_page(client, make_category, make_article):
    local = make_category("Local")
    for i in range(45):
        make_article(f"Local story {i:02d}", local, hours_ago=i + 1)
    first = client.get("/local/").get_data(as_text=True)
    assert headlines(first)[:2] == ["Local story 00", "Local story 01"]
    assert len(headlines(first)) == 20
    third_url = re.search(r'href="(/local/\?page=3[^"]*)"', first).group(1).replace("&amp;", "&")
    third = client.get(third_url).get_data(as_text=True)
    assert headlines(third) == [f"Local story {i}" for i in range(40, 45)]
    assert 'aria-current="page">3<' in third


def test_pages_stay_stable_when_a_story_is_published(client, make_category, make_article):
    local = make_category("Local")
    for i in range(25):
        make_article(f"Story {i:02d}", local, hours_ago=i + 1)
    first = client.get("/local/").get_data(as_text=True)
    next_url = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    make_article("Breaking news", local, hours_ago=0.1)
    second = client.get(next_url).get_data(as_text=True)
    assert headlines(second)[0] == "Story 20"
    assert "Breaking news" not in second


def test_page_beyond_end_is_404_but_empty_category_page_one_is_fine(client, make_category):
    make_category("Empty")
    assert client.get("/empty/").status_code == 200
    assert "No stories in this section yet." in client.get("/empty/").get_data(as_text=True)
    assert client.get("/empty/?page=2").status_code == 404


def test_related_prefers_same_category_then_shared_tags(app, make_category, make_article):
    local, sport = make_category("Local"), make_category("Sports")
    story = make_article("Ferry fares rise", local, tags=("ferry", "transit"))
    same_old = make_article("Library hours", local, hours_ago=50)
    same_tagged = make_article("Ferry dock repairs", local, hours_ago=40, tags=("ferry",))
    other_tagged = make_article("Rowing on the ferry route", sport, tags=("ferry", "transit"))
    make_article("Unrelated match", sport, hours_ago=1)
    make_article("Draft ferry piece", local, status="draft", tags=("ferry",))
    make_article("Future ferry piece", local, hours_ago=-5, tags=("ferry",))

    chosen = related(story, 4)

    assert [a.headline for a in chosen[:2]] == [same_tagged.headline, same_old.headline]
    assert chosen[2] == other_tagged
    assert story not in chosen and len(chosen) == 4
    assert all(a.is_visible() for a in chosen)


def test_article_page_shows_you_may_also_like(client, make_article):
    make_article("First")
    make_article("Second")
    html = client.get("/local/first").get_data(as_text=True)
    section = html.split("You May Also Like")[1]
    assert "Second" in section and ">First<" not in section


def test_front_page_hides_future_and_lists_by_section(client, make_category, make_article):
    make_article("Now", make_category("Local"))
    future = make_article("Later", hours_ago=-1)
    assert "Later" not in client.get("/").get_data(as_text=True)
    future.published_at -= timedelta(hours=2)
    db.session.commit()
    assert "Later" in client.get("/").get_data(as_text=True)


def test_two_stories_saved_together_share_a_new_topic(app, make_category):
    from broadsheet.stories import prepare, tags_named
    from models import Article, Tag

    local = make_category("Local")
    for headline in ("Ferry one", "Ferry two"):
        story = Article(headline=headline, category=local, status="draft", body="x")
        db.session.add(story)
        story.tags = tags_named(["Ferry service"])
        prepare(story)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Tag)) == 1
