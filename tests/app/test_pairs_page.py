"""Pairs page under AppTest: the ending dialog, undo, moves; the partner is back in suggestions."""

import pytest
from streamlit.testing.v1 import AppTest

from lib.intake import importer
from lib.matching import rounds
from lib.pair_life import lifecycle, pairs
from tests.conftest import ROOT, make_csv

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone", "Years of experience"]
ROWS = [
    ["a@x.org", "Ann Lee", "Go", "Rust", "UTC", "5"],
    ["b@x.org", "Bo Kim", "Rust", "Go", "UTC", "5"],
    ["c@x.org", "Cy Ng", "Go", "Rust", "UTC", "5"],
]


@pytest.fixture
def pair(con):
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="p.csv", status="accepted")
    made = pairs.confirm_pair(con, "a@x.org", "b@x.org")["id"]
    lifecycle.advance(con, made, "active")
    return made


def _open(pairing_id):
    at = _pairs_page()
    at.selectbox(key="pairs.pick").set_value(pairing_id).run()
    assert not at.exception
    return at


def test_dialog_records_an_ending_and_the_partner_is_suggested_again(con, pair):
    at = _open(pair)
    at.button(key="pairs.end").click().run()
    at.radio(key="end.by").set_value("a")
    at.radio(key="end.reason").set_value("time commitment")
    at.text_area(key="end.feedback").input("Too busy with a new job")
    at.checkbox(key="end.left.a").check()
    at.button(key="end.save").click().run()
    assert not at.exception
    row = pairs.list_pairings(con).iloc[0]
    assert (row["state"], row["reason"], row["feedback"]) == ("ended", "time commitment", "Too busy with a new job")
    table = next(d.value for d in at.dataframe if "weeks" in d.value.columns)
    assert table.iloc[0]["state"] == "ended"
    assert list(rounds.suggest_partners(con, "b@x.org")["b_email"]) == ["c@x.org"]
    assert con.execute("SELECT status FROM applicants WHERE email = 'a@x.org'").fetchone()[0] == "withdrawn"


def test_undo_from_the_page(con, pair):
    lifecycle.end_pairing(con, pair, by="b", reason="other")
    at = _open(pair)
    at.button(key="pairs.undo").click().run()
    assert pairs.list_pairings(con).iloc[0]["state"] == "active"


def test_moves_and_check_ins_from_the_page(con, pair):
    lifecycle.end_pairing(con, pair, by="b", reason="goals met")
    second = pairs.confirm_pair(con, "a@x.org", "b@x.org")["id"]
    at = _open(second)
    at.button(key="pairs.to_trial").click().run()
    at.text_input(key="pairs.checkin").input("first half went well").run()
    at.button(key="pairs.add_checkin").click().run()
    history = pairs.pairing_history(con, second)
    assert list(history["what"]) == ["moved to proposed", "moved to trial", "check-in"]


def test_ending_with_an_impossible_date_is_refused_in_the_dialog(con, pair):
    from datetime import date, timedelta

    at = _open(pair)
    at.button(key="pairs.end").click().run()
    at.date_input(key="end.date").set_value(date.today() - timedelta(days=900))
    at.button(key="end.save").click().run()
    assert "before the pairing started" in at.error[0].value
    assert pairs.list_pairings(con).iloc[0]["state"] == "active"


def test_an_active_pair_is_offered_no_forward_move_but_its_weekly_slot(con, pair):
    at = _open(pair)
    keys = {b.key for b in at.button}
    assert "pairs.to_trial" not in keys and "pairs.to_active" not in keys
    assert {"pairs.save_slot", "pairs.add_checkin", "pairs.end"} <= keys


def _pairs_page():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.switch_page("pages/6_Pairs.py").run()
    assert not at.exception
    return at


def _quick(at, who, reason, feedback="", *, left=True):
    """Fill the 'Someone is leaving their pair?' form (its keys carry a generation number) and submit it."""
    at.text_input(key=next(k for k in _keys(at) if k.endswith(".who"))).input(who)
    if reason:
        at.radio(key=next(k for k in _keys(at) if k.endswith(".reason"))).set_value(reason)
    at.text_area(key=next(k for k in _keys(at) if k.endswith(".feedback"))).input(feedback)
    box = at.checkbox(key=next(k for k in _keys(at) if k.endswith(".left")))
    assert box.value  # leaving the community is the default
    if not left:
        box.uncheck()
    at.button(key="FormSubmitter:pairs.quick-Record the drop-out").click().run()
    assert not at.exception


def _keys(at):
    return [
        w.key for w in [*at.text_input, *at.radio, *at.text_area, *at.checkbox] if (w.key or "").startswith("quick.")
    ]


def test_the_drop_out_form_finds_the_pair_from_the_name_and_starts_empty_again(con, pair):
    at = _pairs_page()
    _quick(at, "ann lee", "time commitment", "New job, no evenings free")
    row = pairs.list_pairings(con).iloc[0]
    assert (row["state"], row["ended_by"], row["reason"]) == ("ended", "a", "time commitment")
    assert row["feedback"] == "New job, no evenings free"
    statuses = dict(con.execute("SELECT email, status FROM applicants").fetchall())
    assert (statuses["a@x.org"], statuses["b@x.org"]) == ("withdrawn", "accepted")
    assert list(rounds.suggest_partners(con, "b@x.org")["b_email"]) == ["c@x.org"]
    assert [at.text_input(key=k).value for k in _keys(at) if k.endswith(".who")] == [""]
    assert any(c.value.startswith("Last recorded: ended of Ann Lee") for c in at.caption)


def test_the_drop_out_form_refuses_an_unknown_name_and_keeps_what_was_typed(con, pair):
    at = _pairs_page()
    _quick(at, "Xavier", "time commitment", "kept words")
    assert "Nobody in a running pair matches 'Xavier'" in at.error[0].value
    assert pairs.list_pairings(con).iloc[0]["state"] == "active"
    assert [at.text_area(key=k).value for k in _keys(at) if k.endswith(".feedback")] == ["kept words"]
    at = _pairs_page()
    _quick(at, "Ann Lee", None)
    assert "Choose the main reason" in at.error[0].value
    assert pairs.list_pairings(con).iloc[0]["state"] == "active"


def test_a_member_who_wants_another_partner_stays_in_the_pool(con, pair):
    at = _pairs_page()
    _quick(at, "B@x.org", "schedule clash or time zones", left=False)
    assert not at.error, at.error[0].value
    statuses = dict(con.execute("SELECT email, status FROM applicants").fetchall())
    assert (statuses["a@x.org"], statuses["b@x.org"]) == ("accepted", "accepted")
    history = pairs.pairing_history(con, pair)
    assert history["what"].iloc[-1] == "ended by Bo Kim: schedule clash or time zones"


def test_the_state_filter_says_what_each_state_means_and_filters(con, pair):
    at = _pairs_page()
    box = at.selectbox(key="pairs.state")
    assert box.options == [
        "all",
        "proposed: confirmed and introduced, no trial session agreed yet",
        "trial: a trial session agreed",
        "active: committed to a weekly hour",
        "ended",
    ]  # every state of the lifecycle has its words (a state without would read "None")
    assert len(box.options) == 1 + len(lifecycle.STATES)
    box.set_value("proposed").run()
    assert not at.exception and "No pairings match" in " ".join(i.value for i in at.info)
    at.selectbox(key="pairs.state").set_value("active").run()
    table = next(d.value for d in at.dataframe if "weeks" in d.value.columns)
    assert list(table["id"]) == [pair]
