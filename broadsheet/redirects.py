"""Old links, mapped to Broadsheet's pages: the permalinks of imported stories (kept in
legacy_redirects by the importers) and the other addresses a WordPress site's readers,
feed readers and search engines still use. The legacy blueprint answers them; the
WordPress importer stores and names things by the same rules, so both always agree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import or_, select

from broadsheet.slugs import slugify
from extensions import db
from models import RESERVED_SLUGS, Article, Category, CategorySlugAlias, LegacyRedirect, Tag

# Query links WordPress answers whatever the permalink structure: ?p= for posts, ?page_id=
# for pages, ?attachment_id= for attachment pages.
QUERY_LINKS = ("p", "page_id", "attachment_id")
_DIGITS = re.compile(r"[0-9]{1,12}")
# WordPress's copies of an upload: "-1024x683" for each size, "-scaled" for the big one.
_UPLOAD_COPY = re.compile(r"-(?:(\d+)x\d+|scaled)$")
_COMMENT_PAGE = re.compile(r"comment-page-\d+")


def legacy_path(url: str | None) -> str | None:
    """How an old link is stored: "?p=123" (or ?page_id=, ?attachment_id=) for query links,
    else the decoded path without a trailing slash ("/2021/07/11/slug"). None for the bare
    front page."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    query = parse_qs(parts.query)
    for name in QUERY_LINKS:
        value = query.get(name, [""])[0]
        if _DIGITS.fullmatch(value):
            return f"?{name}={value}"
    path = unquote(parts.path).rstrip("/")
    if not path or path in ("/index.php",):
        return None
    return path if path.startswith("/") else "/" + path


def stored_story(key: str | None) -> Article | None:
    """The story an old link (as legacy_path stores it) leads to."""
    # Stored paths never hold control characters (PostgreSQL refuses NUL in a query).
    if key is None or len(key) > 500 or not key.isprintable():
        return None
    found = db.session.scalar(select(LegacyRedirect).where(LegacyRedirect.path == key))
    return found.article if found is not None else None


# --- Names WordPress and Broadsheet give the same thing ------------------------------------


def category_slug(nicename: str, name: str = "") -> str:
    """The slug a WordPress category gets here: its own (percent-decoded) slug, moved aside
    when it is a path the site itself answers."""
    slug = slugify(unquote(nicename or "")) or slugify(name)
    return f"{slug}-news" if slug in RESERVED_SLUGS else slug


def upload_path(url: str) -> str | None:
    """Where a WordPress upload sits below uploads/ ("2025/09/cranes-1024x683.jpg"), from its
    URL or path; None for anything else."""
    path = unquote(urlsplit(url.strip()).path)
    if "/wp-content/uploads/" not in path:
        return None
    relative = path.split("/wp-content/uploads/", 1)[1].strip("/")
    return relative if relative and ".." not in relative.split("/") else None


def picture_stem(relative: str) -> str:
    """The stem an imported WordPress picture is stored under: every size WordPress made of
    it ("-300x200", "-scaled") is the same picture, "wp/2025/09/cranes"."""
    path = PurePosixPath(relative).with_suffix("")
    name = _UPLOAD_COPY.sub("", path.name)
    parts = [*path.parent.parts, name]
    return "wp/" + "/".join(slugify(part, ascii_only=True) or "image" for part in parts)


def requested_width(relative: str) -> int | None:
    """The width a WordPress size copy was made at ("-1024x683" -> 1024), if it is one."""
    match = _UPLOAD_COPY.search(PurePosixPath(relative).stem)
    return int(match.group(1)) if match and match.group(1) else None


# --- The other WordPress addresses -------------------------------------------------------------


@dataclass(frozen=True)
class OldLink:
    """Where an old address goes: `kind` names the page, `target` what it is about.

    Kinds: story (target: Article), comments (the story's discussion), comment_feed,
    category (Category), category_feed, topic (Tag), feed ("rss" or "atom"), search (the words),
    front, picture (the path below /media/ without width: "wp/2025/09/cranes", plus the
    width asked for). `permanent` is False for pages Broadsheet does not have yet, which
    a later version may send somewhere better (author pages, date archives).
    """

    kind: str
    target: object = None
    permanent: bool = True
    width: int | None = None


def wordpress_link(path: str, args: Mapping[str, str]) -> OldLink | None:
    """The page of ours for a WordPress address that is not a page of ours, or None."""
    words = args.get("s", "").strip()
    if path.strip("/") in ("", "index.php") and words:
        return OldLink("search", words)
    parts = [p for p in path.strip("/").split("/") if p]
    if not parts:
        return None
    if parts[0] == "wp-content" and (relative := upload_path(path)) is not None:
        return OldLink("picture", picture_stem(relative), width=requested_width(relative))
    if "feed" in parts:
        at = parts.index("feed")
        return _feed(parts[:at], "atom" if parts[at + 1 : at + 2] == ["atom"] else "rss")
    if len(parts) > 2 and parts[-2] == "page" and parts[-1].isdigit():
        parts = parts[:-2]
    if parts[0] == "category" and len(parts) > 1:
        category = _category(parts[-1])
        return OldLink("category", category) if category is not None else None
    if parts[0] == "tag" and len(parts) == 2:
        tag = db.session.scalar(select(Tag).where(Tag.slug == slugify(parts[1])))
        if tag is not None:
            return OldLink("topic", tag)
        return OldLink("search", parts[1].replace("-", " "), False)
    if parts[0] == "author" and len(parts) == 2:
        return OldLink("front", permanent=False)
    if len(parts) <= 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
        return OldLink("front", permanent=False)
    if _COMMENT_PAGE.fullmatch(parts[-1]) and len(parts) > 1:
        story = stored_story("/" + "/".join(parts[:-1]))
        return OldLink("comments", story) if story is not None else None
    return None


def _feed(base: list[str], flavour: str) -> OldLink | None:
    """/feed/ (and /feed/atom/, /comments/feed/), a category's and a post's feeds."""
    if not base or base == ["comments"]:
        return OldLink("feed", flavour)
    if base[0] == "category" and len(base) > 1:
        category = _category(base[-1])
        return OldLink("category_feed", category) if category is not None else None
    story = stored_story("/" + "/".join(base))
    return OldLink("comment_feed", story) if story is not None else None


def _category(nicename: str) -> Category | None:
    slug = category_slug(nicename)
    alias = select(CategorySlugAlias.category_id).where(CategorySlugAlias.slug == slug)
    return db.session.scalar(
        select(Category).where(or_(Category.slug == slug, Category.id.in_(alias)))
    )
