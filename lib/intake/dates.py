"""Submission times as forms write them, read in one day/month order per file.

Forms write the date in the form owner's locale: "9/1/2023 10:01:10" (US), "13/01/2026 09:00:00" (UK),
"10.01.2026 09:00" (German, Turkish), "2022/06/22 11:07:29 AM AST", ISO "2026-01-13T09:00:00Z".
A year-first date is always year-month-day. For a year-last date the order is decided per file from
the values: a first part over 12 proves day-first, a second part over 12 proves month-first. When
every value reads both ways, the form's locale hints decide (a column title in a day-first language,
dots as separators) and the report says so. A value that makes sense only one way is read that way.
Zone suffixes ("GMT+1", "AST", "Z", "+01:00") are dropped: times are kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from lib.errors import InvalidInput

ORDERS = ("dmy", "mdy", "ymd")
ORDER_WORDS = {"dmy": "day first (dd/mm/yyyy)", "mdy": "month first (mm/dd/yyyy)", "ymd": "year first (yyyy-mm-dd)"}
# One pattern for Python and DuckDB (RE2): parts a, b, c of the date, then hour, minute, second, am/pm.
PATTERN = (
    r"^\s*(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})\.?(?:(?:\s+|[Tt]|,\s*)(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?"
    r"(?:[.,]\d+)?\s*(am|pm|a\.?\s?m\.?|p\.?\s?m\.?|öö|ös|vorm\.?|nachm\.?)?)?"
)
# Dates with an English month name ("Jan 13, 2026 9:15 AM", "13 Feb 2026 10:00"), as Typeform, Jotform
# and spreadsheets' long formats write them: never ambiguous. strptime formats Python and DuckDB share.
NAMED_MONTH_FORMATS = tuple(
    f"{date}{clock}"
    for date in ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y")
    for clock in (" %I:%M:%S %p", " %I:%M %p", " %H:%M:%S", " %H:%M", "")
)
_GROUPS = ("a", "b", "c", "h", "mi", "s", "ap")
_REGEX = re.compile(PATTERN, re.IGNORECASE)
# Column titles of the submission time in languages whose forms write the day first.
_DAY_FIRST_TITLES = re.compile(
    r"marca temporal|carimbo de data|horodat|zeitstempel|zaman damgas|informazioni cronologiche|tijdstempel"
    r"|sygnatura czasowa|отметка времени|позначка часу",
    re.IGNORECASE,
)
_DAY_FIRST_LANGUAGES = {"es", "pt", "fr", "de", "tr", "it", "nl"}


@dataclass
class DateOrder:
    """The order chosen for a file's year-last dates, and what the moderator should know about it."""

    order: str | None  # "dmy", "mdy", "ymd", or None when the column holds no dates
    warning: str | None = None


def detect_order(
    values: Iterable[str],
    *,
    column: str = "",
    languages: Sequence[str] = (),
    override: str | None = None,
) -> DateOrder:
    """The day/month order of one file's dates: from the values, else the locale hints (with a warning)."""
    day_first, month_first, year_last, year_first, dots, example = 0, 0, 0, 0, 0, None
    for value in values:
        match = _REGEX.match(value) if value else None
        if match is None:
            continue
        a, b, c = match.group(1, 2, 3)
        if len(a) > 2:
            year_first += 1
            continue
        year_last += 1
        dots += "." in value[: match.end(3)]
        first, second = int(a), int(b)
        day_first += first > 12 >= second
        month_first += second > 12 >= first
        if example is None and first <= 12 and second <= 12:
            example = value.strip()
    if override:
        check_order(override)
        return DateOrder(override if year_last or override == "ymd" else ("ymd" if year_first else override))
    if not year_last:
        return DateOrder("ymd" if year_first else None)
    if day_first and month_first:
        order = "dmy" if day_first >= month_first else "mdy"
        return DateOrder(order, _conflict_warning(column, order, day_first, month_first))
    if day_first or month_first:
        return DateOrder("dmy" if day_first else "mdy")
    order, reason = _hinted_order(column, languages, dots * 2 > year_last)
    return DateOrder(order, _ambiguous_warning(column, order, year_last, example or "", reason))


def check_order(order: str) -> None:
    """Refuse an order other than dmy, mdy or ymd with a sentence."""
    if order not in ORDERS:
        raise InvalidInput(f"'{order}' is not a date order; choose one of {', '.join(ORDERS)}.")


def parse(text: str | None, order: str) -> datetime | None:
    """One value as a time (what `parse_sql` computes in DuckDB), or None when it is not a date."""
    match = _REGEX.match(text or "")
    if match is None:
        return _named_month(text)
    parts = dict(zip(_GROUPS, match.groups()))
    for y, m, d in _candidates(parts, order):
        try:
            return datetime(y, m, d, *_clock(parts))
        except ValueError:
            continue
    return None


def parse_sql(expression: str, order: str | None) -> str:
    """A DuckDB expression reading the text `expression` as a TIMESTAMP in `order` (NULL when not a date)."""
    formats = ", ".join(f"'{f}'" for f in NAMED_MONTH_FORMATS)
    if order is None:  # no numeric dates in the file
        return f"try_strptime({expression}, [{formats}])"
    check_order(order)
    hour = "coalesce(TRY_CAST(s.h AS INT), 0)"
    clock = (
        f"CASE WHEN s.ap LIKE 'p%' OR s.ap LIKE 'n%' OR s.ap = 'ös' THEN {hour} % 12 + 12 "
        f"WHEN s.ap <> '' THEN {hour} % 12 ELSE {hour} END, "
        "coalesce(TRY_CAST(s.mi AS INT), 0), coalesce(TRY_CAST(s.s AS DOUBLE), 0)"
    )
    year = "CASE WHEN length(s.c) <= 2 THEN 2000 + CAST(s.c AS INT) ELSE CAST(s.c AS INT) END"

    def make(y: str, m: str, d: str) -> str:
        return f"try(make_timestamp({y}, CAST({m} AS INT), CAST({d} AS INT), {clock}))"

    day_first, month_first = make(year, "s.b", "s.a"), make(year, "s.a", "s.b")
    chosen, other = (month_first, day_first) if order == "mdy" else (day_first, month_first)
    body = (
        f"CASE WHEN s.a = '' THEN NULL WHEN length(s.a) > 2 THEN {make('CAST(s.a AS INT)', 's.b', 's.c')} "
        f"ELSE coalesce({chosen}, {other}) END"
    )
    groups = ", ".join(f"'{g}'" for g in _GROUPS)
    escaped = PATTERN.replace("'", "''")
    numeric = f"list_transform([regexp_extract(lower(v), '{escaped}', [{groups}])], lambda s: {body})[1]"
    return f"list_transform([{expression}], lambda v: coalesce({numeric}, try_strptime(v, [{formats}])))[1]"


def _named_month(text: str | None) -> datetime | None:
    for form in NAMED_MONTH_FORMATS:
        try:
            return datetime.strptime((text or "").strip(), form)
        except ValueError:
            continue
    return None


def _candidates(parts: dict, order: str) -> list[tuple[int, int, int]]:
    a, b, c = int(parts["a"]), int(parts["b"]), int(parts["c"])
    if len(parts["a"]) > 2:
        return [(a, b, c)]
    year = 2000 + c if len(parts["c"]) <= 2 else c
    day_first, month_first = (year, b, a), (year, a, b)
    return [month_first, day_first] if order == "mdy" else [day_first, month_first]


def _clock(parts: dict) -> tuple[int, int, int]:
    hour = int(parts["h"] or 0)
    marker = (parts["ap"] or "").lower()
    if marker.startswith(("p", "n")) or marker == "ös":
        hour = hour % 12 + 12
    elif marker:
        hour %= 12
    return hour, int(parts["mi"] or 0), int(parts["s"] or 0)


def _hinted_order(column: str, languages: Sequence[str], dots: bool) -> tuple[str, str]:
    if _DAY_FIRST_TITLES.search(column):
        return "dmy", f"the column's title '{column}' is in a language that writes the day first"
    if dots:
        return "dmy", "the dates are written with dots, as day-first locales write them"
    spoken = [lang for lang in languages if lang in _DAY_FIRST_LANGUAGES]
    if spoken:
        return "dmy", "the form's questions are in a language that writes the day first"
    return "mdy", "nothing in the file says otherwise and English-language forms write the month first by default"


def _ambiguous_warning(column: str, order: str, count: int, example: str, reason: str) -> str:
    other = "mdy" if order == "dmy" else "dmy"
    return (
        f"All {count:,} dates in '{column}' can be read day-first or month-first (for example '{example}'); "
        f"they were read {ORDER_WORDS[order]}, because {reason}. If that is wrong, import again with the "
        f"date order {other} (on the command line: --dates {other})."
    )


def _conflict_warning(column: str, order: str, day_first: int, month_first: int) -> str:
    return (
        f"In '{column}', {day_first:,} dates make sense only day-first and {month_first:,} only month-first; "
        f"the column was read {ORDER_WORDS[order]}, and each date that makes sense only the other way was read "
        "that way. Check the submission times of this file."
    )
