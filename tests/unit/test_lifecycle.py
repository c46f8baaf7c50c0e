from datetime import date, timedelta

import pytest

from lib.errors import InvalidInput
from lib.intake import importer
from lib.matching import candidates, rounds
from lib.pair_life import lifecycle, pairs
from tests.conftest import make_csv, table_snapshot

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone", "Years of experience"]
ROWS = [
    ["a@x.org", "Ann A", "Go", "Rust", "UTC", "5"],
    ["b@x.org", "Bo B", "Rust", "Go", "UTC", "5"],
    ["c@x.org", "Cy C", "Rust", "Go", "UTC", "5"],
]


@pytest.fixture
def pair(con):
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="l.csv", status="accepted")
    return pairs.confirm_pair(con, "a@x.org", "b@x.org")["id"]


def _state(con, pairing_id):
    return con.execute("SELECT state FROM pairings WHERE id = ?", [pairing_id]).fetchone()[0]


def test_the_whole_life_of_a_pair(con, pair):
    lifecycle.advance(con, pair, "trial")
    lifecycle.advance(con, pair, "active")
    lifecycle.set_arrangement(con, pair, day="Tuesday", time="18:00", zone="Europe/Berlin", channel="video call")
    lifecycle.check_in(con, pair, "met 6 times")
    lifecycle.end_pairing(con, pair, by="both", reason="goals met", feedback="Learned enough Rust!")
    history = pairs.pairing_history(con, pair)
    assert list(history["what"]) == [
        "moved to proposed",
        "moved to trial",
        "moved to active",
        "check-in",
        "moved to ended",
        "ended by both: goals met",
    ]
    row = pairs.list_pairings(con, state="ended").iloc[0]
    assert (row["reason"], row["feedback"], row["channel"], row["ended_by"]) == (
        "goals met",
        "Learned enough Rust!",
        "video call",
        "both",
    )
    assert con.execute("SELECT trial_outcome FROM pairings").fetchone()[0] == "go"


def test_moves_only_go_forward(con, pair):
    with pytest.raises(InvalidInput, match="can move to trial or active"):
        lifecycle.advance(con, pair, "ended")
    lifecycle.advance(con, pair, "active")
    with pytest.raises(InvalidInput, match="end it instead"):
        lifecycle.advance(con, pair, "trial")


def test_drop_out_requeues_the_partner_with_priority_and_never_repairs_them(con, pair):
    lifecycle.advance(con, pair, "active")
    lifecycle.end_pairing(con, pair, by="a", reason="Time commitment", feedback="Too busy at work", left_service=["a"])
    statuses = dict(con.execute("SELECT email, status FROM applicants").fetchall())
    assert statuses["a@x.org"] == "withdrawn" and statuses["b@x.org"] == "accepted"
    pool = candidates.eligible_members(con)
    assert bool(pool.set_index("email").loc["b@x.org", "left_behind"])
    suggestion = rounds.suggest_partners(con, "b@x.org")
    assert list(suggestion["b_email"]) == [] or "a@x.org" not in set(suggestion["b_email"])
    assert con.execute("SELECT count(*) FROM never_pair").fetchone()[0] == 1
    importer.import_applications(
        con, make_csv(HEADER, [["d@x.org", "Di D", "Go", "Rust", "UTC", "5"]]), filename="d.csv", status="accepted"
    )
    best = rounds.suggest_partners(con, "b@x.org").iloc[0]
    assert best["b_email"] == "d@x.org" and "Bo was left behind by a partner's drop-out" in best["reasons"]


def test_next_round_never_repairs_the_two_but_goals_met_allows_it(con, pair):
    lifecycle.end_pairing(con, pair, by="b", reason="skill mismatch")
    assert _round_pairs(con) == {frozenset({"a@x.org", "c@x.org"})} or "b@x.org" not in str(_round_pairs(con))
    assert frozenset({"a@x.org", "b@x.org"}) not in _round_pairs(con)
    second = pairs.confirm_pair(con, "a@x.org", "c@x.org")["id"]
    lifecycle.end_pairing(con, second, by="both", reason="goals met")
    assert con.execute("SELECT count(*) FROM never_pair").fetchone()[0] == 1
    assert frozenset({"a@x.org", "c@x.org"}) in {
        frozenset((p.a_email, p.b_email)) for p in rounds.suggest_partners(con, "a@x.org").itertuples()
    } | {frozenset(("a@x.org", e)) for e in rounds.suggest_partners(con, "a@x.org")["b_email"]}


def _round_pairs(con):
    return {frozenset((p.a_email, p.b_email)) for p in rounds.suggest_round(con).pairs.itertuples()}


def test_trial_no_go_is_recorded_as_data(con, pair):
    lifecycle.advance(con, pair, "trial")
    lifecycle.end_pairing(con, pair, by="moderator", reason="level mismatch", feedback="Bo was far ahead")
    kind, outcome = con.execute(
        "SELECT e.kind, p.trial_outcome FROM endings e JOIN pairings p ON p.id = e.pairing_id"
    ).fetchone()
    assert (kind, outcome) == ("no-go", "no-go")


def test_undo_restores_exactly_the_previous_state(con, pair):
    lifecycle.advance(con, pair, "active")
    before = table_snapshot(con)
    lifecycle.end_pairing(
        con,
        pair,
        by="a",
        reason="time commitment",
        secondary=["life or work change"],
        feedback="busy",
        left_service=["a"],
    )
    assert table_snapshot(con) != before
    lifecycle.undo_last_ending(con)
    after = table_snapshot(con)
    for table in before:
        if table not in ("endings", "audit_log", "messages", "message_members"):
            assert after[table] == before[table], table
    # the ending's notices stay in the outbox, discarded (nothing there is deleted)
    statuses = con.execute("SELECT kind, status FROM messages ORDER BY id").fetchall()
    assert statuses == [("introduction", "draft"), ("farewell", "discarded"), ("partner_left", "discarded")]
    with pytest.raises(InvalidInput, match="no recorded ending"):
        lifecycle.undo_last_ending(con)


def test_unknown_reason_lists_the_valid_ones(con, pair):
    with pytest.raises(InvalidInput, match="not one of the reasons: time commitment, schedule clash"):
        lifecycle.end_pairing(con, pair, by="a", reason="bored")
    lifecycle.add_reason(con, "moved abroad")
    lifecycle.end_pairing(con, pair, by="a", reason="Moved Abroad")
    assert con.execute("SELECT end_reason FROM pairings").fetchone()[0] == "moved abroad"


def test_end_date_cannot_be_before_the_start_or_in_the_future(con, pair):
    with pytest.raises(InvalidInput, match="before the pairing started"):
        lifecycle.end_pairing(con, pair, by="a", reason="other", on=date.today() - timedelta(days=400))
    with pytest.raises(InvalidInput, match="in the future"):
        lifecycle.end_pairing(con, pair, by="a", reason="other", on=date.today() + timedelta(days=3))


def test_withdrawing_removes_a_member_from_suggestions(con, pair):
    lifecycle.withdraw(con, "c@x.org", reason="life or work change", feedback="new baby")
    assert "c@x.org" not in set(candidates.eligible_members(con)["email"])
    with pytest.raises(InvalidInput, match="end that pairing"):
        lifecycle.withdraw(con, "a@x.org", reason="other")
    lifecycle.undo_last_ending(con)
    assert "c@x.org" in set(candidates.eligible_members(con)["email"])


def test_audit_log_has_one_row_per_action(con, pair):
    start = con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    lifecycle.advance(con, pair, "trial")
    lifecycle.check_in(con, pair, "first session done")
    lifecycle.end_pairing(con, pair, by="a", reason="other")
    lifecycle.undo_last_ending(con)
    actions = [r[0] for r in con.execute("SELECT action FROM audit_log ORDER BY id").fetchall()][start:]
    assert actions == ["advance_pair", "check_in", "record_ending", "undo_ending"]


def test_the_demos_made_up_endings_offer_no_undo(con):
    # Issue 21: after loading the demo the Pairs page offered "Undo it" for an ending nobody recorded.
    from lib import demo

    demo.load_demo(con)
    assert lifecycle.last_ending(con) is None
    with pytest.raises(InvalidInput, match="no recorded ending"):
        lifecycle.undo_last_ending(con)


def test_still_proposed_keeps_order_and_drops_moved_or_missing_pairings(con, pair):
    assert pairs.still_proposed(con, [999, pair]) == [pair]
    assert pairs.still_proposed(con, []) == []
    lifecycle.advance(con, pair, "trial")
    assert pairs.still_proposed(con, [pair]) == []


def test_a_replayed_change_is_dated_by_its_clock_joins_the_callers_transaction_and_writes_no_audit(con, pair):
    from datetime import datetime

    from lib.pair_life.clock import replay_at
    from lib.storage import db

    audits = con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    day = date.today()
    with db.transaction(con):
        lifecycle.advance(con, pair, "trial", on=day, clock=replay_at(datetime.combine(day, datetime.min.time())))
    row = con.execute("SELECT state, trial_on, state_changed_at FROM pairings WHERE id = ?", [pair]).fetchone()
    assert row == ("trial", day, datetime.combine(day, datetime.min.time()))
    assert con.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audits


def test_a_replay_clock_refuses_dates_after_its_own_today(con, pair):
    from datetime import datetime

    from lib.pair_life.clock import replay_at

    clock = replay_at(datetime.combine(date.today(), datetime.min.time()))
    with pytest.raises(InvalidInput, match="in the future"):
        lifecycle.advance(con, pair, "trial", on=date.today() + timedelta(days=1), clock=clock)
    assert _state(con, pair) == "proposed"


def test_next_states_is_the_table_the_pages_read():
    assert lifecycle.next_states("proposed") == ("trial", "active")
    assert lifecycle.next_states("trial") == ("active",)
    assert lifecycle.next_states("active") == () and lifecycle.next_states("ended") == ()
    assert lifecycle.is_open("active") and not lifecycle.is_open("ended")
