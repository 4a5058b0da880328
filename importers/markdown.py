"""Sanitised story HTML back to Markdown, so an imported story stays editable as ours are.

It only has to read what rendering.sanitise_html lets through (rendering.ALLOWED_TAGS).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+\.)(\s|$)")
_SPACE = re.compile(r"\s+")
_MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*", "del": "~~", "s": "~~"}
_HEADINGS = {"h2": "## ", "h3": "### ", "h4": "#### "}


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.buffers: list[list[str]] = [[]]
        self.lists: list[list] = []  # [kind, next number]
        self.links: list[str | None] = []
        self.pre = 0
        self.row_cells = 0
        self.rows = 0

    @property
    def out(self) -> list[str]:
        return self.buffers[-1]

    def block(self) -> None:
        self.out.append("\n\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "table"):
            self.block()
        elif tag in _HEADINGS:
            self.block()
            self.out.append(_HEADINGS[tag])
        elif tag in _MARKS:
            self.out.append(_MARKS[tag])
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "br":
            self.out.append("\\\n")
        elif tag == "hr":
            self.out.append("\n\n---\n\n")
        elif tag == "a":
            href = dict(attrs).get("href")
            self.links.append(href)
            if href:
                self.out.append("[")
        elif tag in ("ul", "ol"):
            if not self.lists:
                self.block()
            self.lists.append([tag, 1])
        elif tag == "li" and self.lists:
            kind = self.lists[-1]
            indent = "   " * (len(self.lists) - 1)
            marker = f"{kind[1]}." if kind[0] == "ol" else "-"
            kind[1] += 1
            self.out.append(f"\n{indent}{marker} ")
        elif tag == "blockquote":
            self.buffers.append([])
        elif tag == "pre":
            self.block()
            self.out.append("```\n")
            self.pre += 1
        elif tag == "tr":
            self.out.append("\n|")
            self.row_cells = 0
        elif tag in ("td", "th"):
            self.out.append(" ")
            self.row_cells += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "table") or tag in _HEADINGS:
            self.block()
            self.rows = 0 if tag == "table" else self.rows
        elif tag in _MARKS:
            self.out.append(_MARKS[tag])
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.out.append(f"]({href.replace(' ', '%20').replace(')', '%29')})")
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            if not self.lists:
                self.block()
        elif tag == "blockquote" and len(self.buffers) > 1:
            inner = _tidy("".join(self.buffers.pop()))
            self.block()
            self.out.append("\n".join(f"> {line}".rstrip() for line in inner.split("\n")))
            self.block()
        elif tag == "pre" and self.pre:
            self.pre -= 1
            self.out.append("\n```")
            self.block()
        elif tag in ("td", "th"):
            self.out.append(" |")
        elif tag == "tr":
            self.rows += 1
            if self.rows == 1:
                self.out.append("\n|" + "---|" * max(1, self.row_cells))

    def handle_data(self, data: str) -> None:
        if self.pre:
            self.out.append(data)
            return
        text = _SPACE.sub(" ", data)
        at_line_start = not self.out or self.out[-1].endswith("\n")
        if at_line_start or self.out[-1].endswith(("- ", ". ", "# ")):
            text = text.lstrip()
        text = _SPECIAL.sub(r"\\\1", text)
        if at_line_start:
            # "1. " or "# " opening a paragraph's text is text, not a list or a heading.
            text = _LINE_START.sub(_escape_marker, text)
        self.out.append(text)


def _escape_marker(match: re.Match) -> str:
    indent, marker, after = match.groups()
    escaped = marker[:-1] + "\\." if marker.endswith(".") else "\\" + marker
    return indent + escaped + after


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(line if line.strip() else "" for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_markdown(source: str) -> str:
    """Markdown that renders (through rendering.markdown_to_html) much as the HTML did."""
    converter = _Converter()
    converter.feed(source)
    converter.close()
    while len(converter.buffers) > 1:
        converter.handle_endtag("blockquote")
    return _tidy("".join(converter.buffers[0]))
