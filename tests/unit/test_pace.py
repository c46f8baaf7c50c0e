"""Cadence and snooze (issue 17 item 4) and `attention --json` (item 6)."""

import json
from datetime import date, datetime, timedelta

import pytest

from lib.errors import InvalidInput
from lib.intake import importer
from lib.pair_life import attention, lifecycle, pace, pairs
from lib.storage import db
from tests.conftest import make_csv, run_cli

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone"]
ROWS = [["ann@x.org", "Ann Lee", "Go", "Rust", "UTC"], ["bo@x.org", "Bo Kim", "Rust", "Go", "UTC"]]
TODAY = datetime(2026, 12, 3, 12, 0)


@pytest.fixture
def pair(con, monkeypatch):
    monkeypatch.setattr(db, "now", lambda precise=False: TODAY - timedelta(days=30))
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="p.csv", status="accepted")
    made = pairs.confirm_pair(con, "ann@x.org", "bo@x.org")["id"]
    monkeypatch.setattr(db, "now", lambda precise=False: TODAY)
    return made


def _kinds(con, **kwargs) -> dict[str, list]:
    return {k: list(f["id"]) for k, f in attention.needs_attention(con, **kwargs).items() if not f.empty}


def test_a_snoozed_pair_is_left_alone_until_its_date_then_comes_back(con, pair):
    assert _kinds(con)["no_trial"] == [pair]
    pace.snooze(con, pair, date(2026, 12, 20), note="holidays")
    assert "no_trial" not in _kinds(con) and "snooze_over" not in _kinds(con)
    assert _kinds(con, as_of=date(2026, 12, 20))["snooze_over"] == [pair]
    row = pairs.list_pairings(con).iloc[0]
    assert (row["snoozed_until"].date(), row["snooze_note"]) == (date(2026, 12, 20), "holidays")
    pace.wake(con, pair)
    assert _kinds(con)["no_trial"] == [pair]
    assert pace.undo_last(con, pair) == "wake"
    assert "no_trial" not in _kinds(con)
    with pytest.raises(InvalidInput, match="a day after today"):
        pace.snooze(con, pair, date(2026, 12, 3))


def test_cadence_changes_are_recorded_and_undone(con, pair):
    pace.set_cadence(con, pair, 2)
    assert pairs.list_pairings(con).iloc[0]["cadence_weeks"] == 2
    assert pace.history(con, pair).iloc[0][["kind", "moderator"]].tolist() == ["cadence", "local"]
    pace.undo_last(con, pair)
    assert pairs.list_pairings(con).iloc[0]["cadence_weeks"] == 1
    with pytest.raises(InvalidInput, match="no change of pace to undo"):
        pace.undo_last(con, pair)
    with pytest.raises(InvalidInput, match="every two weeks"):
        pace.set_cadence(con, pair, 3)
    lifecycle.end_pairing(con, pair, by="a", reason="time commitment")
    with pytest.raises(InvalidInput, match="only an open pair"):
        pace.set_cadence(con, pair, 2)


def test_the_published_commands(con, pair, db_file):
    con.close()
    assert run_cli(db_file, "cadence", str(pair), "--every", "2").returncode == 0
    snoozed = run_cli(db_file, "snooze", str(pair), "--until", "2099-01-01", "--note", "busy month")
    assert snoozed.returncode == 2 and "at most a year" in snoozed.stderr
    future = (date.today() + timedelta(days=10)).isoformat()
    assert run_cli(db_file, "snooze", str(pair), "--until", future).returncode == 0
    listed = json.loads(run_cli(db_file, "pairs", "--json").stdout)[0]
    assert (listed["cadence_weeks"], listed["snoozed_until"]) == (2, future)
    later = (date.today() + timedelta(days=11)).isoformat()
    found = json.loads(run_cli(db_file, "attention", "--as-of", later, "--json").stdout)
    over = [f for f in found if f["kind"] == "snooze_over"]
    assert over == [
        {
            "kind": "snooze_over",
            "pair_id": pair,
            "since": future,
            "reason": "Snooze over: pairs back from a break: Ann and Bo (pair 1).",
        }
    ]
    for item in found:
        assert {"kind", "since", "reason"} <= set(item) and ("pair_id" in item) != ("email" in item)
