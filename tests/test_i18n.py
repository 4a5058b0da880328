"""Every reader page in every shipped language: catalogs, plurals, dates, direction, forms."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from app import create_app
from broadsheet.clock import utcnow
from broadsheet.discussion import create, set_status
from broadsheet.locales import TRANSLATIONS, language_tag, shipped_languages, text_direction
from broadsheet.web.commenter import signed_render_time
from extensions import db

from .conftest import base_config
from .test_comments import GOOD
from .test_html_valid import vnu  # noqa: F401 - the Nu HTML checker fixture

ROOT = Path(__file__).resolve().parents[1]
# What a reader sees: the pages, the shared layout and macros, comments and error pages,
# the Python behind them (form labels, validation and view messages), and reader email.
READER_SOURCES = (
    "templates/articles/",
    "templates/categories/",
    "templates/search/",
    "templates/comments/",
    "templates/errors/",
    "templates/base.html",
    "templates/_macros.html",
    "blueprints/articles/",
    "blueprints/categories/",
    "blueprints/search/",
    "blueprints/comments/",
    # Reader pages and emails from the mail work, and the feeds' fixed texts.
    "templates/privacy/",
    "templates/mail_links/",
    "templates/mail/",
    "templates/feeds/",
    "blueprints/privacy/",
    "blueprints/mail_links/",
    "blueprints/feeds/",
    "broadsheet/notifications.py",
    "broadsheet/privacy.py",
)
NOT_EXTRACTED = {"node_modules", "tests", "migrations", "bench", "build", "instance", "docs"}
TRANSLATED = [lang for lang in shipped_languages() if lang != "en"]


def extracted() -> dict[str, set[str]]:
    """Every marked msgid in the application (as `make translations` finds them) -> its files."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

    def wanted(path: str) -> bool:
        parts = Path(path).relative_to(ROOT).parts
        return not any(p.startswith((".", "_")) or p in NOT_EXTRACTED for p in parts)

    found: dict[str, set[str]] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=keywords, directory_filter=wanted
    ):
        msgid = message if isinstance(message, str) else message[0]
        found.setdefault(msgid, set()).add(filename.replace("\\", "/"))
    return found


def catalog(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language)


def untranslated(language: str, msgids) -> list[str]:
    messages = catalog(language)
    missing = []
    for msgid in sorted(msgids):
        message = messages.get(msgid)
        strings = (
            ()
            if message is None
            else (message.string,)
            if isinstance(message.string, str)
            else message.string
        )
        if message is None or message.fuzzy or not strings or not all(strings):
            missing.append(msgid)
    return missing


def test_spanish_translates_every_string_the_application_marks():
    assert untranslated("es", extracted()) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_reader_page_string_is_translated(language):
    reader = {
        m for m, files in extracted().items() if any(f.startswith(READER_SOURCES) for f in files)
    }
    assert reader, "extraction found no reader strings"
    assert untranslated(language, reader) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder(language):
    # Fuzzy guesses from `pybabel update` are never compiled, so only real entries count.
    problems = [
        f"{message.id!r}: {error}"
        for message, errors in catalog(language).check()
        if not message.fuzzy
        for error in errors
    ]
    assert problems == []


def test_arabic_catalog_has_six_plural_forms():
    messages = catalog("ar")
    assert messages.num_plurals == 6
    plural = messages.get("%(num)d comment")
    assert len(plural.string) == 6 and all(plural.string)


_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_MARKUP = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->|<[^>]*>", re.S)
_READ_ATTRIBUTES = re.compile(
    r'\b(alt|title|placeholder|aria-label|aria-description|data-hx-confirm)\s*=\s*"([^"]*)"'
)


def literal_text(source: str) -> list[str]:
    """Words a reader would see that do not come from _()/ngettext: text between tags and
    in the attributes people read (alt, title, placeholder, aria-label...)."""
    found = [
        f'{name}="{value}"'
        for name, value in _READ_ATTRIBUTES.findall(source)
        if re.search(r"[^\W\d_]{2,}", _JINJA.sub("", value))
    ]
    text = _MARKUP.sub(" ", _JINJA.sub(" ", source))
    words = (m.group(0).strip() for m in re.finditer(r"\S*[^\W\d_]{2,}[^\n<]*", text))
    # URL fragments and paths ("{{ url }}#comments") are addresses, not words.
    return found + [w for w in words if not w.startswith(("#", "/"))]


# Templates written for machines, in their own fixed vocabulary.
MACHINE_TEMPLATES = {"templates/sitemaps/robots.txt"}


def test_templates_have_no_text_outside_gettext():
    templates = ROOT / "templates"
    found = {
        name: words
        for path in sorted(templates.rglob("*"))
        if path.suffix in {".html", ".txt", ".xml"}
        and (name := str(path.relative_to(ROOT))) not in MACHINE_TEMPLATES
        and (words := literal_text(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_literal_text_finder_sees_words_and_attributes():
    source = '<p>Hello {{ name }}</p><input placeholder="Type here"><p>{{ _("Fine") }}</p>'
    assert literal_text(source) == ['placeholder="Type here"', "Hello"]


# --- Pages in each language -----------------------------------------------------------------


@pytest.fixture
def site(app_config):
    """Build the app in a chosen language and time zone, on the test's clean database."""
    apps = []

    def build(language: str, timezone: str = "UTC", **config):
        app = create_app(
            {**app_config, "SITE_LANGUAGE": language, "SITE_TIMEZONE": timezone, **config}
        )
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def newsroom(app, make_category, make_article):
    """Two sections, a lead story with comments (one reply), and a second page of listings."""
    local = make_category("Local", nav_order=1)
    make_category("Sport", nav_order=2)
    story = make_article(
        "Ferry timetable changes",
        local,
        teaser="New times from Monday.",
        byline="Ana Ruiz",
        dateline="PORT ALDER",
        source_url="https://wire.example.org/ferry",
        source_name="Wire",
        tags=("ferries",),
    )
    for i in range(21):
        make_article(f"Tide report {i}", local, hours_ago=30 + i)
    first = _comment(story, "Ana", "Good news for commuters.")
    _comment(story, "Ben", "Agreed.", parent=first)
    db.session.commit()
    return story


def _comment(story, name, body, parent=None, status="approved"):
    comment = create(
        story,
        name=name,
        email=f"{name.lower()}@example.org",
        url="",
        body=body,
        parent=parent,
        address="127.0.0.1",
        user_agent="test",
        token=None,
    )
    set_status(comment, status)
    return comment


def reader_paths(story) -> list[tuple[str, int]]:
    return [
        ("/", 200),
        ("/local/", 200),
        ("/local/?page=2", 200),
        (f"/local/{story.slug}", 200),
        ("/search", 200),
        ("/search?q=ferry", 200),
        ("/search?q=zeppelin", 200),
        ("/no-such-section/", 404),
        ("/privacy", 200),
        ("/privacy/sent", 200),
        ("/mail/confirm/not-a-token", 404),
    ]


def simple_reader_msgids() -> list[str]:
    """Reader-page msgids long enough that finding one in a page means it went untranslated."""
    return sorted(
        m
        for m, files in extracted().items()
        if any(f.startswith(READER_SOURCES) for f in files) and "%" not in m and len(m) >= 8
    )


@pytest.mark.parametrize("language", shipped_languages())
def test_reader_pages_render_in_every_shipped_language(site, newsroom, language):
    app = site(language)
    client = app.test_client()
    english = simple_reader_msgids()
    assert "Leave a Reply" in english
    for path, status in reader_paths(newsroom):
        response = client.get(path)
        assert response.status_code == status, path
        html = response.get_data(as_text=True)
        assert f'<html lang="{language_tag(language)}" dir="{text_direction(language)}">' in html
        if language != "en":
            left = [m for m in english if m in html]
            assert left == [], f"{path} still says {left}"


@pytest.mark.parametrize("language", shipped_languages())
def test_comment_pages_render_in_every_shipped_language(site, newsroom, language):
    client = site(language, COMMENT_MODERATION="none").test_client()
    data = {**GOOD, "rendered": signed_render_time()}
    posted = client.post(f"/comments/{newsroom.id}", data=data)
    assert posted.status_code == 303
    comment_id = int(posted.headers["Location"].rsplit("-", 1)[1])
    for path in (f"/comments/c/{comment_id}/edit", f"/comments/c/{comment_id}/delete"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert f'lang="{language_tag(language)}"' in response.get_data(as_text=True)
    invalid = client.post(f"/comments/{newsroom.id}", data={"rendered": signed_render_time()})
    assert invalid.status_code == 422


@pytest.mark.parametrize("language", TRANSLATED)
def test_translated_pages_have_no_html_errors(site, newsroom, language, vnu, tmp_path):  # noqa: F811
    client = site(language).test_client()
    pages = {
        f"{language}-{n}": client.get(path).get_data(as_text=True)
        for n, (path, _status) in enumerate(reader_paths(newsroom))
    }
    assert vnu(pages, tmp_path) == []


def test_spanish_pages_read_in_spanish(site, newsroom):
    client = site("es").test_client()
    html = client.get(f"/local/{newsroom.slug}").get_data(as_text=True)
    for text in (
        "Deja una respuesta",
        "Publicar comentario",
        "Por <bdi>Ana Ruiz</bdi>",
        "Fuente:",
        "Tu dirección de correo electrónico no será publicada.",
        "Los campos obligatorios están marcados con *",
        "Ir al contenido",
    ):
        assert text in html
    results = client.get("/search?q=tide").get_data(as_text=True)
    assert "21 noticias coinciden con «<bdi>tide</bdi>»." in results
    assert "Siguiente →" in results


def test_arabic_pages_are_right_to_left(site, newsroom):
    html = site("ar").test_client().get(f"/local/{newsroom.slug}").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "اترك تعليقًا" in html and "نشر التعليق" in html


def test_hebrew_would_be_right_to_left_without_a_catalog(site, newsroom):
    html = site("he").test_client().get("/").get_data(as_text=True)
    assert '<html lang="he" dir="rtl">' in html


def test_regional_language_is_written_as_a_bcp47_tag(site, newsroom):
    html = site("pt_BR").test_client().get("/").get_data(as_text=True)
    assert '<html lang="pt-BR" dir="ltr">' in html


@pytest.mark.parametrize(
    ("setting", "value"),
    [("SITE_LANGUAGE", "xx-nowhere"), ("SITE_TIMEZONE", "Mars/Olympus_Mons")],
)
def test_unknown_language_or_time_zone_stops_the_start(tmp_path, setting, value):
    config = base_config(f"sqlite:///{tmp_path}/x.db", tmp_path)
    with pytest.raises(ValueError, match=setting):
        create_app({**config, setting: value})


# --- Plurals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("en", 1, "1 comment"),
        ("en", 5, "5 comments"),
        ("es", 1, "1 comentario"),
        ("es", 5, "5 comentarios"),
        ("ar", 0, "لا تعليقات"),
        ("ar", 1, "تعليق واحد"),
        ("ar", 2, "تعليقان"),
        ("ar", 5, "5 تعليقات"),
        ("ar", 11, "11 تعليقًا"),
        ("ar", 100, "100 تعليق"),
    ],
)
def test_comment_count_uses_the_language_plural_forms(site, language, count, expected):
    with site(language).test_request_context():
        assert ngettext("%(num)d comment", "%(num)d comments", count) == expected


@pytest.mark.parametrize(("count", "expected"), [(1, "1 comentario"), (5, "5 comentarios")])
def test_story_page_counts_comments_in_spanish(site, make_article, count, expected):
    story = make_article("Ferry timetable changes")
    for i in range(count):
        _comment(story, f"Reader{i}", "Thanks.")
    db.session.commit()
    html = (
        site("es").test_client().get(f"/{story.category.slug}/{story.slug}").get_data(as_text=True)
    )
    assert f'<span id="comment-count" class="comment-count">{expected}</span>' in html


# --- Dates and times ------------------------------------------------------------------------


@pytest.fixture
def late_story(make_article):
    """Published at 03:30 UTC on 28 November: still the 27th in Mexico City (UTC-6)."""
    story = make_article("Night ferry", body="Late sailing.")
    story.published_at = datetime(2026, 11, 28, 3, 30)
    story.updated_at = datetime(2026, 11, 28, 4, 45)
    db.session.commit()
    return story


@pytest.mark.parametrize(
    ("language", "day", "updated"),
    [
        ("en", "Nov 27, 2026, 9:30\u202fPM", "Nov 27, 2026, 10:45\u202fPM"),
        ("es", "27 nov 2026, 21:30", "27 nov 2026, 22:45"),
    ],
)
def test_dates_are_shown_in_the_site_time_zone(site, late_story, language, day, updated):
    client = site(language, "America/Mexico_City").test_client()
    html = client.get(f"/{late_story.category.slug}/{late_story.slug}").get_data(as_text=True)
    # The machine-readable time stays UTC; the words follow the site's zone and language.
    assert f'<time datetime="2026-11-28T03:30:00Z">{day}</time>' in html
    assert f'<time datetime="2026-11-28T04:45:00Z">{updated}</time>' in html


def test_masthead_date_is_today_in_the_site_time_zone(site, app):
    html = site("es", "Pacific/Kiritimati").test_client().get("/").get_data(as_text=True)
    stamp = re.search(r'<time datetime="([^"]+)">([^<]+)</time>', html)
    local = utcnow() + timedelta(hours=14)  # Kiritimati is UTC+14 all year
    assert stamp.group(1).endswith("Z")
    assert f"{local.day} de" in stamp.group(2) and str(local.year) in stamp.group(2)


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "2 hours ago"), ("es", "hace 2 horas"), ("ar", "قبل ساعتين")]
)
def test_comment_times_are_relative_in_the_site_language(site, make_article, language, expected):
    story = make_article("Ferry timetable changes")
    comment = _comment(story, "Ana", "Good news.")
    comment.created_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    html = (
        site(language)
        .test_client()
        .get(f"/{story.category.slug}/{story.slug}")
        .get_data(as_text=True)
    )
    card = html.split(f'id="comment-card-{comment.id}"')[1].split("</header>")[0]
    assert expected in card and 'datetime="' in card


def test_fresh_story_cards_say_how_long_ago_and_old_ones_give_the_date(
    site, make_category, make_article
):
    local = make_category("Local")
    make_article("Fresh story", local, hours_ago=3)
    old = make_article("Old story", local, hours_ago=24 * 40)
    html = site("es").test_client().get("/local/").get_data(as_text=True)
    assert "hace 3 horas" in html
    assert old.published_at.strftime("%Y") in html.split("Old story")[1]


# --- Form messages ---------------------------------------------------------------------------


class _PlainForm(FlaskForm):
    title = StringField(validators=[DataRequired()])


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "This field is required."),
        ("es", "Este campo es obligatorio."),
        ("ar", "هذا الحقل مطلوب."),
    ],
)
def test_wtforms_own_messages_follow_the_site_language(site, language, expected):
    app = site(language)
    with app.test_request_context(method="POST", data={}):
        form = _PlainForm(meta={"csrf": False})
        assert not form.validate()
        assert form.title.errors == [expected]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "es",
            [
                "Escribe un comentario.",
                "Escribe tu nombre.",
                "Eso no parece una dirección de correo electrónico.",
            ],
        ),
        ("ar", ["يُرجى كتابة تعليق.", "يُرجى كتابة اسمك.", "لا يبدو هذا عنوان بريد إلكتروني."]),
    ],
)
def test_comment_form_errors_are_in_the_site_language(site, make_article, language, expected):
    story = make_article("Ferry timetable changes")
    client = site(language).test_client()
    data = {"email": "not-an-address", "rendered": signed_render_time()}
    response = client.post(f"/comments/{story.id}", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for message in expected:
        assert message in html
    assert 'value="not-an-address"' in html  # what the reader typed is kept


def test_a_regional_spanish_site_uses_the_spanish_catalog(site, newsroom):
    html = site("es_MX", "America/Mexico_City").test_client().get("/").get_data(as_text=True)
    assert '<html lang="es-MX" dir="ltr">' in html
    assert "Ir al contenido" in html


@pytest.mark.parametrize(
    "address", ["ana@", "@example.org", "ana@@example.org", "ana@exa mple.org", "ana@example"]
)
def test_email_validator_reasons_reach_readers_translated(site, make_article, address):
    # email-validator explains in English only ("There must be something after the
    # @-sign."), so the form shows our own translated message for every rejected address.
    story = make_article("Ferry timetable changes")
    data = {**GOOD, "email": address, "rendered": signed_render_time()}
    response = site("es").test_client().post(f"/comments/{story.id}", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Eso no parece una dirección de correo electrónico." in html
    assert "@-sign" not in html and "The email address" not in html
