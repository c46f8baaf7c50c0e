"""The check-in loop (issue 18): when a check-in is due, its statuses, drafting, sending and answers, frozen clock."""

from datetime import date, datetime

import pytest

from lib.errors import InvalidInput, NotFound
from lib.intake import importer
from lib.messages import mail, outbox, settings
from lib.pair_life import checkins, lifecycle, pace, pairs
from tests.conftest import FrozenClock, make_csv
from tests.mailserver import mail_server

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone"]
ROWS = [["ann@x.org", "Ann Lee", "Go", "Rust", "UTC"], ["bo@x.org", "Bo Kim", "Rust", "Go", "UTC"]]
START = datetime(2026, 11, 2, 12, 0)


@pytest.fixture
def clock(monkeypatch):
    return FrozenClock(monkeypatch, START)


@pytest.fixture
def pair(con, clock):
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="p.csv", status="accepted")
    return pairs.confirm_pair(con, "ann@x.org", "bo@x.org")["id"]


def now_of(con) -> list[tuple]:
    return [(r.pair_id, r.kind, r.due_on.date(), r.status) for r in checkins.current(con).itertuples()]


def send_all(con) -> None:
    with mail_server() as server:
        outbox.send(con, None, mail.account(server.url(), "Moderator <mod@x.org>"))


def test_the_trial_check_in_is_due_seven_days_after_the_confirm_and_drafted_once(con, pair, clock):
    clock.days(6)
    assert now_of(con) == []
    clock.days(7)
    assert now_of(con) == [(pair, "trial", date(2026, 11, 9), "due")]
    made = checkins.draft_due(con)
    assert len(made) == 2 and checkins.draft_due(con) == []
    sent_to = sorted(m["to"][0] for m in outbox.listing_of(con, made))
    assert sent_to == ["ann@x.org", "bo@x.org"]
    assert now_of(con) == [(pair, "trial", date(2026, 11, 9), "due")]  # waiting in the outbox: still due
    body = outbox.message(con, made[0])["body"]
    assert "Did you meet for your trial session?" in body and "Bo" in body


def test_moving_to_trial_moves_the_trial_check_in_and_the_setting_changes_it(con, pair, clock):
    clock.days(3)
    lifecycle.advance(con, pair, "trial")
    clock.days(9)
    assert now_of(con) == []
    clock.days(10)
    assert now_of(con)[0][2] == date(2026, 11, 12)
    settings.set_value(con, "checkin_trial_days", "3")
    assert now_of(con)[0][2] == date(2026, 11, 8)


def test_sent_then_missed_after_the_silent_days_and_a_late_answer_makes_it_answered(con, pair, clock):
    clock.days(7)
    checkins.draft_due(con)
    send_all(con)
    assert now_of(con)[0][3] == "sent"
    clock.days(13)
    assert now_of(con)[0][3] == "sent"
    clock.days(14)
    assert now_of(con)[0][3] == "missed"
    clock.days(20)
    checkins.record(con, pair, "Bo@X.org", met=True, rating=4)
    assert now_of(con)[0][3] == "answered"
    assert checkins.current(con, as_of=date(2026, 11, 16)).iloc[0]["status"] == "missed"  # as it was that day


def test_pulses_follow_every_four_weeks_for_an_active_pair_and_eight_for_a_fortnightly_one(con, pair, clock):
    lifecycle.advance(con, pair, "active")
    clock.days(7)
    checkins.draft_due(con)
    send_all(con)
    clock.days(34)
    assert now_of(con)[0][:2] == (pair, "trial")
    clock.days(35)
    assert now_of(con) == [(pair, "pulse", date(2026, 12, 7), "due")]
    pace.set_cadence(con, pair, 2)
    assert now_of(con)[0][1:] == ("trial", date(2026, 11, 9), "missed")
    clock.days(63)
    assert now_of(con)[0][1:] == ("pulse", date(2027, 1, 4), "due")


def test_a_pair_in_trial_gets_no_pulse_and_an_ended_pair_nothing(con, pair, clock):
    lifecycle.advance(con, pair, "trial")
    clock.days(7)
    checkins.draft_due(con)
    send_all(con)
    clock.days(90)
    assert [r[1:] for r in now_of(con)] == [("trial", date(2026, 11, 9), "missed")]
    lifecycle.end_pairing(con, pair, by="a", reason="time commitment")
    assert now_of(con) == []


def test_a_snoozed_pair_is_never_due_before_its_date(con, pair, clock):
    clock.days(5)
    pace.snooze(con, pair, date(2026, 11, 30))
    clock.days(20)
    assert now_of(con) == []
    clock.days(28)
    assert now_of(con) == [(pair, "trial", date(2026, 11, 30), "due")]


def test_discarded_drafts_make_the_check_in_due_again(con, pair, clock):
    clock.days(7)
    made = checkins.draft_due(con)
    outbox.discard(con, made)
    assert checkins.due(con)["pair_id"].tolist() == [pair]
    assert len(checkins.draft_due(con)) == 2


def test_the_newest_answer_of_a_member_wins_and_an_older_one_changes_nothing(con, pair, clock):
    clock.days(7)
    checkins.draft_due(con)
    send_all(con)
    clock.days(9)
    checkins.record(con, pair, "ann@x.org", met=True, rating=5, answered_at=datetime(2026, 11, 11, 9))
    checkins.record(con, pair, "ann@x.org", met=False, rating=2, answered_at=datetime(2026, 11, 10, 9))
    checkins.record(con, pair, "bo@x.org", met=True, rating=3, time_problem="a-bit", note="busy month")
    said = checkins.answers(con, pair)
    assert sorted(zip(said["member"], said["rating"])) == [("Ann Lee", 5), ("Bo Kim", 3)]
    assert said["checkin_id"].nunique() == 1


def test_an_answer_before_any_check_in_starts_one(con, pair, clock):
    clock.days(3)
    checkins.record(con, pair, "ann@x.org", met=True, rating=4)
    assert now_of(con) == [(pair, "trial", date(2026, 11, 5), "answered")]
    clock.days(40)
    assert now_of(con)[0][1:] == ("trial", date(2026, 11, 5), "answered")  # not active: no pulse


def test_answers_are_checked(con, pair, clock):
    with pytest.raises(InvalidInput, match="not a rating"):
        checkins.record(con, pair, "ann@x.org", met=True, rating=6)
    with pytest.raises(InvalidInput, match="about time"):
        checkins.record(con, pair, "ann@x.org", met=True, rating=3, time_problem="sometimes")
    importer.import_applications(con, make_csv(HEADER, [["cy@x.org", "Cy", "Go", "Rust", "UTC"]]), filename="c.csv")
    with pytest.raises(InvalidInput, match="not a member of pair"):
        checkins.record(con, pair, "cy@x.org", met=True, rating=3)
    with pytest.raises(NotFound):
        checkins.record(con, 999, "ann@x.org", met=True, rating=3)
    assert checkins.answers(con, pair).empty


def test_the_prefilled_link_puts_in_the_members_email_and_pair():
    url = (
        "https://docs.google.com/forms/d/e/1FAIpQL/viewform?usp=pp_url&entry.111=you@example.com"
        "&entry.222=123&entry.333=Yes"
    )
    link = checkins.prefilled_link(url, "ann+m@x.org", 42)
    assert link.endswith("usp=pp_url&entry.111=ann%2Bm%40x.org&entry.222=42&entry.333=Yes")


def test_with_a_form_the_draft_carries_the_prefilled_link(con, pair, clock):
    settings.set_value(con, "checkin_form_url", "https://docs.google.com/forms/d/e/X/viewform?entry.1=a@b.c&entry.2=7")
    clock.days(7)
    body = outbox.message(con, checkins.draft_due(con)[0])["body"]
    assert f"entry.1=ann%40x.org&entry.2={pair}" in body and "reply to this email" not in body


def test_a_members_answers_are_exported_and_their_notes_erased_with_them(con, pair, clock):
    from lib.privacy import erasure, privacy

    clock.days(7)
    checkins.record(con, pair, "ann@x.org", met=True, rating=4, note="Bo Kim is lovely, I am ann@x.org")
    checkins.record(con, pair, "bo@x.org", met=True, rating=5, note="Ann Lee explains well")
    exported = privacy.export_member(con, "ann@x.org")["checkin_answers"]
    assert [(a["rating"], a["note"]) for a in exported] == [(4, "Bo Kim is lovely, I am ann@x.org")]
    erasure.erase_member(con, "ann@x.org")
    notes = dict(con.execute("SELECT rating, note FROM checkin_answers").fetchall())
    assert notes == {4: None, 5: "(erased) explains well"}
