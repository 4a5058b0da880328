"""The newsroom's settings page: an admin renames the site and switches its language and
time zone, and every reader page, newsroom page, feed and cache follows."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from broadsheet import clock
from broadsheet.search import use_search_language
from extensions import db
from models import Article, SiteSetting


def settings_form(**changes) -> dict:
    form = {
        "site_name": "Port Alder Ledger",
        "site_tagline": "Independent news for Port Alder and the Alder valley",
        "language": "en",
        "timezone": "UTC",
    }
    return {**form, **changes}


@pytest.fixture
def admin(client, login):
    return login("admin")


@pytest.fixture
def reset_search_language(app):
    """A switch of language re-maps PostgreSQL's search configuration, which outlives a test."""
    yield
    if db.engine.dialect.name == "postgresql":
        use_search_language("en")
        db.session.commit()


def test_settings_page_shows_what_configuration_says(client, admin):
    html = client.get("/newsroom/settings").get_data(as_text=True)
    assert "<h1>Site settings</h1>" in html
    assert 'value="Port Alder Ledger"' in html
    assert '<option selected value="en">English</option>' in html
    assert '<option value="es">Español</option>' in html
    assert '<option value="ar">العربية</option>' in html
    assert '<optgroup label="Europe">' in html and '<option value="Europe/Madrid">' in html
    assert '<option selected value="UTC">UTC</option>' in html
    assert 'href="/newsroom/settings" aria-current="page"' in html


@pytest.mark.parametrize("role", ["writer", "editor"])
def test_only_admins_may_change_settings(client, login, role):
    login(role)
    assert client.get("/newsroom/settings").status_code == 403
    response = client.post("/newsroom/settings", data=settings_form(site_name="Taken over"))
    assert response.status_code == 403
    assert db.session.get(SiteSetting, "SITE_NAME") is None
    assert "/newsroom/settings" not in client.get("/newsroom/stories").get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/newsroom/settings")
    assert response.status_code == 302
    assert "/newsroom/login?next=/newsroom/settings" in response.headers["Location"]
    assert client.post("/newsroom/settings", data=settings_form()).status_code == 302


def test_switching_to_spanish_turns_reader_and_newsroom_pages_spanish(
    client, admin, make_article, reset_search_language
):
    story = make_article("Ferry timetable changes")
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)

    response = client.post("/newsroom/settings", data=settings_form(language="es"))
    assert response.status_code == 303
    saved = client.get(response.headers["Location"]).get_data(as_text=True)
    # The confirmation is already in the language just chosen.
    assert "Ajustes guardados." in saved and "Ajustes del sitio" in saved
    assert '<option selected value="es">Español</option>' in saved

    front = client.get("/").get_data(as_text=True)
    assert '<html lang="es" dir="ltr">' in front
    assert "Buscar" in front and "Search" not in front
    page = client.get(f"/{story.category.slug}/{story.slug}").get_data(as_text=True)
    assert "Deja una respuesta" in page
    newsroom = client.get("/newsroom/stories").get_data(as_text=True)
    assert "Escribir una noticia" in newsroom
    rss = client.get("/feeds/rss.xml").get_data(as_text=True)
    assert "<language>es</language>" in rss
    assert client.get("/manifest.webmanifest").get_json()["lang"] == "es"


def test_arabic_mirrors_the_reader_pages(client, admin, make_article, reset_search_language):
    make_article("Harbour")
    client.post("/newsroom/settings", data=settings_form(language="ar"))
    assert '<html lang="ar" dir="rtl">' in client.get("/").get_data(as_text=True)


def test_form_errors_stand_next_to_their_fields_and_keep_what_was_typed(client, admin):
    response = client.post(
        "/newsroom/settings",
        data=settings_form(site_name="  ", site_tagline="Sea and valley", timezone="Mars/Olympus"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<p class="error" id="site_name-error">The site needs a name.</p>' in html
    assert '<p class="error" id="timezone-error">Choose a time zone from the list.</p>' in html
    assert 'value="Sea and valley"' in html
    assert db.session.scalar(db.select(db.func.count()).select_from(SiteSetting)) == 0


def test_a_language_without_a_catalog_is_refused(client, admin):
    response = client.post("/newsroom/settings", data=settings_form(language="xx-klingon"))
    assert response.status_code == 422
    assert "Choose one of the languages listed." in response.get_data(as_text=True)


def test_overlong_values_are_refused(client, admin):
    response = client.post("/newsroom/settings", data=settings_form(site_name="N" * 121))
    assert response.status_code == 422
    assert 'id="site_name-error"' in response.get_data(as_text=True)


def test_new_name_and_tagline_reach_pages_feeds_and_structured_data(client, admin, make_article):
    story = make_article("Ferry timetable changes")
    client.post(
        "/newsroom/settings",
        data=settings_form(site_name="Valley <Courier>", site_tagline="News & weather"),
    )
    front = client.get("/").get_data(as_text=True)
    assert "Valley &lt;Courier&gt;" in front and "News &amp; weather" in front
    assert "Port Alder Ledger" not in front
    page = client.get(f"/{story.category.slug}/{story.slug}").get_data(as_text=True)
    assert '"name": "Valley \\u003cCourier\\u003e"' in page
    rss = client.get("/feeds/rss.xml").get_data(as_text=True)
    assert "<title>Valley &lt;Courier&gt;</title>" in rss


def test_only_changed_settings_are_saved_and_the_rest_follow_configuration(client, admin):
    client.post("/newsroom/settings", data=settings_form(timezone="Europe/Madrid"))
    assert db.session.scalars(db.select(SiteSetting.name)).all() == ["SITE_TIMEZONE"]
    response = client.post("/newsroom/settings", data=settings_form(timezone="Europe/Madrid"))
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nothing to save" in html


def test_dates_follow_a_new_time_zone(client, admin, make_article):
    story = make_article("Night ferry")
    story.published_at = datetime(2026, 11, 28, 3, 30)
    db.session.commit()
    path = f"/{story.category.slug}/{story.slug}"
    assert (
        '<time datetime="2026-11-28T03:30:00Z">Nov 28, 2026, 3:30\u202fAM</time>'
        in client.get(path).text
    )
    client.post("/newsroom/settings", data=settings_form(timezone="America/Mexico_City"))
    assert (
        '<time datetime="2026-11-28T03:30:00Z">Nov 27, 2026, 9:30\u202fPM</time>'
        in client.get(path).text
    )


def test_cached_copies_are_not_confirmed_after_a_change(client, admin, make_article, time_machine):
    make_article("Harbour")
    first = client.get("/")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get("/", headers={"If-None-Match": etag}).status_code == 304
    # Saved a minute later: Last-Modified counts whole seconds.
    time_machine.move_to(clock.utcnow().replace(tzinfo=UTC) + timedelta(minutes=1))
    client.post("/newsroom/settings", data=settings_form(site_name="Valley Courier"))
    assert client.get("/", headers={"If-None-Match": etag}).status_code == 200
    assert client.get("/", headers={"If-Modified-Since": modified}).status_code == 200
    manifest = client.get("/manifest.webmanifest")
    assert "Valley Courier" in manifest.get_data(as_text=True)


def schedule(client, category, typed: str):
    story = {"headline": "Harbour dredging starts", "body": "The dredger arrives."}
    data = {**story, "category_id": category.id, "publish_at": typed, "action": "schedule"}
    return client.post("/newsroom/stories/new", data=data)


def test_schedule_time_is_typed_in_the_site_time_zone(client, login, make_category, time_machine):
    time_machine.move_to(datetime(2031, 11, 28, 9, 0, tzinfo=UTC), tick=False)
    login("admin")  # after the move: the signed session cookie carries the time it was made
    local = make_category("Local")
    client.post("/newsroom/settings", data=settings_form(timezone="America/Mexico_City"))
    form = client.get("/newsroom/stories/new").get_data(as_text=True)
    assert "in the site&#39;s time zone (America/Mexico_City)" in form
    response = schedule(client, local, "2031-11-28T10:00")
    assert response.status_code == 303
    # 10:00 in Mexico City (UTC-6) is 16:00 UTC.
    article = db.session.scalar(db.select(Article))
    assert article.published_at == datetime(2031, 11, 28, 16, 0)
    notice = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The story goes live at Nov 28, 2031, 10:00:00" in notice
    assert 'value="2031-11-28T10:00"' in notice


def test_a_time_earlier_today_there_cannot_be_scheduled(client, admin, make_category):
    local = make_category("Local")
    client.post("/newsroom/settings", data=settings_form(timezone="Pacific/Kiritimati"))
    # UTC+14: the UTC clock's reading, typed there, is fourteen hours in the past.
    response = schedule(
        client, local, (clock.utcnow() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    assert response.status_code == 422
    assert "Choose a time in the future" in response.get_data(as_text=True)


def test_postgresql_search_stems_the_new_language(
    client, admin, make_article, reset_search_language
):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("stemming by site language is PostgreSQL's; FTS5 is language-neutral")
    make_article("Vecinos quieren correr en el muelle", body="Una carrera popular.", teaser="")

    def found(query: str) -> bool:
        html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
        return "Vecinos quieren correr" in html

    assert not found("corriendo")
    client.post("/newsroom/settings", data=settings_form(language="es"))
    assert found("corriendo")


def test_news_sitemap_names_the_bare_language(client, admin, make_article, reset_search_language):
    make_article("Harbour", hours_ago=1)
    client.post("/newsroom/settings", data=settings_form(language="es"))
    xml = client.get("/sitemaps/news.xml").get_data(as_text=True)
    assert "<news:language>es</news:language>" in xml


def test_settings_page_is_in_spanish_once_chosen(client, admin, reset_search_language):
    client.post("/newsroom/settings", data=settings_form(language="es"))
    html = client.get("/newsroom/settings").get_data(as_text=True)
    assert re.search(r"<label for=\"timezone\">Zona horaria</label>", html)
    assert "Hora del sitio ahora:" in html
    response = client.post("/newsroom/settings", data=settings_form(language="es", timezone="?"))
    assert "Elige una zona horaria de la lista." in response.get_data(as_text=True)
