"""Markdown to sanitised HTML, and HTML to plain text, for story bodies."""

from __future__ import annotations

import html
import re
from functools import cache

from broadsheet.text import without_control

# markdown-it-py and nh3 are imported on first use: only an editorial save renders a
# body, and a serving worker that never does keeps ~2.5 MiB less (docs/benchmarks.md).


@cache
def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(
        ["table", "strikethrough", "replacements", "smartquotes"]
    )


ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h2",
        "h3",
        "h4",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def sanitise_html(source: str) -> str:
    """Keep the tags a story body may use; drop scripts, handlers, styles and unsafe URLs."""
    import nh3

    return nh3.clean(
        source,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener",
        strip_comments=True,
    )


def markdown_to_html(source: str) -> str:
    """Render a story body written in Markdown to HTML that is safe to show as is."""
    return sanitise_html(_markdown().render(source))


def html_to_text(source: str) -> str:
    """Plain text of sanitised HTML, for the search index and descriptions."""
    return _SPACE.sub(" ", without_control(html.unescape(_TAG.sub(" ", source)))).strip()
