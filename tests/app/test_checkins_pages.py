"""The check-in loop on the pages (issue 18): the Outbox drafts the due check-ins, the Pairs page records an
answer from a reply, the home page lists what the answers ask for and acts in one click. Frozen clock."""

from datetime import datetime

import pytest
from streamlit.testing.v1 import AppTest

from lib import ui
from lib.intake import importer
from lib.messages import outbox
from lib.pair_life import checkins, lifecycle, pairs
from lib.storage import db
from tests.conftest import ROOT, FrozenClock, make_csv

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone"]
ROWS = [["ann@x.org", "Ann Lee", "Go", "Rust", "UTC"], ["bo@x.org", "Bo Kim", "Rust", "Go", "UTC"]]
START = datetime(2026, 11, 2, 12, 0)


@pytest.fixture
def clock(monkeypatch):
    return FrozenClock(monkeypatch, START)


@pytest.fixture
def pair(con, clock):
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="p.csv", status="accepted")
    made = pairs.confirm_pair(con, "ann@x.org", "bo@x.org")["id"]
    lifecycle.advance(con, made, "active")
    return made


def _open(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception
    return at


def _texts(at) -> str:
    return "\n".join(e.value for e in (*at.markdown, *at.caption, *at.info, *at.subheader)).replace("\\", "")


def test_the_outbox_drafts_the_due_check_ins_in_one_click(con, pair, clock):
    at = _open("pages/10_Outbox.py")
    assert "Check-ins due (0)" in _texts(at) and "No check-in is due today." in _texts(at)
    clock.days(7)
    at = _open("pages/10_Outbox.py")
    assert "Check-ins due (1)" in _texts(at)
    table = next(d.value for d in at.dataframe if "Check-in" in d.value.columns)
    assert table.iloc[0].tolist() == [f"#{pair} Ann Lee + Bo Kim", "trial check-in", "09 Nov 2026"]
    at.button(key="checkins.draft").click().run()
    assert not at.exception
    drafted = outbox.listing(con, status="draft")
    assert sorted(drafted[drafted["kind"] == "checkin"]["to"].map(tuple)) == [("ann@x.org",), ("bo@x.org",)]
    assert "Check-ins due (0)" in _texts(at) and "Drafted 2 check-in messages." in "\n".join(
        s.value for s in at.success
    )


def test_the_pairs_page_records_an_answer_from_a_reply(con, pair, clock):
    clock.days(7)
    at = _open("pages/6_Pairs.py")
    at.selectbox(key="pairs.pick").set_value(pair).run()
    assert "Current: trial check-in due 09 Nov 2026, **due**." in _texts(at)
    at.radio(key="pairs.answer.who").set_value("bo@x.org")
    at.radio(key="pairs.answer.met").set_value("no")
    at.slider(key="pairs.answer.rating").set_value(2)
    at.radio(key="pairs.answer.time").set_value("a-bit")
    at.text_input(key="pairs.answer.note").input("busy month")
    at.button(key="pairs.answer.save").click().run()
    assert not at.exception
    said = checkins.answers(con, pair)
    assert said[["member", "met", "rating", "time_problem", "note"]].values.tolist() == [
        ["Bo Kim", False, 2, "a-bit", "busy month"]
    ]
    assert "answered" in _texts(at)


def test_home_lists_a_time_problem_and_every_two_weeks_takes_it_off(con, pair, clock):
    clock.days(7)
    at = _open()
    assert "1 check-in" in _texts(at).replace("*", "")  # due: the line links to the Outbox
    checkins.record(con, pair, "ann@x.org", met=True, rating=4, time_problem="yes")
    ui.forget_reads()  # written outside the dashboard, which caches its reads until its own next write
    at = _open()
    assert f"#{pair} Ann Lee + Bo Kim: finding time is a problem" in _texts(at)
    at.button(key=f"home.fortnightly.{pair}").click().run()
    assert not at.exception
    assert pairs.list_pairings(con).iloc[0]["cadence_weeks"] == 2
    assert "finding time is a problem" not in _texts(at)


def test_home_proposes_pausing_a_member_who_left_three_check_ins_unanswered(con, pair, clock):
    _ann_leaves_three_unanswered(con, pair, clock)
    clock.days(69)
    assert not [b for b in _open().button if b.key and b.key.startswith("home.pause.")]  # not yet: 6 days
    clock.days(70)
    ui.forget_reads()
    at = _open()
    assert "Ann Lee `ann@x.org`, pair #1 with Bo Kim: left 3 check-ins in a row unanswered" in _texts(at)
    pause = next(b for b in at.button if b.key and b.key.startswith("home.pause."))
    assert pause.label == "Pause 8 weeks" and pause.help.startswith("No new partner for Ann before ")
    pause.click().run()
    assert not at.exception
    paused = con.execute("SELECT a.email FROM member_pauses p JOIN applicants a ON a.id = p.applicant_id").fetchall()
    assert paused == [("ann@x.org",)]
    assert "left 3 check-ins in a row unanswered" not in _texts(at)


def test_home_re_matches_the_partner_of_a_member_who_left_three_check_ins_unanswered(con, pair, clock):
    _ann_leaves_three_unanswered(con, pair, clock)
    clock.days(70)
    ui.forget_reads()
    at = _open()
    rematch = next(b for b in at.button if b.key and b.key.startswith("home.rematch."))
    assert rematch.label == "Re-match partner" and "Ends the pair" in rematch.help
    rematch.click().run()
    assert not at.exception
    ended = con.execute("SELECT state, ended_by, end_reason FROM pairings WHERE id = ?", [pair]).fetchone()
    assert ended == ("ended", "moderator", "partner unresponsive"), ended
    assert at.session_state["match.member"] == "bo@x.org"  # the Matching page opens on the partner


def _ann_leaves_three_unanswered(con, pair, clock) -> None:
    """Three check-ins sent 28 days apart; Bo answers each, Ann none."""
    for day in (7, 35, 63):
        clock.days(day)
        for message_id in checkins.draft_due(con):
            con.execute("UPDATE messages SET status = 'sent', sent_at = ? WHERE id = ?", [db.now(), message_id])
        checkins.record(con, pair, "bo@x.org", met=True, rating=4)
