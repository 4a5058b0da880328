"""Forms for the pages email links open."""

from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the button that carries out what the link asked for."""
