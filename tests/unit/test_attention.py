from datetime import datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from lib.intake import importer
from lib.pair_life import attention, lifecycle, pairs
from lib.storage import db
from tests.conftest import ROOT, make_csv

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?"]
ROWS = [["a@x.org", "Ann Lee", "Go", "Rust"], ["b@x.org", "Bo Kim", "Rust", "Go"], ["c@x.org", "Cy Ng", "Go", "Rust"]]


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves forward by whole days."""
    start = datetime(2026, 6, 1, 9, 0, 0)
    state = {"now": start}
    monkeypatch.setattr(db, "now", lambda precise=False: state["now"])
    return lambda days: state.update(now=state["now"] + timedelta(days=days))


@pytest.fixture
def pair(con, clock):
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="a.csv", status="accepted")
    importer.import_applications(con, make_csv(HEADER, [["n@x.org", "New N", "Go", "Rust"]]), filename="n.csv")
    return pairs.confirm_pair(con, "a@x.org", "b@x.org")["id"]


def _ids(lists, kind):
    return list(lists[kind]["id"])


def test_each_list_fills_after_its_threshold(con, clock, pair):
    assert all(frame.empty for kind, frame in attention.needs_attention(con).items() if kind != "waiting")
    clock(15)
    lists = attention.needs_attention(con)
    assert _ids(lists, "no_trial") == [pair]
    assert list(lists["unscreened"]["email"]) == ["n@x.org"]
    lifecycle.advance(con, pair, "trial")
    clock(22)
    assert _ids(attention.needs_attention(con), "no_outcome") == [pair]
    lifecycle.advance(con, pair, "active")
    clock(43)
    assert _ids(attention.needs_attention(con), "no_checkin") == [pair]
    lifecycle.check_in(con, pair, "all good")
    assert attention.needs_attention(con)["no_checkin"].empty
    assert list(attention.needs_attention(con)["waiting"]["email"]) == ["c@x.org"]


def test_partner_left_behind_is_listed(con, clock, pair):
    lifecycle.end_pairing(con, pair, by="a", reason="time commitment", left_service=["a"])
    assert list(attention.needs_attention(con)["left_behind"]["email"]) == ["b@x.org"]


def test_thresholds_are_settings(con, clock, pair):
    attention.save_thresholds(con, {"no_trial_days": 3})
    clock(4)
    assert _ids(attention.needs_attention(con), "no_trial") == [pair]
    with pytest.raises(Exception, match="at least 1"):
        attention.save_thresholds(con, {"no_trial_days": 0})


def test_nudge_text_names_both(con, clock, pair):
    clock(15)
    row = attention.needs_attention(con)["no_trial"].iloc[0]
    assert "Hi Ann and Bo" in attention.nudge_text("no_trial", row)


def test_home_page_lists_a_stalled_pair_and_moves_it(con, clock, pair):
    clock(15)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert any("Introduced, but no trial after 14 days: **1**" in e.label for e in at.expander)
    at.button(key=f"home.trial.{pair}").click().run()
    assert not at.exception
    assert con.execute("SELECT state FROM pairings").fetchone()[0] == "trial"
