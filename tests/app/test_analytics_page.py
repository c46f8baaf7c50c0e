"""Analytics page under AppTest on the demo community: every chart has data; filters change numbers."""

from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from lib import demo
from lib.insight import analytics
from lib.storage import db
from tests.conftest import ROOT, chart_frames

TABS = {  # chart title words -> the tab that draws it
    "Why pairs end: endings per reason, by who ended it": "Why pairs end",
    "Why pairs end: endings per reason, by kind": "Why pairs end",
    "Endings per month": "Why pairs end",
    "How long pairs last": "Duration",
    "Funnel": "Growth",
    "Waiting for a partner": "Growth",
    "Median weeks pairs lasted": "Skills",
    "Drop-outs and how long pairs last, by weekly budget": "Time and drop-outs",
    "Drop-outs and how long pairs last, by shared free hours": "Time and drop-outs",
}
TITLES = list(TABS)
NO_PAIRS_TEXT = "No pairings for these filters yet. Pairs are confirmed on the Matching page."


def _tab(at, name: str):
    at.session_state["analytics.tab"] = name
    at.run()
    assert not at.exception
    return at


@pytest.fixture
def page(con):
    demo.load_demo(con)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/8_Analytics.py").run()
    assert not at.exception
    return at


def _total_endings(at) -> int:
    return int(chart_frames(at, TITLES[0])[0]["count"].sum())


def test_every_chart_carries_the_demo_data(page):
    for title, tab in TABS.items():
        frames = chart_frames(_tab(page, tab), title)
        assert frames and len(frames[0]) > 0, title
    _tab(page, "Why pairs end")
    reasons = chart_frames(page, TITLES[0])[0].groupby("reason")["count"].sum()
    assert reasons.idxmax() == "time commitment"


def test_filters_change_the_numbers(page):
    everything = _total_endings(page)
    page.number_input(key="analytics.tz_gap").set_value(1.0).run()
    narrower = _total_endings(page)
    assert 0 < narrower < everything


def test_feedback_reader_filters_by_keyword(page):
    page.text_input(key="analytics.fb_keyword").input("baby").run()
    said = next(d.value for d in page.dataframe if "feedback" in d.value.columns)
    assert len(said) > 0 and said["feedback"].str.contains("baby", case=False).all()


def test_only_the_open_tab_runs(page):
    assert chart_frames(page, TITLES[0]) and not chart_frames(page, "How long pairs last")
    _tab(page, "Duration")
    assert chart_frames(page, "How long pairs last") and not chart_frames(page, TITLES[0])


def test_retention_split_shows_groups_and_verdicts(page):
    _tab(page, "Duration")
    page.selectbox(key="analytics.factor").set_value("trial").run()
    summary = next(d.value for d in page.dataframe if "verdict" in d.value.columns)
    assert set(summary["Group"]) == {"trial held", "no trial"}
    curves = chart_frames(page, "How long pairs last")[0]
    assert set(curves["group"]) <= {"trial held", "no trial"} and curves["survival"].between(0, 1).all()


def _give_time(con) -> None:
    """Budgets and shared hours on the demo (until the demo declares them itself): everyone 3 h a week but
    one member of each of two pairings whose members have no other pairing: 0.5 h in the first (a group
    of one pair), unknown in the second; shared hours cycling through every bin."""
    con.execute("UPDATE applicants SET hours_per_week = 3")
    only = con.execute(
        """WITH m AS (SELECT unnest([a_id, b_id]) AS m FROM pairings), once AS (SELECT m FROM m GROUP BY m HAVING count(*) = 1)
        SELECT a_id FROM pairings WHERE a_id IN (SELECT m FROM once) AND b_id IN (SELECT m FROM once) ORDER BY id LIMIT 2"""
    ).fetchall()
    con.execute("UPDATE applicants SET hours_per_week = 0.5 WHERE id = ?", [only[0][0]])
    con.execute("UPDATE applicants SET hours_per_week = NULL WHERE id = ?", [only[1][0]])
    con.execute(
        "UPDATE pairings SET shared_hours = CASE id % 4 WHEN 0 THEN NULL WHEN 1 THEN 1 WHEN 2 THEN 3 ELSE 6 END"
    )


def test_time_tab_shows_counts_and_greys_small_groups(page, con):
    _give_time(con)
    _tab(page, "Time and drop-outs")
    budget = chart_frames(page, "by weekly budget")[0].set_index("group")
    expected = analytics.outcomes_by_time(con, split="budget").set_index("group")
    assert budget["pairs"].to_dict() == expected["pairs"].to_dict()
    assert budget["dropouts"].to_dict() == expected["dropouts"].to_dict()
    assert budget.loc["under 1 h", "label"] == "under 1 h (n = 1)" and budget.loc["unknown", "pairs"] == 1
    assert budget.loc["under 1 h", "size"] == "fewer than 5 pairs: too few to tell"
    assert budget.loc["2 h or more", "size"] == "5 or more pairs" and budget.loc["1-2 h", "rate_text"] == "no pairs"
    shared = chart_frames(page, "by shared free hours")[0].set_index("group")
    assert (shared["pairs"] > 0).all() and shared["pairs"].sum() == budget["pairs"].sum()
    assert shared["label"].str.endswith(")").all() and shared["rate_text"].str.contains(" of ").all()


def test_time_tab_without_pairs_says_so_instead_of_drawing(page):
    later = db.now().date() + timedelta(days=30)  # no pair starts in the future
    page.date_input(key="analytics.period").set_value((later, later + timedelta(days=1))).run()
    _tab(page, "Time and drop-outs")
    assert not chart_frames(page, "by weekly budget") and not chart_frames(page, "by shared free hours")
    assert [i.value for i in page.info if i.value == NO_PAIRS_TEXT] == [NO_PAIRS_TEXT, NO_PAIRS_TEXT]
