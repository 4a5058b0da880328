"""The reader comment forms."""

from __future__ import annotations

import re
import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Email, Length, Optional, ValidationError

from broadsheet.web.params import clean, clean_name
from models import Comment, max_length

_TOKEN = re.compile(r"[A-Za-z0-9_-]+")


def submission_token(value: str | None) -> str | None:
    """A token as we issue it, or none: a forged or mangled one gets a fresh token instead."""
    if (
        not value
        or len(value) > max_length(Comment.submission_token)
        or not _TOKEN.fullmatch(value)
    ):
        return None
    return value


class EmptyForm(FlaskForm):
    """Only the CSRF token, for plain buttons such as Delete."""


class CommentBodyForm(FlaskForm):
    body = TextAreaField(
        _l("Comment"),
        filters=[clean],
        validators=[
            DataRequired(_l("Please write a comment.")),
            Length(
                max=max_length(Comment.body),
                message=_l("Comments are limited to %(max)d characters."),
            ),
        ],
    )


class CommentForm(CommentBodyForm):
    name = StringField(
        _l("Name"),
        filters=[clean_name],
        validators=[
            DataRequired(_l("Please give your name.")),
            Length(
                max=max_length(Comment.author_name),
                message=_l("Names are limited to %(max)d characters."),
            ),
        ],
    )
    email = StringField(
        _l("Email"),
        filters=[clean],
        validators=[
            DataRequired(_l("Please give your email address; it will not be published.")),
            Length(
                max=max_length(Comment.author_email),
                message=_l("Email addresses are limited to %(max)d characters."),
            ),
            Email(
                message=_l("That does not look like an email address."),
                check_deliverability=False,
                granular_message=False,
            ),
        ],
    )
    website = StringField(
        _l("Website"),
        filters=[clean],
        validators=[
            Optional(),
            Length(
                max=max_length(Comment.author_url),
                message=_l("Web addresses are limited to %(max)d characters."),
            ),
            URL(
                require_tld=False,
                message=_l("Please give a full web address, like https://example.org."),
            ),
        ],
    )
    remember = BooleanField(
        _l("Save my name and email in this browser for the next time I comment.")
    )
    notify_replies = BooleanField(_l("Email me replies to this comment"))
    parent_id = HiddenField(filters=[clean])
    # A field only bots fill in: people never see it.
    nickname = StringField(_l("Leave this field empty"), filters=[clean])
    rendered = HiddenField()
    token = HiddenField(filters=[clean, submission_token])

    def validate_website(self, field) -> None:
        if field.data and not field.data.lower().startswith(("http://", "https://")):
            raise ValidationError(_l("Please give a full web address, like https://example.org."))

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(24)
