"""The newsroom's comment tools as readers and moderators meet them: staff badges, word
lists, bans, reports, editors' picks, sort order and per-story settings."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from broadsheet.web.commenter import signed_render_time
from extensions import db
from models import Article, Comment, CommentReport

from .conftest import HX, sign_in_client
from .test_html_valid import vnu  # noqa: F401

GOOD = {"name": "Ana Ruiz", "email": "ana@example.org", "website": "", "body": "Well reported."}


@pytest.fixture
def story(make_article) -> Article:
    return make_article("Harbour dredging starts")


def post(client, story, headers=None, **fields):
    data = {**GOOD, "rendered": signed_render_time(), **fields}
    return client.post(f"/comments/{story.id}", data=data, headers=headers or {})


def page(client, story, query: str = "") -> str:
    return client.get(f"/{story.category.slug}/{story.slug}{query}").get_data(as_text=True)


def stored() -> list[Comment]:
    return list(db.session.scalars(select(Comment).order_by(Comment.id)))


# --- Staff badges ----------------------------------------------------------------------------


def test_signed_in_staff_comment_carries_a_badge_and_skips_the_first_time_hold(
    client, story, make_user
):
    sign_in_client(client, make_user("writer"))
    post(client, story, name="Mara Lin", email="mara@example.org", body="Reporter here.")
    (comment,) = stored()
    assert comment.status == "approved" and comment.staff_role == "writer"
    html = page(client.application.test_client(), story)
    card = html[html.index(f'id="comment-card-{comment.id}"') :]
    assert '<span class="comment-badge staff">Staff</span>' in card[: card.index("</header>")]


def test_a_reader_cannot_fake_the_staff_badge(client, story, open_moderation):
    post(client, story, name="Staff", staff_role="admin", body='<span class="comment-badge staff">')
    (comment,) = stored()
    assert comment.staff_role is None
    html = page(client, story)
    assert 'class="comment-badge staff"' not in html
    assert "&lt;span class=&#34;comment-badge staff&#34;&gt;" in html


def test_a_first_time_reader_is_still_held(client, story):
    post(client, story)
    assert stored()[0].status == "pending"


@pytest.fixture
def open_moderation(app):
    app.config["COMMENT_MODERATION"] = "none"


# --- Word lists -------------------------------------------------------------------------------


def save_lists(client, banned="", suspect=""):
    return client.post("/newsroom/comments/words", data={"banned": banned, "suspect": suspect})


def test_editor_saves_word_lists_on_the_newsroom_page(client, login):
    login("editor")
    response = save_lists(client, banned="scam\n\n  crypto king \n", suspect="idiot")
    assert response.status_code == 303
    html = client.get("/newsroom/comments/words").get_data(as_text=True)
    assert "Word lists saved." in html
    assert "scam\ncrypto king</textarea>" in html
    assert "\nidiot</textarea>" in html


def test_readers_and_writers_cannot_edit_word_lists(client, login):
    assert client.get("/newsroom/comments/words").status_code == 302
    login("writer")
    assert save_lists(client, banned="x").status_code == 403


@pytest.mark.parametrize(
    "body",
    ["This is a SCAM.", "Ésta es una scám, amigo", "what a Crypto   King move", "scam"],
)
def test_banned_word_is_refused_with_the_text_kept(client, story, login, body):
    login("editor")
    save_lists(client, banned="scam\ncrypto king")
    reader = client.application.test_client()
    response = post(reader, story, headers=HX, body=body)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This site does not publish comments with these words" in html
    assert 'class="field-error"' in html and f"{body}</textarea>" in html
    assert stored() == []


@pytest.mark.parametrize("body", ["Scampi for dinner", "a scammer", "crypto kingdom"])
def test_banned_words_match_whole_words_only(client, story, login, body):
    login("editor")
    save_lists(client, banned="scam\ncrypto king")
    response = post(client.application.test_client(), story, body=body)
    assert response.status_code == 303
    assert len(stored()) == 1


def test_banned_words_work_in_other_scripts_and_accents(client, story, login):
    login("editor")
    save_lists(client, banned="café\nغبي")
    reader = client.application.test_client()
    assert post(reader, story, body="CAFE con leche").status_code == 422
    assert post(reader, story, body="أنت غَبِيّ جدا").status_code == 422
    assert stored() == []


def test_suspect_word_holds_the_comment_and_the_queue_says_why(client, story, login, app):
    app.config["COMMENT_MODERATION"] = "none"
    login("editor")
    save_lists(client, suspect="idiot")
    reader = client.application.test_client()
    assert post(reader, story, body="Only an IDIOT would build there.").status_code == 303
    (comment,) = stored()
    assert comment.status == "pending" and comment.held_for == "idiot"
    queue = client.get("/newsroom/comments").get_data(as_text=True)
    assert "Held for suspect words: idiot" in queue


def test_banned_word_is_refused_when_a_reader_edits(client, story, login, app):
    app.config["COMMENT_MODERATION"] = "none"
    reader = client.application.test_client()
    post(reader, story)
    (comment,) = stored()
    login("editor")
    save_lists(client, banned="scam")
    response = reader.post(f"/comments/c/{comment.id}/edit", data={"body": "a scam"}, headers=HX)
    assert response.status_code == 422
    assert "a scam</textarea>" in response.get_data(as_text=True)
    db.session.refresh(comment)
    assert comment.body == "Well reported."


# --- Bans -----------------------------------------------------------------------------------


@pytest.fixture
def reader_comment(client, story, app):
    app.config["COMMENT_MODERATION"] = "none"
    post(client.application.test_client(), story, email="Troll+x@Example.org", name="Troll")
    return stored()[0]


def test_moderator_bans_from_the_queue_in_place_and_the_commenter_is_refused_politely(
    client, story, login, reader_comment
):
    login("editor")
    form = client.get(f"/newsroom/comments/{reader_comment.id}/ban?tab=approved", headers=HX)
    assert form.status_code == 200 and "<html" not in form.get_data(as_text=True)
    assert 'name="reason"' in form.get_data(as_text=True)
    done = client.post(
        f"/newsroom/comments/{reader_comment.id}/ban?tab=approved",
        data={"reason": "Abuse of other readers"},
        headers=HX,
    )
    assert done.status_code == 200
    assert "Troll may no longer comment." in done.get_data(as_text=True)

    reader = client.application.test_client()
    refused = post(reader, story, email="troll@example.org", body="Let me back in", headers=HX)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 403
    assert "this site no longer accepts comments from you" in html
    assert "Let me back in</textarea>" in html
    assert len(stored()) == 1
    # Another address from the same machine is not refused: the ban was by email only.
    assert post(reader, story, email="someone@example.org", body="Fair point.").status_code == 303


def test_ban_by_address_refuses_other_emails_from_it(client, story, login, reader_comment):
    login("editor")
    client.post(
        f"/newsroom/comments/{reader_comment.id}/ban",
        data={"reason": "Sock puppets", "by_address": "y"},
    )
    reader = client.application.test_client()
    assert post(reader, story, email="fresh@example.org").status_code == 403
    elsewhere = client.application.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert post(elsewhere, story, email="fresh@example.org", body="New here.").status_code == 303


def test_ban_without_a_reason_says_so_beside_the_field(client, login, reader_comment):
    login("editor")
    response = client.post(f"/newsroom/comments/{reader_comment.id}/ban", data={"reason": ""})
    assert response.status_code == 422
    assert "Please say why" in response.get_data(as_text=True)


def test_bans_are_listed_without_emails_and_can_be_lifted(client, story, login, reader_comment):
    login("editor")
    response = client.post(
        f"/newsroom/comments/{reader_comment.id}/ban", data={"reason": "Spam links"}
    )
    assert response.status_code == 303
    listing = client.get("/newsroom/comments/bans").get_data(as_text=True)
    assert "Troll" in listing and "Spam links" in listing
    assert "troll@" not in listing.lower() and "troll+x@" not in listing.lower()
    ban_id = int(listing.split('id="ban-')[1].split('"')[0])
    lifted = client.post(f"/newsroom/comments/bans/{ban_id}/lift", follow_redirects=True)
    assert "Ban lifted: Troll may comment again." in lifted.get_data(as_text=True)
    assert "Nobody is banned." in lifted.get_data(as_text=True)
    assert (
        post(
            client.application.test_client(), story, email="troll@example.org", body="Sorry."
        ).status_code
        == 303
    )


def test_readers_cannot_ban(client, reader_comment):
    response = client.post(f"/newsroom/comments/{reader_comment.id}/ban", data={"reason": "x"})
    assert response.status_code == 302


# --- Reports --------------------------------------------------------------------------------


def reader_at(app, address: str):
    reader = app.test_client()
    reader.environ_base["REMOTE_ADDR"] = address
    return reader


def report(reader, comment, headers=None, **fields):
    data = {"reason": "abuse", **fields}
    return reader.post(f"/comments/c/{comment.id}/report", data=data, headers=headers or {})


def test_reader_reports_a_comment_in_place_and_is_thanked(app, story, reader_comment):
    html = page(app.test_client(), story)
    assert f'data-hx-get="/comments/c/{reader_comment.id}/report"' in html
    reader = reader_at(app, "198.51.100.1")
    form = reader.get(f"/comments/c/{reader_comment.id}/report", headers=HX)
    assert form.status_code == 200 and "<html" not in form.get_data(as_text=True)
    assert "Abusive or hateful" in form.get_data(as_text=True)
    sent = report(reader, reader_comment, headers=HX)
    assert sent.status_code == 200
    assert "Thanks, a moderator will look at it." in sent.get_data(as_text=True)
    again = report(reader, reader_comment, headers=HX, reason="spam")
    assert "You have already reported this comment." in again.get_data(as_text=True)
    assert len(db.session.scalars(select(CommentReport)).all()) == 1


def test_reporting_without_javascript_thanks_on_a_page(app, reader_comment):
    reader = reader_at(app, "198.51.100.2")
    response = report(reader, reader_comment)
    assert response.status_code == 303
    thanks = reader.get(response.headers["Location"]).get_data(as_text=True)
    assert "<html" in thanks and "Thanks, a moderator will look at it." in thanks


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": ""}, "Please choose a reason."),
        ({"reason": "nonsense"}, "Not a valid choice"),
        ({"reason": "other", "note": ""}, "Please tell the moderators what is wrong."),
        ({"reason": "other", "note": "x" * 501}, "Notes are limited to 500 characters."),
    ],
)
def test_a_bad_report_says_why_beside_the_field(app, reader_comment, fields, message):
    response = report(reader_at(app, "198.51.100.3"), reader_comment, headers=HX, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(select(CommentReport)).all() == []


def test_enough_distinct_readers_hide_a_comment_until_reviewed(
    app, client, story, login, reader_comment
):
    app.config["COMMENT_REPORTS_TO_HIDE"] = 2
    report(reader_at(app, "198.51.100.4"), reader_comment, reason="other", note="Doxxing <b>me</b>")
    report(reader_at(app, "198.51.100.4"), reader_comment)  # the same reader twice counts once
    assert "Well reported." in page(app.test_client(), story)
    report(reader_at(app, "198.51.100.5"), reader_comment, reason="abuse")
    assert "Well reported." not in page(app.test_client(), story)

    login("editor")
    listing = client.get("/newsroom/comments/reported").get_data(as_text=True)
    assert 'id="reported-count">1<' in listing
    assert "Hidden until reviewed" in listing
    assert "Abusive or hateful: <strong>1</strong>" in listing
    assert "Something else: <strong>1</strong>" in listing
    assert "Doxxing &lt;b&gt;me&lt;/b&gt;" in listing
    kept = client.post(f"/newsroom/comments/reported/{reader_comment.id}/keep", headers=HX)
    assert "its reports are closed" in kept.get_data(as_text=True)
    assert "Well reported." in page(app.test_client(), story)
    assert "No reported comments." in client.get("/newsroom/comments/reported").get_data(
        as_text=True
    )


def test_moderating_from_the_queue_closes_reports(app, client, login, reader_comment):
    report(reader_at(app, "198.51.100.6"), reader_comment)
    login("editor")
    client.post(f"/newsroom/comments/{reader_comment.id}/spam")
    assert "No reported comments." in client.get("/newsroom/comments/reported").get_data(
        as_text=True
    )


def test_pending_comments_cannot_be_reported(app, story):
    post(app.test_client(), story)
    (comment,) = stored()
    assert comment.status == "pending"
    assert report(reader_at(app, "198.51.100.7"), comment).status_code == 404


# --- Editors' picks -------------------------------------------------------------------------


def test_editor_features_a_comment_and_readers_see_it_badged_and_in_the_featured_view(
    app, client, story, login, reader_comment
):
    reader = app.test_client()
    before = reader.get(f"/{story.category.slug}/{story.slug}")
    assert 'class="comment-badge featured"' not in before.get_data(as_text=True)
    login("editor")
    row = client.post(
        f"/newsroom/comments/{reader_comment.id}/feature", data={"tab": "approved"}, headers=HX
    )
    assert row.status_code == 200
    assert (
        row.get_data(as_text=True).lstrip().startswith(f'<li id="mod-comment-{reader_comment.id}"')
    )
    assert "Unfeature" in row.get_data(as_text=True)

    # The reader's copy is out of date at once: the validator moved.
    again = reader.get(
        f"/{story.category.slug}/{story.slug}", headers={"If-None-Match": before.headers["ETag"]}
    )
    assert again.status_code == 200
    assert '<span class="comment-badge featured">Featured</span>' in again.get_data(as_text=True)
    featured_view = page(reader, story, "?view=featured")
    assert "Well reported." in featured_view
    assert 'aria-current="page">Featured <span class="count">1</span>' in featured_view


def test_featured_view_lists_only_picks(app, client, story, login, reader_comment):
    post(app.test_client(), story, body="An ordinary remark.")
    login("editor")
    client.post(f"/newsroom/comments/{reader_comment.id}/feature")
    html = page(app.test_client(), story, "?view=featured")
    assert "Well reported." in html and "An ordinary remark." not in html
    assert "An ordinary remark." in page(app.test_client(), story)


def test_unfeature_from_the_story_page_without_javascript(
    app, client, story, login, reader_comment
):
    login("editor")
    client.post(f"/newsroom/comments/{reader_comment.id}/feature")
    path = f"/{story.category.slug}/{story.slug}"
    assert 'class="unfeature"' in client.get(path).get_data(as_text=True)
    response = client.post(
        f"/newsroom/comments/{reader_comment.id}/unfeature",
        data={"context": "story", "next": path},
    )
    assert response.status_code == 303 and response.headers["Location"] == path
    assert "comment-badge featured" not in page(app.test_client(), story)
    assert 'Featured <span class="count">0</span>' in page(app.test_client(), story)


def test_pending_comments_cannot_be_featured_nor_by_readers(app, client, story, login):
    post(app.test_client(), story)
    (comment,) = stored()
    assert client.post(f"/newsroom/comments/{comment.id}/feature").status_code == 302
    login("editor")
    assert client.post(f"/newsroom/comments/{comment.id}/feature").status_code == 409


# --- Sort order -----------------------------------------------------------------------------


@pytest.fixture
def discussion(story):
    """Three top-level comments an hour apart; the middle one has two replies."""
    from datetime import timedelta

    from broadsheet.clock import utcnow

    start = utcnow() - timedelta(hours=5)
    made = {}
    for n, name in enumerate(("Early", "Middle", "Late")):
        made[name] = Comment(
            article_id=story.id,
            author_name=name,
            author_email=f"{name.lower()}@example.org",
            body=f"{name} says hello.",
            status="approved",
            created_at=start + timedelta(hours=n),
        )
        db.session.add(made[name])
        db.session.flush()
        made[name].root_id = made[name].id
    for n in range(2):
        db.session.add(
            Comment(
                article_id=story.id,
                parent_id=made["Middle"].id,
                root_id=made["Middle"].id,
                depth=1,
                author_name=f"Replier {n}",
                author_email="r@example.org",
                body=f"Reply {n}.",
                status="approved",
                created_at=start + timedelta(hours=4, minutes=n),
            )
        )
    db.session.commit()
    return made


def order_of(html: str) -> list[str]:
    names = [n for n in ("Early says", "Middle says", "Late says") if n in html]
    return [n.split()[0] for n in sorted(names, key=html.index)]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("oldest", ["Early", "Middle", "Late"]),
        ("newest", ["Late", "Middle", "Early"]),
        ("replies", ["Middle", "Early", "Late"]),
    ],
)
def test_sort_orders_work_without_javascript(client, story, discussion, sort, expected):
    assert order_of(page(client, story, f"?sort={sort}")) == expected


def test_the_chosen_order_is_remembered_and_survives_load_more(app, client, story, discussion):
    app.config["COMMENTS_PER_PAGE"] = 1
    chosen = client.get(f"/comments/{story.id}/order?sort=newest")
    assert chosen.status_code == 303
    assert chosen.headers["Location"].endswith(f"/{story.slug}?sort=newest#comments")
    html = page(client, story)  # no parameter: the cookie remembers
    assert "Late says" in html and "Middle says" not in html
    assert '<option value="newest" selected>' in html
    more = html.split('id="load-more"')[1].split('data-hx-get="')[1].split('"')[0]
    assert "sort=newest" in more
    fragment = client.get(more.replace("&amp;", "&"), headers=HX).get_data(as_text=True)
    assert "Middle says" in fragment and "Late says" not in fragment
    poller = html.split('id="comment-poller"')[1]
    assert "sort=newest" in poller.split("data-hx-trigger")[0]


def test_most_replied_load_more_continues_after_the_cursor(app, client, story, discussion):
    app.config["COMMENTS_PER_PAGE"] = 2
    html = page(client, story, "?sort=replies")
    assert order_of(html) == ["Middle", "Early"]
    more = html.split('id="load-more"')[1].split('data-hx-get="')[1].split('"')[0]
    fragment = client.get(more.replace("&amp;", "&"), headers=HX).get_data(as_text=True)
    assert "Late says" in fragment and "Early says" not in fragment


def test_order_with_htmx_swaps_the_section_and_sets_the_cookie(client, story, discussion):
    response = client.get(f"/comments/{story.id}/order?sort=replies", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<section id="comments"')
    assert order_of(html) == ["Middle", "Early", "Late"]
    assert "bs_sort=replies" in response.headers["Set-Cookie"]


def test_new_comments_arrive_at_the_top_when_newest_first(app, client, story, discussion):
    from datetime import timedelta

    from broadsheet.clock import utcnow
    from broadsheet.web.formats import epoch_micros

    since = epoch_micros(utcnow() - timedelta(minutes=1))
    app.config["COMMENT_MODERATION"] = "none"
    post(app.test_client(), story, body="Fresh news.")
    newest = client.get(f"/comments/{story.id}/new?since={since}&sort=newest", headers=HX)
    assert 'data-hx-swap-oob="afterbegin:#comment-list"' in newest.get_data(as_text=True)
    oldest = client.get(f"/comments/{story.id}/new?since={since}", headers=HX)
    assert 'data-hx-swap-oob="beforeend:#comment-list"' in oldest.get_data(as_text=True)


def test_an_unknown_sort_falls_back_to_oldest(client, story, discussion):
    assert order_of(page(client, story, "?sort=%3Cscript%3E")) == ["Early", "Middle", "Late"]


# --- Per-story settings ---------------------------------------------------------------------


def configure(client, story, **data):
    return client.post(f"/newsroom/stories/{story.id}/discussion", data=data)


def test_a_sensitive_story_holds_every_comment_and_says_so(app, client, story, login, make_user):
    app.config["COMMENT_MODERATION"] = "none"
    login("editor")
    assert configure(client, story, premoderated="y", notice="").status_code == 303
    reader = app.test_client()
    assert "read by a moderator before it appears" in page(reader, story)
    post(reader, story, headers=HX)
    staff = app.test_client()
    sign_in_client(staff, make_user("admin"))
    post(staff, story, email="desk@example.org", body="From the desk.")
    assert [c.status for c in stored()] == ["pending", "pending"]
    queue = client.get("/newsroom/comments").get_data(as_text=True)
    assert "every comment on this story waits for a moderator" in queue


def test_the_newsrooms_note_shows_above_the_comments_escaped(app, client, story, login):
    login("editor")
    before = app.test_client().get(f"/{story.category.slug}/{story.slug}")
    configure(client, story, notice="Be kind: <script>x</script>\nSee https://example.org/rules")
    form = client.get(f"/newsroom/stories/{story.id}/discussion").get_data(as_text=True)
    assert "Comment settings saved." in form
    again = app.test_client().get(
        f"/{story.category.slug}/{story.slug}", headers={"If-None-Match": before.headers["ETag"]}
    )
    html = again.get_data(as_text=True)
    assert again.status_code == 200
    notice = html.split('class="comments-notice"')[1].split("</div>")[0]
    assert "Be kind: &lt;script&gt;x&lt;/script&gt;" in notice
    assert '<a href="https://example.org/rules">' in notice
    assert html.index("comments-notice") < html.index('id="comment-list"')


def test_story_settings_refuse_a_too_long_note_and_keep_it(client, story, login):
    login("editor")
    response = configure(client, story, notice="n" * 1001)
    assert response.status_code == 422
    assert "limited to 1000 characters" in response.get_data(as_text=True)
    assert "n" * 1001 + "</textarea>" in response.get_data(as_text=True)


def test_writers_cannot_change_story_comment_settings(client, story, login):
    login("writer")
    assert configure(client, story, premoderated="y").status_code == 403


# --- The moderation queue -------------------------------------------------------------------


def add_pending(story, n: int, parent: Comment | None = None) -> list[Comment]:
    from datetime import timedelta

    from broadsheet.clock import utcnow

    start = utcnow() - timedelta(hours=2)
    made = []
    for i in range(n):
        comment = Comment(
            article_id=story.id,
            author_name=f"Reader {i}",
            author_email="r@example.org",
            body=f"Pending number {i}.",
            status="pending",
            created_at=start + timedelta(seconds=i),
            parent_id=parent.id if parent else None,
            root_id=parent.root_id if parent else None,
            depth=1 if parent else 0,
        )
        db.session.add(comment)
        made.append(comment)
    db.session.flush()
    for comment in made:
        comment.root_id = comment.root_id or comment.id
    db.session.commit()
    return made


def test_queue_loads_more_after_the_last_row_even_when_earlier_ones_were_decided(
    app, client, story, login
):
    app.config["NEWSROOM_PAGE_SIZE"] = 3
    login("editor")
    made = add_pending(story, 7)
    html = client.get("/newsroom/comments").get_data(as_text=True)
    assert 'id="queue-more"' in html and "Keyboard shortcuts" in html
    for comment in made[:3]:
        client.post(f"/newsroom/comments/{comment.id}/approve", headers=HX)
    more = client.get(f"/newsroom/comments/queue?after={made[2].id}", headers=HX)
    fragment = more.get_data(as_text=True)
    assert "<html" not in fragment
    assert [f"Pending number {i}." in fragment for i in range(7)] == [False] * 3 + [True] * 3 + [
        False
    ]
    assert f"after={made[5].id}" in fragment and 'id="queue-more"' in fragment
    last = client.get(f"/newsroom/comments/queue?after={made[5].id}", headers=HX).get_data(
        as_text=True
    )
    assert "Pending number 6." in last and 'id="queue-more"' not in last


def test_queue_shows_the_comment_being_answered(client, story, login, reader_comment):
    login("editor")
    add_pending(story, 1, parent=reader_comment)
    html = client.get("/newsroom/comments").get_data(as_text=True)
    assert "In reply to Troll: <q>Well reported.</q>" in html
    assert story.headline in html


def test_reports_are_rate_limited_per_address(app, story, reader_comment):
    app.config.update(RATELIMIT_ENABLED=True, COMMENT_REPORT_RATE_LIMIT="1/minute")
    post(app.test_client(), story, body="Another remark.", email="other@example.org")
    first, second = stored()
    reader = reader_at(app, "198.51.100.9")
    assert report(reader, first, headers=HX).status_code == 200
    refused = report(reader, second, headers=HX, reason="spam")
    assert refused.status_code == 429
    assert "You are reporting faster than we allow." in refused.get_data(as_text=True)
    assert len(db.session.scalars(select(CommentReport)).all()) == 1


# --- Valid HTML -----------------------------------------------------------------------------


def test_community_pages_have_no_html_errors(
    app,
    client,
    story,
    login,
    reader_comment,
    vnu,  # noqa: F811
    tmp_path,
):
    app.config["NEWSROOM_PAGE_SIZE"] = 1
    add_pending(story, 2, parent=reader_comment)
    report(reader_at(app, "198.51.100.8"), reader_comment, reason="other", note="A note")
    reader = app.test_client()
    pages = {
        "report": reader.get(f"/comments/c/{reader_comment.id}/report").get_data(as_text=True),
        "report-sent": reader.get(f"/comments/c/{reader_comment.id}/report?sent=1").get_data(
            as_text=True
        ),
    }
    login("editor")
    client.post(f"/newsroom/comments/{reader_comment.id}/feature")
    configure(client, story, premoderated="y", notice="Be kind.\nhttps://example.org/rules")
    client.post(f"/newsroom/comments/{reader_comment.id}/ban", data={"reason": "Spam"})
    for name, path in {
        "queue": "/newsroom/comments",
        "reported": "/newsroom/comments/reported",
        "bans": "/newsroom/comments/bans",
        "words": "/newsroom/comments/words",
        "ban": f"/newsroom/comments/{reader_comment.id}/ban",
        "discussion": f"/newsroom/stories/{story.id}/discussion",
    }.items():
        response = client.get(path)
        assert response.status_code == 200, path
        pages[name] = response.get_data(as_text=True)
    pages["story"] = page(app.test_client(), story, "?sort=replies")
    pages["story-featured"] = page(app.test_client(), story, "?view=featured")
    assert vnu(pages, tmp_path) == []
