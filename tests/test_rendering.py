"""Story Markdown renders to HTML that cannot run anything; slugs are tidy."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from broadsheet.rendering import html_to_text, markdown_to_html, sanitise_html
from broadsheet.slugs import slugify


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JaVaScRiPt:alert(1)">x</a>',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<div style="background:url(javascript:x)">',
        "<iframe src=https://example.org></iframe>",
        '<svg onload="alert(1)"></svg>',
        "<scr<script>ipt>alert(1)</script>",
    ],
)
def test_markdown_and_raw_html_cannot_run_anything(source):
    for html in (markdown_to_html(source), sanitise_html(source)):
        tags = parse(html)
        assert not {"script", "iframe", "svg", "style"} & {tag for tag, _ in tags}
        for _tag, attrs in tags:
            for name, value in attrs:
                assert not name.startswith("on") and name != "style"
                assert not (value or "").strip().lower().startswith(("javascript:", "data:"))


def parse(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag a browser would build from html, with its attributes."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


def test_markdown_keeps_what_stories_use():
    html = markdown_to_html(
        "## Subhead\n\n> A quote\n\n- one\n- two\n\n[link](https://example.org)"
    )
    assert "<h2>Subhead</h2>" in html and "<blockquote>" in html and "<li>one</li>" in html
    assert '<a href="https://example.org" rel="noopener">link</a>' in html


def test_plain_text_for_search():
    assert html_to_text("<p>Caf&eacute; &amp; <b>bar</b></p>") == "Café & bar"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Leaders Of North Korea, China Vow", "leaders-of-north-korea-china-vow"),
        ("Café São Ångström", "cafe-sao-angstrom"),
        ("Tomorrow's news", "tomorrows-news"),
        ("  --  ", ""),
        ("Straße wird gesperrt", "strasse-wird-gesperrt"),
        ("الخبر العاجل من الميناء", "الخبر-العاجل-من-الميناء"),
        ("عمّان تستضيف", "عمّان-تستضيف"),  # the shadda belongs to its letter
        ("Привет, мир!", "привет-мир"),
        ("日本語", "日本語"),
        ("🙂 ★", ""),
    ],
)
def test_slugify_folds_latin_accents_and_keeps_other_scripts(text, slug):
    assert slugify(text) == slug


def test_file_name_slugs_are_ascii():
    assert slugify("الميناء", ascii_only=True) == "lmyn"
    assert slugify("Привет", ascii_only=True) == "privet"


WIDTHS = (480, 800, 1200)


def test_an_own_upload_alone_in_a_paragraph_renders_as_a_captioned_responsive_figure():
    """`![alt](/media/own-upload.jpg)` used to render as an empty paragraph."""
    html = markdown_to_html(
        'Before.\n\n![Cranes at dusk](/media/wp/2025/cranes-1200.jpg "New terminal. | Photo: Ana")',
        WIDTHS,
    )
    assert html.startswith('<p>Before.</p>\n<figure class="body-picture">')
    assert 'src="/media/wp/2025/cranes-1200.jpg"' in html and 'alt="Cranes at dusk"' in html
    assert (
        'srcset="/media/wp/2025/cranes-480.jpg 480w, /media/wp/2025/cranes-800.jpg 800w, '
        '/media/wp/2025/cranes-1200.jpg 1200w"'
    ) in html
    assert '<figcaption>New terminal. <span class="credit">Photo: Ana</span></figcaption>' in html
    assert "<p></p>" not in html


def test_a_picture_inside_a_sentence_stays_inline_and_one_from_elsewhere_becomes_a_link():
    html = markdown_to_html(
        "See ![the map](/media/map-ab12-480.jpg) and ![their chart](https://other.example/c.png).",
        WIDTHS,
    )
    assert '<p>See <img src="/media/map-ab12-480.jpg"' in html
    assert '<a href="https://other.example/c.png" rel="noopener">their chart</a>' in html
    assert html.count("<img") == 1


@pytest.mark.parametrize(
    "source",
    [
        '<img src="https://other.example/x.png">',
        '<img src="//other.example/media/x-480.jpg">',
        '<img src="/media/x-480.jpg" srcset="https://other.example/y.png 480w">',
        '<img src="javascript:alert(1)">',
        '<img src="/media/../secret-1.jpg">',
    ],
)
def test_the_sanitiser_lets_img_show_only_the_sites_own_pictures(source):
    for _tag, attrs in [t for t in parse(sanitise_html(source)) if t[0] == "img"]:
        for name, value in attrs:
            if name in ("src", "srcset"):
                assert "other.example" not in value and "javascript" not in value
                assert ".." not in value
