"""A WordPress post's content as WordPress itself shows it, turned into our Markdown.

WordPress stores what the editor typed and builds the page from it when it is read:
shortcodes ([caption], [embed], [gallery], ...) are expanded, a URL alone on a line
becomes an embedded player, and classic posts get their paragraphs from wpautop (block
editor posts, marked by <!-- wp: --> comments, already hold them). These steps are done
here, the same way, before the HTML is cleaned and read into Markdown:

- [caption] and image blocks become figures with their captions (the pictures are
  brought over by the importer's `picture` callback);
- embeds (a URL on its own line, [embed], an embed block, an <iframe>) become a link to
  what was embedded, named by its caption when it has one, and are counted;
- other shortcodes, which have nothing to stand for here, are dropped and counted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from broadsheet.rendering import ALLOWED_TAGS, URL_SCHEMES

from .markdown import html_to_markdown

# Block-level tags, as wpautop knows them.
_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|"
    r"form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|"
    r"article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
_OPEN_BLOCK = re.compile(rf"(<{_BLOCKS}[\s/>])", re.IGNORECASE)
_CLOSE_BLOCK = re.compile(rf"(</{_BLOCKS}>)", re.IGNORECASE)
_PRE = re.compile(r"<pre[\s>].*?</pre>", re.IGNORECASE | re.DOTALL)
_NEWLINE_IN_TAG = re.compile(r"<[^>]*>")
_WPNL = "<!-- wpnl -->"

_CAPTION = re.compile(r"\[(?:wp_)?caption\b[^\]]*\](.*?)\[/(?:wp_)?caption\]", re.DOTALL)
_CAPTION_PICTURE = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.DOTALL)
_EMBED_SHORTCODE = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.DOTALL)
_EMBED_BLOCK = re.compile(
    r'<figure\b[^>]*class="[^"]*wp-block-embed[^"]*"[^>]*>.*?'
    r"<div\b[^>]*wp-block-embed__wrapper[^>]*>\s*(.*?)\s*</div>"
    r"(?:\s*<figcaption\b[^>]*>(.*?)</figcaption>)?\s*</figure>",
    re.DOTALL | re.IGNORECASE,
)
_IFRAME = re.compile(
    r"<iframe\b[^>]*?\bsrc=[\"']([^\"']+)[\"'][^>]*>.*?</iframe>", re.IGNORECASE | re.DOTALL
)
_LONE_URL = re.compile(r"^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", re.MULTILINE)
_SHORTCODE = re.compile(
    r"\[/?(gallery|audio|video|playlist|embed|caption|wp_caption)\b[^\]]*\]", re.IGNORECASE
)


@dataclass
class Changes:
    """What turning a post into Markdown changed, for the importer's summary."""

    embeds: int = 0
    shortcodes: int = 0


def _link(url: str, text: str = "") -> str:
    url = html.escape(html.unescape(url.strip()), quote=True)
    label = text.strip() or url
    return f'<p><a href="{url}">{label}</a></p>'


def _caption(match: re.Match) -> str:
    inner = _CAPTION_PICTURE.match(match.group(1))
    if inner is None:
        return match.group(1)
    picture, caption = inner.groups()
    return f"<figure>{picture}<figcaption>{caption.strip()}</figcaption></figure>"


def expand(content: str, changes: Changes) -> str:
    """Shortcodes and embeds as WordPress would expand them, in terms we can keep."""

    def embed(match: re.Match) -> str:
        changes.embeds += 1
        caption = match.group(2) if match.re.groups > 1 else None
        return _link(match.group(1), caption or "")

    text = _CAPTION.sub(_caption, content)
    text = _EMBED_BLOCK.sub(embed, text)
    text = _IFRAME.sub(embed, text)
    text = _EMBED_SHORTCODE.sub(lambda m: "\n" + m.group(1).strip() + "\n", text)
    text = _LONE_URL.sub(embed, text)
    text, dropped = _SHORTCODE.subn("", text)
    changes.shortcodes += dropped
    return text


def autop(text: str) -> str:
    """WordPress's wpautop: the text between block-level tags becomes paragraphs, a single
    line break inside one a <br>. Only for classic posts; block posts have their <p>s."""
    if not text.strip():
        return ""
    kept: dict[str, str] = {}

    def keep_pre(match: re.Match) -> str:
        key = f"<pre wp-pre-tag-{len(kept)}></pre>"
        kept[key] = match.group(0)
        return key

    text = _PRE.sub(keep_pre, text + "\n")
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.IGNORECASE)
    text = _OPEN_BLOCK.sub(r"\n\n\1", text)
    text = _CLOSE_BLOCK.sub(r"\1\n\n", text)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text, flags=re.IGNORECASE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _NEWLINE_IN_TAG.sub(lambda m: m.group(0).replace("\n", f" {_WPNL} "), text)
    text = re.sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
    text = re.sub(r"</figcaption>\s*", "</figcaption>", text)
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p]
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in paragraphs)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(rf"<p>\s*(</?{_BLOCKS}[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.IGNORECASE)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*(</?{_BLOCKS}[^>]*>)", r"\1", text)
    text = re.sub(rf"(</?{_BLOCKS}[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<br\s*/?>", "<br />", text)
    text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    text = re.sub(rf"(</?{_BLOCKS}[^>]*>)\s*<br />", r"\1", text)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)
    for key, pre in kept.items():
        text = text.replace(key, pre)
    return text.replace(f" {_WPNL} ", "\n").replace(_WPNL, "\n")


def clean(text: str) -> str:
    """The tags html_to_markdown reads, and nothing that runs: scripts and styles go with
    their content, comments and handlers too. (markdown_to_html cleans the result again.)"""
    # Imported here, as rendering.py does: serving workers never load nh3 for this.
    import nh3

    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS) | {"h1", "h5", "h6"},
        attributes={"a": {"href"}, "img": {"src", "alt"}},
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
    )


def body_markdown(content: str, picture: Callable[[str], str | None], changes: Changes) -> str:
    """A post's content as our Markdown (rendering.markdown_to_html shows it)."""
    text = expand(content or "", changes)
    if "<!-- wp:" not in text:
        text = autop(text)
    return html_to_markdown(clean(text), picture)
