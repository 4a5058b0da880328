"""Properties of the text machinery: slugs, Markdown sanitising, comment text rendering."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.discussion import paragraphs
from broadsheet.rendering import ALLOWED_TAGS, markdown_to_html, sanitise_html
from broadsheet.slugs import MAX_LENGTH, slugify, unique_slug

PROPERTY = settings(max_examples=200, deadline=None)
ANY_TEXT = st.text(
    st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=["Cs"])
)


def well_formed(slug: str) -> bool:
    """Words of letters and digits of any script (with the marks that belong to them),
    joined by single hyphens."""
    words = slug.split("-")
    return all(words) and all(
        c.isalnum() or unicodedata.category(c).startswith("M") for c in "".join(words)
    )


ASCII_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

# --- Slugs ---------------------------------------------------------------------------------


@PROPERTY
@given(ANY_TEXT)
def test_slug_is_empty_or_lowercase_words_within_the_limit(text):
    slug = slugify(text)
    assert slug == "" or well_formed(slug), slug
    assert slug == slug.lower() and len(slug) <= MAX_LENGTH
    assert not any(c.isascii() and not (c.isalnum() or c == "-") for c in slug)


@PROPERTY
@given(ANY_TEXT)
def test_ascii_slug_is_empty_or_lowercase_ascii_words(text):
    slug = slugify(text, ascii_only=True)
    assert slug == "" or ASCII_SLUG.fullmatch(slug), slug
    assert len(slug) <= MAX_LENGTH


@PROPERTY
@given(ANY_TEXT)
def test_slugify_is_idempotent(text):
    assert slugify(slugify(text)) == slugify(text)


@PROPERTY
@given(ANY_TEXT, st.sets(st.text("abc-123", max_size=12), max_size=20), st.integers(0, 30))
def test_unique_slug_is_free_well_formed_and_bounded(text, taken, repeats):
    base = slugify(text) or "story"
    taken = (
        taken | {base} | {f"{base[: MAX_LENGTH - 4].rstrip('-')}-{n}" for n in range(2, repeats)}
    )
    slug = unique_slug(text, taken.__contains__)
    assert slug not in taken
    assert well_formed(slug) and len(slug) <= MAX_LENGTH


# --- Markdown and HTML sanitising --------------------------------------------------------------

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster"}


class Elements(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer would read them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def browser_scheme(url: str) -> str:
    """The scheme a browser sees: tabs and newlines removed, leading controls and space cut."""
    url = re.sub(r"[\t\n\r]", "", url).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c ")
    return url.split(":", 1)[0].lower() + ":" if ":" in url else ""


def assert_inert(html: str) -> None:
    parser = Elements()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, f"<{tag}> survived sanitising"
        for name, value in attrs:
            assert not name.startswith("on"), f"{name} handler on <{tag}>"
            assert name != "style", f"style on <{tag}>"
            if name in URL_ATTRIBUTES and value:
                assert browser_scheme(value) not in DANGEROUS_SCHEMES, f"{name}={value!r}"


HOSTILE_PIECES = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "<a href='jav&#x09;ascript:alert(1)'>x</a>",
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<svg onload="alert(1)"><script>alert(1)</script></svg>',
        '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
        "<style>body{background:url(javascript:alert(1))}</style>",
        '<div style="width: expression(alert(1))">',
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](javascript:alert(1))",
        "<javascript:alert(1)>",
        "[x]( javascript:alert(1) )",
        "[x](java\nscript:alert(1))",
        '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
        "<form action=javascript:alert(1)><button>x</button></form>",
        '"><img src=x onerror=alert(1)>',
        "<!--<script>alert(1)</script>-->",
        "<<script>script>alert(1)<</script>/script>",
        "`<script>`",
        "\x00<script>alert(1)</script>",
        "| a |\n|---|\n| <b onclick=alert(1)>x</b> |",
    ]
)
MARKUP = st.lists(st.one_of(HOSTILE_PIECES, ANY_TEXT, st.sampled_from(["\n", "\n\n", "*", "`"])))


@PROPERTY
@given(MARKUP.map("".join))
def test_markdown_renders_no_script_handler_or_dangerous_url(source):
    assert_inert(markdown_to_html(source))


@PROPERTY
@given(MARKUP.map("".join))
def test_sanitised_html_has_no_script_handler_or_dangerous_url(source):
    html = sanitise_html(source)
    assert_inert(html)
    assert sanitise_html(html) == html, "sanitising twice changed the result"


# --- Comment text ------------------------------------------------------------------------------

LINKY = st.lists(
    st.one_of(
        ANY_TEXT,
        st.sampled_from(
            [
                "https://example.org/a?b=c#d",
                "http://x.y/(z)",
                "HTTPS://EXAMPLE.ORG.",
                "javascript:alert(1)",
                "data:text/html,hi",
                'https://x.org/"onmouseover="alert(1)',
                "https://x.org/<script>",
                "(see https://example.org/page).",
                "http://",
                "\n",
                "\n\n",
                " \n \n ",
            ]
        ),
    )
).map("".join)


def no_space(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


@settings(max_examples=300, deadline=None)
@given(LINKY)
def test_comment_text_is_kept_whole_and_links_only_http(text):
    result = paragraphs(text)
    segments = [seg for paragraph in result for line in paragraph for seg in line]
    # Only whitespace is normalised: paragraph breaks, line breaks, surrounding space.
    assert no_space("".join(seg.text for seg in segments)) == no_space(text)
    for paragraph in result:
        for line in paragraph:
            joined = "".join(seg.text for seg in line)
            assert joined in text and not any(ch in joined for ch in "\n\r")
    for seg in segments:
        if seg.href is not None:
            assert seg.href == seg.text
            assert re.match(r"https?://", seg.href, re.IGNORECASE), seg.href
            assert not any(ch in seg.href for ch in " \t\n<>\"'"), seg.href
