"""Writing stories in the newsroom: list and filters, the form, preview, publishing and the
schedule, slugs that move, revisions (compare, restore, pending edits) and concurrent saves."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from broadsheet import clock
from extensions import db
from models import Article, ArticleSlugAlias, Revision

from .conftest import HX, sign_in_client


@pytest.fixture
def local(make_category):
    return make_category("Local")


def story_fields(category, **fields) -> dict:
    data = {
        "headline": "Harbour dredging starts",
        "category_id": str(category.id),
        "byline": "Ana Ruiz",
        "teaser": "Work on the channel begins on Monday.",
        "dateline": "PORT ALDER",
        "body": "The **dredger** arrived.\n\nWork starts Monday.",
        "tags": "harbour, shipping",
        "comments_open": "y",
        "action": "save",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def create(client, category, **fields):
    return client.post("/newsroom/stories/new", data=story_fields(category, **fields))


def only_story() -> Article:
    [article] = db.session.scalars(select(Article)).all()
    return article


def revisions_of(article) -> list[Revision]:
    return list(
        db.session.scalars(
            select(Revision).where(Revision.article_id == article.id).order_by(Revision.id)
        )
    )


def edit(client, article, **fields):
    data = story_fields(article.category, version=str(article.version), **fields)
    return client.post(f"/newsroom/stories/{article.id}", data=data)


# --- Writing ---------------------------------------------------------------------------------


def test_new_story_form_has_every_field(client, login, local):
    login("writer")
    html = client.get("/newsroom/stories/new").get_data(as_text=True)
    for label in (
        "Headline",
        "Web address (slug)",
        "Category",
        "Byline",
        "Teaser",
        "Dateline",
        "Story (Markdown)",
        "Featured image",
        "Image description (alt text)",
        "Caption",
        "Photo credit",
        "Source name",
        "Source link",
        "Copyright line",
    ):
        assert f">{label}</label>" in html, label
    assert 'enctype="multipart/form-data"' in html
    # a writer cannot publish: no such buttons
    assert 'value="publish"' not in html and 'value="schedule"' not in html


def test_writer_saves_a_draft_with_author_revision_and_303(client, login, local):
    writer = login("writer")
    response = create(client, local)
    article = only_story()
    assert response.status_code == 303
    assert response.headers["Location"] == f"/newsroom/stories/{article.id}"
    assert article.status == "draft" and article.published_at is None
    assert article.author_id == writer.id
    assert article.slug == "harbour-dredging-starts"
    assert "<strong>dredger</strong>" in article.body_html
    assert [t.name for t in article.tags] == ["harbour", "shipping"]
    [revision] = revisions_of(article)
    assert revision.user_id == writer.id and revision.summary == "created"
    assert json.loads(revision.snapshot)["headline"] == "Harbour dredging starts"
    # drafts stay off the site
    assert client.get(f"/local/{article.slug}").status_code == 404


def test_writer_cannot_publish(client, login, local):
    login("writer")
    assert create(client, local, action="publish").status_code == 403
    assert db.session.scalars(select(Article)).all() == []


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"headline": ""}, "headline", "Every story needs a headline."),
        ({"headline": "x" * 301}, "headline", "Headlines are limited to 300 characters."),
        ({"source_url": "ftp://x.example/"}, "source_url", "Please give a full web address"),
        ({"slug": "!!!"}, "slug", "Use letters and numbers in the slug."),
        ({"category_id": "9999"}, "category_id", "Not a valid choice"),
        ({"action": "schedule"}, "publish_at", "Choose a time in the future"),
    ],
)
def test_invalid_story_is_422_with_message_beside_the_field_and_text_kept(
    client, login, local, fields, field, message
):
    login("editor")
    response = create(client, local, body="My unsaved paragraph", **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error">[^<]*{re.escape(message)}', html), html[:0]
    assert "My unsaved paragraph</textarea>" in html
    assert db.session.scalars(select(Article)).all() == []


def test_hostile_text_is_escaped_in_the_form_and_list(client, login, local):
    login("editor")
    create(
        client,
        local,
        headline='<script>alert("x")</script> Budget',
        body="<img src=x onerror=alert(1)>",
    )
    article = only_story()
    assert "<img" not in article.body_html and "&lt;img" in article.body_html
    for url in ("/newsroom/stories", f"/newsroom/stories/{article.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert" in html


def test_slug_already_used_by_another_story_is_refused(client, login, local, make_article):
    make_article("Old news", local)
    login("editor")
    response = create(client, local, slug="old-news")
    assert response.status_code == 422
    assert "Another story already uses this address." in response.get_data(as_text=True)


# --- Preview ---------------------------------------------------------------------------------


def test_preview_renders_markdown_as_a_fragment(client, login):
    login("writer")
    response = client.post(
        "/newsroom/preview", data={"body": "Hello *world* <script>x</script>"}, headers=HX
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert "<em>world</em>" in html
    assert "<script>" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_story_form_wires_the_live_preview(client, login, local):
    login("writer")
    html = client.get("/newsroom/stories/new").get_data(as_text=True)
    assert 'id="story-preview"' in html
    assert 'data-hx-post="/newsroom/preview"' in html
    assert 'data-hx-trigger="input delay:500ms from:#body"' in html
    assert "data-hx-headers:inherited" in html


def test_preview_button_without_javascript_shows_the_page_and_saves_nothing(client, login, local):
    login("writer")
    response = create(client, local, action="preview", body="A *preview* only")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<em>preview</em>" in html
    assert "A *preview* only</textarea>" in html
    assert db.session.scalars(select(Article)).all() == []


# --- Publishing and the schedule -------------------------------------------------------------


def test_editor_publishes_now_and_readers_see_it(client, login, local):
    login("editor")
    response = create(client, local, action="publish")
    article = only_story()
    assert response.status_code == 303
    assert article.status == "published" and article.published_at <= clock.utcnow()
    assert client.get(f"/local/{article.slug}").status_code == 200
    assert revisions_of(article)[-1].summary == "published"


def test_scheduled_story_is_invisible_until_its_time(client, login, local, move_clock):
    login("editor")
    start = clock.utcnow()
    when = start + timedelta(hours=2)
    response = create(client, local, action="schedule", publish_at=when.strftime("%Y-%m-%dT%H:%M"))
    article = only_story()
    assert response.status_code == 303
    assert article.status == "published"
    assert article.published_at == when.replace(second=0)
    assert client.get(f"/local/{article.slug}").status_code == 404
    assert "Harbour dredging" not in client.get("/").get_data(as_text=True)
    listing = client.get("/newsroom/stories?status=scheduled").get_data(as_text=True)
    assert "Harbour dredging starts" in listing

    move_clock(when + timedelta(minutes=1))
    assert client.get(f"/local/{article.slug}").status_code == 200
    assert "Harbour dredging starts" in client.get("/").get_data(as_text=True)


def test_schedule_in_the_past_is_refused(client, login, local):
    login("editor")
    past = clock.utcnow() - timedelta(hours=1)
    response = create(client, local, action="schedule", publish_at=past.strftime("%Y-%m-%dT%H:%M"))
    assert response.status_code == 422


def test_unpublish_takes_the_story_off_the_site(client, login, local):
    login("editor")
    create(client, local, action="publish")
    article = only_story()
    response = edit(client, article, action="unpublish")
    assert response.status_code == 303
    db.session.refresh(article)
    assert article.status == "draft"
    assert client.get(f"/local/{article.slug}").status_code == 404


def test_story_pulled_for_a_fix_returns_with_its_first_publication_date(
    client, login, make_article
):
    login("editor")
    older = make_article("Ferry timetable changes", hours_ago=2)
    story = make_article("Harbour dredging starts", hours_ago=30)
    first_published = story.published_at
    assert edit(client, story, action="unpublish").status_code == 303
    db.session.refresh(story)
    assert edit(client, story, action="publish").status_code == 303
    db.session.refresh(story)
    assert story.published_at == first_published
    front = client.get("/").get_data(as_text=True)
    assert front.index(older.headline) < front.index("Harbour dredging starts")
    feed = client.get("/feeds/rss.xml").get_data(as_text=True)
    assert feed.index(older.headline) < feed.index("Harbour dredging starts")


# --- Slugs -----------------------------------------------------------------------------------


def test_changed_slug_keeps_the_old_address_as_a_301(client, login, local):
    login("editor")
    create(client, local, action="publish")
    article = only_story()
    response = edit(client, article, slug="Dredging begins in the harbour")
    assert response.status_code == 303
    db.session.refresh(article)
    assert article.slug == "dredging-begins-in-the-harbour"
    old = client.get("/local/harbour-dredging-starts")
    assert old.status_code == 301
    assert old.headers["Location"].endswith("/local/dredging-begins-in-the-harbour")
    # and changing it back reclaims the old address
    db.session.refresh(article)
    edit(client, article, slug="harbour-dredging-starts")
    db.session.refresh(article)
    assert article.slug == "harbour-dredging-starts"
    aliases = db.session.scalars(select(ArticleSlugAlias.slug)).all()
    assert aliases == ["dredging-begins-in-the-harbour"]


# --- Revisions -------------------------------------------------------------------------------


def test_every_save_keeps_a_revision_that_can_be_compared(client, login, local):
    editor = login("editor", name="Edna Editor")
    create(client, local)
    article = only_story()
    edit(
        client,
        article,
        headline="Dredging starts",
        body="The dredger arrived.\n\nWork starts Tuesday.",
    )
    first, second = revisions_of(article)
    assert second.summary == "saved headline body"
    assert second.user_id == editor.id

    html = client.get(f"/newsroom/stories/{article.id}/revisions").get_data(as_text=True)
    assert "Saved: Headline, Story" in html and "Edna Editor" in html

    html = client.get(f"/newsroom/revisions/{second.id}").get_data(as_text=True)
    assert "<del>Harbour dredging starts</del>" in html
    assert "<ins>Dredging starts</ins>" in html
    assert 'class="diff-removed">- Work starts Monday.' in html
    assert 'class="diff-added">+ Work starts Tuesday.' in html


def test_compare_names_the_section_and_shows_no_topic_change_that_did_not_happen(
    client, login, local, make_category
):
    login("editor")
    harbour = make_category("Harbour")
    create(client, local, tags="Shipping, harbour")
    article = only_story()
    edit(client, article, category_id=str(harbour.id), tags="harbour, shipping")
    second = revisions_of(article)[-1]
    assert second.summary == "saved category_id"
    html = client.get(f"/newsroom/revisions/{second.id}").get_data(as_text=True)
    assert "<del>Local</del> → <ins>Harbour</ins>" in html
    assert "Topics" not in html.split("<dl", 1)[1]


def test_restore_puts_an_old_revision_back_as_a_new_save(client, login, local):
    login("editor")
    create(client, local)
    article = only_story()
    edit(client, article, headline="A worse headline")
    first = revisions_of(article)[0]
    response = client.post(f"/newsroom/revisions/{first.id}/restore")
    assert response.status_code == 303
    db.session.refresh(article)
    assert article.headline == "Harbour dredging starts"
    assert [r.summary for r in revisions_of(article)] == [
        "created",
        "saved headline",
        "restored headline",
    ]


def test_writer_edit_to_published_story_waits_as_pending(client, login, local, make_user):
    writer = login("writer")
    create(client, local)
    article = only_story()
    # an editor publishes the writer's draft
    editor = make_user("editor")
    login(user=editor)
    edit(client, article, action="publish")
    login(user=writer)
    db.session.refresh(article)

    assert edit(client, article, headline="Writer's new headline").status_code == 403
    response = edit(client, article, headline="Writer's new headline", action="pending")
    assert response.status_code == 303
    db.session.refresh(article)
    assert article.headline == "Harbour dredging starts"  # the live story is unchanged
    pending = revisions_of(article)[-1]
    assert pending.pending and pending.user_id == writer.id
    assert client.post(f"/newsroom/revisions/{pending.id}/restore").status_code == 403

    login(user=editor)
    page = client.get(f"/newsroom/stories/{article.id}").get_data(as_text=True)
    assert "Pending edits" in page and "Publish this edit" in page
    assert client.post(f"/newsroom/revisions/{pending.id}/restore").status_code == 303
    db.session.refresh(article)
    assert article.headline == "Writer's new headline"
    assert revisions_of(article)[-1].summary == "applied headline"
    assert not db.session.get(Revision, pending.id).pending
    assert client.get(f"/local/{article.slug}").status_code == 200


def test_publishing_a_pending_edit_keeps_an_editors_later_fix(client, login, local, make_user):
    writer = login("writer")
    create(client, local)
    article = only_story()
    editor = make_user("editor")
    login(user=editor)
    edit(client, article, action="publish")
    login(user=writer)
    db.session.refresh(article)
    edit(client, article, headline="Writer's new headline", action="pending")
    pending = revisions_of(article)[-1]

    login(user=editor)  # meanwhile the editor corrects the live story's body
    db.session.refresh(article)
    edit(client, article, body="The dredger arrived on Tuesday.", action="publish")
    assert client.post(f"/newsroom/revisions/{pending.id}/restore").status_code == 303
    db.session.refresh(article)
    assert article.headline == "Writer's new headline"
    assert article.body == "The dredger arrived on Tuesday."
    assert "Tuesday" in client.get(f"/local/{article.slug}").get_data(as_text=True)


# --- Concurrent edits ------------------------------------------------------------------------


def test_saving_over_a_newer_save_is_refused_and_keeps_the_text(
    client, app, login, make_user, local
):
    login("editor")
    create(client, local)
    article = only_story()
    opened_version = article.version

    other = app.test_client()
    sign_in_client(other, make_user("editor", name="Olga Other"))
    first = edit(other, article, headline="Olga's headline")
    assert first.status_code == 303

    data = story_fields(local, version=str(opened_version), headline="My headline")
    response = client.post(f"/newsroom/stories/{article.id}", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Olga Other saved this story after you opened it" in html
    assert 'value="My headline"' in html
    db.session.refresh(article)
    assert article.headline == "Olga's headline"


# --- The list --------------------------------------------------------------------------------


def test_list_filters_by_status_category_author_and_text(
    client, login, make_user, make_category, make_article
):
    local, sport = make_category("Local"), make_category("Sport")
    writer = make_user("writer", name="Wendy Writer")
    make_article("Ferry timetable changes", local, author_id=writer.id)
    make_article("Harbour cup final", sport)
    make_article("Budget draft leaked", local, status="draft")
    make_article("Tomorrow's regatta", sport, hours_ago=-5)
    login("editor")

    def headlines(query: str) -> set[str]:
        html = client.get(f"/newsroom/stories?{query}").get_data(as_text=True)
        return set(re.findall(r'<a href="/newsroom/stories/\d+">([^<]+)</a>', html))

    everything = {
        "Ferry timetable changes",
        "Harbour cup final",
        "Budget draft leaked",
        "Tomorrow&#39;s regatta",
    }
    assert headlines("") == everything
    assert headlines("status=draft") == {"Budget draft leaked"}
    assert headlines("status=scheduled") == {"Tomorrow&#39;s regatta"}
    assert headlines("status=published") == {"Ferry timetable changes", "Harbour cup final"}
    assert headlines(f"category={sport.id}") == {"Harbour cup final", "Tomorrow&#39;s regatta"}
    assert headlines(f"author={writer.id}") == {"Ferry timetable changes"}
    assert headlines("q=harbour") == {"Harbour cup final"}
    assert headlines("q=100%25") == set()


def test_list_pages(client, login, local, make_article, app):
    app.config["NEWSROOM_PAGE_SIZE"] = 2
    for n in range(5):
        make_article(f"Story {n}", local)
    login("editor")
    html = client.get("/newsroom/stories?page=3").get_data(as_text=True)
    assert "5 stories" in html
    assert len(re.findall(r'<tr id="story-\d+">', html)) == 1
    assert client.get("/newsroom/stories?page=x").status_code == 404


def test_writer_sees_only_their_own_stories(client, login, local, make_article):
    writer = login("writer")
    make_article("Mine", local, author_id=writer.id, status="draft")
    other = make_article("Someone else's", local)
    html = client.get("/newsroom/stories").get_data(as_text=True)
    assert "Mine" in html and "Someone else" not in html
    assert client.get(f"/newsroom/stories/{other.id}").status_code == 403


def test_comments_can_be_closed_and_opened_per_story(client, login, local, make_article):
    story = make_article("Open thread", local)
    login("editor")
    response = client.post(f"/newsroom/stories/{story.id}/comments", data={"open": "0"}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert f'id="comments-toggle-{story.id}"' in html and ">Open</button>" in html
    db.session.refresh(story)
    assert story.comments_open is False
    page = client.get(f"/local/{story.slug}").get_data(as_text=True)
    assert "Post Comment" not in page

    response = client.post(
        f"/newsroom/stories/{story.id}/comments", data={"open": "1", "next": "/newsroom/stories"}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/newsroom/stories"
    db.session.refresh(story)
    assert story.comments_open is True


def test_draft_can_be_seen_as_readers_will_before_publishing(client, login, local):
    login("writer")
    create(client, local)
    article = only_story()
    response = client.get(f"/newsroom/stories/{article.id}/view")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<h1 id="story-headline" dir="auto">Harbour dredging starts</h1>' in html
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert client.get(f"/local/{article.slug}").status_code == 404
    assert f"/newsroom/stories/{article.id}/view" in client.get(
        f"/newsroom/stories/{article.id}"
    ).get_data(as_text=True)


def test_any_two_revisions_can_be_compared(client, login, local):
    login("editor")
    create(client, local)
    article = only_story()
    edit(client, article, headline="Second headline")
    db.session.refresh(article)
    edit(client, article, headline="Third headline")
    first, _second, third = revisions_of(article)
    html = client.get(f"/newsroom/revisions/{third.id}?against={first.id}").get_data(as_text=True)
    assert "<del>Harbour dredging starts</del>" in html and "<ins>Third headline</ins>" in html
    assert client.get(f"/newsroom/revisions/{third.id}?against=999").status_code == 404


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/newsroom/stories/2147483648", 404),
        ("GET", "/newsroom/stories/99999999999999999999/revisions", 404),
        ("GET", "/newsroom/stories?category=2147483648&author=99999999999", 200),
        ("GET", "/newsroom/comments?story=2147483648", 200),
        ("GET", "/newsroom/revisions/1?against=2147483648", 200),
        ("POST", "/newsroom/comments/bulk?ids=1", 303),
        ("GET", "/comments/c/2147483648", 404),
    ],
)
def test_ids_beyond_the_integer_column_are_refused_not_crashed(
    client, login, local, method, url, status
):
    # PostgreSQL's integer ends at 2147483647: a larger id must never reach a query.
    login("editor")
    create(client, local, action="publish")
    data = {"action": "approve", "ids": ["2147483648", "99999999999"]} if method == "POST" else None
    response = client.open(url, method=method, data=data)
    assert response.status_code == status
