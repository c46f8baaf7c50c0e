"""Analytics page under AppTest on the demo community: every chart has data; filters change numbers."""

import pytest
from streamlit.testing.v1 import AppTest

from lib import demo
from tests.conftest import ROOT, chart_frames

TABS = {  # chart title words -> the tab that draws it
    "Why pairs end: endings per reason, by who ended it": "Why pairs end",
    "Why pairs end: endings per reason, by kind": "Why pairs end",
    "Endings per month": "Why pairs end",
    "How long pairs last": "How long pairs last",
    "Funnel": "Growth and waiting",
    "Waiting for a partner": "Growth and waiting",
    "Median weeks pairs lasted": "Skills and outcomes",
}
TITLES = list(TABS)


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
    _tab(page, "How long pairs last")
    assert chart_frames(page, "How long pairs last") and not chart_frames(page, TITLES[0])


def test_retention_split_shows_groups_and_verdicts(page):
    _tab(page, "How long pairs last")
    page.selectbox(key="analytics.factor").set_value("trial").run()
    summary = next(d.value for d in page.dataframe if "verdict" in d.value.columns)
    assert set(summary["group"]) == {"trial held", "no trial"}
    curves = chart_frames(page, "How long pairs last")[0]
    assert set(curves["group"]) <= {"trial held", "no trial"} and curves["survival"].between(0, 1).all()
