"""Acting on check-in answers (issue 18 item 4): each needs-attention rule, how it clears, on a frozen clock."""

from datetime import date, datetime

import pytest

from lib.intake import importer
from lib.messages import mail, outbox
from lib.pair_life import attention, checkins, lifecycle, pace, pairs
from tests.conftest import FrozenClock, make_csv
from tests.mailserver import mail_server

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone"]
ROWS = [
    ["ann@x.org", "Ann Lee", "Go", "Rust", "UTC"],
    ["bo@x.org", "Bo Kim", "Rust", "Go", "UTC"],
    ["cy@x.org", "Cy Ray", "SQL", "Go", "UTC"],
    ["dee@x.org", "Dee Fox", "Go", "SQL", "UTC"],
]
START = datetime(2026, 9, 1, 12, 0)


@pytest.fixture
def clock(monkeypatch):
    return FrozenClock(monkeypatch, START)


@pytest.fixture
def pair(con, clock):
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="p.csv", status="accepted")
    made = pairs.confirm_pair(con, "ann@x.org", "bo@x.org")["id"]
    lifecycle.advance(con, made, "active")
    return made


def ask(con, clock, day: int) -> None:
    """Move to `day`, draft what is due and send it through a real SMTP server."""
    clock.days(day)
    checkins.draft_due(con)
    with mail_server() as server:
        outbox.send(con, None, mail.account(server.url(), "Moderator <mod@x.org>"))


def listed(con) -> dict[str, list]:
    return {i["kind"]: i.get("pair_id") or i.get("email") for i in attention.items(con) if "checkin" in i["kind"]}


def test_time_is_a_problem_until_the_pace_changes(con, clock, pair):
    ask(con, clock, 7)
    checkins.record(con, pair, "ann@x.org", met=True, rating=4, time_problem="yes")
    assert listed(con) == {"checkin_time": pair}
    item = next(i for i in attention.items(con) if i["kind"] == "checkin_time")
    assert item["since"] == "2026-09-08" and "finding time is a problem" in item["reason"]
    clock.days(8)
    pace.set_cadence(con, pair, 2)
    assert listed(con) == {}


def test_a_bit_of_a_time_problem_clears_with_a_snooze(con, clock, pair):
    ask(con, clock, 7)
    checkins.record(con, pair, "bo@x.org", met=True, rating=4, time_problem="a-bit")
    assert listed(con) == {"checkin_time": pair}
    clock.days(9)
    pace.snooze(con, pair, date(2026, 10, 1))
    assert listed(con) == {}


def test_a_low_rating_needs_a_word_until_the_moderator_notes_one(con, clock, pair):
    ask(con, clock, 7)
    checkins.record(con, pair, "bo@x.org", met=True, rating=2)
    checkins.record(con, pair, "ann@x.org", met=True, rating=5)
    assert listed(con) == {"checkin_struggling": pair}
    assert any("rated it 2 of 5" in i["reason"] for i in attention.items(con))
    clock.days(10)
    lifecycle.check_in(con, pair, "called them: a rough week, better now")
    assert listed(con) == {}


def test_a_rating_of_three_is_not_low_and_one_missed_meeting_is_not_yet_a_pattern(con, clock, pair):
    ask(con, clock, 7)
    checkins.record(con, pair, "bo@x.org", met=False, rating=3)
    assert listed(con) == {}
    ask(con, clock, 35)
    checkins.record(con, pair, "ann@x.org", met=False, rating=3)
    assert listed(con) == {"checkin_struggling": pair}  # did not meet, twice in a row
    ask(con, clock, 63)
    checkins.record(con, pair, "ann@x.org", met=True, rating=4)
    assert listed(con) == {}  # a newer answer is fine


def test_a_pair_falls_silent_seven_days_after_the_check_in_was_sent(con, clock, pair):
    ask(con, clock, 7)
    clock.days(13)
    assert listed(con) == {}
    clock.days(14)
    assert listed(con) == {"checkin_silent": pair}
    item = next(i for i in attention.items(con) if i["kind"] == "checkin_silent")
    assert item["since"] == "2026-09-08"
    clock.days(15)
    pace.snooze(con, pair, date(2026, 10, 15))
    assert listed(con) == {}  # a snoozed pair is left alone until its date


def test_three_unanswered_check_ins_in_a_row_propose_pausing_the_member(con, clock, pair):
    for day in (7, 35, 63):
        ask(con, clock, day)
        checkins.record(con, pair, "bo@x.org", met=True, rating=4)
    clock.days(69)
    assert "checkin_unanswered" not in listed(con)  # the third was sent 6 days ago: not yet
    clock.days(70)
    assert listed(con) == {"checkin_unanswered": "ann@x.org"}
    pairs.pause_member(con, "ann@x.org", date(2026, 12, 1))
    assert listed(con) == {}


def test_an_answer_counts_as_a_check_in_for_the_six_weeks_rule(con, clock, pair):
    ask(con, clock, 7)
    checkins.record(con, pair, "bo@x.org", met=True, rating=4)
    clock.days(45)
    stalled = attention.needs_attention(con)["no_checkin"]
    assert stalled.empty
    clock.days(60)
    assert attention.needs_attention(con)["no_checkin"]["id"].tolist() == [pair]
