from datetime import datetime

import duckdb
import pytest

from lib.errors import InvalidInput
from lib.intake import dates

UK = ["13/01/2026 09:00:00", "02/01/2026 10:30:00", "05/02/2026 11:00:00"]
US = ["9/1/2023 10:01:10", "9/13/2023 08:00:00", "10/2/2023 17:45:00"]
GERMAN = ["10.01.2026 09:00", "21.01.2026 18:30", "03.02.2026 07:15"]


@pytest.mark.parametrize(
    ("values", "order"),
    [(UK, "dmy"), (US, "mdy"), (GERMAN, "dmy"), (["2022/06/22 11:07:29 AM AST", "2022/06/23 1:00:00 PM AST"], "ymd")],
)
def test_order_is_proved_by_the_values(values, order):
    found = dates.detect_order(values, column="Timestamp")
    assert found.order == order and found.warning is None


def test_all_ambiguous_english_column_is_read_month_first_with_a_warning():
    found = dates.detect_order(["01/02/2026 09:00", "03/04/2026 10:00"], column="Timestamp")
    assert found.order == "mdy"
    assert "--dates dmy" in found.warning and "'01/02/2026 09:00'" in found.warning


@pytest.mark.parametrize(
    ("column", "values", "languages"),
    [
        ("Marca temporal", ["01/02/2026 09:00"], ()),
        ("Zeitstempel", ["01/02/2026 09:00"], ()),
        ("Timestamp", ["01.02.2026 09:00"], ()),
        ("Timestamp", ["01/02/2026 09:00"], ("tr",)),
    ],
)
def test_ambiguous_column_follows_the_locale_hints_and_says_so(column, values, languages):
    found = dates.detect_order(values, column=column, languages=languages)
    assert found.order == "dmy" and "--dates mdy" in found.warning


def test_override_wins_without_a_warning():
    assert dates.detect_order(["01/02/2026"], override="dmy") == dates.DateOrder("dmy")
    with pytest.raises(InvalidInput, match="not a date order"):
        dates.detect_order(["01/02/2026"], override="ydm")


def test_conflicting_values_take_the_majority_and_warn():
    found = dates.detect_order(["13/01/2026", "14/01/2026", "01/13/2026"], column="Timestamp")
    assert found.order == "dmy" and "2 dates make sense only day-first" in found.warning


def test_no_dates_no_order():
    assert dates.detect_order(["", "soon"]).order is None


CASES = [
    ("13/01/2026 09:00:00", "dmy", datetime(2026, 1, 13, 9)),
    ("10.01.2026 09:00", "dmy", datetime(2026, 1, 10, 9)),
    ("2022/06/22 11:07:29 AM AST", "mdy", datetime(2022, 6, 22, 11, 7, 29)),
    ("2022/06/22 11:07:29 PM AST", "dmy", datetime(2022, 6, 22, 23, 7, 29)),
    ("9/1/2023 10:01:10", "mdy", datetime(2023, 9, 1, 10, 1, 10)),
    ("9/1/2023 10:01:10", "dmy", datetime(2023, 1, 9, 10, 1, 10)),
    ("2026-01-13T09:00:00Z", "dmy", datetime(2026, 1, 13, 9)),
    ("2026-01-13 09:00:00.123+01:00", "mdy", datetime(2026, 1, 13, 9)),
    ("2024/03/06 11:30:00 AM GMT+1", "mdy", datetime(2024, 3, 6, 11, 30)),
    ("12/01/2026 12:30:00 AM", "mdy", datetime(2026, 12, 1, 0, 30)),
    ("1/13/26 9:00", "dmy", datetime(2026, 1, 13, 9)),  # only month-first makes sense
    ("13.01.2026 09:00:00 ÖS", "dmy", datetime(2026, 1, 13, 21)),
    ("2026-01-13", "dmy", datetime(2026, 1, 13)),
    ("next week", "dmy", None),
    ("", "mdy", None),
    ("31/02/2026", "dmy", None),
]


@pytest.mark.parametrize(("text", "order", "expected"), CASES)
def test_python_and_duckdb_read_the_same_time(text, order, expected):
    assert dates.parse(text, order) == expected
    assert duckdb.connect().execute(f"SELECT {dates.parse_sql('?', order)}", [text]).fetchone()[0] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Jan 13, 2026 9:15 AM", datetime(2026, 1, 13, 9, 15)),
        ("13 Feb 2026 10:00", datetime(2026, 2, 13, 10, 0)),
        ("March 4, 2026", datetime(2026, 3, 4)),
    ],
)
@pytest.mark.parametrize("order", ["dmy", "mdy", None])
def test_dates_with_a_month_name_are_read_in_python_and_duckdb(text, expected, order):
    assert dates.parse(text, order or "dmy") == expected
    assert duckdb.connect().execute(f"SELECT {dates.parse_sql('?', order)}", [text]).fetchone()[0] == expected
