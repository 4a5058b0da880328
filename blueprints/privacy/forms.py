"""The privacy request form, and the button that confirms an erasure."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length

from broadsheet.web.params import clean
from models import Comment, max_length


class PrivacyRequestForm(FlaskForm):
    email = StringField(
        _l("The email address you comment with"),
        filters=[clean],
        validators=[
            DataRequired(_l("Please give the email address you used for your comments.")),
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
    action = RadioField(
        _l("What would you like?"),
        choices=[
            SelectChoice("export", _l("Email me a copy of all my comments")),
            SelectChoice("erase", _l("Erase all my comments")),
        ],
        validators=[InputRequired(_l("Please choose what you would like."))],
        validate_choice=True,
    )


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the button that carries out the erasure the link asked for."""
