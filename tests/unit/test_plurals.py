"""Plurals right: '1 year', '1 day', never '1 years'."""

from __future__ import annotations

from lib.matching import wording


def test_counts_use_the_singular_only_for_exactly_one():
    assert wording.count(1, "year") == "1 year"
    assert wording.count(1.0, "year") == "1 year"
    assert wording.count(2, "year") == "2 years"
    assert wording.count(0, "day") == "0 days"
    assert wording.count(2.5, "year") == "2.5 years"


def test_a_pair_with_one_year_each_reads_one_year():
    import pandas as pd

    from lib.matching import score

    reasons = score._experience_reasons(
        type("P", (), {"a": pd.Series({"experience_years": 1.0}), "b": pd.Series({"experience_years": 1.0})})()
    )
    assert reasons == ["both 1 year"]
    far = type(
        "P",
        (),
        {
            "a": pd.Series({"experience_years": 1.0}),
            "b": pd.Series({"experience_years": 9.0}),
            "first_a": "Ana",
            "first_b": "Ben",
        },
    )()
    assert score._experience_reasons(far) == ["Ana 1 year, Ben 9 years"]
