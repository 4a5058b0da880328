"""Email goes out in the site language too: subject, text and HTML parts, and direction."""

from __future__ import annotations

import pytest

from models import Article

from .support.mailbox import deliver, html_of, text_of
from .test_comments import post


@pytest.fixture(params=["es", "ar"])
def app_config(app_config, smtp_server, request):
    app_config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_server.port,
        COMMENT_MODERATION="none",
        SITE_LANGUAGE=request.param,
    )
    return app_config


@pytest.fixture
def story(make_article) -> Article:
    return make_article("Ferry timetable changes")


EXPECTED = {
    "es": ("Confirma: avisarme por correo de las respuestas", "Sí, avisarme de las respuestas"),
    "ar": ("يُرجى التأكيد: راسلني بالردود", "نعم، راسلني بالردود"),
}


def test_reply_confirmation_email_is_in_the_site_language(app, client, story, smtp_server):
    language = app.config["SITE_LANGUAGE"]
    post(client, story, notify_replies="y")
    deliver()
    [message] = smtp_server.inbox.to("ana@example.org")
    subject, button = EXPECTED[language]
    assert message["Subject"].startswith(subject)
    assert button in text_of(message) or button in html_of(message)
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html_of(message)
