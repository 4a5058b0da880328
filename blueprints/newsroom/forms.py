"""The newsroom forms: sign-in, stories, categories, comments, staff accounts and settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    FieldList,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Email, Length, Optional, ValidationError

from broadsheet.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, password_problem
from broadsheet.front_page import TOP_STORIES
from broadsheet.locales import known_timezone
from broadsheet.slugs import slugify
from broadsheet.web.params import clean
from models import (
    IMAGE_FOCUS,
    RESERVED_SLUGS,
    ROLES,
    Article,
    AuthorPage,
    BreakingNews,
    Category,
    Comment,
    CommentBan,
    Correction,
    MediaItem,
    User,
    WordList,
    max_length,
)


class EmptyForm(FlaskForm):
    """Only the CSRF token, for plain buttons (publish, approve, delete, ...)."""


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        filters=[clean],
        validators=[
            DataRequired(_l("Please give your email address.")),
            Length(max=max_length(User.email)),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Please give your password.")),
            Length(max=MAX_PASSWORD_LENGTH),
        ],
    )
    next = HiddenField(filters=[clean])


class PreviewForm(FlaskForm):
    body = TextAreaField(filters=[clean], validators=[Length(max=max_length(Article.body))])


ROLE_LABELS = {"writer": _l("Writer"), "editor": _l("Editor"), "admin": _l("Admin")}


FOCUS_LABELS = {
    "": _l("Keep the middle"),
    "top": _l("Keep the top (faces in a portrait)"),
    "bottom": _l("Keep the bottom"),
}


class StoryForm(FlaskForm):
    headline = StringField(
        _l("Headline"),
        filters=[clean],
        validators=[
            DataRequired(_l("Every story needs a headline.")),
            Length(
                max=max_length(Article.headline),
                message=_l("Headlines are limited to %(max)d characters."),
            ),
        ],
    )
    slug = StringField(
        _l("Web address (slug)"),
        filters=[clean],
        validators=[
            Length(
                max=max_length(Article.slug), message=_l("Slugs are limited to %(max)d characters.")
            )
        ],
        description=_l("Made from the headline when left empty. Old addresses keep working."),
    )
    category_id = SelectField(_l("Category"), coerce=int)
    byline = StringField(
        _l("Byline"), filters=[clean], validators=[Length(max=max_length(Article.byline))]
    )
    teaser = TextAreaField(
        _l("Teaser"), filters=[clean], validators=[Length(max=max_length(Article.teaser))]
    )
    dateline = StringField(
        _l("Dateline"),
        filters=[clean],
        validators=[Length(max=max_length(Article.dateline))],
        description=_l("Where the story was reported from, like PORT ALDER."),
    )
    body = TextAreaField(
        _l("Story (Markdown)"), filters=[clean], validators=[Length(max=max_length(Article.body))]
    )
    tags = StringField(
        _l("Topics"),
        filters=[clean],
        validators=[Length(max=500)],
        description=_l("Separated by commas."),
    )
    image_file = FileField(_l("Featured image"))
    # A picture uploaded with a form that then failed to validate, so it is not asked for twice.
    uploaded_image = HiddenField(filters=[clean])
    remove_image = BooleanField(_l("Remove the featured image"))
    image_alt = StringField(
        _l("Image description (alt text)"),
        filters=[clean],
        validators=[Length(max=max_length(Article.image_alt))],
        description=_l("What the picture shows, for readers who cannot see it."),
    )
    image_caption = TextAreaField(
        _l("Caption"), filters=[clean], validators=[Length(max=max_length(Article.image_caption))]
    )
    image_credit = StringField(
        _l("Photo credit"),
        filters=[clean],
        validators=[Length(max=max_length(Article.image_credit))],
    )
    image_focus = SelectField(
        _l("Where to crop"),
        choices=[SelectChoice(focus, FOCUS_LABELS[focus]) for focus in IMAGE_FOCUS],
        default="",
        description=_l(
            "Tall pictures are cut to fit the front page and the top of the story; "
            "choose which part stays."
        ),
    )
    source_name = StringField(
        _l("Source name"), filters=[clean], validators=[Length(max=max_length(Article.source_name))]
    )
    source_url = StringField(
        _l("Source link"),
        filters=[clean],
        validators=[
            Optional(),
            Length(max=max_length(Article.source_url)),
            URL(
                require_tld=False,
                message=_l("Please give a full web address, like https://example.org."),
            ),
        ],
    )
    copyright = StringField(
        _l("Copyright line"),
        filters=[clean],
        validators=[Length(max=max_length(Article.copyright))],
    )
    comments_open = BooleanField(_l("Comments open"), default=True)
    publish_at = DateTimeLocalField(
        _l("Publish at"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
    )
    version = HiddenField()

    def validate_slug(self, field) -> None:
        if field.data:
            slug = slugify(field.data, 200)
            if not slug:
                raise ValidationError(_l("Use letters and numbers in the slug."))
            field.data = slug

    def validate_source_url(self, field) -> None:
        if field.data and not field.data.lower().startswith(("http://", "https://")):
            raise ValidationError(_l("Please give a full web address, like https://example.org."))

    def tag_names(self) -> list[str]:
        return [name.strip() for name in (self.tags.data or "").split(",") if name.strip()]


class MediaForm(FlaskForm):
    """A picture for the media library."""

    file = FileField(_l("Picture"), validators=[FileRequired(_l("Please choose a picture."))])
    alt = StringField(
        _l("Image description (alt text)"),
        filters=[clean],
        validators=[
            DataRequired(_l("Describe the picture for readers who cannot see it.")),
            Length(max=max_length(MediaItem.alt)),
        ],
        description=_l("What the picture shows, for readers who cannot see it."),
    )
    caption = TextAreaField(
        _l("Caption"), filters=[clean], validators=[Length(max=max_length(MediaItem.caption))]
    )
    credit = StringField(
        _l("Photo credit"), filters=[clean], validators=[Length(max=max_length(MediaItem.credit))]
    )


class CategoryForm(FlaskForm):
    name = StringField(
        _l("Name"),
        filters=[clean],
        validators=[
            DataRequired(_l("Every category needs a name.")),
            Length(max=max_length(Category.name)),
        ],
    )
    slug = StringField(
        _l("Web address (slug)"),
        filters=[clean],
        validators=[Length(max=max_length(Category.slug))],
        description=_l("Made from the name when left empty. Old addresses keep working."),
    )
    description = TextAreaField(
        _l("Description"),
        filters=[clean],
        validators=[Length(max=max_length(Category.description))],
    )

    def validate_slug(self, field) -> None:
        slug = slugify(field.data or self.name.data or "")
        if not slug:
            raise ValidationError(_l("Use letters and numbers in the slug."))
        if slug in RESERVED_SLUGS:
            raise ValidationError(
                _l("“%(slug)s” is a page of the site itself; choose another slug.", slug=slug)
            )
        field.data = slug


class CommentEditForm(FlaskForm):
    author_name = StringField(
        _l("Name"),
        filters=[clean],
        validators=[
            DataRequired(_l("Please give a name.")),
            Length(max=max_length(Comment.author_name)),
        ],
    )
    body = TextAreaField(
        _l("Comment"),
        filters=[clean],
        validators=[
            DataRequired(_l("A comment cannot be empty.")),
            Length(max=max_length(Comment.body)),
        ],
    )


class BulkForm(FlaskForm):
    action = SelectField(
        _l("With the selected comments"),
        choices=[
            SelectChoice("approve", _l("Approve")),
            SelectChoice("spam", _l("Mark as spam")),
            SelectChoice("delete", _l("Delete")),
            SelectChoice("restore", _l("Restore")),
            SelectChoice("requeue", _l("Back to pending")),
        ],
    )


class StoriesBulkForm(FlaskForm):
    """The view fills in the categories; 0 is "none chosen"."""

    action = SelectField(
        _l("With the selected stories"),
        choices=[
            SelectChoice("publish", _l("Publish")),
            SelectChoice("unpublish", _l("Unpublish")),
            SelectChoice("move", _l("Move to category")),
            SelectChoice("trash", _l("Move to the trash")),
        ],
    )
    category_id = SelectField(_l("Category"), coerce=int)


def _password_rules(form, field) -> None:
    if field.data and (problem := password_problem(field.data)):
        raise ValidationError(problem)


_NEW_PASSWORD_HELP = _l(
    "At least %(min)d characters; a few words you will remember make a good one. "
    "The most common passwords are refused.",
    min=MIN_PASSWORD_LENGTH,
)


def _email_field(label) -> EmailField:
    return EmailField(
        label,
        filters=[clean],
        validators=[
            DataRequired(_l("Please give an email address.")),
            Length(max=max_length(User.email)),
            Email(_l("That does not look like an email address."), check_deliverability=False),
        ],
    )


class UserForm(FlaskForm):
    """Invite someone: they choose their own password through the emailed link."""

    email = _email_field(_l("Email"))
    name = StringField(_l("Name"), filters=[clean], validators=[Length(max=max_length(User.name))])
    role = SelectField(_l("Role"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES])


class UserEditForm(FlaskForm):
    email = _email_field(_l("Email"))
    name = StringField(_l("Name"), filters=[clean], validators=[Length(max=max_length(User.name))])


class ForgotPasswordForm(FlaskForm):
    email = _email_field(_l("Your email address"))


class ChoosePasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Please choose a password.")), _password_rules],
        description=_NEW_PASSWORD_HELP,
    )


class ChangePasswordForm(ChoosePasswordForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[
            DataRequired(_l("Please give your current password.")),
            Length(max=MAX_PASSWORD_LENGTH),
        ],
    )


class TwoFactorCodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        filters=[clean],
        validators=[DataRequired(_l("Please give the code.")), Length(max=40)],
        description=_l(
            "The six digits your authenticator app shows now, or one of your recovery codes."
        ),
    )


class TwoFactorSetupForm(FlaskForm):
    secret = HiddenField()
    code = StringField(
        _l("Code from the app"),
        filters=[clean],
        validators=[DataRequired(_l("Please give the code the app shows.")), Length(max=40)],
    )


class TwoFactorOffForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[
            DataRequired(_l("Please give your current password.")),
            Length(max=MAX_PASSWORD_LENGTH),
        ],
    )


class UserRoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES])
    active = BooleanField(_l("May sign in"))


class SettingsForm(FlaskForm):
    """The site settings page; the view fills in the language and time zone choices."""

    site_name = StringField(
        _l("Site name"),
        filters=[clean],
        validators=[DataRequired(_l("The site needs a name.")), Length(max=120)],
    )
    site_tagline = StringField(
        _l("Tagline"),
        filters=[clean],
        validators=[Length(max=200)],
        description=_l("Shown under the name at the top of every page."),
    )
    language = SelectField(
        _l("Language"),
        validate_choice=False,
        description=_l(
            "Reader pages, emails, feeds and the newsroom are written in this language, "
            "and search stems its words."
        ),
    )
    timezone = SelectField(_l("Time zone"), validate_choice=False)
    require_two_factor = BooleanField(
        _l("Editors and admins must sign in with a two-factor code"),
        description=_l(
            "Once on, editors and admins without two-factor sign-in are asked to set it up "
            "before they can use the newsroom."
        ),
    )

    def validate_language(self, field) -> None:
        if field.data not in {code for code, _label in field.choices}:
            raise ValidationError(_l("Choose one of the languages listed."))

    def validate_timezone(self, field) -> None:
        if not known_timezone(field.data or ""):
            raise ValidationError(_l("Choose a time zone from the list."))


class WordListsForm(FlaskForm):
    banned = TextAreaField(
        _l("Banned words"),
        description=_l(
            "One word or phrase a line. A comment containing one is refused, "
            "and the reader is told which word to change."
        ),
        validators=[Length(max=max_length(WordList.words))],
    )
    suspect = TextAreaField(
        _l("Suspect words"),
        description=_l(
            "One word or phrase a line. A comment containing one waits for a moderator, "
            "and the queue says which word held it."
        ),
        validators=[Length(max=max_length(WordList.words))],
    )


class BanForm(FlaskForm):
    reason = StringField(
        _l("Reason"),
        filters=[clean],
        validators=[
            DataRequired(_l("Please say why, for the moderators who come after you.")),
            Length(max=max_length(CommentBan.reason)),
        ],
    )
    by_address = BooleanField(_l("Also refuse comments from the same address (IP hash)"))


class DiscussionForm(FlaskForm):
    premoderated = BooleanField(
        _l("Hold every comment on this story for a moderator (a sensitive story)")
    )
    notice = TextAreaField(
        _l("A note from the newsroom, shown above this story's comments"),
        filters=[clean],
        validators=[
            Length(
                max=max_length(Article.comments_notice),
                message=_l("The note is limited to %(max)d characters."),
            )
        ],
    )


def _story_id(value):
    """A story picked from a list: its id, or None for "the newest story"."""
    if value in (None, ""):
        return None
    return value if isinstance(value, int) else int(value) if str(value).isdigit() else -1


class FrontPageForm(FlaskForm):
    """The lead and the top stories; the view fills in the stories to choose from."""

    lead = SelectField(_l("Lead story"), coerce=_story_id)
    top = FieldList(SelectField(coerce=_story_id), min_entries=TOP_STORIES, max_entries=TOP_STORIES)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        seen = {self.lead.data} - {None}
        for entry in self.top:
            if entry.data is not None and entry.data in seen:
                entry.errors = [*entry.errors, _l("This story is already on the front page.")]
                valid = False
            seen.add(entry.data)
        return valid


def _web_address(form, field) -> None:
    if field.data and not (
        field.data.lower().startswith(("http://", "https://"))
        or (field.data.startswith("/") and not field.data.startswith("//"))
    ):
        raise ValidationError(
            _l("Give a full web address (https://…) or a path on this site (/…).")
        )


class BannerForm(FlaskForm):
    text = StringField(
        _l("Breaking news"),
        filters=[clean],
        validators=[
            DataRequired(_l("Say what happened in a few words.")),
            Length(max=max_length(BreakingNews.text)),
        ],
    )
    url = StringField(
        _l("Link"),
        filters=[clean],
        validators=[Length(max=max_length(BreakingNews.url)), _web_address],
        description=_l("Optional: a story or a live page, like /local/harbour-fire."),
    )
    ends_at = DateTimeLocalField(
        _l("Show until"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[DataRequired(_l("Choose when the banner comes down."))],
    )


class CorrectionForm(FlaskForm):
    note = TextAreaField(
        _l("Correction note"),
        filters=[clean],
        validators=[
            DataRequired(_l("Say what was wrong and what the story says now.")),
            Length(max=max_length(Correction.note)),
        ],
        description=_l("Shown to readers under the story, dated, and in the feeds."),
    )


class AuthorPageForm(FlaskForm):
    slug = StringField(
        _l("Web address (slug)"),
        filters=[clean],
        validators=[Length(max=max_length(AuthorPage.slug))],
        description=_l("Made from the name when left empty."),
    )
    bio = TextAreaField(
        _l("Short bio"), filters=[clean], validators=[Length(max=max_length(AuthorPage.bio))]
    )
    photo_file = FileField(_l("Photo"))
    remove_photo = BooleanField(_l("Remove the photo"))
