"""`flask import wordpress EXPORT.xml`: a WordPress WXR export, read as a stream.

Categories (as sections, made when a post is first filed in one), tags, authors (as
bylines), posts and pages with their dates, slugs and old links, pictures (featured and
in the body, from --uploads) and comments with their threads and approval status. Each
<item> and <wp:comment> is handled at its end tag and then dropped from the tree, so
memory holds one item at a time plus a few small maps keyed by post id.

Running it again updates what WordPress changed, as a new revision, but leaves alone a
story edited in the newsroom since (--overwrite-edited takes the WordPress copy); a post
now in WordPress's trash is taken off the site, and approved comments the file no longer
has are listed (--hold-missing holds them for review).
"""

from __future__ import annotations

import functools
import html
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from broadsheet import images, publishing
from broadsheet.clock import precise_utcnow, utcnow
from broadsheet.discussion import ip_hash
from broadsheet.locales import site_setting
from broadsheet.redirects import category_slug, legacy_path, picture_stem, upload_path
from broadsheet.rendering import html_to_text, markdown_to_html
from broadsheet.slugs import slugify, unique_slug
from broadsheet.stories import slug_taken, tags_named
from extensions import db
from models import Article, Category, Comment, Revision, max_length

from .common import (
    CommentWriter,
    ImportFailed,
    Run,
    add_redirect,
    clip,
    comment_text,
    compare_and_set,
    image_problem,
    naive_utc,
    one_transaction,
    parse_date,
    parse_error,
    progress_file,
    save_image,
    web_url,
)
from .wordpress_html import Changes, body_markdown, clean

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
# WordPress keeps a big upload as it came and shows a "-scaled" copy; the metadata names both.
_ORIGINAL_IMAGE = re.compile(r'"original_image";s:\d+:"([^"/]+)"')
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
    file: str  # below uploads/: the original, not WordPress's "-scaled" copy
    alt: str
    caption: str
    link: str  # its attachment page
    parent: str  # the post it was uploaded to


@dataclass
class ChannelCategory:
    nicename: str
    name: str
    description: str
    parent: str


@dataclass
class Importer:
    run: Run
    uploads: Path | None
    overwrite_edited: bool = False
    hold_missing: bool = False
    source: str = "wordpress"
    authors: dict[str, str] = field(default_factory=dict)
    # Categories as the channel lists them; each becomes a section when a post first uses it.
    listed: dict[str, ChannelCategory] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    thumbnails: list[tuple[int, str]] = field(default_factory=list)
    # Local time minus UTC as the file's own dates show it, by (year, month): drafts carry
    # only their local time.
    offsets: dict[tuple[int, int], timedelta] = field(default_factory=dict)
    pictures: dict[str, str | None] = field(default_factory=dict)  # upload -> /media/ address
    stored: set[str] = field(default_factory=set)  # picture stems written (or found) this run
    unfound: set[str] = field(default_factory=set)  # uploads reported missing this run
    edited: set[int] = field(default_factory=set)  # stories edited here, left alone
    # Stories created or changed: each gets an "imported" revision once all is in place.
    revised: dict[int, None] = field(default_factory=dict)  # in order, without repeats
    comments: CommentWriter | None = None
    # The <item> being read: its story once created (None if the item is not imported).
    item: ET.Element | None = None
    item_done: bool = False
    article: Article | None = None
    item_comments: set[str] = field(default_factory=set)

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
        nicename = text_of(elem, "wp:category_nicename")
        self.listed[nicename] = ChannelCategory(
            nicename,
            html.unescape(text_of(elem, "wp:cat_name")),
            text_of(elem, "wp:category_description"),
            text_of(elem, "wp:category_parent"),
        )

    def section(self, nicename: str, name: str) -> Category:
        """The section for a WordPress category, made the first time a post is filed in it."""
        if nicename not in self.categories:
            listed = self.listed.get(nicename)
            self.categories[nicename] = self.make_section(
                nicename,
                listed.name if listed else name,
                listed.description if listed else "",
            )
        return self.categories[nicename]

    def make_section(self, nicename: str, name: str, description: str) -> Category:
        slug = category_slug(nicename, name) or "section"
        with db.session.no_autoflush:
            category = db.session.scalar(select(Category).where(Category.slug == slug))
        name = clip(name, Category.name) or slug
        if category is None:
            with db.session.no_autoflush:
                last = db.session.scalar(select(func.max(Category.nav_order))) or 0
            category = Category(slug=slug, name=name, description=description, nav_order=last + 1)
            db.session.add(category)
            db.session.flush()
            self.summary.count("categories", "created")
            return category
        values = {"name": name, **({"description": description} if description else {})}
        changed = compare_and_set(category, values)
        self.summary.count("categories", "updated" if changed else "unchanged")
        return category

    def ancestors(self, nicename: str) -> list[ChannelCategory]:
        """The categories above one, nearest first (WordPress nests them)."""
        found: list[ChannelCategory] = []
        parent = self.listed[nicename].parent if nicename in self.listed else ""
        while parent in self.listed and all(c.nicename != parent for c in found):
            found.append(self.listed[parent])
            parent = self.listed[parent].parent
        return found

    # -- items

    def start_item(self, elem: ET.Element) -> None:
        self.item, self.item_done, self.article = elem, False, None
        self.item_comments = set()

    def ensure_story(self) -> Article | None:
        """Create or update the story for the current item (once, at its first comment or
        its end: every post field comes before the comments in a WXR file)."""
        if not self.item_done and self.item is not None:
            self.item_done = True
            self.article = self.story(self.item)
        return self.article

    def end_item(self) -> None:
        article = self.ensure_story()
        if article is not None and self.writer().rerun:
            self.missing_comments(article)
        self.item = None

    def utc(self, local: datetime | None, gmt: datetime | None) -> datetime | None:
        """A date from its UTC form, or from its local one (drafts have only that) with the
        offset the file shows for that month, else the site's time zone."""
        if local is not None and gmt is not None:
            self.offsets[local.year, local.month] = local - gmt
            return gmt
        if gmt is not None or local is None:
            return gmt
        if self.offsets:
            month = local.year * 12 + local.month
            nearest = min(self.offsets, key=lambda ym: abs(ym[0] * 12 + ym[1] - month))
            return local - self.offsets[nearest]
        zone = ZoneInfo(site_setting("SITE_TIMEZONE"))
        return naive_utc(local.replace(tzinfo=zone))

    def dates(self, item: ET.Element) -> tuple[datetime | None, datetime | None]:
        posted = self.utc(
            parse_date(text_of(item, "wp:post_date")), parse_date(text_of(item, "wp:post_date_gmt"))
        ) or parse_date(text_of(item, "pubDate"))
        modified = self.utc(
            parse_date(text_of(item, "wp:post_modified")),
            parse_date(text_of(item, "wp:post_modified_gmt")),
        )
        return posted, modified

    def story(self, item: ET.Element) -> Article | None:
        post_type = text_of(item, "wp:post_type") or "post"
        post_id = text_of(item, "wp:post_id")
        title = html.unescape(text_of(item, "title"))
        label = title or f"#{post_id}"
        if post_type == "attachment":
            self.attachment(item, post_id)
            return None
        if post_type not in ("post", "page"):
            self.summary.skip("stories", _("WordPress %(type)s, not a post", type=post_type), label)
            return None
        if not post_id:
            self.summary.skip("stories", _("no wp:post_id"), label)
            return None
        article = self.find(post_id)
        wp_status = text_of(item, "wp:status")
        if wp_status == "trash":
            return self.trashed(article, label)
        if wp_status not in STATUSES:
            self.summary.skip(
                "stories", _("status %(status)s is not imported", status=wp_status), label
            )
            return None
        status = STATUSES[wp_status]
        if status == "published" and text_of(item, "wp:post_password"):
            # Broadsheet has no protected stories: keep it out of sight until an editor looks.
            status = "draft"
            self.summary.note(_("password-protected posts were imported as drafts"), label)
        elif wp_status == "private":
            self.summary.note(_("private posts were imported as drafts"), label)
        if post_type == "page" and status == "published":
            # Broadsheet has stories, not pages: the newsroom decides what becomes of them.
            status = "draft"
            self.summary.note(
                _("WordPress pages were imported as drafts: publish, move or copy them"), label
            )
        posted, modified = self.dates(item)
        changes = Changes()
        body = body_markdown(text_of(item, "content:encoded"), self.body_picture, changes)
        if len(body) > max_length(Article.body):
            limit = format_number(max_length(Article.body))
            self.summary.skip(
                "stories",
                _("the body is longer than the newsroom's limit of %(max)s characters", max=limit),
                label,
            )
            return None
        if changes.embeds:
            self.summary.note(_("embedded videos, maps and posts were kept as links"), label)
        if changes.shortcodes:
            self.summary.note(_("shortcodes with nothing to stand for here were dropped"), label)
        if post_type == "page":
            section, topics = self.page_section(article), list[str]()
        else:
            section, topics = self.filing(item, label)
        body_html = markdown_to_html(body, current_app.config["IMAGE_WIDTHS"])
        creator = text_of(item, "dc:creator")
        # A draft may have no date at all: it is stamped now when created, and kept so after.
        created = posted or modified or utcnow()
        values = {
            "headline": clip(title, Article.headline) or _("Untitled"),
            "category_id": section.id,
            "byline": clip(self.authors.get(creator, creator), Article.byline),
            "teaser": html_to_text(clean(text_of(item, "excerpt:encoded"))),
            "body": body,
            "body_html": body_html,
            "body_text": html_to_text(body_html),
            "status": status,
            "published_at": posted if status == "published" else None,
            "created_at": created,
            "updated_at": max(modified or created, created),
            "comments_open": text_of(item, "wp:comment_status") != "closed",
        }
        if article is None:
            wanted = unquote(text_of(item, "wp:post_name")) or title
            with db.session.no_autoflush:
                slug = unique_slug(wanted, slug_taken)
            article = Article(slug=slug, import_source=self.source, import_key=post_id, **values)
            article.tags = tags_named(topics)
            db.session.add(article)
            db.session.flush()
            self.revised[article.id] = None
            self.summary.count("stories", "created")
        else:
            if post_type == "page":
                del values["category_id"]  # wherever the newsroom filed it
            if posted is None and modified is None:
                del values["created_at"], values["updated_at"]
            self.update(article, values, topics, label)
        links = {legacy_path(text_of(item, "link")), f"?p={post_id}"}
        if post_type == "page":
            links.add(f"?page_id={post_id}")
        for path in sorted(link for link in links if link is not None):
            add_redirect(path, article, self.summary)
        thumbnail = meta_of(item).get("_thumbnail_id")
        if thumbnail:
            self.thumbnails.append((article.id, thumbnail))
        return article

    def find(self, post_id: str) -> Article | None:
        with db.session.no_autoflush:
            return db.session.scalar(
                select(Article).where(
                    Article.import_source == self.source, Article.import_key == post_id
                )
            )

    def edited_here(self, article: Article) -> bool:
        """Saved in the newsroom (or an edit to it pending) since it was last imported."""
        latest = db.session.scalar(
            select(Revision.summary)
            .where(Revision.article_id == article.id)
            .order_by(Revision.created_at.desc(), Revision.id.desc())
            .limit(1)
        )
        return latest is not None and latest.split(" ", 1)[0] != "imported"

    def update(self, article: Article, values: dict, topics: list[str], label: str) -> None:
        """Bring a story imported before up to date with the file, as a new revision, unless
        the newsroom has changed it since (then only with --overwrite-edited)."""
        new_tags = tags_named(topics)
        with db.session.no_autoflush:
            different = any(getattr(article, k) != v for k, v in values.items()) or [
                t.slug for t in article.tags
            ] != sorted(t.slug for t in new_tags)
        if not different:
            self.summary.count("stories", "unchanged")
            return
        if self.edited_here(article) and not self.overwrite_edited:
            self.edited.add(article.id)
            self.summary.note(
                _(
                    "edited in the newsroom since the last import, so left as it is "
                    "(--overwrite-edited takes the WordPress copy)"
                ),
                label,
            )
            self.summary.count("stories", "unchanged")
            return
        compare_and_set(article, values)
        article.tags = new_tags
        self.revise(article)
        self.summary.count("stories", "updated")

    def trashed(self, article: Article | None, label: str) -> Article | None:
        """A post WordPress now has in its trash: taken off the site if it was imported."""
        if article is None:
            self.summary.skip(
                "stories", _("status %(status)s is not imported", status="trash"), label
            )
            return None
        if article.status != "published":
            self.summary.count("stories", "unchanged")
        elif self.edited_here(article) and not self.overwrite_edited:
            self.edited.add(article.id)
            self.summary.note(
                _("trashed in WordPress but edited in the newsroom since, so left published"),
                label,
            )
            self.summary.count("stories", "unchanged")
        else:
            publishing.unpublish(article)
            self.revise(article)
            self.summary.note(_("trashed in WordPress, so taken off the site"), label)
            self.summary.count("stories", "updated")
        return article

    def revise(self, article: Article) -> None:
        """A story this import changes: an editor's form opened on the old text is refused
        instead of saving over it, and the change gets a revision of its own."""
        if article.id not in self.revised:
            publishing.claim_version(article, article.version)
            self.revised[article.id] = None

    def filing(self, item: ET.Element, label: str) -> tuple[Category, list[str]]:
        """A post's section (its first category) and its topics: its tags, its other
        categories and the categories its section sits in (sections are not nested here)."""
        filed: list[tuple[str, str]] = []
        topics: list[str] = []
        for child in item:
            if child.tag != "category":
                continue
            domain, nicename = child.get("domain"), child.get("nicename", "")
            name = html.unescape((child.text or "").strip())
            if domain == "category":
                filed.append((nicename or slugify(name), name))
            elif domain == "post_tag" and name:
                topics.append(name)
        if not filed:
            filed.append(("uncategorized", "Uncategorized"))
        section = self.section(*filed[0])
        if len(filed) > 1:
            topics.extend(name for _nicename, name in filed[1:])
            self.summary.note(
                _("posts in several categories: filed in the first, the others kept as topics"),
                label,
            )
        if parents := self.ancestors(filed[0][0]):
            topics.extend(parent.name for parent in parents)
            self.summary.note(
                _(
                    "posts in a sub-category: it is a section of its own, and the categories "
                    "above it were kept as topics"
                ),
                label,
            )
        return section, topics

    def page_section(self, article: Article | None) -> Category:
        """Where a page waits as a draft: where it already is, else the first section."""
        if article is not None:
            return article.category
        with db.session.no_autoflush:
            first = db.session.scalar(select(Category).order_by(Category.nav_order, Category.id))
        return first or self.section("uncategorized", "Uncategorized")

    def attachment(self, item: ET.Element, post_id: str) -> None:
        meta = meta_of(item)
        file = meta.get("_wp_attached_file", "")
        if not file:
            file = upload_path(text_of(item, "wp:attachment_url")) or ""
        # WordPress keeps the upload as it came and shows a "-scaled" copy of big ones.
        original = _ORIGINAL_IMAGE.search(meta.get("_wp_attachment_metadata", ""))
        if original and file:
            file = str(PurePosixPath(file).with_name(original.group(1)))
        self.attachments[post_id] = Attachment(
            file=file.lstrip("/"),
            alt=clip(html.unescape(meta.get("_wp_attachment_image_alt", "")), Article.image_alt),
            caption=html_to_text(clean(text_of(item, "excerpt:encoded"))),
            link=text_of(item, "link"),
            parent=text_of(item, "wp:post_parent"),
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
            self.utc(
                parse_date(text_of(elem, "wp:comment_date")),
                parse_date(text_of(elem, "wp:comment_date_gmt")),
            )
            or article.created_at
        )
        address = text_of(elem, "wp:comment_author_IP")
        parent = text_of(elem, "wp:comment_parent")
        self.item_comments.add(key)
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

    def missing_comments(self, article: Article) -> None:
        """Comments imported before that the file no longer has: WordPress leaves spam out
        of its exports, so a comment marked spam there since simply disappears. Listed, and
        held for review with --hold-missing."""
        rows = db.session.execute(
            select(Comment.id, Comment.import_key).where(
                Comment.article_id == article.id,
                Comment.import_source == self.source,
                Comment.status == "approved",
            )
        ).all()
        missing = [(cid, key) for cid, key in rows if key not in self.item_comments]
        for comment_id, key in missing:
            if self.hold_missing:
                db.session.execute(
                    update(Comment)
                    .where(Comment.id == comment_id)
                    .values(status="pending", changed_at=precise_utcnow())
                    .execution_options(synchronize_session=False)
                )
                self.summary.note(
                    _("comments the file no longer has were held for review"), key or ""
                )
            else:
                self.summary.note(
                    _(
                        "approved comments the file no longer has (WordPress leaves spam out "
                        "of its exports): --hold-missing holds them for review"
                    ),
                    key or "",
                )
        if missing and self.hold_missing:
            self.writer().touched.add(article.id)

    def body_picture(self, src: str) -> str | None:
        """A picture in a post's body, brought over: its address here, or None."""
        relative = upload_path(src)
        if relative is None:
            return None
        if relative not in self.pictures:
            found = self.upload_file(relative, original=True)
            stem = picture_stem(relative)
            stored = found is not None and self.store_picture(found, stem, relative)
            widest = max(current_app.config["IMAGE_WIDTHS"])
            self.pictures[relative] = f"/media/{stem}-{widest}.jpg" if stored else None
        return self.pictures[relative]

    def upload_file(self, relative: str, *, original: bool = False) -> Path | None:
        """A file in the --uploads folder (the original a size copy was made from, when it
        is there); None, with the reason in the summary, when there is none."""
        if relative in self.unfound:
            return None
        self.unfound.add(relative)
        if self.uploads is None:
            self.summary.skip("images", _("no --uploads folder given"), relative)
            return None
        folder = self.uploads.resolve()
        candidates = [relative]
        if original:
            name = PurePosixPath(relative)
            base = re.sub(r"-(?:\d+x\d+|scaled)$", "", name.stem)
            candidates.insert(0, str(name.with_name(base + name.suffix)))
        for candidate in candidates:
            source = (folder / candidate).resolve()
            if source.is_relative_to(folder) and source.is_file():
                self.unfound.discard(relative)
                return source
        self.summary.skip("images", _("file missing from the uploads folder"), relative)
        return None

    def store_picture(self, source: Path, stem: str, relative: str) -> bool:
        """Write a picture's widths (once per import); False, with the reason, if refused."""
        if stem in self.stored:
            return True
        try:
            wrote = save_image(source, stem, self.run)
        except images.ImageRejected as refused:
            self.summary.skip("images", image_problem(refused), relative)
            return False
        self.stored.add(stem)
        self.summary.count("images", "created" if wrote else "unchanged")
        return True

    # -- after the last item

    def finish(self) -> None:
        self.writer().finish()
        for article_id, attachment_id in self.thumbnails:
            if article_id not in self.edited:
                self.featured_image(db.session.get_one(Article, article_id), attachment_id)
        for attachment_id, found in self.attachments.items():
            story = self.find(found.parent) if found.parent not in ("", "0") else None
            if story is None:
                continue
            # Its page goes to the story it belongs to (its file's address to the picture).
            links = [f"?attachment_id={attachment_id}"]
            if upload_path(found.link) is None:
                links.append(found.link)
            for link in links:
                add_redirect(link, story, self.summary)
        for article_id in self.revised:
            publishing.record(db.session.get_one(Article, article_id), None, "imported")

    def featured_image(self, article: Article, attachment_id: str) -> None:
        found = self.attachments.get(attachment_id)
        if found is None or not found.file:
            self.summary.skip("images", _("not in the export"), article.slug)
            return
        source = self.upload_file(found.file)
        stem = picture_stem(found.file)
        if source is None or not self.store_picture(source, stem, found.file):
            return
        values = {"image": stem, "image_alt": found.alt, "image_caption": found.caption}
        if any(getattr(article, k) != v for k, v in values.items()):
            if self.edited_here(article) and not self.overwrite_edited:
                return
            compare_and_set(article, values)
            self.revise(article)


def import_wordpress(
    path: str | os.PathLike,
    uploads: str | os.PathLike | None,
    *,
    overwrite_edited: bool = False,
    hold_missing: bool = False,
) -> Run:
    """Read the export and import it in one transaction; raise ImportFailed if malformed."""
    with one_transaction() as run:
        importer = Importer(
            run,
            Path(uploads) if uploads else None,
            overwrite_edited=overwrite_edited,
            hold_missing=hold_missing,
        )
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
                        importer.end_item()
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
