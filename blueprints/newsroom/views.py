"""Every newsroom page, one module per area; importing this module puts them all on bp."""

from . import (  # noqa: F401
    account,
    authors,
    bp,
    categories,
    community,
    corrections,
    front_page,
    media,
    moderation,
    settings,
    signin,
    stories,
    users,
)
