"""Every newsroom page, one module per area; importing this module puts them all on bp."""

from . import bp, categories, community, moderation, settings, signin, stories, users  # noqa: F401
