"""Search finds word forms on both databases ("ferry" and "ferries" find the same stories),
marks the forms it matched, keeps up with edits and deletions, and filters by section."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete

from extensions import db
from models import Article


@pytest.fixture
def ferries(make_category, make_article):
    local, sport = make_category("Local"), make_category("Sports")
    make_article("Ferries return to the harbour", local, body="Two ferries sailed.", teaser="")
    make_article("Ferry fares rise", local, body="The ferry board voted.", teaser="")
    make_article("Rowers race the ferry", sport, body="A race against a ferry.", teaser="")
    make_article("Council meets", local, body="Nothing about boats.", teaser="")
    return local, sport


def found(client, query: str, **args) -> list[str]:
    html = client.get("/search", query_string={"q": query, **args}).text
    return sorted(re.findall(r'class="card-headline"><a [^>]*>([^<]+)</a>', html))


ALL = ["Ferries return to the harbour", "Ferry fares rise", "Rowers race the ferry"]


@pytest.mark.parametrize("query", ["ferry", "ferries", "Ferries", "FERRY"])
def test_singular_and_plural_find_the_same_stories(client, ferries, query):
    assert found(client, query) == ALL


def test_other_forms_of_a_verb_match(client, make_article):
    make_article("Harbour reopening delayed", body="Crews are reopening the north quay.")
    assert found(client, "reopened") == ["Harbour reopening delayed"]


def test_the_forms_matched_are_marked_in_the_snippet(client, ferries):
    html = client.get("/search?q=ferry").text.lower()
    assert "<mark>ferries</mark>" in html and "<mark>ferry</mark>" in html


def test_an_unfinished_last_word_still_matches_as_a_prefix(client, ferries):
    assert found(client, "ferr") == ALL


def test_edited_and_deleted_stories_leave_the_index(client, ferries):
    story = db.session.query(Article).filter_by(headline="Ferry fares rise").one()
    story.headline, story.body_text = "Tram fares rise", "The tram board voted."
    db.session.commit()
    assert "Tram fares rise" not in found(client, "ferries")
    assert found(client, "trams") == ["Tram fares rise"]
    db.session.execute(delete(Article).where(Article.id == story.id))
    db.session.commit()
    assert found(client, "trams") == []


def test_section_filter_keeps_only_that_sections_stories(client, ferries):
    assert found(client, "ferries", section="sports") == ["Rowers race the ferry"]
    html = client.get("/search?q=ferries&section=sports").text
    assert '<option value="sports" selected>Sports</option>' in html
    assert "1 story in Sports matches" in html


def test_unknown_section_searches_everything(client, ferries):
    assert found(client, "ferries", section="no-such") == ALL


def test_section_filter_is_kept_across_pages(app, client, ferries):
    app.config["SEARCH_PAGE_SIZE"] = 1
    html = client.get("/search?q=ferry&section=local").text
    assert 'href="/search?page=2&amp;q=ferry&amp;section=local"' in html
