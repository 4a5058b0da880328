"""The newsroom in the site language: every staff page, with no English string left."""

from __future__ import annotations

import pytest

from .test_i18n import extracted


@pytest.fixture
def app_config(app_config):
    app_config.update(SITE_LANGUAGE="es")
    return app_config


def newsroom_msgids() -> list[str]:
    """Newsroom msgids long enough that finding one in a page means it went untranslated."""
    return sorted(
        m
        for m, files in extracted().items()
        if any(f.startswith(("templates/newsroom/", "blueprints/newsroom/")) for f in files)
        and "%" not in m
        and len(m) >= 8
    )


def test_sign_in_page_is_in_spanish(client):
    html = client.get("/newsroom/login").get_data(as_text=True)
    assert '<html lang="es" dir="ltr">' in html
    assert "Inicia sesión en la redacción" in html and "Contraseña" in html


def test_every_newsroom_page_is_in_spanish(client, login, make_article):
    story = make_article("Ferry timetable changes")
    admin = login("admin")
    english = newsroom_msgids()
    assert "Write a story" in english
    paths = [
        "/newsroom/stories",
        "/newsroom/stories/new",
        f"/newsroom/stories/{story.id}",
        f"/newsroom/stories/{story.id}/revisions",
        "/newsroom/comments",
        "/newsroom/categories",
        "/newsroom/front-page",
        "/newsroom/authors",
        f"/newsroom/categories/{story.category_id}",
        "/newsroom/users",
        "/newsroom/settings",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert '<html lang="es"' in html
        left = [m for m in english if m in html and m not in (admin.name, admin.email)]
        assert left == [], f"{path} still says {left}"


def test_command_line_answers_in_the_sites_language(runner):
    sent = runner.invoke(args=["mail", "send-queue"])
    assert sent.exit_code == 0
    assert "Enviados 0, se reintentarán más tarde 0, fallidos 0." in sent.output
    args = ["users", "create", "ana@example.org", "--role", "editor"]
    created = runner.invoke(args=[*args, "--password", "harbour lights at dawn"])
    assert "Creada la cuenta ana@example.org (editor)." in created.output
    missing = runner.invoke(args=["users", "set-password", "nadie@example.org", "--password", "x"])
    assert "No hay ninguna cuenta para nadie@example.org." in missing.output
