"""CSV files the product hands out, made safe to open in Excel or Google Sheets.

OWASP's CSV-injection advice: a spreadsheet runs a cell as a formula when it starts with = + - @, a
tab or a carriage return. A cell that holds a line break is read by some programs as several lines, so
every line of every cell is checked, and any cell holding CR or LF is quoted (the writer's line
terminator is CRLF, so the csv module quotes both).
"""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# CR and LF break lines in spreadsheets; the other separators Python's str.splitlines knows (vertical tab,
# form feed, \x1c-\x1e, NEL, U+2028/9) break lines in some viewers, so what follows them is checked too.
_LINE_BREAK = re.compile("(\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029])")


def neutralise(value: object) -> object:
    """A cell value that a spreadsheet shows as text, never runs as a formula (on any of its lines)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        value = "; ".join(str(v) for v in value)
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START):
        value = "'" + value
    parts = _LINE_BREAK.split(value)
    # parts alternate text, break, text ...; a text after a break is the start of a new line
    for index in range(2, len(parts), 2):
        if parts[index].startswith(_FORMULA_START):
            parts[index] = "'" + parts[index]
    return "".join(parts)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads accents) with every formula-like line neutralised and breaks quoted."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    out = io.StringIO()
    safe.to_csv(out, index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    return out.getvalue().encode("utf-8-sig")
