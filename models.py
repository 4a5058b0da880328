"""The schema: every table Broadsheet stores, as SQLAlchemy 2.0 typed models."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    and_,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from broadsheet.clock import precise_utcnow, utcnow
from extensions import Model, db

# The largest id an integer column holds on PostgreSQL (SQLite's are wider): ids from URLs
# and query strings are refused above it rather than sent to abort a query.
MAX_ID = 2_147_483_647


def max_length(attribute) -> int:
    """How many characters a column takes: a String's length, or a Text column's
    info["max_length"]. Forms and importers read their limits here, never their own."""
    column = attribute.property.columns[0]
    return column.type.length or column.info["max_length"]


# Category slugs live at the site root (/<category>/), so they must never take a path
# the application itself answers.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "atom",
        "author",
        "comments",
        "favicon.ico",
        "feed",
        "feeds",
        "healthz",
        "login",
        "logout",
        "manifest.webmanifest",
        "media",
        "newsroom",
        "privacy",
        "robots.txt",
        "rss",
        "search",
        "sitemap.xml",
        "sitemaps",
        "static",
        "tag",
        "tags",
        "topic",
        "uploads",
    }
)

article_tags = Table(
    "article_tags",
    db.metadata,
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Category(Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(Text, default="", info={"max_length": 2000})
    nav_order: Mapped[int] = mapped_column(Integer, default=0, index=True)

    articles: Mapped[list[Article]] = relationship(back_populates="category")

    @validates("slug")
    def _slug_not_reserved(self, _key: str, slug: str) -> str:
        if slug in RESERVED_SLUGS:
            raise ValueError(f"{slug!r} is a reserved path and cannot be a category slug")
        return slug

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


class Tag(Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    slug: Mapped[str] = mapped_column(String(80), unique=True)


class Article(Model):
    __tablename__ = "articles"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published')", name="status"),
        # The listing query: one category's published stories, newest first.
        Index("ix_articles_category_listing", "category_id", "status", "published_at", "id"),
        # The front page, search filtering and related stories across categories.
        Index("ix_articles_listing", "status", "published_at", "id"),
        # Where an imported story came from: a re-import finds it instead of adding a copy.
        Index("uq_articles_import", "import_source", "import_key", unique=True),
        # An author page: the stories that carry one staff member's byline, newest first.
        Index("ix_articles_byline", "byline", "status", "published_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    headline: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    byline: Mapped[str] = mapped_column(String(200), default="")
    teaser: Mapped[str] = mapped_column(Text, default="", info={"max_length": 1000})
    dateline: Mapped[str] = mapped_column(String(120), default="")
    body: Mapped[str] = mapped_column(Text, default="", info={"max_length": 200_000})
    # Rendered once on save, never per request: sanitised HTML and plain text for search.
    body_html: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    image: Mapped[str | None] = mapped_column(String(200))
    image_alt: Mapped[str] = mapped_column(String(300), default="")
    image_caption: Mapped[str] = mapped_column(Text, default="", info={"max_length": 2000})
    image_credit: Mapped[str] = mapped_column(String(200), default="")
    # Which part of the featured picture to keep where it is cropped (IMAGE_FOCUS).
    image_focus: Mapped[str] = mapped_column(String(10), default="", server_default="")
    source_name: Mapped[str] = mapped_column(String(200), default="")
    source_url: Mapped[str] = mapped_column(String(500), default="")
    copyright: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Set by stories.prepare() on an editorial save; comment counts and switches leave it be.
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    comments_open: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # A sensitive story: every comment waits for a moderator, whatever the site's policy.
    comments_premoderated: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # The newsroom's word to readers, shown above this story's comments.
    comments_notice: Mapped[str] = mapped_column(
        Text, default="", server_default="", info={"max_length": 1000}
    )
    # Approved comments, kept by comments.py so listings never count rows per card.
    comment_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The newsroom: who wrote it, and a counter every save moves on, so an editor saving a
    # form opened before someone else's save is refused instead of overwriting it.
    # No database foreign key on author_id: SQLite cannot add one to an existing table
    # without rebuilding it (which would drop the search triggers). Staff accounts are
    # switched off, never deleted, so the id always names a user.
    author_id: Mapped[int | None] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Set by `flask import` (e.g. "wordpress https://old.example", "123"); NULL for our own.
    import_source: Mapped[str | None] = mapped_column(String(200))
    import_key: Mapped[str | None] = mapped_column(String(200))
    # In the newsroom's trash since then (a draft, so readers never see it); deleted for
    # good TRASH_DAYS later (publishing.purge_trash).
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)

    category: Mapped[Category] = relationship(back_populates="articles", lazy="joined")
    tags: Mapped[list[Tag]] = relationship(secondary=article_tags, order_by=Tag.slug)
    author: Mapped[User | None] = relationship(
        primaryjoin="foreign(Article.author_id) == User.id", viewonly=True
    )
    corrections: Mapped[list[Correction]] = relationship(
        back_populates="article",
        order_by="Correction.created_at, Correction.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @classmethod
    def visible(cls, now: datetime | None = None):
        """The SQL condition for a story a reader may see: published, and not in the future."""
        return and_(cls.status == "published", cls.published_at <= (now or utcnow()))

    def is_visible(self, now: datetime | None = None) -> bool:
        return (
            self.status == "published"
            and self.published_at is not None
            and self.published_at <= (now or utcnow())
        )

    def __repr__(self) -> str:
        return f"<Article {self.slug}>"


class ArticleSlugAlias(Model):
    """A slug an article used to have; its old URL answers 301 to the current one."""

    __tablename__ = "article_slug_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))

    article: Mapped[Article] = relationship()


class LegacyRedirect(Model):
    """A path an imported story had on the old site (/2021/07/11/slug/, ?p=123): 301 to it."""

    __tablename__ = "legacy_redirects"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Normalised by importers.common.legacy_path: no trailing slash; "?p=123" for query links.
    path: Mapped[str] = mapped_column(String(500), unique=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )

    article: Mapped[Article] = relationship()


COMMENT_STATUSES = ("approved", "pending", "spam", "deleted")


class Comment(Model):
    """A reader's comment. The email is stored for moderation and notices, never shown."""

    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint("status IN ('approved', 'pending', 'spam', 'deleted')", name="status"),
        # The thread query: one story's top-level comments in order, then their replies.
        Index("ix_comments_thread", "article_id", "status", "parent_id", "created_at", "id"),
        Index("ix_comments_root", "root_id", "created_at", "id"),
        Index("ix_comments_moderation", "status", "created_at"),
        # A story's Featured view: its editors' picks.
        Index("ix_comments_featured", "article_id", "featured_at"),
        Index("uq_comments_import", "import_source", "import_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    # The top-level comment of the thread (its own id for a top-level comment).
    root_id: Mapped[int | None] = mapped_column(Integer)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    author_name: Mapped[str] = mapped_column(String(80))
    author_email: Mapped[str] = mapped_column(String(254), index=True)
    author_url: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, info={"max_length": 5000})
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Moderation decisions and approvals after posting move this forward, so "what is new
    # since" polling sees comments approved later than they were written.
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=precise_utcnow, index=True)
    ip_hash: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    # Why it waits for moderation or was taken for spam (discussion.HELD_REASONS); "" if not.
    held_reason: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # One per rendered form: a retried or double-clicked post cannot create a second comment.
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Erased at the commenter's request (privacy.erase): a placeholder for good.
    erased_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The role of the signed-in staff member who posted it (their badge); None for readers.
    staff_role: Mapped[str | None] = mapped_column(String(16))
    # When a moderator featured it (an editors' pick); None when it is not featured.
    featured_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Why it was held for moderation (the suspect words it contains), for the queue.
    held_for: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # Set by `flask import` for comments brought over from WordPress, Disqus or Isso.
    import_source: Mapped[str | None] = mapped_column(String(200))
    import_key: Mapped[str | None] = mapped_column(String(200))

    article: Mapped[Article] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Comment {self.id} {self.status}>"


REPORT_REASONS = ("spam", "abuse", "off-topic", "other")


class CommentReport(Model):
    """A reader's report of a comment: one per reader (a keyed hash of their address)."""

    __tablename__ = "comment_reports"
    __table_args__ = (
        CheckConstraint("reason IN ('spam', 'abuse', 'off-topic', 'other')", name="reason"),
        Index("uq_comment_reports_reader", "comment_id", "reporter_hash", unique=True),
        # The Reported tab: comments with reports no moderator has dealt with yet.
        Index("ix_comment_reports_open", "reviewed_at", "comment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(500), default="")
    reporter_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Set when a moderator acts on the comment: the report is dealt with.
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)

    comment: Mapped[Comment] = relationship()


class CommentBan(Model):
    """A commenter the newsroom refuses: by email, and optionally by address (its keyed hash)."""

    __tablename__ = "comment_bans"
    __table_args__ = (Index("ix_comment_bans_active", "lifted_at", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Lower-cased mailbox (mail.mailbox): name+tag@ is the same commenter as name@.
    email: Mapped[str] = mapped_column(String(254))
    # The name the commenter gave: what moderators see (emails are never shown).
    author_name: Mapped[str] = mapped_column(String(80))
    ip_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    reason: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime)

    moderator: Mapped[User | None] = relationship(lazy="joined")


class WordList(Model):
    """The banned words (a comment is refused) or suspect words (it waits for a moderator)."""

    __tablename__ = "word_lists"
    __table_args__ = (CheckConstraint("kind IN ('banned', 'suspect')", name="kind"),)

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    # One word or phrase a line, as the newsroom typed them.
    words: Mapped[str] = mapped_column(Text, default="", info={"max_length": 20_000})
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


ROLES = ("writer", "editor", "admin")


class User(UserMixin, Model):
    """A member of staff who signs in to the newsroom. Readers never have accounts."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('admin', 'editor', 'writer')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="writer")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Wrong passwords in a row, and until when the next try must wait (accounts.py back-off).
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sign_in_blocked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Two-factor sign-in (accounts.py): the TOTP secret, the last time step a code was
    # accepted for (a code works once), and SHA-256 hashes of the unused recovery codes.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    recovery_codes: Mapped[str] = mapped_column(
        Text, default="", server_default="", info={"max_length": 2000}
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def at_least(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@", 1)[0]

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class StaffSession(Model):
    """A signed-in browser. Its cookie holds the token; ending the row ends every copy of it."""

    __tablename__ = "staff_sessions"
    # Who is signed in where stays with this site: `flask export` leaves it out.
    __table_args__ = {"info": {"exported": False}}

    id: Mapped[int] = mapped_column(primary_key=True)
    # A SHA-256 of the token, so the table alone signs nobody in.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class Revision(Model):
    """One save of a story: who, when, a snapshot of the fields, and which ones changed.

    A pending revision is an edit to a published story kept aside until an editor publishes it.
    """

    __tablename__ = "revisions"
    __table_args__ = (Index("ix_revisions_article", "article_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    snapshot: Mapped[str] = mapped_column(Text)  # JSON of the editable fields
    summary: Mapped[str] = mapped_column(String(500), default="")
    pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    article: Mapped[Article] = relationship()
    user: Mapped[User | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Revision {self.id} of article {self.article_id}>"


class CategorySlugAlias(Model):
    """A slug a category used to have; its old listing and story URLs answer 301."""

    __tablename__ = "category_slug_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"))

    category: Mapped[Category] = relationship()


class MailMessage(Model):
    """An email waiting to be sent, or sent: drained by mail.send_queue(), never lost on failure."""

    __tablename__ = "mail_queue"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'sent', 'failed')", name="status"),
        # The sender's query: what is due now, oldest first.
        Index("ix_mail_queue_due", "status", "next_attempt_at", "id"),
        # The per-address rate cap counts what one mailbox was sent lately.
        Index("ix_mail_queue_mailbox", "mailbox", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(254))
    # The recipient without a +tag (name+news@ is name@): what the rate cap counts by.
    mailbox: Mapped[str] = mapped_column(String(254), server_default="")
    subject: Mapped[str] = mapped_column(String(300))
    # The whole RFC 5322 message, rendered when queued, so a later send is byte-for-byte the same.
    raw: Mapped[str] = mapped_column(Text)
    # Set for mail that must go once only (one notice per reply and subscriber).
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=precise_utcnow)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=precise_utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)

    def __repr__(self) -> str:
        return f"<MailMessage {self.id} {self.kind} {self.status}>"


class ReplySubscription(Model):
    """A reader asked for email when their comment is answered; confirmed by a link (opt-in)."""

    __tablename__ = "reply_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)

    comment: Mapped[Comment] = relationship()


class MailSuppression(Model):
    """An address that unsubscribed from everything: no notices, confirmations or digests."""

    __tablename__ = "mail_suppressions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A keyed hash (mail.address_hash): enough to recognise the address, not to read it.
    email_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RateLimit(Model):
    """One window of one rate limit: its hits so far and when it starts again (throttle.py)."""

    __tablename__ = "rate_limits"
    __table_args__ = {"info": {"exported": False}}

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    quota: Mapped[int] = mapped_column(Integer)
    resets_at: Mapped[datetime] = mapped_column(DateTime, index=True)


# Where a featured picture is cropped from when its shape does not fit (a tall portrait on
# the front page): "" keeps the middle.
IMAGE_FOCUS = ("", "top", "bottom")


class MediaItem(Model):
    """An uploaded picture in the newsroom's media library, reusable in any story."""

    __tablename__ = "media"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The name images.store() gave its files: /media/<stem>-<width>.jpg.
    stem: Mapped[str] = mapped_column(String(90), unique=True)
    alt: Mapped[str] = mapped_column(String(300), default="")
    caption: Mapped[str] = mapped_column(Text, default="", info={"max_length": 2000})
    credit: Mapped[str] = mapped_column(String(200), default="")
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class SiteSetting(Model):
    """A site setting saved on the newsroom's settings page; it wins over configuration."""

    __tablename__ = "site_settings"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class SiteGeneration(Model):
    """One row: a counter every write a reader could see moves on (broadsheet/freshness.py).

    Page validators and the page cache read this row instead of the stories and comments.
    """

    __tablename__ = "site_generation"
    # A restored copy of another site's counter could repeat numbers this site already used.
    __table_args__ = {"info": {"exported": False}}

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=1)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=precise_utcnow)
    # When the next scheduled story goes live: pages change then without a write.
    next_live_at: Mapped[datetime | None] = mapped_column(DateTime)


class Correction(Model):
    """A dated note telling readers what a story got wrong and what it now says."""

    __tablename__ = "corrections"
    __table_args__ = (Index("ix_corrections_article", "article_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(Text, info={"max_length": 2000})
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    article: Mapped[Article] = relationship(back_populates="corrections")


class FrontPagePin(Model):
    """A place on the front page: position 0 is the lead, then the top stories in order.

    A place an editor left to the newest stories keeps its row with no story, so the time
    it was cleared still tells caches the front page changed.
    """

    __tablename__ = "front_page_pins"

    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), unique=True
    )
    pinned_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    article: Mapped[Article | None] = relationship()


class BreakingNews(Model):
    """A breaking-news banner: every reader page shows it until `ends_at`. Taking it down
    moves `ends_at` to that moment; the rows stay, so caches see when a banner went."""

    __tablename__ = "breaking_news"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500), default="")
    ends_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AuthorPage(Model):
    """A staff member's public page: /author/<slug>/ with a short bio, a photo and their stories."""

    __tablename__ = "author_pages"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    bio: Mapped[str] = mapped_column(Text, default="", info={"max_length": 1000})
    photo: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


__all__ = [
    "Article",
    "ArticleSlugAlias",
    "AuthorPage",
    "BreakingNews",
    "Category",
    "CategorySlugAlias",
    "Comment",
    "CommentBan",
    "CommentReport",
    "Correction",
    "FrontPagePin",
    "COMMENT_STATUSES",
    "MailMessage",
    "MailSuppression",
    "LegacyRedirect",
    "IMAGE_FOCUS",
    "MediaItem",
    "RateLimit",
    "REPORT_REASONS",
    "RESERVED_SLUGS",
    "SiteGeneration",
    "SiteSetting",
    "Revision",
    "ROLES",
    "ReplySubscription",
    "StaffSession",
    "Tag",
    "User",
    "WordList",
    "article_tags",
]
