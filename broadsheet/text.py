"""Plain-text hygiene shared by forms, stored bodies and feeds."""

from __future__ import annotations

import re

# C0 controls except tab, line feed and carriage return; DEL; lone surrogates and the two
# non-characters XML 1.0 refuses. NUL alone breaks PostgreSQL; any of them breaks a feed.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def without_control(text: str) -> str:
    """The text with every control character dropped (line breaks and tabs stay)."""
    return _CONTROL.sub("", text)
