"""What search engines, feed readers and social cards read about a story: summaries, JSON-LD."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from broadsheet import authors
from broadsheet.locales import language_tag, site_setting
from broadsheet.site_address import external_url
from broadsheet.web.formats import image_src, iso_utc
from models import Article

SUMMARY_LENGTH = 200


def story_summary(article: Article) -> str:
    """The teaser, or the opening of the body cut at a word when there is no teaser."""
    if article.teaser:
        return article.teaser
    text = article.body_text
    if len(text) <= SUMMARY_LENGTH:
        return text
    return text[:SUMMARY_LENGTH].rsplit(" ", 1)[0] + "…"


def story_url(article: Article) -> str:
    """The story's absolute, canonical address (from SITE_URL)."""
    return external_url("articles.article", category_slug=article.category.slug, slug=article.slug)


def image_size() -> tuple[int, int]:
    """Width and height of the widest rendition of a story image (all are 16:9)."""
    width = current_app.config["IMAGE_WIDTHS"][-1]
    return width, width * 9 // 16


def logo_url() -> str:
    return external_url("static", filename=current_app.config["SITE_LOGO"])


def modified_at(article: Article):
    """When the story last changed for a reader: never before it was published."""
    if article.published_at is None:
        return article.updated_at
    return max(article.updated_at, article.published_at)


def news_article(article: Article) -> dict[str, Any]:
    """schema.org NewsArticle for a story page."""
    url = story_url(article)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline,
        "description": story_summary(article),
        "datePublished": iso_utc(article.published_at),
        "dateModified": iso_utc(modified_at(article)),
        "author": _author(article),
        "publisher": _publisher(),
        "articleSection": article.category.name,
        "inLanguage": language_tag(get_locale()),
    }
    if article.image:
        data["image"] = _image(article)
    if article.dateline:
        data["dateline"] = article.dateline
    if article.source_url:
        data["isBasedOn"] = {
            "@type": "CreativeWork",
            "url": article.source_url,
            "name": article.source_name or article.source_url,
        }
    if article.copyright:
        data["copyrightNotice"] = article.copyright
    if article.tags:
        data["keywords"] = [tag.name for tag in article.tags]
    if article.corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.note,
                "datePublished": iso_utc(correction.created_at),
            }
            for correction in article.corrections
        ]
    return data


def _author(article: Article) -> dict[str, str]:
    if article.byline:
        person = {"@type": "Person", "name": article.byline}
        if profile := authors.for_byline(article.byline):
            person["url"] = external_url("authors.author", slug=profile.slug)
        return person
    return {"@type": "Organization", "name": site_setting("SITE_NAME")}


def _publisher() -> dict[str, Any]:
    return {
        "@type": "NewsMediaOrganization",
        "name": site_setting("SITE_NAME"),
        "url": external_url("articles.index"),
        "logo": {"@type": "ImageObject", "url": logo_url()},
    }


def _image(article: Article) -> dict[str, Any]:
    width, height = image_size()
    image: dict[str, Any] = {
        "@type": "ImageObject",
        "url": image_src(article.image or "", external=True),
        "width": width,
        "height": height,
    }
    if article.image_caption:
        image["caption"] = article.image_caption
    if article.image_credit:
        image["creditText"] = article.image_credit
    if article.copyright:
        image["copyrightNotice"] = article.copyright
    return image


def breadcrumbs(article: Article) -> dict[str, Any]:
    """schema.org BreadcrumbList: front page, section, story."""
    trail = [
        (_("Home"), external_url("articles.index")),
        (
            article.category.name,
            external_url("categories.listing", category_slug=article.category.slug),
        ),
        (article.headline, story_url(article)),
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }
