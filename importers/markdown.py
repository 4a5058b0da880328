"""Cleaned story HTML back to Markdown, so an imported story stays editable as ours are.

It reads the tags rendering.ALLOWED_TAGS names, plus the headings and pictures other
systems write. Headings keep their order but move onto the levels a story uses, with none
skipped: the first level a body uses becomes 2 (the page's <h1> is the headline), the
next 3, any deeper 4 (a body of <h1> and <h4> becomes ## and ###). An <img> becomes a
Markdown picture through the `picture` callback (its address on this site, or None when
it is not here), and a <figure>'s <figcaption> its caption: rendering.py turns both into
a figure again. A picture that is not here stays a link to where it was. A link holding
nothing but a picture gives way to the picture, and a link left empty disappears.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+\.)(\s|$)")
# ASCII white space only: a no-break space (38&nbsp;%) is the writer's, and stays.
_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*", "del": "~~", "s": "~~"}
_HEADING = re.compile(r"<h([1-6])[\s>]", re.IGNORECASE)


@dataclass
class _Link:
    href: str | None
    opened: bool = False  # "[" written: only once something to show comes


@dataclass
class _Figure:
    picture: tuple[str, str] | None = None  # (src, alt)
    caption: str = ""


class _Converter(HTMLParser):
    def __init__(self, picture: Callable[[str], str | None], headings: dict[str, str]) -> None:
        super().__init__(convert_charrefs=True)
        self.picture = picture
        self.headings = headings  # "h4" -> "### "
        self.buffers: list[list[str]] = [[]]
        self.lists: list[list] = []  # [kind, next number]
        self.links: list[_Link] = []
        self.figures: list[_Figure] = []
        self.caption: list[str] | None = None  # the text of the <figcaption> being read
        self.pre = 0
        self.row_cells = 0
        self.rows = 0

    @property
    def out(self) -> list[str]:
        return self.buffers[-1]

    def block(self) -> None:
        self.out.append("\n\n")

    def open_links(self) -> None:
        """Write the "[" of links that now have something in them."""
        for link in self.links:
            if link.href and not link.opened:
                self.out.append("[")
                link.opened = True

    def add_picture(self, src: str, alt: str, caption: str = "") -> None:
        """A picture as a block of its own (a paragraph holding only it is a figure)."""
        here = self.picture(src)
        self.block()
        if here is None:
            # Not brought over: a link to where it was, named by what it showed.
            target = src.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
            self.out.append(f"[{_escape(alt or caption or src)}]({target})")
        else:
            title = _SPACE.sub(" ", caption).strip().replace("\\", "\\\\").replace('"', '\\"')
            self.out.append(f"![{_escape(alt)}]({here}" + (f' "{title}")' if title else ")"))
        self.block()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.caption is not None:
            return
        if tag in ("p", "table"):
            self.block()
        elif tag in self.headings:
            self.block()
            self.out.append(self.headings[tag])
        elif tag in _MARKS:
            self.open_links()
            self.out.append(_MARKS[tag])
        elif tag == "code" and not self.pre:
            self.open_links()
            self.out.append("`")
        elif tag == "br":
            self.out.append("\\\n")
        elif tag == "hr":
            self.out.append("\n\n---\n\n")
        elif tag == "a":
            self.links.append(_Link(dict(attrs).get("href")))
        elif tag == "img":
            values = dict(attrs)
            src, alt = values.get("src") or "", _SPACE.sub(" ", values.get("alt") or "").strip()
            if not src:
                return
            if self.figures and self.figures[-1].picture is None:
                self.figures[-1].picture = (src, alt)
            else:
                self.add_picture(src, alt)
        elif tag == "figure":
            self.figures.append(_Figure())
        elif tag == "figcaption" and self.figures:
            self.caption = []
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
        if self.caption is not None:
            if tag == "figcaption":
                self.figures[-1].caption = "".join(self.caption)
                self.caption = None
            return
        if tag in ("p", "table") or tag in self.headings:
            self.block()
            self.rows = 0 if tag == "table" else self.rows
        elif tag in _MARKS:
            self.out.append(_MARKS[tag])
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "a" and self.links:
            link = self.links.pop()
            if link.opened:
                self.out.append(f"]({(link.href or '').replace(' ', '%20').replace(')', '%29')})")
        elif tag == "figure" and self.figures:
            figure = self.figures.pop()
            if figure.picture is not None:
                self.add_picture(*figure.picture, caption=figure.caption)
            elif figure.caption.strip():
                self.block()
                self.out.append(_escape(_SPACE.sub(" ", figure.caption).strip()))
                self.block()
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
        if self.caption is not None:
            self.caption.append(data)
            return
        if self.pre:
            self.out.append(data)
            return
        text = _SPACE.sub(" ", data)
        if text.strip():
            self.open_links()
        at_line_start = not self.out or self.out[-1].endswith("\n")
        if at_line_start or self.out[-1].endswith(("- ", ". ", "# ")):
            text = text.lstrip()
        text = _SPECIAL.sub(r"\\\1", text)
        if at_line_start:
            # "1. " or "# " opening a paragraph's text is text, not a list or a heading.
            text = _LINE_START.sub(_escape_marker, text)
        self.out.append(text)


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _escape_marker(match: re.Match) -> str:
    indent, marker, after = match.groups()
    escaped = marker[:-1] + "\\." if marker.endswith(".") else "\\" + marker
    return indent + escaped + after


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(line if line.strip() else "" for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_markdown(source: str, picture: Callable[[str], str | None] = lambda src: None) -> str:
    """Markdown that renders (through rendering.markdown_to_html) much as the HTML did;
    `picture` gives a picture's address on this site, or None when it is not here."""
    used = sorted({int(level) for level in _HEADING.findall(source)})
    headings = {f"h{level}": "#" * min(2 + rank, 4) + " " for rank, level in enumerate(used)}
    converter = _Converter(picture, headings)
    converter.feed(source)
    converter.close()
    while len(converter.buffers) > 1:
        converter.handle_endtag("blockquote")
    return _tidy("".join(converter.buffers[0]))
