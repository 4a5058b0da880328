"""Search: ranked, highlighted, paginated, and harmless whatever a reader types."""

from __future__ import annotations

import pytest

from broadsheet.search import highlight, postgresql_dictionary, terms, use_search_language
from extensions import db


@pytest.fixture
def stories(make_article):
    make_article("Ferry fares rise in spring", body="The ferry board voted on fares.", teaser="")
    make_article("Council meets", body="Members discussed a ferry once, briefly.", teaser="")
    make_article("Café culture returns to the mill", body="Espresso and pastries.", teaser="")
    make_article("Secret ferry plan", body="ferry ferry", status="draft")


def results(client, query: str) -> str:
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_headline_match_ranks_above_body_mention(client, stories):
    html = results(client, "ferry")
    assert html.index("Ferry fares rise in spring") < html.index("Council meets")
    assert "2 stories match" in html
    assert "Secret ferry plan" not in html


def test_snippets_highlight_the_words(client, stories):
    assert "<mark>ferry</mark>" in results(client, "ferry").lower()


def test_accents_are_folded_both_ways(client, stories):
    assert "Café culture" in results(client, "cafe")
    assert "Café culture" in results(client, "café")


def test_prefix_of_last_word_matches(client, stories):
    assert "Café culture" in results(client, "espres")


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "ferry AND",
        "NOT",
        "ferry OR (",
        "headline:ferry",
        "*",
        "ferry^2",
        "a' OR 1=1 --",
        "NEAR(ferry council)",
        "\x00ferry",
        "-ferry",
        "{ferry}",
        "ferry" * 100,
    ],
)
def test_operator_laden_queries_are_answered_gracefully(client, stories, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200


def test_hostile_query_is_escaped_in_page_and_snippet(client, make_article):
    make_article("Script kiddies", body="Beware <script>alert(1)</script> in text.")
    html = results(client, "<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_very_long_query_is_cut_with_a_notice(client, stories):
    html = results(client, "ferry " * 100)
    assert "only its first 200 characters were used" in html


def test_empty_query_invites_typing(client, stories):
    assert "Type a few words" in results(client, "")


def test_no_match_says_so(client, stories):
    assert "No stories match" in results(client, "zeppelin")


def test_search_pages(client, make_article):
    for i in range(12):
        make_article(f"Tide report {i}", hours_ago=i + 1)
    first = results(client, "tide")
    assert "12 stories match" in first and 'rel="next"' in first
    second = client.get("/search?q=tide&page=2").get_data(as_text=True)
    assert second.count('class="search-hit"') == 2
    assert client.get("/search?q=tide&page=3").status_code == 404


def test_header_search_box_uses_search(client, stories):
    html = client.get("/").get_data(as_text=True)
    assert 'action="/search"' in html and 'name="q"' in html


def test_terms_drop_operators():
    assert terms('ferry" OR (council*) -x') == ["ferry", "OR", "council", "x"]


def test_highlight_escapes_before_marking():
    assert str(highlight("<b>\x02ferry\x03</b>")) == "&lt;b&gt;<mark>ferry</mark>&lt;/b&gt;"


@pytest.fixture
def spanish_stories(make_article):
    make_article("El corazón del puerto", body="Un pingüino llegó al muelle.", teaser="")
    make_article("Crónica de la educación pública", body="La sesión del consejo.", teaser="")


@pytest.mark.parametrize(
    ("query", "headline"),
    [
        ("corazón", "El corazón del puerto"),
        ("corazon", "El corazón del puerto"),
        ("CORAZÓN", "El corazón del puerto"),
        ("pingüino", "El corazón del puerto"),
        ("pinguino", "El corazón del puerto"),
        ("educacion", "Crónica de la educación pública"),
        ("crónica publica", "Crónica de la educación pública"),
        ("sesion", "Crónica de la educación pública"),
    ],
)
def test_spanish_words_match_with_and_without_accents(client, spanish_stories, query, headline):
    assert headline in results(client, query)


@pytest.fixture
def search_language(app):
    """Switch search to another language for one test, then back to English."""

    def switch(language: str) -> str:
        dictionary = use_search_language(language)
        db.session.commit()
        return dictionary

    yield switch
    use_search_language("en")
    db.session.commit()


def test_spanish_site_search_stems_spanish_words(client, search_language, make_article):
    make_article("Los corazones del puerto", body="Llegaron pingüinos al muelle.", teaser="")
    assert search_language("es") in ("spanish_stem", "spanish")
    for query in ("corazón", "corazon", "pingüino", "pinguino", "llegó"):
        assert "Los corazones del puerto" in results(client, query), query


def test_arabic_site_search_finds_a_word_with_or_without_its_article(
    client, search_language, make_article
):
    make_article("افتتاح المكتبة في المدينة", body="زار السكان المكتبة الجديدة.", teaser="")
    assert search_language("ar") in ("arabic_stem", "arabic")
    for query in ("المكتبة", "مكتبة", "مدينة"):
        assert "افتتاح المكتبة في المدينة" in results(client, query), query


@pytest.mark.parametrize(
    ("language", "dictionary"),
    [
        ("en", "english_stem"),
        ("es", "spanish_stem"),
        ("pt-BR", "portuguese_stem"),
        ("ja", "simple"),
    ],
)
def test_each_language_gets_its_stemmer_or_none(app, language, dictionary):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL text search dictionaries")
    assert postgresql_dictionary(language) == dictionary


def test_sqlite_search_stems_with_the_snowball_stemmer_of_the_language(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    assert use_search_language("es") == "spanish"
    assert use_search_language("ja") == "none"
    use_search_language("en")


def test_a_pasted_essay_is_echoed_only_as_far_as_it_was_searched(client, stories):
    essay = "ferry " + "x" * 4994
    html = results(client, essay)
    assert "x" * 194 in html and "x" * 195 not in html
    title = html.split("<title>")[1].split("</title>")[0]
    assert len(title) < 120


def test_words_past_the_twelfth_are_not_dropped_silently(client, stories):
    twelve = " ".join(["ferry"] * 12)
    assert "Only the first 12 words" not in results(client, twelve)
    assert "Only the first 12 words of your search were used." in results(client, twelve + " fares")


def test_a_headline_match_does_not_repeat_the_headline_as_its_snippet(client, make_article):
    make_article("Lighthouse keeper retires", body="After forty years on the rock.", teaser="")
    html = results(client, "lighthouse")
    snippet = html.split('class="snippet">')[1].split("</p>")[0]
    assert "After forty years on the rock" in snippet and "Lighthouse" not in snippet
