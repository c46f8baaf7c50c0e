"""Made-up pair history (the demo's year) written in a few set-wise statements.

Each statement costs DuckDB about a millisecond here, so replaying 150 pairs through propose, advance,
check_in and end_pairing (3,000 statements) took 9-12 s. `write` stores exactly the rows those
functions would store for the same stories on a replay clock (each change at ten in the morning of its
day, no audit rows, nothing drafted), as a handful of INSERTs from DataFrames.
tests/unit/test_replay.py writes the same stories both ways and compares every table, so the rules in
lib.pair_life.lifecycle stay the one definition; `write_one_by_one` is that reference.

Decision: a made-up ending stores no undo snapshot (`previous` is `{}`): it is not the moderator's own
change, so there is nothing for them to undo (see lifecycle.last_ending).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

import duckdb
import pandas as pd

from lib.pair_life import lifecycle
from lib.pair_life.clock import Clock, replay_at
from lib.storage import db


@dataclass(frozen=True)
class Story:
    """One made-up pairing from its proposal to its end (or to today)."""

    a: int
    b: int
    described: Mapping  # score, reasons, a_teaches_b, b_teaches_a, shared_hours, cadence_weeks
    start: date
    trial_on: date | None = None
    active_on: date | None = None
    checkins: tuple[tuple[date, str], ...] = ()
    ended_on: date | None = None
    ended_by: str | None = None
    reason: str | None = None
    feedback: str | None = None
    feedback_source: str = "moderator"
    left: tuple[str, ...] = field(default_factory=tuple)


def moment(day: date) -> datetime:
    """When a made-up change is recorded: ten in the morning of its day."""
    return datetime.combine(day, time(10))


def write(con: duckdb.DuckDBPyConnection, stories: Sequence[Story], *, is_demo: bool, moderator: str) -> int:
    """Store these stories in order, inside the caller's transaction; returns the pairings made."""
    if not stories:
        return 0
    ids = [r[0] for r in con.execute("SELECT nextval('pairing_id_seq') FROM range(?)", [len(stories)]).fetchall()]
    happy = dict(con.execute("SELECT label, happy FROM end_reasons").fetchall())
    rows = _Rows()
    for pairing_id, story in zip(ids, stories):
        rows.add(pairing_id, story, happy, is_demo=is_demo, moderator=moderator)
    status = dict(
        con.execute("SELECT id, status FROM applicants WHERE list_contains(?, id)", [rows.members()]).fetchall()
    )
    for table, frame in rows.frames(status, moderator).items():
        _insert(con, table, frame)
    _update_members(con, rows)
    return len(stories)


def write_one_by_one(con: duckdb.DuckDBPyConnection, stories: Sequence[Story], *, is_demo: bool, moderator: str) -> int:
    """The same stories through the lifecycle functions, one change at a time (the reference `write` matches)."""
    for story in stories:
        pairing_id = lifecycle.propose(
            con, story.a, story.b, story.described, is_demo=is_demo, moderator=moderator, clock=_at(story.start)
        )
        for when, to in ((story.trial_on, "trial"), (story.active_on, "active")):
            if when:
                lifecycle.advance(con, pairing_id, to, on=when, moderator=moderator, clock=_at(when))
        for day, note in story.checkins:
            lifecycle.check_in(con, pairing_id, note, on=day, moderator=moderator, clock=_at(day))
        if story.ended_on:
            lifecycle.end_pairing(
                con,
                pairing_id,
                by=story.ended_by,
                reason=story.reason,
                feedback=story.feedback,
                feedback_source=story.feedback_source,
                on=story.ended_on,
                left_service=list(story.left),
                moderator=moderator,
                clock=_at(story.ended_on),
            )
    return len(stories)


class _Rows:
    """The rows of every table, built in story order so the last change to a member wins, as it would."""

    def __init__(self) -> None:
        self.pairings: list[dict] = []
        self.events: list[tuple] = []
        self.checkins: list[tuple] = []
        self.endings: list[tuple] = []
        self.never: dict[tuple[int, int], tuple] = {}
        self.open: list[tuple[int, int]] = []
        self.requeued: dict[int, datetime | None] = {}
        self.withdrawn: list[tuple[int, str, datetime]] = []

    def members(self) -> list[int]:
        return sorted(self.requeued)

    def add(self, pairing_id: int, story: Story, happy: dict, *, is_demo: bool, moderator: str) -> None:
        state, created = "proposed", moment(story.start)
        pair = _pairing_row(pairing_id, story, is_demo, moderator)
        self.events.append((pairing_id, None, "proposed", story.start, created, moderator, "introduced"))
        self.requeued[story.a] = self.requeued[story.b] = None
        for when, to in ((story.trial_on, "trial"), (story.active_on, "active")):
            if when:
                pair[f"{to}_on"], pair["state_changed_at"] = when, moment(when)
                pair["trial_outcome"] = "go" if to == "active" and state == "trial" else pair["trial_outcome"]
                self.events.append((pairing_id, state, to, when, moment(when), moderator, None))
                state = to
        self.checkins += [(pairing_id, day, note, moment(day), moderator) for day, note in story.checkins]
        if story.ended_on:
            self._end(pair, story, state, happy[story.reason], moderator)
        else:
            self.open += [(story.a, pairing_id), (story.b, pairing_id)]
        pair["state"] = "ended" if story.ended_on else state
        self.pairings.append(pair)

    def _end(self, pair: dict, story: Story, state: str, happy: bool, moderator: str) -> None:
        when, kind = moment(story.ended_on), "ended" if state == "active" else "no-go"
        pair.update(ended_on=story.ended_on, ended_by=story.ended_by, end_reason=story.reason, state_changed_at=when)
        pair["trial_outcome"] = "no-go" if kind == "no-go" else pair["trial_outcome"]
        self.events.append((pair["id"], state, "ended", story.ended_on, when, moderator, story.reason))
        for side, member in (("a", story.a), ("b", story.b)):
            if side in story.left:
                self.withdrawn.append((member, story.reason, when))
            self.requeued[member] = None if side in story.left else when
        if not happy:
            low, high = min(story.a, story.b), max(story.a, story.b)
            self.never.setdefault((low, high), (low, high, f"pairing {pair['id']} ended: {story.reason}", when))
        self.endings.append(
            (kind, pair["id"], None, story.ended_by, story.reason, "[]", story.feedback or None, story.feedback_source)
            + (story.ended_on, json.dumps(list(story.left)), when, moderator, "{}")
        )

    def frames(self, status: dict[int, str], moderator: str) -> dict[str, pd.DataFrame]:
        history = []
        for member, reason, when in self.withdrawn:
            history.append((member, status[member], "withdrawn", reason, when, moderator))
            status[member] = "withdrawn"
        return {
            "pairings": pd.DataFrame(self.pairings),
            "pairing_events": _frame(self.events, _EVENT_COLUMNS),
            "pairing_checkins": _frame(self.checkins, _CHECKIN_COLUMNS),
            "endings": _frame(self.endings, _ENDING_COLUMNS),
            "status_history": _frame(history, _HISTORY_COLUMNS),
            "never_pair": _frame(list(self.never.values()), ("low_id", "high_id", "reason", "created_at")),
            "open_pair_members": _frame(self.open, ("applicant_id", "pairing_id")),
        }


_EVENT_COLUMNS = ("pairing_id", "from_state", "to_state", "happened_on", "recorded_at", "moderator", "note")
_CHECKIN_COLUMNS = ("pairing_id", "checked_on", "note", "recorded_at", "moderator")
_ENDING_COLUMNS = (
    "kind pairing_id applicant_id ended_by reason secondary_reasons feedback feedback_source ended_on left_service "
    "recorded_at moderator previous"
).split()
_HISTORY_COLUMNS = ("applicant_id", "from_status", "to_status", "reason", "changed_at", "moderator")


def _pairing_row(pairing_id: int, story: Story, is_demo: bool, moderator: str) -> dict:
    described, created = story.described, moment(story.start)
    shared = described.get("shared_hours")
    cadence = described.get("cadence_weeks")
    return {
        "id": pairing_id,
        "a_id": story.a,
        "b_id": story.b,
        "state": "proposed",
        "score": float(described["score"]),
        "reasons": json.dumps(list(described["reasons"])),
        "a_teaches_b": json.dumps(list(described["a_teaches_b"])),
        "b_teaches_a": json.dumps(list(described["b_teaches_a"])),
        "created_at": created,
        "state_changed_at": created,
        "moderator": moderator,
        "is_demo": is_demo,
        "started_on": story.start,
        "trial_on": None,
        "active_on": None,
        "ended_on": None,
        "ended_by": None,
        "end_reason": None,
        "trial_outcome": None,
        "shared_hours": None if shared is None or shared != shared else float(shared),
        "cadence_weeks": 1 if cadence is None or cadence != cadence or not cadence else int(cadence),
    }


def _frame(rows: list[tuple], columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns), dtype=object)


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    columns = ", ".join(frame.columns)
    # Column names come from this module's own lists above, never from data.
    db.register(con, "_replay_rows", frame)
    try:
        conflict = " ON CONFLICT DO NOTHING" if table == "never_pair" else ""
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _replay_rows{conflict}")
    finally:
        db.unregister(con, "_replay_rows")


def _update_members(con: duckdb.DuckDBPyConnection, rows: _Rows) -> None:
    frame = pd.DataFrame(
        [(member, when) for member, when in rows.requeued.items()], columns=["id", "requeued"], dtype=object
    )
    gone = pd.DataFrame(rows.withdrawn, columns=["id", "reason", "at"], dtype=object).drop_duplicates("id", keep="last")
    db.register(con, "_replay_members", frame)
    db.register(con, "_replay_gone", gone)
    try:
        con.execute(
            "UPDATE applicants SET requeued_at = CAST(m.requeued AS TIMESTAMP) FROM _replay_members m "
            "WHERE applicants.id = m.id"
        )
        con.execute(
            "UPDATE applicants SET status = 'withdrawn', status_changed_at = CAST(g.at AS TIMESTAMP) "
            "FROM _replay_gone g WHERE applicants.id = g.id"
        )
    finally:
        db.unregister(con, "_replay_members")
        db.unregister(con, "_replay_gone")


def _at(day: date) -> Clock:
    return replay_at(moment(day))
