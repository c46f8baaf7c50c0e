"""Members' names as they wrote them, made safe: one line, no control or invisible characters, a first name.

Rules (issue: a name that is only a tab crashed matching for everyone):
- line breaks, tabs and other whitespace collapse to single spaces (`Eve\\r\\nBcc: x` -> `Eve Bcc: x`);
- a name that is empty after that, or made only of invisible characters (zero-width, direction marks,
  other format characters) or control characters, or longer than MAX_NAME characters, is refused with
  a sentence for that row;
- names in any script are kept exactly as written otherwise (李雷, Zoë, Ñuño).
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 200
_SPACES = re.compile(r"\s+")
# Unicode categories that print nothing: controls (Cc), format characters such as zero-width and
# direction marks (Cf), and unassigned/private/surrogate code points.
_INVISIBLE = {"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp"}


def clean_name(text: object) -> tuple[str | None, str | None]:
    """(the name to store, None) or (None, the reason this row's name is refused)."""
    if not isinstance(text, str):
        return None, "no name"
    collapsed = _SPACES.sub(" ", "".join(" " if _is_control_space(c) else c for c in text)).strip()
    visible = [c for c in collapsed if c != " " and unicodedata.category(c) not in _INVISIBLE]
    if not collapsed:
        return None, "no name"
    if not visible:
        return None, "the name holds only invisible or control characters"
    if len(collapsed) > MAX_NAME:
        return None, f"the name is longer than {MAX_NAME} characters"
    cleaned = "".join(c for c in collapsed if unicodedata.category(c) != "Cc")
    return cleaned, None


def first_name(full: object, *, fallback: str = "there") -> str:
    """The first word of a stored name, or `fallback` (as in "Hi there") when there is none."""
    if not isinstance(full, str):
        return fallback
    for word in full.split():
        if any(unicodedata.category(c) not in _INVISIBLE for c in word):
            return word
    return fallback


def _is_control_space(char: str) -> bool:
    # Vertical tab, form feed, next line and the like separate words as a space would.
    return unicodedata.category(char) in {"Cc", "Zl", "Zp"} and char not in "\x00"
