"""Narrowing a table to the rows that mention some text (the pages' "Find ..." boxes)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def rows_containing(frame: pd.DataFrame, text: str | None, columns: Sequence[str]) -> pd.DataFrame:
    """The rows where any of `columns` contains `text` (case-insensitive, literally: no patterns);
    every row when the text is blank."""
    needle = (text or "").strip()
    if not needle:
        return frame
    hit = pd.Series(False, index=frame.index)
    for column in columns:
        hit |= frame[column].astype("string").str.contains(needle, case=False, regex=False).fillna(False)
    return frame[hit]
