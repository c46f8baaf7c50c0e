"""A pair's pace where the moderator works: the Pairs page changes cadence and snoozes, the home page
brings a pair back on its snooze date, the Applicants list shows free times and budgets."""

from datetime import timedelta

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib import ui
from lib.intake import importer
from lib.pair_life import attention, lifecycle, pace, pairs
from tests.conftest import ROOT, make_csv

GRID = "When are you usually free for a call? (your local time) [{}]"
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone"]
HEADER += [GRID.format(d) for d in DAYS] + ["How much time per week can you give?"]
EVENINGS = ["Evening (18:00-22:00)"] * 5 + ["", ""]
ROWS = [
    ["a@x.org", "Ann Lee", "Go", "Rust", "UTC", *EVENINGS, "1-2 hours"],
    ["b@x.org", "Bo Kim", "Rust", "Go", "UTC", *EVENINGS, "2 hours"],
    ["c@x.org", "Cy Ng", "SQL", "Haskell", "UTC", *[""] * 7, ""],
]


@pytest.fixture
def pair(con):
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="p.csv", status="accepted")
    return pairs.confirm_pair(con, "a@x.org", "b@x.org")["id"]


def _open(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception
    return at


def _open_pair(pairing_id: int) -> AppTest:
    at = _open("pages/6_Pairs.py")
    at.selectbox(key="pairs.pick").set_value(pairing_id).run()
    assert not at.exception
    return at


def _texts(at) -> str:
    return "\n".join(e.value for e in (*at.markdown, *at.caption)).replace("\\", "")


def _history(at) -> list[str]:
    return list(next(d.value for d in at.dataframe if "change" in d.value.columns)["change"])


def test_snooze_from_the_pairs_page_shows_the_date_and_note_and_wakes(con, pair):
    until = ui.today() + timedelta(days=20)
    at = _open_pair(pair)
    assert "Meets every week" in _texts(at).replace("*", "") and "snoozed until" not in _texts(at)
    at.date_input(key="pairs.snooze_until").set_value(until)
    at.text_input(key="pairs.snooze_note").input("holidays")
    at.button(key="pairs.snooze").click().run()
    assert not at.exception
    assert f"snoozed until {until:%d %b %Y}: holidays" in _texts(at)
    assert _history(at) == [f"Snoozed until {until:%d %b %Y}: holidays"]
    table = next(d.value for d in at.dataframe if "snoozed_until" in d.value.columns)
    assert table.iloc[0]["snoozed_until"] == f"{until:%d %b %Y}"
    at.button(key="pairs.wake").click().run()
    assert pd.isna(pairs.list_pairings(con).iloc[0]["snoozed_until"])
    assert "pairs.wake" not in {b.key for b in at.button}


def test_cadence_changes_and_the_last_change_is_undone(con, pair):
    at = _open_pair(pair)
    assert "pairs.undo_pace" not in {b.key for b in at.button}  # nothing to undo yet
    at.button(key="pairs.cadence").click().run()
    assert pairs.list_pairings(con).iloc[0]["cadence_weeks"] == 2
    assert (
        "Meets every two weeks" in _texts(at).replace("*", "") and at.button(key="pairs.cadence").label == "Every week"
    )
    at.button(key="pairs.undo_pace").click().run()
    assert pairs.list_pairings(con).iloc[0]["cadence_weeks"] == 1
    assert _history(at) == ["Meets every two weeks (undone)"]


def test_the_pairs_page_shows_shared_hours_and_an_ended_pair_has_no_pace(con, pair):
    con.execute("UPDATE pairings SET shared_hours = 12.5 WHERE id = ?", [pair])
    at = _open_pair(pair)
    assert "12.5 hours a week free in common" in _texts(at).replace("*", "")
    lifecycle.end_pairing(con, pair, by="a", reason="other")
    ui.forget_reads()  # written behind the dashboard's back
    at = _open_pair(pair)
    assert not {"pairs.cadence", "pairs.snooze"} & {b.key for b in at.button}
    table = next(d.value for d in at.dataframe if "cadence" in d.value.columns)
    assert table.iloc[0]["cadence"] == "" and table.iloc[0]["snoozed_until"] == ""


def _snoozed_until(con, pair, days_from_today: int) -> None:
    """A proposed pair long past the no-trial threshold, snoozed until a day relative to today."""
    pace.snooze(con, pair, ui.today() + timedelta(days=30))
    con.execute(
        "UPDATE pairings SET started_on = ?, snoozed_until = ? WHERE id = ?",
        [ui.today() - timedelta(days=60), ui.today() + timedelta(days=days_from_today), pair],
    )


def _home_lines(at) -> str:
    return "\n".join(m.value for m in at.markdown).replace("\\", "")


def test_a_pair_whose_snooze_date_came_is_listed_and_wake_clears_it(con, pair):
    _snoozed_until(con, pair, -2)
    at = _open()
    title = attention.TITLES["snooze_over"]
    assert any(title in e.label and "**1**" in e.label for e in at.expander)
    assert f"#{pair} Ann Lee + Bo Kim: snoozed until" in _home_lines(at) and "(back 2 days ago)" in _home_lines(at)
    at.button(key=f"home.wake.{pair}").click().run()
    assert not at.exception
    assert attention.needs_attention(con)["snooze_over"].empty
    assert any(title in e.label and "**0**" in e.label for e in at.expander)
    # awake again, the long-silent pair is back on its stalled list
    assert list(attention.needs_attention(con)["no_trial"]["id"]) == [pair]


def test_snooze_two_more_weeks_from_the_home_page(con, pair):
    _snoozed_until(con, pair, 0)
    at = _open()
    at.button(key=f"home.snooze.{pair}").click().run()
    assert not at.exception
    assert pairs.list_pairings(con).iloc[0]["snoozed_until"].date() == ui.today() + timedelta(days=14)
    assert f"#{pair} Ann Lee" not in _home_lines(at)


def test_a_snoozed_pair_not_yet_due_is_in_no_list(con, pair):
    _snoozed_until(con, pair, 3)
    at = _open()
    assert f"#{pair} Ann Lee" not in _home_lines(at)
    assert not {f"home.wake.{pair}", f"home.snooze.{pair}", f"home.trial.{pair}"} & {b.key for b in at.button}
    lists = attention.needs_attention(con)
    assert all(pair not in set(lists[k]["id"]) for k in ("no_trial", "no_outcome", "no_checkin", "snooze_over"))


def test_applicants_list_reads_free_times_and_budgets(con, pair):
    at = _open("pages/2_Applicants.py")
    at.selectbox(key="applicants.stage").set_value("all").run()  # the queue opens on who needs a decision
    table = next(d.value for d in at.dataframe if "free_times" in d.value.columns).set_index("email")
    assert table.loc["a@x.org", "free_times"] == "Mon-Fri 18-22"
    assert table.loc["a@x.org", "weekly_budget"] == "1 h/week"
    assert table.loc["b@x.org", "weekly_budget"] == "2 h/week"
    assert (table.loc["c@x.org", "free_times"], table.loc["c@x.org", "weekly_budget"]) == ("unknown", "unknown")
