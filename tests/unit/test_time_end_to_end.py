"""Issue 17 end to end: a form's free-times grid imported, matched and turned into a trial invitation."""

from datetime import datetime

from icalendar import Calendar

from lib.intake import importer
from lib.matching import rounds
from lib.messages import mail, outbox
from lib.pair_life import pairs
from lib.storage import db
from tests.conftest import FIXTURES, make_csv
from tests.mailserver import mail_server

GRID = "When are you usually free for a call? (your local time) [{}]"
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
HEADER = ["Email Address", "Full name", "Skills you can offer", "What would you like to learn?", "Time zone"]
HEADER += [GRID.format(d) for d in DAYS] + ["How much time per week can you give?"]


def test_members_across_the_date_line_who_share_no_hour_are_not_paired(con, monkeypatch):
    monkeypatch.setattr(db, "now", lambda precise=False: datetime(2026, 12, 3, 12, 0))
    data = (FIXTURES / "csv" / "google_forms_availability_grid_bom.csv").read_bytes()
    importer.import_applications(con, data, filename="grid.csv", status="accepted")
    found = rounds.suggest_round(con)
    paired = {frozenset(p) for p in found.pairs[["a_email", "b_email"]].to_numpy().tolist()}
    assert paired == {frozenset({"teuea@example.ki", "zoe@example.fr"})}
    assert found.pairs.iloc[0]["shared_hours"] != found.pairs.iloc[0]["shared_hours"]  # Zoë gave none: NaN
    why = found.unmatched.set_index("email")["reason"]
    # Auckland mornings and Los Angeles weekday evenings never overlap, whatever the day says locally
    assert why["aroha@example.nz"].startswith("Aroha has no shared free hour with anyone who teaches what they want")
    assert why["dana@example.com"].startswith("Dana has no shared free hour")


def test_a_pair_meeting_across_a_daylight_saving_change_is_invited_inside_both_free_times(con, monkeypatch):
    # 21 Oct 2026: Berlin leaves summer time on 25 Oct, New York on 1 Nov, both inside the next two weeks
    monkeypatch.setattr(db, "now", lambda precise=False: datetime(2026, 10, 21, 9, 0))
    evenings = ["Evening (18:00-22:00)"] * 5 + ["", ""]
    noons = ["Afternoon (12:00-18:00)"] * 5 + ["", ""]
    rows = [
        ["lena@x.org", "Lena Vogel", "Kubernetes", "Rust", "Europe/Berlin", *evenings, "2 hours"],
        ["sam@x.org", "Sam Ortiz", "Rust", "Kubernetes", "America/New_York", *noons, "1 hour"],
    ]
    importer.import_applications(con, make_csv(HEADER, rows), filename="dst.csv", status="accepted")
    stored = dict(con.execute("SELECT email, hours_per_week FROM applicants").fetchall())
    assert stored == {"lena@x.org": 2.0, "sam@x.org": 1.0}
    best = rounds.suggest_partners(con, "lena@x.org").iloc[0]
    # Berlin 18-22 is New York 12-16 (6 h apart), and 13-17 in the week between the changes (5 h apart):
    # 4 shared hours on each of the window's 10 weekdays, so 20 a week
    assert best["shared_hours"] == 20.0
    pairs.confirm_pair(con, "lena@x.org", "sam@x.org")
    with mail_server() as server:
        outbox.send(con, None, mail.account(server.url(), "Moderator <mod@example.org>"))
    body = server.received[0].message.get_body(("plain",)).get_content()
    assert "- Thu 22 Oct, 18:00-19:00 for Lena (Europe/Berlin) = Thu 22 Oct, 12:00-13:00 for Sam" in body
    assert "- Mon 26 Oct, 18:00-19:00 for Lena (Europe/Berlin) = Mon 26 Oct, 13:00-14:00 for Sam" in body
    part = next(p for p in server.received[0].message.walk() if p.get_content_type() == "text/calendar")
    event = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert (start.isoformat(), str(event.decoded("dtend") - start)) == ("2026-10-22T18:00:00+02:00", "1:00:00")
