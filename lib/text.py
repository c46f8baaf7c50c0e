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


def pair_first_names(a: object, b: object, *, a_fallback: str = "there", b_fallback: str = "there") -> tuple[str, str]:
    """Two members as one message names them together: their first names, or their whole names when the first
    names are the same ("Omar Haddad can help Omar Farouk", never "Omar can help Omar"), with the fallbacks (their
    emails) added when even the whole names are the same."""
    first_a, first_b = first_name(a, fallback=a_fallback), first_name(b, fallback=b_fallback)
    if first_a.casefold() != first_b.casefold():
        return first_a, first_b
    whole_a, whole_b = _whole_name(a, first_a), _whole_name(b, first_b)
    if whole_a.casefold() != whole_b.casefold() or a_fallback == b_fallback:
        return whole_a, whole_b
    return f"{whole_a} ({a_fallback})", f"{whole_b} ({b_fallback})"


def _whole_name(full: object, first: str) -> str:
    """The name's visible words, or its first name (the fallback) when it has none."""
    words = [w for w in full.split() if any(visible(c) for c in w)] if isinstance(full, str) else []
    return " ".join(words) or first
