"""Analytics against a hand-built history whose answers are known."""

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from lib.insight import analytics
from lib.intake import importer
from lib.pair_life import lifecycle, pairs
from lib.storage import db
from tests.conftest import make_csv

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone", "Years of experience"]
ROWS = [
    ["a@x.org", "Ann A", "Go", "Rust", "Europe/Berlin", "5"],
    ["b@x.org", "Bo B", "Rust", "Go", "Europe/Berlin", "6"],
    ["c@x.org", "Cy C", "Go", "Rust", "Asia/Tokyo", "15"],
    ["d@x.org", "Di D", "Rust", "Go", "UTC", "5"],
    ["e@x.org", "Ed E", "SQL", "Go", "UTC", "5"],
    ["f@x.org", "Fay F", "Go", "SQL", "UTC", "5"],
]


@pytest.fixture
def clock(monkeypatch):
    state = {"now": datetime(2026, 1, 5, 9, 0)}
    monkeypatch.setattr(db, "now", lambda precise=False: state["now"])
    return lambda days: state.update(now=state["now"] + timedelta(days=days))


@pytest.fixture
def history(con, clock):
    """Three pairs start on day 0: A+B end in week 2 (time commitment, by a, trial no-go), C+D end in
    week 4 (time commitment, by b), E+F are still going. A+D start in week 5 and end in week 7
    (goals met, both)."""
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="h.csv", status="accepted")
    ab = pairs.confirm_pair(con, "a@x.org", "b@x.org")["id"]
    cd = pairs.confirm_pair(con, "c@x.org", "d@x.org")["id"]
    ef = pairs.confirm_pair(con, "e@x.org", "f@x.org")["id"]
    lifecycle.advance(con, ab, "trial")
    lifecycle.advance(con, cd, "active")
    lifecycle.advance(con, ef, "active")
    clock(14)
    lifecycle.end_pairing(con, ab, by="a", reason="time commitment", feedback="Too much with my new job")
    clock(14)
    lifecycle.end_pairing(con, cd, by="b", reason="time commitment", feedback="Evenings are family time")
    clock(7)
    ad = pairs.confirm_pair(con, "a@x.org", "d@x.org")["id"]
    lifecycle.advance(con, ad, "active")
    clock(14)
    lifecycle.end_pairing(con, ad, by="both", reason="goals met", feedback="Shipped my first Go service")
    clock(7)
    return {"ab": ab, "cd": cd, "ef": ef, "ad": ad}


def test_reason_counts_shares_and_who_ended_it(con, history):
    totals = analytics.reason_totals(con)
    assert totals[["reason", "count", "share"]].values.tolist() == [
        ["time commitment", 2, 0.667],
        ["goals met", 1, 0.333],
    ]
    detail = analytics.dropout_reasons(con)
    split = {(r.reason, r.kind, r.ended_by): r.count for r in detail.itertuples()}
    assert split == {
        ("time commitment", "no-go", "a"): 1,
        ("time commitment", "ended", "b"): 1,
        ("goals met", "ended", "both"): 1,
    }


def test_filters_change_the_numbers(con, history):
    assert analytics.reason_totals(con, analytics.Filters(max_timezone_gap=3))["count"].sum() == 2
    assert analytics.reason_totals(con, analytics.Filters(max_experience_gap=2))["count"].sum() == 2
    assert analytics.reason_totals(con, analytics.Filters(start=datetime(2026, 2, 10).date()))["reason"].tolist() == [
        "goals met"
    ]
    assert analytics.reason_totals(con, analytics.Filters(skill="SQL")).empty


def test_reasons_by_month(con, history):
    months = analytics.reasons_by_month(con)
    by_month = {pd.Timestamp(k): v for k, v in months.groupby("month")["count"].sum().items()}
    assert by_month == {pd.Timestamp(2026, 1, 1): 1, pd.Timestamp(2026, 2, 1): 2}


def test_feedback_reader_filters_by_reason_and_keyword(con, history):
    assert analytics.feedback(con, reason="goals met")["feedback"].tolist() == ["Shipped my first Go service"]
    found = analytics.feedback(con, keyword="family")
    assert found[["who", "reason"]].values.tolist() == [["Cy C + Di D", "time commitment"]]


def test_retention_counts_pairs_still_going_as_censored(con, history):
    curve = analytics.retention(con)
    # 4 pairs; ends at weeks 2 (4 at risk), 2 (goals met pair lasted 2 weeks too), 4; E+F censored at 9.
    assert curve[["weeks", "at_risk", "ended"]].values.tolist() == [[0.0, 4, 0], [2.0, 4, 2], [4.0, 2, 1]]
    assert curve["survival"].round(3).tolist() == [1.0, 0.5, 0.25]
    assert analytics.median_weeks(curve) == 2.0


def test_everyone_still_going_has_no_median_and_says_so(con, clock):
    importer.import_applications(con, make_csv(HEADER, ROWS[:2]), filename="h.csv", status="accepted")
    pairs.confirm_pair(con, "a@x.org", "b@x.org")
    clock(30)
    curve = analytics.retention(con)
    assert analytics.median_weeks(curve) is None
    summary = analytics.retention_summary(curve).iloc[0]
    assert summary["verdict"].startswith("too few pairs to tell")
    report = analytics.dropout_report(con)
    assert report["median_weeks"] is None and report["ended"] == 0 and report["pairs"] == 1


def test_retention_split_by_trial(con, history):
    curves = analytics.retention(con, factor="trial")
    assert set(curves["group"]) == {"trial held", "no trial"}
    assert curves.groupby("group")["pairs"].first().to_dict() == {"trial held": 1, "no trial": 3}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kaplan_meier_equals_lifelines(seed):
    from lifelines import KaplanMeierFitter

    rng = np.random.default_rng(seed)
    weeks = pd.Series(np.round(rng.exponential(8, 200), 1))
    ended = pd.Series((rng.random(200) < 0.7).astype(int))
    ours = analytics.kaplan_meier(weeks, ended)
    fitter = KaplanMeierFitter().fit(weeks, ended)
    theirs = fitter.survival_function_.iloc[:, 0]
    for row in ours.itertuples():
        assert row.survival == pytest.approx(theirs.loc[row.weeks], abs=1e-12)
    assert analytics.median_weeks(ours) == pytest.approx(fitter.median_survival_time_)


def test_funnel_counts_each_stage(con, history):
    importer.import_applications(
        con, make_csv(HEADER, [["g@x.org", "Gus G", "Go", "Rust", "UTC", "3"]]), filename="g.csv"
    )
    totals = analytics.funnel_totals(analytics.funnel(con)).set_index("stage")["members"].to_dict()
    assert totals == {
        "applied": 7,
        "screened": 6,
        "interviewed": 6,
        "accepted": 6,
        "matched": 6,
        "active": 5,
        "active_4_weeks": 4,
        "active_12_weeks": 0,
    }


def test_waiting_times(con, history):
    waits = analytics.waiting_times(con)
    assert sorted(waits[waits["kind"] == "first match after acceptance"]["days"]) == [0] * 6
    assert sorted(waits[waits["kind"] == "re-matched after a drop-out"]["days"]) == [7, 21]
    summary = analytics.waiting_summary(waits).set_index("waiting for")
    assert summary.loc["re-matched after a drop-out"].to_dict() == {"members": 2, "median days": 14.0}
    assert summary.loc["first match after acceptance"].to_dict() == {"members": 6, "median days": 0.0}


def test_skill_outcomes_flag_small_groups(con, history):
    table = analytics.skill_outcomes(con)
    assert set(table["skill"]) == {"Go", "Rust", "SQL"} and not table["enough"].any()
    assert table.set_index("skill").loc["Go", "pairs"] == 4


def test_dropout_report_shape(con, history):
    report = analytics.dropout_report(con)
    assert report == {
        "pairs": 4,
        "ended": 3,
        "active": 1,
        "reasons": [
            {"reason": "time commitment", "count": 2, "share": 0.667},
            {"reason": "goals met", "count": 1, "share": 0.333},
        ],
        "median_weeks": 2.0,
    }


# Ten pairs started on day 0, watched until day 70 (week 10): (smaller budget inputs, shared hours, week ended or None).
TIME_PAIRS = [
    ((2, 3), 4.0, 2),  # p1
    ((2, 2), 6.0, 4),  # p2
    ((4, 5), 1.5, 6),  # p3
    ((3, 2.5), 2.0, None),  # p4
    ((2, 2), None, None),  # p5
    ((6, 2), 10.0, None),  # p6
    ((0.5, 3), 0.0, 1),  # p7: the only pair under 1 h
    ((1.0, 1.5), 3.9, None),  # p8: 1.0 h is "1-2 h", 3.9 h is "2-4 h"
    ((None, 3), None, 3),  # p9: one budget unknown -> unknown
    ((None, None), None, None),  # p10
]


@pytest.fixture
def time_history(con, clock):
    rows = []
    for i in range(len(TIME_PAIRS)):
        rows.append([f"a{i}@x.org", f"A{i} A", "Go", "Rust", "UTC", "5"])
        rows.append([f"b{i}@x.org", f"B{i} B", "Rust", "Go", "UTC", "5"])
    importer.import_applications(con, make_csv(HEADER, rows), filename="t.csv", status="accepted")
    ids = []
    for i, ((budget_a, budget_b), shared, _) in enumerate(TIME_PAIRS):
        pairing_id = pairs.confirm_pair(con, f"a{i}@x.org", f"b{i}@x.org")["id"]
        lifecycle.advance(con, pairing_id, "active")
        con.execute("UPDATE pairings SET shared_hours = ? WHERE id = ?", [shared, pairing_id])
        for email, budget in ((f"a{i}@x.org", budget_a), (f"b{i}@x.org", budget_b)):
            con.execute("UPDATE applicants SET hours_per_week = ? WHERE email = ?", [budget, email])
        ids.append(pairing_id)
    ends = sorted((week, pid) for pid, (_, _, week) in zip(ids, TIME_PAIRS) if week is not None)
    day = 0
    for week, pairing_id in ends:
        clock(week * 7 - day)
        day = week * 7
        lifecycle.end_pairing(con, pairing_id, by="a", reason="time commitment")
    clock(70 - day)
    return ids


def _rows(table: pd.DataFrame) -> dict:
    return {
        r.group: (r.pairs, r.dropouts, r.dropout_rate, None if pd.isna(r.median_weeks) else r.median_weeks, r.small)
        for r in table.itertuples()
    }


def test_outcomes_by_budget_count_rate_and_median(con, time_history):
    table = analytics.outcomes_by_time(con, split="budget")
    assert table["group"].tolist() == ["under 1 h", "1-2 h", "2 h or more", "unknown"]
    assert _rows(table) == {
        "under 1 h": (1, 1, 1.0, 1.0, True),
        "1-2 h": (1, 0, 0.0, None, True),
        "2 h or more": (6, 3, 0.5, 6.0, False),  # survival 5/6, 4/6, 3/6 at weeks 2, 4, 6
        "unknown": (2, 1, 0.5, 3.0, True),
    }
    assert table["label"].tolist() == ["under 1 h (n = 1)", "1-2 h (n = 1)", "2 h or more (n = 6)", "unknown (n = 2)"]


def test_outcomes_by_shared_hours_count_rate_and_median(con, time_history):
    table = analytics.outcomes_by_time(con, split="shared_hours")
    assert table["group"].tolist() == ["none known", "under 2 h", "2-4 h", "4 h or more"]
    assert _rows(table) == {
        "none known": (3, 1, 0.333, None, True),  # survival 2/3 after week 3: no median
        "under 2 h": (2, 2, 1.0, 1.0, True),  # 0 shared hours counts as under 2 h
        "2-4 h": (2, 0, 0.0, None, True),
        "4 h or more": (3, 2, 0.667, 4.0, True),  # 4.0 h exactly is "4 h or more"
    }


def test_outcomes_by_time_follow_the_filters_and_keep_empty_groups(con, time_history):
    later = analytics.Filters(start=datetime(2026, 1, 6).date())
    empty = analytics.outcomes_by_time(con, later, split="budget")
    assert empty["pairs"].tolist() == [0, 0, 0, 0] and empty["dropout_rate"].isna().all()
    assert empty["label"].iloc[0] == "under 1 h (n = 0)" and empty["small"].all()
    with pytest.raises(ValueError, match="Unknown split"):
        analytics.outcomes_by_time(con, split="cadence")
