"""The moderator's week of benchmarks/moderator_week.py, smaller, to keep it working (no timing asserted):
import, screen in the queue, confirm a round and send its introductions through a real SMTP server, move
trials to active, record drop-outs, read why people leave; then the database says each step happened."""

import pytest

from benchmarks import moderator_week
from lib import startup

pytestmark = pytest.mark.e2e
PLAN = moderator_week.Plan(members=300, applications=10, accept=3, decline=2, notes=1, dropouts=1)


def test_the_week_in_a_browser_changes_what_it_should(tmp_path):
    steps, sent = moderator_week.run(PLAN, folder=tmp_path)
    assert [s.name for s in steps][0] == "Import the week's applications" and all(s.actions for s in steps)
    con = startup.open_database(tmp_path / "week.duckdb")
    try:
        week = dict(
            con.execute(
                "SELECT status, count(*) FROM applicants WHERE email LIKE '%@week.example' GROUP BY 1"
            ).fetchall()
        )
        assert week == {"accepted": PLAN.accept, "declined": PLAN.decline, "applied": 10 - PLAN.accept - PLAN.decline}
        noted = con.execute("SELECT count(*) FROM applicants WHERE notes LIKE 'Video chat done%'").fetchone()[0]
        assert noted == PLAN.notes
        reasons = con.execute("SELECT DISTINCT decline_reason FROM applicants WHERE email LIKE '%@week.example' "
                              "AND status = 'declined'").fetchall()  # fmt: skip
        assert reasons == [("Not a fit for peer mentoring",)]
        introductions = con.execute(
            "SELECT count(*) FROM messages WHERE kind = 'introduction' AND status = 'sent'"
        ).fetchone()[0]
        assert introductions == sent > 0
        moved = con.execute("SELECT count(*) FROM audit_log WHERE action = 'trials_to_active'").fetchone()[0]
        endings = con.execute("SELECT count(*) FROM audit_log WHERE action = 'record_ending'").fetchone()[0]
        assert (moved, endings) == (1, PLAN.dropouts)
    finally:
        con.close()
