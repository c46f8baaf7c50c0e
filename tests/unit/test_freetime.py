"""Shared free time in matching: slots on the real calendar (DST, the date line), the never-suggested rule,
the score's components, the proposed cadence, why-not-matched, and `shared_hours` in the JSON."""

import json
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from lib.intake import importer
from lib.matching import freetime, rounds
from lib.pair_life import pairs
from lib.storage import db
from tests.conftest import make_csv, run_cli

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone", "Years of experience"]
EVENINGS = [{"day": d, "start": "18:00", "end": "22:00"} for d in ("mon", "wed")]
MORNINGS = [{"day": d, "start": "07:00", "end": "09:00"} for d in ("tue", "thu")]


def _slots(day: str, start: str, end: str) -> str:
    return json.dumps([{"day": day, "start": start, "end": end}])


def _start(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_daylight_saving_change_inside_the_window_moves_the_later_slots():
    start = _start("2026-10-21 00:00")  # Europe/Berlin leaves summer time on Sunday 25 October
    bits = freetime.free_bits(_slots("mon", "18:00", "20:00"), "Europe/Berlin", start)
    hours_utc = [start + freetime.STEP * i for i in np.flatnonzero(bits)]
    mondays = sorted({(m.date().isoformat(), m.hour) for m in hours_utc})
    assert mondays == [("2026-10-26", 17), ("2026-10-26", 18), ("2026-11-02", 17), ("2026-11-02", 18)]
    summer = freetime.free_bits(_slots("wed", "18:00", "20:00"), "Europe/Berlin", start)
    first = start + freetime.STEP * int(np.flatnonzero(summer)[0])
    assert (first.date().isoformat(), first.hour) == ("2026-10-21", 16)  # still CEST, UTC+2


def test_members_on_both_sides_of_the_date_line_share_their_monday_and_sunday():
    start = _start("2026-12-07 00:00")
    pool = pd.DataFrame(
        {
            "availability": [_slots("mon", "08:00", "10:00"), _slots("sun", "11:00", "13:00"), None],
            "zone": ["Pacific/Auckland", "America/Los_Angeles", "Europe/Berlin"],
        }
    )
    masks, known = freetime.member_masks(pool, start)
    assert list(known) == [True, True, False]
    hours = freetime.shared_hours(masks, known, np.array([0, 0]), np.array([1, 2]))
    assert hours[0] == 2.0 and np.isnan(hours[1])  # Auckland Mon 08:00 (UTC+13) is LA Sun 11:00 (UTC-8)
    starts = freetime.common_starts(
        (pool["availability"][0], "Pacific/Auckland"), (pool["availability"][1], "America/Los_Angeles"), start
    )
    assert [s.isoformat() for s in starts] == ["2026-12-13T19:00:00+00:00", "2026-12-20T19:00:00+00:00"]


@pytest.fixture
def community(con, monkeypatch):
    monkeypatch.setattr(db, "now", lambda precise=False: datetime(2026, 12, 3, 12, 0))
    rows = [
        ["ann@x.org", "Ann Berlin", "Go", "Rust", "Europe/Berlin", "5"],
        ["bo@x.org", "Bo Tokyo", "Rust", "Go", "Asia/Tokyo", "5"],
        ["cy@x.org", "Cy Madrid", "Rust", "Go", "Europe/Madrid", "9"],
        ["di@x.org", "Di Unknown", "Rust", "Go", "Europe/Paris", "5"],
    ]
    importer.import_applications(con, make_csv(HEADER, rows), filename="t.csv", status="accepted")
    given = {"ann@x.org": (EVENINGS, 2.0), "bo@x.org": (MORNINGS, 2.0), "cy@x.org": (EVENINGS, 0.5)}
    for email, (slots, hours) in given.items():
        con.execute(
            "UPDATE applicants SET availability = ?, hours_per_week = ? WHERE email = ?",
            [json.dumps(slots), hours, email],
        )
    return con


def test_members_who_share_no_free_hour_are_never_suggested_to_each_other(community):
    partners = rounds.suggest_partners(community, "ann@x.org").set_index("b_email")
    assert set(partners.index) == {"cy@x.org", "di@x.org"}  # Bo (Tokyo mornings) is left out
    cy = partners.loc["cy@x.org"]
    assert cy["shared_hours"] == 8.0 and cy["cadence_weeks"] == 2
    assert "both free at the same time 8 h a week" in cy["reasons"]
    assert "Ann gives 2 h a week, Cy 30 min: meet every two weeks" in cy["reasons"]
    di = partners.loc["di@x.org"]
    assert np.isnan(di["shared_hours"]) and any("shared daytime" in r for r in di["reasons"])


def test_the_round_pairs_people_who_can_meet_and_says_why_the_others_cannot(community):
    found = rounds.suggest_round(community)
    assert {tuple(sorted(p)) for p in found.pairs[["a_email", "b_email"]].to_numpy()} in (
        {("ann@x.org", "cy@x.org")},
        {("ann@x.org", "di@x.org")},
    )
    bo = found.unmatched.set_index("email").loc["bo@x.org"]
    assert bo["reason"].startswith("Bo has no shared free hour with anyone who teaches what they want")
    assert bo["cause"] == "had no shared free hour with anyone who teaches what they want"


def test_a_confirm_keeps_the_shared_hours_and_the_proposed_cadence(community):
    made = pairs.confirm_pair(community, "ann@x.org", "cy@x.org")
    stored = community.execute("SELECT shared_hours, cadence_weeks FROM pairings WHERE id = ?", [made["id"]]).fetchone()
    assert stored == (8.0, 2)


def test_suggest_json_carries_shared_hours_or_null(community, db_file):
    community.close()
    run = run_cli(db_file, "suggest", "--member", "ann@x.org", "--json")
    assert run.returncode == 0, run.stderr
    found = {p["partner"]: p["shared_hours"] for p in json.loads(run.stdout)}
    assert found["di@x.org"] is None and found["cy@x.org"] > 0 and "bo@x.org" not in found


def test_the_introduction_names_shared_times_and_invites_to_the_first(community):
    from icalendar import Calendar

    from lib.messages import mail, outbox
    from tests.mailserver import mail_server

    made = pairs.confirm_pair(community, "ann@x.org", "cy@x.org")
    intro = outbox.listing(community, status="draft").iloc[0]
    assert "You are both free at these times in the next two weeks" in intro["body"]
    # Ann (Berlin) and Cy (Madrid) share Monday and Wednesday 18:00-22:00: the first is Monday 7 December
    assert (
        "- Mon 07 Dec, 18:00-19:00 for Ann (Europe/Berlin) = Mon 07 Dec, 18:00-19:00 for Cy (Europe/Madrid)"
        in (intro["body"])
    )
    with mail_server() as server:
        outbox.send(community, None, mail.account(server.url(), "Moderator <mod@example.org>"))
    message = server.received[0].message
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1 and parts[0].get_param("method") == "REQUEST"
    event = Calendar.from_ical(parts[0].get_payload(decode=True)).walk("VEVENT")[0]
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert str(start.tzinfo) == "Europe/Berlin" and (start.hour, start.weekday()) == (18, 0)
    assert end - start == pd.Timedelta(minutes=60)
    assert str(event["organizer"]) == "mailto:mod@example.org"
    assert sorted(str(a) for a in event["attendee"]) == ["mailto:ann@x.org", "mailto:cy@x.org"]
    assert any(p.get_filename() == "invite.ics" for p in message.walk())
    assert made["id"] == intro["pair_id"]


def test_members_without_free_times_get_the_old_sentence_and_no_invitation(community):
    from lib.messages import drafts, outbox

    pairs.confirm_pair(community, "ann@x.org", "di@x.org")
    intro = outbox.listing(community, status="draft").iloc[0]
    assert drafts.NO_TRIAL_TIMES in intro["body"] and intro["calendar"] is None


def test_the_trial_is_an_hour_or_the_smaller_budget():
    from lib.pair_life import trial

    assert trial.minutes(None, None) == 60 and trial.minutes(2.0, 1.5) == 60
    assert trial.minutes(2.0, 0.5) == 60  # 30 minutes a week: an hour every two weeks
    assert trial.minutes(2.0, 0.25) == 30  # 30 minutes every two weeks
    assert trial.minutes(0.1, 3.0) == 30  # never under half an hour
