"""Pairs page: trials past their trial date listed ticked, moved to active together, the move undone."""

from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from lib.intake import importer
from lib.pair_life import lifecycle, pairs
from lib.storage import db
from tests.conftest import ROOT, make_csv

HEADER = ["Email", "Name", "Skills you can offer", "Skills to learn"]
ROWS = [["a@x.org", "Ann", "Go", "Rust"], ["b@x.org", "Bo", "Rust", "Go"], ["c@x.org", "Cy", "SQL", "C"]]
ROWS += [["d@x.org", "Di", "C", "SQL"], ["e@x.org", "Ed", "Lua", "Java"], ["f@x.org", "Fi", "Java", "Lua"]]


@pytest.fixture
def trials(con):
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="m.csv", status="accepted")
    today, made = db.now().date(), []
    for (x, y), days in zip([("a", "b"), ("c", "d"), ("e", "f")], (10, 9, 1)):
        pairing_id = pairs.confirm_pair(con, f"{x}@x.org", f"{y}@x.org")["id"]
        con.execute("UPDATE pairings SET started_on = ? WHERE id = ?", [today - timedelta(days=20), pairing_id])
        lifecycle.advance(con, pairing_id, "trial", on=today - timedelta(days=days))
        made.append(pairing_id)
    return made


def _open() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.switch_page("pages/6_Pairs.py").run()
    assert not at.exception
    return at


def _states(con) -> dict:
    return dict(con.execute("SELECT id, state FROM pairings").fetchall())


def test_unticked_trials_stay_and_the_rest_move_together_then_undo(con, trials):
    at = _open()
    assert at.button(key="pairs.trials.go").label == "Move 2 pairs to active"
    at.session_state["pairs.trials.0"] = {"edited_rows": {1: {"move": False}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="pairs.trials.go").click().run()
    assert not at.exception
    assert [_states(con)[i] for i in trials] == ["active", "trial", "trial"]
    assert at.button(key="pairs.trials.go").label == "Move 1 pair to active"  # the one left, ticked again
    at.button(key="pairs.trials.undo").click().run()
    assert [_states(con)[i] for i in trials] == ["trial", "trial", "trial"]
    assert not [b for b in at.button if b.key == "pairs.trials.undo"]


def test_no_panel_without_trials_past_their_date(con, trials):
    for pairing_id in trials[:2]:
        lifecycle.advance(con, pairing_id, "active")
    at = _open()
    assert not [b for b in at.button if b.key == "pairs.trials.go"]
