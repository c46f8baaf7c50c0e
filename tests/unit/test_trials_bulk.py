"""Trials past their trial date move to active together, in one transaction, and the move can be undone."""

from datetime import timedelta

import pytest

from lib.errors import InvalidInput
from lib.intake import importer
from lib.messages import settings
from lib.pair_life import bulk, checkins, lifecycle, pairs
from lib.storage import db
from tests.conftest import make_csv

HEADER = ["Email", "Name", "Skills you can offer", "Skills to learn"]
ROWS = [
    ["a@x.org", "Ann", "Go", "Rust"],
    ["b@x.org", "Bo", "Rust", "Go"],
    ["c@x.org", "Cy", "SQL", "Java"],
    ["d@x.org", "Di", "Java", "SQL"],
    ["e@x.org", "Ed", "C", "Lua"],
    ["f@x.org", "Fi", "Lua", "C"],
]


@pytest.fixture
def trials(con):
    """Three pairs in trial: moved to trial 10, 8 and 2 days ago."""
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="m.csv", status="accepted")
    today = db.now().date()
    made = []
    for (x, y), days in zip([("a", "b"), ("c", "d"), ("e", "f")], (10, 8, 2)):
        pairing_id = pairs.confirm_pair(con, f"{x}@x.org", f"{y}@x.org")["id"]
        con.execute("UPDATE pairings SET started_on = ? WHERE id = ?", [today - timedelta(days=20), pairing_id])
        lifecycle.advance(con, pairing_id, "trial", on=today - timedelta(days=days))
        made.append(pairing_id)
    return made


def test_trials_are_due_after_the_trial_check_in_days(con, trials):
    assert list(bulk.trials_due(con)["id"]) == trials[:2]
    settings.set_value(con, "checkin_trial_days", "9")
    assert list(bulk.trials_due(con)["id"]) == trials[:1]


def test_ticked_trials_move_to_active_together_and_undo_restores_them(con, trials):
    before = con.execute("SELECT * FROM pairings ORDER BY id").fetchall()
    events = con.execute("SELECT count(*) FROM pairing_events").fetchone()[0]
    assert bulk.move_to_active(con, trials[:2]) == 2
    states = dict(con.execute("SELECT id, state FROM pairings").fetchall())
    assert [states[i] for i in trials] == ["active", "active", "trial"]
    assert bulk.last_move(con)["pairs"] == 2
    assert bulk.undo_last_move(con) == 2
    assert con.execute("SELECT * FROM pairings ORDER BY id").fetchall() == before
    assert con.execute("SELECT count(*) FROM pairing_events").fetchone()[0] == events
    assert bulk.last_move(con) is None


def test_one_pair_that_is_no_longer_in_trial_moves_none(con, trials):
    lifecycle.advance(con, trials[1], "active")
    with pytest.raises(InvalidInput, match=f"Pairing {trials[1]} is no longer in trial"):
        bulk.move_to_active(con, trials[:2])
    assert con.execute("SELECT state FROM pairings WHERE id = ?", [trials[0]]).fetchone()[0] == "trial"
    with pytest.raises(InvalidInput, match="Tick at least one"):
        bulk.move_to_active(con, [])


def test_undo_is_refused_once_a_moved_pair_has_changed(con, trials):
    bulk.move_to_active(con, trials[:2])
    lifecycle.end_pairing(con, trials[0], by="a", reason="time commitment")
    with pytest.raises(InvalidInput, match="has changed since"):
        bulk.undo_last_move(con)
    assert con.execute("SELECT state FROM pairings WHERE id = ?", [trials[1]]).fetchone()[0] == "active"


def test_each_trial_shows_its_check_in_answers_to_judge_it_by(con, trials):
    con.execute("UPDATE applicants SET name = 'Zoe' WHERE email = 'a@x.org'")  # member A first, not A-Z
    checkins.record(con, trials[0], "a@x.org", met=True, rating=4)
    checkins.record(con, trials[0], "b@x.org", met=False, rating=2, time_problem="yes")
    checkins.record(con, trials[0], "b@x.org", met=True, rating=3, time_problem="a-bit")  # a later answer wins
    answers = dict(zip(bulk.trials_due(con)["id"], bulk.trials_due(con)["answers"]))
    assert answers == {
        trials[0]: "Zoe met, 4/5 · Bo met, 3/5, time a bit of a problem",
        trials[1]: "no answer yet",
    }
