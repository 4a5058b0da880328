"""Markdown to sanitised HTML, and HTML to plain text, for story bodies.

Pictures in a body. A paragraph holding nothing but a Markdown image of one of the site's
own uploads,

    ![What the picture shows](/media/<stem>-<width>.jpg "Caption | Credit")

becomes a responsive figure: the image in every IMAGE_WIDTHS width (srcset), the alt
text, and a caption with the credit after the last " | " of the title (both optional).
The same image inside a sentence stays an inline picture. Images from anywhere else
become a link to them (the site loads no picture from other hosts), so nothing vanishes.
The sanitiser lets <img> through only with a /media/ address of that shape.
"""

from __future__ import annotations

import html
import re
from functools import cache

from broadsheet.text import without_control

# markdown-it-py and nh3 are imported on first use: only an editorial save renders a
# body, and a serving worker that never does keeps ~2.5 MiB less (docs/benchmarks.md).


# A stored picture of ours: /media/<stem>-<width>.jpg, the stem made of slug-like path parts.
OWN_PICTURE = re.compile(r"/media/((?:[a-z0-9_][a-z0-9._-]*/)*[a-z0-9_][a-z0-9._-]*)-(\d+)\.jpg")
PICTURE_SIZES = "(min-width: 48em) 46rem, 100vw"
_CREDIT_SEPARATOR = " | "


def picture_markdown(stem: str, width: int, alt: str, caption: str = "", credit: str = "") -> str:
    """The Markdown line that puts one of our pictures in a body as a captioned figure."""

    def flat(text: str) -> str:
        return " ".join(text.split())

    # The alt text is shown as typed, so brackets become parentheses rather than escapes;
    # a "|" in the credit would move where the caption ends.
    alt = flat(alt).replace("[", "(").replace("]", ")")
    credit = flat(credit).replace("|", "/")
    title = flat(caption) + (_CREDIT_SEPARATOR + credit if credit else "")
    title = title.replace("\\", "\\\\").replace('"', '\\"')
    address = f"/media/{stem}-{width}.jpg"
    return f'![{alt}]({address} "{title}")' if title else f"![{alt}]({address})"


@cache
def _markdown():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(
        ["table", "strikethrough", "replacements", "smartquotes"]
    )
    md.core.ruler.push("body_pictures", _figures)
    md.add_render_rule("body_picture", _render_figure)
    md.add_render_rule("image", _render_image)
    return md


def _figures(state) -> None:
    """A paragraph that is one picture of ours alone becomes a body_picture token."""
    tokens = state.tokens
    for index in range(len(tokens) - 2, 0, -1):
        inline = tokens[index]
        if inline.type != "inline" or tokens[index - 1].type != "paragraph_open":
            continue
        children = [c for c in inline.children or [] if c.type != "softbreak"]
        if len(children) != 1 or children[0].type != "image":
            continue
        image = children[0]
        if not OWN_PICTURE.fullmatch(image.attrGet("src") or ""):
            continue
        image.type = "body_picture"
        image.block = True
        tokens[index - 1 : index + 2] = [image]


def _picture_attrs(image, widths: tuple[int, ...]) -> str:
    from markdown_it.common.utils import escapeHtml

    src = image.attrGet("src")
    match = OWN_PICTURE.fullmatch(src)
    assert match, "called only for our own pictures"
    stem, width = match.groups()
    attrs = f'src="{escapeHtml(src)}"'
    if int(width) in widths:
        srcset = ", ".join(f"/media/{stem}-{w}.jpg {w}w" for w in widths)
        attrs += f' srcset="{escapeHtml(srcset)}" sizes="{PICTURE_SIZES}"'
    return f'{attrs} alt="{escapeHtml(image.content)}" loading="lazy"'


def _render_figure(renderer, tokens, index, options, env) -> str:
    from markdown_it.common.utils import escapeHtml

    image = tokens[index]
    caption, _sep, credit = (image.attrGet("title") or "").rpartition(_CREDIT_SEPARATOR)
    if not _sep:
        caption, credit = credit, ""
    parts = [f'<figure class="body-picture"><img {_picture_attrs(image, env["widths"])}>']
    if caption.strip() or credit.strip():
        parts.append(f"<figcaption>{escapeHtml(caption.strip())}")
        if credit.strip():
            parts.append(f' <span class="credit">{escapeHtml(credit.strip())}</span>')
        parts.append("</figcaption>")
    parts.append("</figure>\n")
    return "".join(parts)


def _render_image(renderer, tokens, index, options, env) -> str:
    from markdown_it.common.utils import escapeHtml

    image = tokens[index]
    src = image.attrGet("src") or ""
    if OWN_PICTURE.fullmatch(src):
        return f"<img {_picture_attrs(image, env['widths'])}>"
    # Not one of ours: a link to it, named by its alt text, so the reader can still go.
    return f'<a href="{escapeHtml(src)}">{escapeHtml(image.content or src)}</a>'


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
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "hr",
        "i",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "span",
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
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    "img": {"src", "srcset", "sizes", "alt"},
}
ALLOWED_CLASSES = {"figure": {"body-picture"}, "span": {"credit"}}
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
        tag_attribute_values={"img": {"loading": {"lazy"}}},
        allowed_classes={tag: set(names) for tag, names in ALLOWED_CLASSES.items()},
        attribute_filter=_own_pictures_only,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener",
        strip_comments=True,
    )


def _own_pictures_only(tag: str, attribute: str, value: str) -> str | None:
    """An <img> may only show one of the site's stored pictures."""
    if tag == "img" and attribute == "src" and not OWN_PICTURE.fullmatch(value):
        return None
    if tag == "img" and attribute == "srcset":
        candidates = [part.strip().rsplit(" ", 1) for part in value.split(",")]
        if not all(len(c) == 2 and OWN_PICTURE.fullmatch(c[0]) for c in candidates):
            return None
    return value


def markdown_to_html(source: str, picture_widths: tuple[int, ...] = ()) -> str:
    """Render a story body written in Markdown to HTML that is safe to show as is; body
    pictures list `picture_widths` (the stored widths, IMAGE_WIDTHS) in their srcset."""
    return sanitise_html(_markdown().render(source, {"widths": tuple(picture_widths)}))


def html_to_text(source: str) -> str:
    """Plain text of sanitised HTML, for the search index and descriptions."""
    return _SPACE.sub(" ", without_control(html.unescape(_TAG.sub(" ", source)))).strip()
