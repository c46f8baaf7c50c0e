"""The "Find ..." boxes: literal, case-insensitive, over several columns."""

import pandas as pd

from lib.insight.search import rows_containing

FRAME = pd.DataFrame({"name": ["Ann Lee", "Bo (C++)", None], "email": ["ann@x.org", "bo@y.org", "cy@x.org"]})


def test_any_column_matches_ignoring_case():
    assert list(rows_containing(FRAME, "X.ORG", ["name", "email"])["email"]) == ["ann@x.org", "cy@x.org"]
    assert list(rows_containing(FRAME, "lee", ["name"])["email"]) == ["ann@x.org"]


def test_text_is_literal_and_blank_keeps_everything():
    assert list(rows_containing(FRAME, "(c++)", ["name", "email"])["email"]) == ["bo@y.org"]
    assert rows_containing(FRAME, "  ", ["name"]).equals(FRAME)
    assert rows_containing(FRAME, None, ["name"]).equals(FRAME)
    assert rows_containing(FRAME, "nobody", ["name", "email"]).empty
