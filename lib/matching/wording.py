"""Small wording helpers shared by the score's reasons and the why-not-matched sentences."""

from __future__ import annotations

LISTED = 5  # joined() names this many items, then "and N more"


def names(items: list[str]) -> str:
    """'Kafka, Spark', or 'nothing' for an empty list (a pair's reasons: each side teaches something)."""
    return ", ".join(items) if items else "nothing"


def joined(items: list[str]) -> str:
    """'Kafka', 'Kafka and Spark', 'Go, Kafka and Spark', 'A, B, C, D, E and 2 more'; never empty-looking."""
    shown = [str(item) for item in items if str(item).strip()]
    if not shown:
        raise ValueError("joined() needs at least one item: a sentence must not list an empty set")
    if len(shown) > LISTED + 1:
        shown = [*shown[:LISTED], f"{len(shown) - LISTED} more"]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def number(value: float) -> str:
    """'3' for whole numbers, '2.5' otherwise."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def count(value: float, word: str) -> str:
    """'1 year', '2 years', '2.5 years', '0 days': the word in the singular only for exactly one."""
    return f"{number(value)} {word if float(value) == 1 else word + 's'}"


def hours(value: float) -> str:
    """A weekly time budget in words: '30 min', '1 h', '1.5 h'."""
    if value < 1:
        return f"{int(round(value * 60))} min"
    return f"{number(round(value, 1))} h"
