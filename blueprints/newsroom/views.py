"""Every newsroom page, one module per area; importing this module puts them all on bp."""

from . import (  # noqa: F401
    account,
    bp,
    categories,
    media,
    moderation,
    settings,
    signin,
    stories,
    users,
)
