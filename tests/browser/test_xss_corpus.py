"""Every payload of tests/reliability/xss_corpus.txt, in every field a reader can write,
rendered in Chromium: no script runs, no handler or dangerous URL reaches the DOM."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import expect

from broadsheet.clock import precise_utcnow, utcnow
from extensions import db
from models import Comment

from .conftest import story_url

pytestmark = pytest.mark.browser

CORPUS = [
    line
    for line in (Path(__file__).parents[1] / "reliability" / "xss_corpus.txt")
    .read_text()
    .splitlines()
    if line and not line.startswith("# ")
]

# Handlers, dangerous URLs, inline scripts and embedding elements anywhere in the document,
# and anything but text, line breaks and links inside what a reader wrote.
DOM_CHECK = """() => {
  const bad = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster'];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\t\\n\\r]/g, '').trim().toLowerCase();
      if (name.startsWith('on') || name === 'srcdoc' || name.includes('hx-on'))
        bad.push(`${el.tagName} ${name}`);
      if (urlAttrs.includes(name) && /^(javascript|data|vbscript):/.test(value))
        bad.push(`${el.tagName} ${name}=${value}`);
    }
    // JSON-LD data blocks (the story's structured data) are never executed.
    if (el.tagName === 'SCRIPT' && !el.src && el.type !== 'application/ld+json')
      bad.push('inline script');
    if (el.tagName === 'SCRIPT' && el.type === 'application/ld+json' && el.closest('body'))
      bad.push('structured data in the body');
    if (['IFRAME', 'OBJECT', 'EMBED', 'BASE'].includes(el.tagName)) bad.push(el.tagName);
    if (el.tagName === 'META' && el.httpEquiv) bad.push('meta http-equiv');
  }
  for (const el of document.querySelectorAll('.comment-body *, .comment-author *')) {
    if (!['P', 'BR', 'A'].includes(el.tagName)) bad.push(`${el.tagName} in comment text`);
    for (const attr of el.attributes)
      if (!['href', 'rel'].includes(attr.name)) bad.push(`${el.tagName} ${attr.name}`);
  }
  return bad;
}"""


@pytest.fixture
def watched(browser, live_app):
    """A page that records every dialog and probe request, with the site's CSP bypassed.

    The CSP would stop most payloads on its own; bypassing it here makes these tests
    prove the escaping and sanitising themselves (tests/test_security.py checks the CSP).
    """
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], bypass_csp=True)
    page = context.new_page()
    yield _watch(page)
    context.close()


def _watch(page):
    page.dialogs = []
    page.probes = []

    def dialog(d):
        page.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.on(
        "request",
        lambda r: urllib.parse.urlsplit(r.url).path == "/__xss-probe" and page.probes.append(r.url),
    )
    return page


def assert_nothing_ran(page, where: str, settle_ms: int = 300) -> None:
    page.wait_for_load_state("load")
    page.wait_for_timeout(settle_ms)  # failed images fire onerror shortly after load
    assert page.evaluate("window.__xss") is None, f"a payload ran on {where}"
    assert page.dialogs == [], f"a payload opened a dialog on {where}: {page.dialogs}"
    assert page.probes == [], f"a payload made htmx fetch on {where}: {page.probes}"
    assert page.evaluate(DOM_CHECK) == [], f"live markup from a payload on {where}"


def store(article, payload: str, **fields) -> Comment:
    comment = Comment(
        article_id=article.id,
        author_name=payload[:80],
        author_email="x@example.org",
        author_url=payload if payload.startswith("https://") else "",
        body=payload,
        status="approved",
        created_at=utcnow(),
        changed_at=precise_utcnow(),
        **fields,
    )
    db.session.add(comment)
    db.session.flush()
    comment.root_id = comment.id
    return comment


def test_stored_payloads_render_inert_on_the_page_and_through_live_updates(
    watched, live_app, story
):
    live_app.config["COMMENT_POLL_SECONDS"] = 1
    half = len(CORPUS) // 2
    for payload in CORPUS[:half]:
        store(story, payload)
    db.session.commit()

    watched.goto(story_url(story))
    expect(watched.locator("#comment-list .comment")).to_have_count(half)
    assert_nothing_ran(watched, "the article page")

    # The rest arrive while the page is open: rendered by comments.live, swapped in by htmx.
    for payload in CORPUS[half:]:
        store(story, payload)
    db.session.commit()
    expect(watched.locator("#comment-list .comment")).to_have_count(len(CORPUS), timeout=15000)
    assert_nothing_ran(watched, "live updates")

    watched.goto(f"{story_url(story)}/comments")
    assert_nothing_ran(watched, "the thread page")


def test_payloads_posted_through_the_form_render_inert(watched, story):
    watched.goto(story_url(story))
    watched.get_by_role("textbox", name="Comment", exact=True).fill("\n".join(CORPUS))
    watched.get_by_role("textbox", name="Name", exact=True).fill(CORPUS[0])
    watched.get_by_role("textbox", name="Email", exact=True).fill("x@example.org")
    watched.get_by_role("textbox", name="Website", exact=True).fill(CORPUS[-3])
    watched.get_by_role("button", name="Post Comment").click()
    expect(watched.locator("#comment-list .comment")).to_have_count(1)
    assert_nothing_ran(watched, "the htmx answer to a post")

    watched.reload()
    assert_nothing_ran(watched, "the article page after a post")

    comment = db.session.scalar(db.select(Comment))
    watched.goto(f"/comments/c/{comment.id}/edit")
    expect(watched.get_by_role("textbox", name="Edit your comment")).to_have_value(
        "\n".join(CORPUS)
    )
    assert_nothing_ran(watched, "the edit page")


def test_payloads_refused_by_validation_come_back_inert(watched, story):
    """A 422 puts what was typed back into the form: every payload, in every field at once."""
    watched.goto(story_url(story))
    for payload in CORPUS:
        for label in ("Comment", "Name", "Website"):
            watched.get_by_role("textbox", name=label, exact=True).fill(payload)
        watched.get_by_role("textbox", name="Email", exact=True).fill("not an email")
        watched.get_by_role("button", name="Post Comment").click()
        expect(watched.locator("#email-error")).to_be_visible()
        assert watched.evaluate("window.__xss") is None, payload
        assert watched.evaluate(DOM_CHECK) == [], payload
    assert_nothing_ran(watched, "the form re-rendered with payloads")
    assert db.session.scalar(db.select(Comment)) is None


def test_search_queries_render_inert(watched, story):
    for payload in CORPUS:
        watched.goto("/search?" + urllib.parse.urlencode({"q": payload}))
        assert_nothing_ran(watched, f"search for {payload!r}", settle_ms=50)
