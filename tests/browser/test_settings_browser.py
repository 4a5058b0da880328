"""An admin in Chromium switches the site to Spanish and Mexico City time from the newsroom's
settings page; the newsroom and the reader pages answer in Spanish at once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from broadsheet.accounts import create_user
from broadsheet.search import use_search_language
from extensions import db

from .conftest import story_url

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def admin(live_app):
    create_user("ada@example.org", PASSWORD, "admin", "Ada Admin")
    db.session.commit()
    yield
    use_search_language("en")
    db.session.commit()


def test_admin_switches_the_site_to_spanish(page, story, admin):
    page.goto("/newsroom/login")
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Site settings")).to_be_visible()

    page.get_by_label("Site name").fill("Gaceta del Valle")
    page.get_by_label("Language").select_option(label="Español")
    page.get_by_label("Time zone").select_option("America/Mexico_City")
    page.get_by_role("button", name="Save settings").click()

    expect(page.locator(".notice")).to_have_text("Ajustes guardados.")
    expect(page.get_by_role("heading", name="Ajustes del sitio")).to_be_visible()
    expect(page.get_by_label("Zona horaria")).to_have_value("America/Mexico_City")
    expect(page.locator("html")).to_have_attribute("lang", "es")

    page.goto(story_url(story))
    expect(page).to_have_title(re.compile("Gaceta del Valle"))
    expect(page.get_by_role("heading", name="Deja una respuesta")).to_be_visible()
    assert page.errors == []
