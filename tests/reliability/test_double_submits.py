"""A double click or a retried request never creates two comments, even when the copies race."""

from __future__ import annotations

import uuid
from collections import defaultdict

import pytest

from .conftest import SECONDS, report, spawn
from .load import Session, Tally, double_submit_into, form_fields

pytestmark = pytest.mark.reliability

COPIES = 6  # simultaneous copies of each form, from as many processes


def forms_from_one_page(server, rounds: int) -> tuple[dict[str, str], list[dict[str, str]]]:
    """One browser's cookies and `rounds` filled-in forms, each with its own token."""
    session = Session(server.port)
    status, _headers, html = session.request("GET", server.site.story_path)
    assert status == 200
    hidden = form_fields(html)
    forms = [
        {
            "name": "Double Clicker",
            "email": "clicker@example.org",
            "body": f"clicked twice {i} {uuid.uuid4().hex}",
            "token": uuid.uuid4().hex,
            **hidden,
        }
        for i in range(rounds)
    ]
    return session.cookies, forms


def test_racing_copies_of_one_form_make_one_comment(site, serve):
    server = serve(site)
    rounds = max(5, int(SECONDS * 2))
    cookies, forms = forms_from_one_page(server, rounds)
    ctx = spawn()
    barrier, queue = ctx.Barrier(COPIES), ctx.Queue()
    # Half the copies come as htmx requests, half as plain posts: both answers are checked.
    clients = [
        ctx.Process(
            target=double_submit_into,
            args=(queue, server.port, site.story_id, cookies, forms, barrier, i % 2 == 0),
        )
        for i in range(COPIES)
    ]
    for client in clients:
        client.start()
    try:
        answers = [a for _ in clients for a in queue.get(timeout=SECONDS * 10 + 120)]
    finally:
        for client in clients:
            client.join(timeout=10)
            if client.is_alive():
                client.kill()

    by_token: dict[str, set] = defaultdict(set)
    statuses = [status for _token, status, _id in answers]
    for token, _status, comment_id in answers:
        by_token[token].add(comment_id)
    stored = dict(
        site.query(
            "SELECT submission_token, count(*) FROM comments "
            f"WHERE article_id = {site.story_id} GROUP BY submission_token"
        )
    )
    tally = Tally(
        sent=[b["body"] for b in forms for _ in range(COPIES)],
        acked=[t for t, s, _ in answers if s in (200, 303)],
        errors=[str(s) for s in statuses if s not in (200, 303)],
    )
    report(
        f"double submits [{site.url.split(':')[0]}]",
        [tally],
        sum(stored.values()),
        f"{rounds} forms x {COPIES} copies",
    )

    assert all(s in (200, 303) for s in statuses), f"answers: {sorted(set(statuses))}"
    assert stored == {f["token"]: 1 for f in forms}, "a form made more or fewer than one comment"
    assert all(len(ids) == 1 and None not in ids for ids in by_token.values()), (
        "copies of one form were not all answered with the same comment"
    )


# --- The same race, made deterministic with the test client ------------------------------


@pytest.fixture
def story(make_article):
    return make_article("Ferry timetable changes")


def test_copy_stored_between_check_and_insert_is_answered_not_500(app, client, story, monkeypatch):
    """Another worker stores the same form after our check: we answer with its comment."""
    from sqlalchemy import func, select

    from blueprints.comments import views
    from extensions import db
    from models import Comment

    from ..test_comments import post

    real_create = views.create

    def create_after_the_other_copy(article, **fields):
        with db.engine.begin() as other:  # a second connection: the other worker
            other.execute(
                Comment.__table__.insert().values(
                    article_id=article.id,
                    author_name="Ana",
                    author_email="ana@example.org",
                    author_url="",
                    body="Well reported.",
                    status="approved",
                    depth=0,
                    ip_hash="",
                    user_agent="",
                    submission_token=fields["token"],
                    created_at=story.published_at,
                    changed_at=story.published_at,
                )
            )
        return real_create(article, **fields)

    monkeypatch.setattr(views, "create", create_after_the_other_copy)
    response = post(client, story, headers={"HX-Request": "true"}, token="raced-token")
    [stored] = db.session.scalars(select(Comment)).all()

    assert response.status_code == 200
    assert f'id="comment-{stored.id}"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 1


def test_token_from_another_story_is_not_answered_with_its_comment(app, client, make_article):
    from ..test_comments import post, stored

    app.config["COMMENT_MODERATION"] = "none"
    first, second = make_article("First story"), make_article("Second story")
    assert post(client, first, token="shared-token").status_code == 303
    response = post(client, second, token="shared-token", body="A different thought")
    assert response.status_code == 303
    one, two = stored()
    assert (one.article_id, two.article_id) == (first.id, second.id)
    assert two.body == "A different thought" and two.submission_token is None
    assert response.headers["Location"].endswith(f"#comment-{two.id}")


@pytest.mark.parametrize("token", ["x" * 65, "<script>", "tok en", "ünïcode"])
def test_mangled_token_is_replaced_not_stored(app, client, story, token):
    from ..test_comments import post, stored

    app.config["COMMENT_MODERATION"] = "none"
    assert post(client, story, token=token).status_code == 303
    [comment] = stored()
    assert comment.submission_token is None
