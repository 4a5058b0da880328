"""`flask import wordpress EXPORT.xml`: a WordPress WXR export, read as a stream.

Categories, tags, authors (as bylines), posts with their dates, slugs and old links,
featured images, and comments with their threads and approval status. Each <item> and
<wp:comment> is handled at its end tag and then dropped from the tree, so memory holds
one item at a time plus a few small maps keyed by post id.
"""

from __future__ import annotations

import functools
import html
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import select

from broadsheet import images
from broadsheet.clock import utcnow
from broadsheet.discussion import ip_hash
from broadsheet.rendering import html_to_text
from broadsheet.slugs import slugify, unique_slug
from broadsheet.stories import slug_taken, tags_named
from extensions import db
from models import Article, Category, Comment, max_length

from .common import (
    CommentWriter,
    ImportFailed,
    Run,
    add_redirect,
    category_for,
    clip,
    comment_text,
    compare_and_set,
    image_problem,
    legacy_path,
    one_transaction,
    parse_date,
    parse_error,
    progress_file,
    save_image,
    story_html,
    web_url,
)
from .markdown import html_to_markdown

NAMESPACES = (
    # Longest first: the excerpt namespace sits under the export one.
    ("http://wordpress.org/export/1.", "excerpt", "/excerpt/"),
    ("http://wordpress.org/export/", "wp", ""),
    ("http://purl.org/rss/1.0/modules/content/", "content", ""),
    ("http://purl.org/dc/elements/1.1/", "dc", ""),
)
STATUSES = {
    "publish": "published",
    "future": "published",  # scheduled: shown from its date on
    "draft": "draft",
    "pending": "draft",
    "private": "draft",
}
COMMENT_STATUSES = {
    "1": "approved",
    "approve": "approved",
    "0": "pending",
    "hold": "pending",
    "spam": "spam",
    "trash": "deleted",
    "post-trashed": "deleted",
}


@functools.cache
def short_name(tag: str) -> str:
    """'{http://wordpress.org/export/1.2/}post_id' -> 'wp:post_id', whatever WXR version."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    for prefix, short, must_contain in NAMESPACES:
        if uri.startswith(prefix) and must_contain in uri:
            return f"{short}:{local}"
    return local


def text_of(elem: ET.Element, name: str) -> str:
    for child in elem:
        if short_name(child.tag) == name:
            return (child.text or "").strip()
    return ""


def meta_of(elem: ET.Element) -> dict[str, str]:
    meta = {}
    for child in elem:
        if short_name(child.tag) == "wp:postmeta":
            meta[text_of(child, "wp:meta_key")] = text_of(child, "wp:meta_value")
    return meta


@dataclass
class Attachment:
    file: str
    alt: str
    caption: str


@dataclass
class Importer:
    run: Run
    uploads: Path | None
    source: str = "wordpress"
    authors: dict[str, str] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    thumbnails: list[tuple[int, str]] = field(default_factory=list)
    comments: CommentWriter | None = None
    # The <item> being read: its story once created (None if the item is not imported).
    item: ET.Element | None = None
    item_done: bool = False
    article: Article | None = None

    @property
    def summary(self):
        return self.run.summary

    # -- channel-level elements

    def site(self, url: str) -> None:
        if url and self.comments is None:
            self.source = f"wordpress {url.rstrip('/')}"[: max_length(Article.import_source)]

    def writer(self) -> CommentWriter:
        if self.comments is None:
            self.comments = CommentWriter(self.source, self.summary)
        return self.comments

    def author(self, elem: ET.Element) -> None:
        login = text_of(elem, "wp:author_login")
        self.authors[login] = html.unescape(text_of(elem, "wp:author_display_name")) or login

    def category(self, elem: ET.Element) -> None:
        slug = text_of(elem, "wp:category_nicename")
        name = html.unescape(text_of(elem, "wp:cat_name"))
        description = text_of(elem, "wp:category_description")
        self.categories[slug] = category_for(slug, name, self.summary, description)

    def category_named(self, slug: str, name: str) -> Category:
        if slug not in self.categories:
            self.categories[slug] = category_for(slug, name, self.summary)
        return self.categories[slug]

    # -- items

    def start_item(self, elem: ET.Element) -> None:
        self.item, self.item_done, self.article = elem, False, None

    def ensure_story(self) -> Article | None:
        """Create or update the story for the current item (once, at its first comment or
        its end: every post field comes before the comments in a WXR file)."""
        if not self.item_done and self.item is not None:
            self.item_done = True
            self.article = self.story(self.item)
        return self.article

    def story(self, item: ET.Element) -> Article | None:
        post_type = text_of(item, "wp:post_type") or "post"
        post_id = text_of(item, "wp:post_id")
        title = html.unescape(text_of(item, "title"))
        label = title or f"#{post_id}"
        if post_type == "attachment":
            self.attachment(item, post_id)
            return None
        if post_type != "post":
            self.summary.skip("stories", _("WordPress %(type)s, not a post", type=post_type), label)
            return None
        wp_status = text_of(item, "wp:status")
        if wp_status not in STATUSES:
            self.summary.skip(
                "stories", _("status %(status)s is not imported", status=wp_status), label
            )
            return None
        if not post_id:
            self.summary.skip("stories", _("no wp:post_id"), label)
            return None
        status = STATUSES[wp_status]
        if status == "published" and text_of(item, "wp:post_password"):
            # Broadsheet has no protected stories: keep it out of sight until an editor looks.
            status = "draft"
            self.summary.note(_("password-protected posts were imported as drafts"), label)
        posted = (
            parse_date(text_of(item, "wp:post_date_gmt"))
            or parse_date(text_of(item, "wp:post_date"))
            or parse_date(text_of(item, "pubDate"))
        )
        modified = parse_date(text_of(item, "wp:post_modified_gmt"))
        body_html = story_html(text_of(item, "content:encoded"))
        body = html_to_markdown(body_html)
        if len(body) > max_length(Article.body):
            limit = format_number(max_length(Article.body))
            self.summary.skip(
                "stories",
                _("the body is longer than the newsroom's limit of %(max)s characters", max=limit),
                label,
            )
            return None
        categories, tags = [], []
        for child in item:
            if child.tag == "category":
                domain, nicename = child.get("domain"), child.get("nicename", "")
                name = html.unescape((child.text or "").strip())
                if domain == "category":
                    categories.append(self.category_named(nicename or slugify(name), name))
                elif domain == "post_tag" and name:
                    tags.append(name)
        if not categories:
            categories.append(self.category_named("uncategorized", "Uncategorized"))
        creator = text_of(item, "dc:creator")
        # A draft may have no date at all: it is stamped now when created, and kept so after.
        created = posted or parse_date(text_of(item, "wp:post_modified_gmt")) or utcnow()
        values = {
            "headline": clip(title, Article.headline) or _("Untitled"),
            "category_id": categories[0].id,
            "byline": clip(self.authors.get(creator, creator), Article.byline),
            "teaser": html_to_text(story_html(text_of(item, "excerpt:encoded"))),
            "body": body,
            "body_html": body_html,
            "body_text": html_to_text(body_html),
            "status": status,
            "published_at": posted if status == "published" else None,
            "created_at": created,
            "updated_at": max(modified or created, created),
            "comments_open": text_of(item, "wp:comment_status") != "closed",
        }
        with db.session.no_autoflush:
            article = db.session.scalar(
                select(Article).where(
                    Article.import_source == self.source, Article.import_key == post_id
                )
            )
        if article is None:
            wanted = unquote(text_of(item, "wp:post_name")) or title
            article = Article(
                slug=unique_slug(wanted, slug_taken),
                import_source=self.source,
                import_key=post_id,
                **values,
            )
            article.tags = tags_named(tags)
            db.session.add(article)
            db.session.flush()
            self.summary.count("stories", "created")
        else:
            if posted is None and modified is None:
                del values["created_at"], values["updated_at"]
            changed = compare_and_set(article, values)
            new_tags = tags_named(tags)
            if [t.slug for t in article.tags] != sorted(t.slug for t in new_tags):
                article.tags = new_tags
                changed = True
            self.summary.count("stories", "updated" if changed else "unchanged")
        for path in {legacy_path(text_of(item, "link")), f"?p={post_id}"} - {None}:
            add_redirect(path, article, self.summary)
        thumbnail = meta_of(item).get("_thumbnail_id")
        if thumbnail:
            self.thumbnails.append((article.id, thumbnail))
        return article

    def attachment(self, item: ET.Element, post_id: str) -> None:
        meta = meta_of(item)
        file = meta.get("_wp_attached_file", "")
        if not file:
            path = unquote(urlsplit(text_of(item, "wp:attachment_url")).path)
            file = path.split("/uploads/", 1)[-1] if "/uploads/" in path else path
        self.attachments[post_id] = Attachment(
            file=file.lstrip("/"),
            alt=clip(html.unescape(meta.get("_wp_attachment_image_alt", "")), Article.image_alt),
            caption=html_to_text(story_html(text_of(item, "excerpt:encoded"))),
        )

    def comment(self, elem: ET.Element) -> None:
        article = self.ensure_story()
        key = text_of(elem, "wp:comment_id")
        who = html.unescape(text_of(elem, "wp:comment_author")) or _("Anonymous")
        if article is None:
            self.summary.skip("comments", _("its post was not imported"), key)
            return
        kind = text_of(elem, "wp:comment_type")
        if kind in ("pingback", "trackback"):
            self.summary.skip("comments", _("pingbacks and trackbacks are not comments"), key)
            return
        approved = text_of(elem, "wp:comment_approved")
        status = COMMENT_STATUSES.get(approved)
        if status is None:
            self.summary.skip(
                "comments", _("unknown approval status %(status)s", status=approved), key
            )
            return
        body = comment_text(text_of(elem, "wp:comment_content"))
        if not body or not key:
            self.summary.skip("comments", _("empty comment"), key)
            return
        created = (
            parse_date(text_of(elem, "wp:comment_date_gmt"))
            or parse_date(text_of(elem, "wp:comment_date"))
            or article.created_at
        )
        address = text_of(elem, "wp:comment_author_IP")
        parent = text_of(elem, "wp:comment_parent")
        self.writer().write(
            article,
            key,
            parent if parent not in ("", "0") else None,
            {
                "author_name": clip(who, Comment.author_name),
                "author_email": clip(
                    text_of(elem, "wp:comment_author_email"), Comment.author_email
                ),
                "author_url": web_url(text_of(elem, "wp:comment_author_url")),
                "body": body,
                "status": status,
                "created_at": created,
                "ip_hash": ip_hash(address) if address else "",
            },
        )

    # -- after the last item

    def finish(self) -> None:
        self.writer().finish()
        for article_id, attachment_id in self.thumbnails:
            self.featured_image(db.session.get(Article, article_id), attachment_id)

    def featured_image(self, article: Article, attachment_id: str) -> None:
        found = self.attachments.get(attachment_id)
        if found is None or not found.file:
            self.summary.skip("images", _("not in the export"), article.slug)
            return
        if self.uploads is None:
            self.summary.skip("images", _("no --uploads folder given"), found.file)
            return
        source = (self.uploads / found.file).resolve()
        if not source.is_relative_to(self.uploads.resolve()) or not source.is_file():
            self.summary.skip("images", _("file missing from the uploads folder"), found.file)
            return
        stem = "wp/" + "/".join(
            slugify(part, ascii_only=True) or "image"
            for part in Path(found.file).with_suffix("").parts
        )
        try:
            wrote = save_image(source, stem, self.run)
        except images.ImageRejected as refused:
            self.summary.skip("images", image_problem(refused), found.file)
            return
        changed = compare_and_set(
            article, {"image": stem, "image_alt": found.alt, "image_caption": found.caption}
        )
        self.summary.count("images", "created" if wrote else "updated" if changed else "unchanged")


def import_wordpress(path: str | os.PathLike, uploads: str | os.PathLike | None) -> Run:
    """Read the export and import it in one transaction; raise ImportFailed if malformed."""
    with one_transaction() as run:
        importer = Importer(run, Path(uploads) if uploads else None)
        channel: ET.Element | None = None
        stack: list[ET.Element] = []
        try:
            with progress_file(path, _("Reading %(file)s", file=os.fspath(path))) as stream:
                # expat (2.4+) caps entity expansion and ElementTree never fetches external
                # entities, so a hostile export cannot blow up memory or read local files.
                events = ET.iterparse(stream, events=("start", "end"))  # noqa: S314
                for event, elem in events:
                    if event == "start":
                        stack.append(elem)
                        name = short_name(elem.tag)
                        if name == "channel":
                            channel = elem
                        elif name == "item":
                            importer.start_item(elem)
                        continue
                    stack.pop()
                    parent = stack[-1] if stack else None
                    name = short_name(elem.tag)
                    if parent is None:
                        continue
                    if name == "wp:comment" and parent is importer.item:
                        importer.comment(elem)
                    elif name == "item":
                        importer.ensure_story()
                        importer.item = None
                    elif parent is channel and name == "wp:author":
                        importer.author(elem)
                    elif parent is channel and name == "wp:category":
                        importer.category(elem)
                    elif parent is channel and name == "wp:base_blog_url":
                        importer.site(elem.text or "")
                    else:
                        continue
                    # Handled: drop it, so the tree never holds more than the current item.
                    parent.remove(elem)
                    elem.clear()
        except ET.ParseError as exc:
            raise parse_error(exc, path) from None
        if channel is None:
            raise ImportFailed(
                _(
                    "%(file)s is not a WordPress export (no <channel>). Nothing was imported.",
                    file=os.fspath(path),
                )
            )
        importer.finish()
    return run
