"""What the comment section knows about the reader: their cookies, their form, their thread."""

from __future__ import annotations

import time

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from broadsheet.clock import precise_utcnow, utcnow
from broadsheet.discussion import comments_open, load_thread
from broadsheet.web.params import id_param
from extensions import db
from models import Article, Comment

from .forms import CommentForm

OWN_COOKIE = "bs_own"
REMEMBER_COOKIE = "bs_commenter"
OWN_KEPT = 20
OWN_MAX_AGE = 30 * 24 * 3600
REMEMBER_MAX_AGE = 365 * 24 * 3600


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _load(cookie: str, salt: str, max_age: int):
    raw = request.cookies.get(cookie)
    if not raw:
        return None
    try:
        return _serializer(salt).loads(raw, max_age=max_age)
    except (BadSignature, ValueError, TypeError):
        return None


def own_ids() -> frozenset[int]:
    """Comments this browser wrote (signed cookie): their pending ones show, and may be edited."""
    if "request_own_comment_ids" not in g:
        data = _load(OWN_COOKIE, "own-comments", OWN_MAX_AGE)
        ids = data if isinstance(data, list) else []
        g.request_own_comment_ids = frozenset(i for i in ids if isinstance(i, int))
    return g.request_own_comment_ids


def claim(comment: Comment) -> None:
    """Count the comment as this browser's from now on (store_own writes the cookie)."""
    g.request_own_comment_ids = own_ids() | {comment.id}


def store_own(response: Response) -> None:
    ids = sorted(own_ids())[-OWN_KEPT:]
    response.set_cookie(
        OWN_COOKIE,
        _serializer("own-comments").dumps(ids),
        max_age=OWN_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )


def remembered() -> dict[str, str]:
    data = _load(REMEMBER_COOKIE, "commenter", REMEMBER_MAX_AGE)
    if not isinstance(data, dict):
        return {}
    return {k: str(data.get(k, ""))[:300] for k in ("name", "email", "website")}


def details_to_remember(form: CommentForm) -> dict[str, str]:
    """What the reader asked us to remember from this form (nothing if the box is clear)."""
    if not form.remember.data:
        return {}
    return {"name": form.name.data, "email": form.email.data, "website": form.website.data or ""}


def store_remembered(response: Response, form: CommentForm) -> None:
    if details := details_to_remember(form):
        response.set_cookie(
            REMEMBER_COOKIE,
            _serializer("commenter").dumps(details),
            max_age=REMEMBER_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    else:
        response.delete_cookie(REMEMBER_COOKIE)


def can_edit(comment: Comment) -> bool:
    """Within the edit window, by the browser that wrote it."""
    if comment.id not in own_ids() or comment.status in ("deleted", "spam"):
        return False
    age = utcnow() - comment.created_at
    return age.total_seconds() <= current_app.config["COMMENT_EDIT_SECONDS"]


def signed_render_time() -> str:
    return _serializer("form-rendered").dumps(int(time.time()))


def seconds_since_render(value: str | None) -> float | None:
    """Seconds since the form was rendered, or None when the stamp is missing or forged."""
    try:
        stamp = _serializer("form-rendered").loads(value or "", max_age=7 * 24 * 3600)
    except (BadSignature, ValueError, TypeError):
        return None
    return time.time() - stamp if isinstance(stamp, int) else None


def fresh_form(parent: Comment | None = None, details: dict[str, str] | None = None) -> CommentForm:
    """An empty form, with the reader's remembered (or just given) details filled in."""
    details = remembered() if details is None else details
    form = CommentForm(formdata=None)
    form.name.data = details.get("name", "")
    form.email.data = details.get("email", "")
    form.website.data = details.get("website", "")
    form.remember.data = bool(details)
    form.parent_id.data = str(parent.id) if parent else ""
    prepare_hidden(form)
    return form


def prepare_hidden(form: CommentForm) -> CommentForm:
    """New render stamp and submission token, every time the form is shown."""
    form.rendered.data = signed_render_time()
    if not form.token.data:
        form.token.data = CommentForm.new_token()
    return form


def reply_target(article: Article, raw: str | None) -> Comment | None:
    """The comment a reader is answering, if it is a shown comment of this story."""
    wanted = id_param(raw)
    if wanted is None:
        return None
    parent = db.session.get(Comment, wanted)
    if parent is None or parent.article_id != article.id:
        return None
    if parent.status != "approved" and parent.id not in own_ids():
        return None
    return parent


def section_context(
    article: Article,
    *,
    form: CommentForm | None = None,
    parent: Comment | None = None,
    after: int | None = None,
    focus: str | None = None,
) -> dict:
    """Everything templates/comments/_section.html needs."""
    mine = own_ids()
    thread = load_thread(article, current_app.config["COMMENTS_PER_PAGE"], after, mine)
    if form is None:
        form = fresh_form(parent)
    return {
        "thread": thread,
        "form": form,
        "parent": parent,
        "open": comments_open(article),
        "own_ids": mine,
        "after": after,
        "live_since": precise_utcnow(),
        "focus": focus,
    }
