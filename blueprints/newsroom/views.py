"""Every newsroom page, one module per area; importing this module puts them all on bp."""

from . import account, bp, categories, moderation, settings, signin, stories, users  # noqa: F401
