"""What the site knows about a reader who comments: their signed cookies and form stamps.

Readers have no accounts. A browser that posted a comment keeps a signed list of its
comment ids (their pending ones show to them, and they may edit within the window), and,
if asked, the name, email and website to fill in next time.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from flask import current_app, g, request
from werkzeug.wrappers import Response

from broadsheet import tokens
from broadsheet.clock import utcnow
from broadsheet.community import SORTS
from broadsheet.discussion import held_count
from models import Article, Comment

OWN_COOKIE = "bs_own"
REMEMBER_COOKIE = "bs_commenter"
SORT_COOKIE = "bs_sort"
OWN_KEPT = 20
OWN_MAX_AGE = 30 * 24 * 3600
REMEMBER_MAX_AGE = 365 * 24 * 3600
STAMP_MAX_AGE = 7 * 24 * 3600


def has_commenter_cookies() -> bool:
    """Cookies that make a story page the reader's own: their comments, details or order."""
    return any(name in request.cookies for name in (OWN_COOKIE, REMEMBER_COOKIE, SORT_COOKIE))


def own_ids() -> frozenset[int]:
    """Comments this browser wrote (signed cookie): their pending ones show, and may be edited."""
    if "request_own_comment_ids" not in g:
        data = tokens.read_or_none(
            tokens.OWN_COMMENTS, request.cookies.get(OWN_COOKIE), OWN_MAX_AGE
        )
        ids = data if isinstance(data, list) else []
        g.request_own_comment_ids = frozenset(i for i in ids if isinstance(i, int))
    return g.request_own_comment_ids


def shown_count(article: Article) -> int:
    """The comments this reader sees on the story: the approved ones and their own held ones,
    so the count never says 0 above the author's own comment awaiting moderation."""
    return article.comment_count + held_count(article.id, own_ids())


def claim(comment: Comment) -> None:
    """Count the comment as this browser's from now on (store_own writes the cookie)."""
    g.request_own_comment_ids = own_ids() | {comment.id}


def store_own(response: Response) -> None:
    ids = sorted(own_ids())[-OWN_KEPT:]
    response.set_cookie(
        OWN_COOKIE,
        tokens.sign(tokens.OWN_COMMENTS, ids),
        max_age=OWN_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )


def remembered() -> dict[str, str]:
    """The name, email and website this browser asked us to remember, or nothing."""
    data = tokens.read_or_none(
        tokens.COMMENTER, request.cookies.get(REMEMBER_COOKIE), REMEMBER_MAX_AGE
    )
    if not isinstance(data, dict):
        return {}
    return {k: str(data.get(k, ""))[:300] for k in ("name", "email", "website")}


def store_remembered(response: Response, details: dict[str, str]) -> None:
    """Remember these details in the browser, or forget them when there are none."""
    if details:
        response.set_cookie(
            REMEMBER_COOKIE,
            tokens.sign(tokens.COMMENTER, details),
            max_age=REMEMBER_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    else:
        response.delete_cookie(REMEMBER_COOKIE)


def edit_closes_at(comment: Comment) -> datetime:
    """When its author can no longer edit or delete the comment (naive UTC)."""
    return comment.created_at + timedelta(seconds=current_app.config["COMMENT_EDIT_SECONDS"])


def can_edit(comment: Comment) -> bool:
    """Within the edit window, by the browser that wrote it."""
    if comment.id not in own_ids() or comment.status in ("deleted", "spam"):
        return False
    return utcnow() <= edit_closes_at(comment)


def signed_render_time() -> str:
    """The stamp a comment form carries: when it was shown, signed."""
    return tokens.sign(tokens.FORM_RENDERED, int(time.time()))


def seconds_since_render(value: str | None) -> float | None:
    """Seconds since the form was rendered, or None when the stamp is missing or forged."""
    stamp = tokens.read_or_none(tokens.FORM_RENDERED, value, STAMP_MAX_AGE)
    return time.time() - stamp if isinstance(stamp, int) else None


def chosen_sort() -> str:
    """The order the reader asked for (?sort=), else the one they chose before, else oldest."""
    for wanted in (request.args.get("sort"), request.cookies.get(SORT_COOKIE)):
        if wanted in SORTS:
            return wanted
    return SORTS[0]


def store_sort(response: Response, sort: str) -> None:
    """Remember the reader's order for their next visit (a plain preference, not signed)."""
    response.set_cookie(
        SORT_COOKIE,
        sort,
        max_age=REMEMBER_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
