"""Text rules every layer shares: whether a character shows, and a member's first name.

Kept at the bottom of the layers (it imports nothing of the project) because the importer, matching,
pair life and the outbox all greet members by their first name.
"""

from __future__ import annotations

import unicodedata

# Letters and symbols that print as blank space and are used to fake an empty name.
BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")


def visible(char: str) -> bool:
    """Whether a character prints something on its own."""
    # Other (controls, format, unassigned, private, surrogates), separators and lone combining marks
    # print nothing on their own.
    return char not in BLANK and unicodedata.category(char)[0] not in "CZM"


def first_name(full: object, *, fallback: str = "there") -> str:
    """The first word of a name that has something visible in it, or `fallback` ("Hi there")."""
    if isinstance(full, str):
        for word in full.split():
            if any(visible(c) for c in word):
                return word
    return fallback
