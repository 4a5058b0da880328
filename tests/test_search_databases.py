"""Search answers the same way on SQLite (FTS5) and PostgreSQL (tsvector); `make test` runs both."""

from __future__ import annotations

import pytest
from sqlalchemy import event, update

from extensions import db
from models import Article


@pytest.fixture
def app_config(app_config):
    app_config["SEARCH_PAGE_SIZE"] = 2
    return app_config


def test_search_finds_a_story_by_a_body_word_and_marks_it(client, make_article):
    make_article("Council meeting", body="The harbour ferry timetable changes in spring.")
    make_article("Unrelated", body="Nothing about boats here.")
    html = client.get("/search?q=ferry").get_data(as_text=True)
    assert "Council meeting" in html and "Unrelated" not in html
    assert "<mark>ferry</mark>" in html


def test_search_results_page_on_both_databases(client, make_article):
    for n in range(5):
        make_article(f"Ferry story {n}", body="ferry news", hours_ago=n + 1)
    first = client.get("/search?q=ferry").get_data(as_text=True)
    third = client.get("/search?q=ferry&page=3")
    assert "5 stories match" in first
    assert third.status_code == 200 and third.get_data(as_text=True).count("search-hit") == 1
    assert client.get("/search?q=ferry&page=4").status_code == 404


@pytest.mark.parametrize(
    "query",
    ['"ferry', "-ferry", "(ferry)", "ferry & | !", "ferry:*", "'ferry'", "\\ferry", "ferry*"],
)
def test_search_operator_characters_never_break_the_page(client, make_article, query):
    make_article("Ferry story", body="ferry news")
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert "Ferry story" in response.get_data(as_text=True)


def test_search_query_markup_comes_back_escaped(client, make_article):
    make_article("Ferry story", body="ferry news")
    html = client.get("/search", query_string={"q": "<script>ferry</script>"}).get_data(
        as_text=True
    )
    assert "<script>ferry" not in html and "&lt;script&gt;ferry" in html


def test_a_story_of_megabytes_is_found_and_its_snippet_costs_no_more_than_a_short_one(
    client, make_article
):
    """Stories stored before bodies were capped (an old import) can hold megabytes; FTS5's
    snippet() and ts_headline() read all the text they get (seconds per hit), so search
    hands them none of a whole body: the snippet comes from its first characters."""
    story = make_article("Long read", body="short")
    huge = "The harbour ferry timetable changes. " + "Tides and the quay. " * 150_000
    db.session.execute(update(Article).where(Article.id == story.id).values(body_text=huge))
    db.session.commit()
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        html = client.get("/search?q=ferry").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert "Long read" in html
    snippet = html.split('class="snippet">', 1)[1].split("</p>", 1)[0]
    assert "<mark>ferry</mark> timetable changes" in snippet and len(snippet) < 400
    assert not [s for s in statements if "snippet(" in s]
    headlines = [s for s in statements if "ts_headline(" in s]
    assert all("left(articles.body_text" in s for s in headlines)
