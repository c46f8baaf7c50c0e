"""Small wording helpers shared by the score's reasons and the why-not-matched sentences."""

from __future__ import annotations


def names(items: list[str]) -> str:
    """'Kafka, Spark', or 'nothing' for an empty list."""
    return ", ".join(items) if items else "nothing"


def number(value: float) -> str:
    """'3' for whole numbers, '2.5' otherwise."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
