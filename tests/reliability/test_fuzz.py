"""Whatever arrives at a POST endpoint or in a query string, the answer is never a 5xx.

Hypothesis sends unicode from every plane, control characters and NUL, huge values,
missing and repeated fields, numbers where text goes (and text where numbers go),
bytes that are not UTF-8 and broken multipart bodies, with and without htmx.
"""

from __future__ import annotations

import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .load import HX

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "\r\n\r\n",
    "\u202eevil",
    "\ufeff",
    "\U0001f4a9" * 20,
    "\U0010fffd",
    "²",
    "١٢٣",
    "-1",
    "0",
    "1e400",
    "NaN",
    "9" * 30,
    "2147483648",
    "9223372036854775808",
    "[]",
    '{"a": 1}',
    "true",
    "../../etc/passwd",
    "%00",
    "%ff%fe",
    "' OR 1=1 --",
    '"*) NEAR(',
    "<script>alert(1)</script>",
    "x" * 5001,
    "ferry " * 400,
]
UNICODE = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=["Cs"]))
VALUES = st.one_of(
    st.sampled_from(NASTY),
    UNICODE,
    st.text(max_size=6000),
    st.integers().map(str),
    st.floats(allow_nan=True).map(str),
)
COMMENT_FIELDS = [
    "name",
    "email",
    "website",
    "body",
    "csrf_token",
    "rendered",
    "token",
    "parent_id",
    "nickname",
    "remember",
]
FIELD_NAMES = st.one_of(st.sampled_from(COMMENT_FIELDS), UNICODE)
FORMS = st.lists(st.tuples(FIELD_NAMES, VALUES), max_size=14)
BYTES = st.binary(max_size=3000)


def good_fields() -> list[tuple[str, str]]:
    from broadsheet.web.commenter import signed_render_time

    return [
        ("name", "Ana"),
        ("email", "ana@example.org"),
        ("body", "A fine comment"),
        ("rendered", signed_render_time()),
    ]


@st.composite
def bodies(draw, fields: list[str] | None = None):
    """A request body: a form (urlencoded or multipart), or raw bytes that may be broken."""
    kind = draw(st.sampled_from(["form", "multipart", "mixed", "raw", "broken-multipart"]))
    if kind in ("form", "multipart", "mixed"):
        pairs = draw(FORMS)
        if kind == "mixed":  # a good form with a few fields changed, dropped or repeated
            pairs = [p for p in good_fields() if draw(st.booleans())] + pairs
        data = {}
        for key, value in pairs:
            data.setdefault(key, []).append(value)
        content_type = "multipart/form-data" if kind == "multipart" else None
        return {"data": data, "content_type": content_type}
    raw = draw(BYTES)
    if kind == "broken-multipart":
        boundary = draw(st.sampled_from(["x", "", "a" * 200, "--", '"']))
        raw = f"--{boundary}\r\nContent-Disposition: form-data; name=".encode() + raw
        return {"data": raw, "content_type": f"multipart/form-data; boundary={boundary}"}
    content_type = draw(
        st.sampled_from(
            [
                "application/x-www-form-urlencoded",
                "application/json",
                "text/plain",
                "application/x-www-form-urlencoded; charset=latin-1",
            ]
        )
    )
    return {"data": raw, "content_type": content_type}


@st.composite
def query_strings(draw, params: list[str]) -> str:
    """Known parameters with hostile values, repeats, unknown names and undecodable bytes."""
    pairs = draw(st.lists(st.tuples(st.sampled_from(params) | UNICODE, VALUES), max_size=6))
    encoded = urllib.parse.urlencode(pairs)
    if draw(st.booleans()):
        junk = draw(BYTES.filter(lambda b: len(b) < 200))
        encoded += f"&{draw(st.sampled_from(params))}={urllib.parse.quote_from_bytes(junk)}"
    return encoded


def assert_not_5xx(response, what: str) -> None:
    assert response.status_code < 500, (
        f"{what} -> {response.status_code}: {response.get_data(as_text=True)[:500]}"
    )


@pytest.fixture
def site(app, client, make_article):
    """A story with one comment this client wrote (so it may edit and delete it)."""
    from extensions import db
    from models import Comment

    app.config["COMMENT_MODERATION"] = "none"
    story = make_article("Ferry timetable changes", body="The ferry runs later.")
    client.post(f"/comments/{story.id}", data=dict(good_fields()))
    comment = db.session.scalar(db.select(Comment))
    return story, comment


# --- POST endpoints ------------------------------------------------------------------------


@FUZZ
@given(body=bodies(), htmx=st.booleans())
def test_comment_post_never_5xx(client, site, body, htmx):
    story, _comment = site
    response = client.post(f"/comments/{story.id}", headers=HX if htmx else {}, **body)
    assert_not_5xx(response, f"POST /comments/{story.id}")


@FUZZ
@given(body=bodies(), htmx=st.booleans(), replying=st.booleans())
def test_reply_post_never_5xx(client, site, body, htmx, replying):
    story, comment = site
    if replying and isinstance(body["data"], dict):
        body["data"]["parent_id"] = [str(comment.id)]
    response = client.post(f"/comments/{story.id}", headers=HX if htmx else {}, **body)
    assert_not_5xx(response, "reply")


@FUZZ
@given(body=bodies(), htmx=st.booleans())
def test_edit_post_never_5xx(client, site, body, htmx):
    _story, comment = site
    response = client.post(f"/comments/c/{comment.id}/edit", headers=HX if htmx else {}, **body)
    assert_not_5xx(response, "edit")


@FUZZ
@given(body=bodies(), htmx=st.booleans(), method=st.sampled_from(["GET", "POST"]))
def test_delete_never_5xx(client, site, body, htmx, method):
    _story, comment = site
    response = client.open(
        f"/comments/c/{comment.id}/delete", method=method, headers=HX if htmx else {}, **body
    )
    assert_not_5xx(response, "delete")


@FUZZ
@given(
    segment=st.one_of(st.sampled_from(NASTY), st.integers(min_value=0).map(str), UNICODE),
    method=st.sampled_from(["GET", "POST"]),
    body=bodies(),
)
def test_comment_urls_with_hostile_ids_never_5xx(client, site, segment, method, body):
    quoted = urllib.parse.quote(segment, safe="")
    for path in (
        f"/comments/{quoted}",
        f"/comments/c/{quoted}/edit",
        f"/comments/c/{quoted}",
        f"/comments/{quoted}/new?since=1",
        f"/comments/{quoted}/form",
    ):
        response = client.open(path, method=method, **body)
        assert_not_5xx(response, f"{method} {path}")


# --- Query parameters of the reader pages --------------------------------------------------


READER_PAGES = {
    "reply form": ("/comments/{id}/form", ["replyto"]),
    "thread page": ("/{category}/{slug}/comments", ["after"]),
    "live updates": ("/comments/{id}/new", ["since"]),
    "search": ("/search", ["q", "page"]),
    "category": ("/{category}/", ["page", "asof"]),
    "article": ("/{category}/{slug}", ["replyto"]),
    "front page": ("/", ["page"]),
}


@pytest.mark.parametrize("name", list(READER_PAGES))
def test_reader_query_parameters_never_5xx(client, site, name):
    story, _comment = site
    template, params = READER_PAGES[name]
    path = template.format(id=story.id, category=story.category.slug, slug=story.slug)

    @FUZZ
    @given(query=query_strings(params), htmx=st.booleans())
    def check(query, htmx):
        response = client.get(path, query_string=query, headers=HX if htmx else {})
        assert_not_5xx(response, f"GET {path}?{query[:300]!r}")

    check()


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/{category}/", "asof=999999999999"),
        ("/{category}/", "asof=²"),
        ("/{category}/", "page=²"),
        ("/search", "q=ferry&page=١٢"),
        ("/comments/{id}/new", "since=99999999999999999999"),
        ("/comments/{id}/new", "since=²"),
        ("/{category}/{slug}/comments", "after=²"),
        ("/{category}/{slug}", "replyto=²"),
        ("/comments/{id}/form", "replyto=²"),
        ("/comments/99999999999999999999999/form", ""),
        ("/comments/c/99999999999999999999999", ""),
    ],
)
def test_known_awkward_numbers_are_answered(client, site, path, query):
    """Values that once got past isdigit() checks or overflowed dates and integers."""
    story, _comment = site
    path = path.format(id=story.id, category=story.category.slug, slug=story.slug)
    response = client.get(path, query_string=query)
    assert response.status_code in (200, 204, 303, 400, 404), response.status_code
