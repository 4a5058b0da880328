"""A picture chosen in a newsroom form (a story's featured picture, the media library, an
author's photo): stored in every width, or refused with the reason beside its field."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_wtf.file import FileField

from broadsheet import images

IMAGE_MESSAGES = {
    "wrong_type": lambda v: _("Please choose a JPEG, PNG or WebP picture."),
    "damaged": lambda v: _("That picture could not be read; the file may be damaged."),
    "empty": lambda v: _("That file is empty."),
    "too_big": lambda v: _(
        "That picture is too big; the limit is %(mb)s MB.", mb=round(v["max_bytes"] / 2**20, 1)
    ),
    "too_many_pixels": lambda v: _(
        "That picture has too many pixels; the limit is %(mp)s megapixels.",
        mp=round(v["max_pixels"] / 1e6, 1),
    ),
}


def take_picture(field: FileField) -> str | None:
    """Store the picture the field brought: its stem, or None when there is none or it is
    refused (the reason then joins the field's errors)."""
    upload = field.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    config = current_app.config
    try:
        return images.store(
            upload.stream,
            upload.filename,
            config["UPLOAD_FOLDER"],
            tuple(config["IMAGE_WIDTHS"]),
            max_bytes=config["IMAGE_MAX_BYTES"],
            max_pixels=config["IMAGE_MAX_PIXELS"],
        )
    except images.ImageRejected as refused:
        field.errors = [*field.errors, IMAGE_MESSAGES[refused.reason](refused.values)]
        return None
