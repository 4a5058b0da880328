"""Every newsroom page, one module per area; importing this module puts them all on bp."""

from . import (  # noqa: F401
    authors,
    bp,
    categories,
    community,
    corrections,
    front_page,
    moderation,
    settings,
    signin,
    stories,
    users,
)
