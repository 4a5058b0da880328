"""Corrections and updates: a dated correction on the story page, in the feeds and in
JSON-LD; an edited story keeps its publication date and says "Updated"; a story published
again after being taken down keeps its original date."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from broadsheet.clock import utcnow
from extensions import db
from models import Correction

from .conftest import HX


@pytest.fixture
def story(make_category, make_article):
    return make_article(
        "Ferry fares rise in spring",
        make_category("Local"),
        hours_ago=30,
        byline="Ana Ruiz",
        body="Fares rise by 10 per cent.",
    )


def page_of(client, story):
    return client.get(f"/local/{story.slug}")


def correct(client, story, note="An earlier version said fares rise by 10 per cent; it is 8.", **h):
    return client.post(f"/newsroom/stories/{story.id}/corrections", data={"note": note}, headers=h)


def json_ld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return next(d for d in map(json.loads, blocks) if d["@type"] == "NewsArticle")


def test_editor_adds_a_correction_readers_see_dated_under_the_story(client, login, story):
    login("editor")
    response = correct(client, story)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/newsroom/stories/{story.id}#corrections"
    html = page_of(client, story).text
    aside = html.split('class="corrections"', 1)[1].split("</aside>", 1)[0]
    assert ">Correction</h2>" in aside
    assert "it is 8." in aside
    assert f'datetime="{utcnow():%Y-%m-%d}' in aside


def test_correction_is_in_json_ld_and_moves_date_modified(client, login, story, move_clock):
    move_clock(utcnow())
    before = json_ld(page_of(client, story).text)
    assert "correction" not in before
    move_clock(utcnow() + timedelta(seconds=2))
    login("editor")
    correct(client, story)
    data = json_ld(page_of(client, story).text)
    [note] = data["correction"]
    assert note["@type"] == "CorrectionComment"
    assert note["text"].endswith("it is 8.")
    assert data["datePublished"] == before["datePublished"]
    assert data["dateModified"] > before["dateModified"]


@pytest.mark.parametrize("path", ["/feeds/rss.xml", "/feeds/atom.xml", "/feeds/local/rss.xml"])
def test_correction_is_in_the_feeds(client, login, story, path, move_clock):
    cached = client.get(path)
    # Stored times count whole seconds; a correction is a moment after the story's last save.
    move_clock(utcnow() + timedelta(seconds=2))
    login("editor")
    correct(client, story, note="The ferry is <b>not</b> free.")
    feed = client.get(path, headers={"If-None-Match": cached.headers["ETag"]})
    assert feed.status_code == 200
    # Escaped once in the feed's HTML content: readers see the text, never the tag.
    assert "The ferry is &amp;lt;b&amp;gt;not&amp;lt;/b&amp;gt; free." in feed.text
    assert "The ferry is &lt;b&gt;not&lt;/b&gt; free." in feed.text
    assert "<b>not</b>" not in feed.text


def test_hostile_correction_is_escaped_on_the_page(client, login, story):
    login("editor")
    correct(client, story, note='<img src=x onerror="alert(1)">')
    html = page_of(client, story).text
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=" in html


def test_correction_with_htmx_answers_the_corrections_fragment(client, login, story):
    login("editor")
    response = correct(client, story, **HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="corrections"')
    assert "Correction added." in response.text and "it is 8." in response.text


@pytest.mark.parametrize("headers", [{}, HX])
def test_empty_correction_is_refused_next_to_the_field(client, login, story, headers):
    login("editor")
    response = correct(client, story, note="   ", **headers)
    assert response.status_code == 422
    assert "Say what was wrong and what the story says now." in response.text
    assert db.session.query(Correction).count() == 0


def test_too_long_correction_keeps_the_text(client, login, story):
    login("editor")
    note = "word " * 500
    response = correct(client, story, note=note)
    assert response.status_code == 422
    assert note.strip() in response.text


def test_writers_cannot_add_corrections(client, login, story):
    login("writer")
    assert correct(client, story).status_code == 403


def test_removing_a_correction_takes_it_off_the_page(client, login, story):
    login("editor")
    correct(client, story)
    correction = db.session.query(Correction).one()
    response = client.post(f"/newsroom/corrections/{correction.id}/delete")
    assert response.status_code == 303
    assert 'class="corrections"' not in page_of(client, story).text


def test_edit_form_lists_corrections_with_a_form_to_add_one(client, login, story):
    login("editor")
    correct(client, story)
    html = client.get(f"/newsroom/stories/{story.id}").text
    assert 'id="corrections"' in html and "it is 8." in html
    assert ">Add correction</button>" in html


def story_form(story, **fields):
    data = {
        "headline": story.headline,
        "category_id": str(story.category_id),
        "byline": story.byline,
        "body": story.body,
        "comments_open": "y",
        "version": str(story.version),
        "action": "save",
    }
    return data | fields


def test_edited_story_keeps_its_date_and_says_updated(client, login, story):
    published = story.published_at
    login("editor")
    response = client.post(
        f"/newsroom/stories/{story.id}", data=story_form(story, body="Fares rise by 8 per cent.")
    )
    assert response.status_code == 303
    db.session.refresh(story)
    assert story.published_at == published
    html = page_of(client, story).text
    assert f'<time datetime="{published:%Y-%m-%dT%H:%M:%S}Z">' in html
    assert 'class="updated">Updated' in html


def test_republished_story_keeps_its_original_date(client, login, story):
    published = story.published_at
    login("editor")
    client.post(f"/newsroom/stories/{story.id}", data=story_form(story, action="unpublish"))
    db.session.refresh(story)
    assert page_of(client, story).status_code == 404
    client.post(f"/newsroom/stories/{story.id}", data=story_form(story, action="publish"))
    db.session.refresh(story)
    assert story.status == "published"
    assert story.published_at == published
    assert page_of(client, story).status_code == 200


def test_a_scheduled_story_taken_back_and_published_now_goes_out_now(client, login, story):
    story.published_at = utcnow() + timedelta(days=1)
    db.session.commit()
    login("editor")
    client.post(f"/newsroom/stories/{story.id}", data=story_form(story, action="unpublish"))
    db.session.refresh(story)
    client.post(f"/newsroom/stories/{story.id}", data=story_form(story, action="publish"))
    db.session.refresh(story)
    assert story.published_at <= utcnow()
