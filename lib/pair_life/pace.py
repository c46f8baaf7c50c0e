"""A pair's pace: meeting every week or every two weeks, and snoozing until a date instead of ending.

Any open pair (proposed, trial or active) can change its cadence or be snoozed (holidays, a busy month).
A snoozed pair is left alone until its date: it is not flagged as stalled or silent (its members are in
an open pair, so they are never re-matched either). On the date it comes back on the home page's
needs-attention list ("snooze over") until the moderator wakes it (or snoozes it again). Every change
is one transaction with an audit row and a pace_changes row holding what it replaced, so the last
change of a pair can be undone exactly.
"""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pandas as pd

from lib.errors import InvalidInput, NotFound
from lib.storage import db

CADENCES = (1, 2)
_FIELDS = ("cadence_weeks", "snoozed_until", "snooze_note")


def set_cadence(con: duckdb.DuckDBPyConnection, pairing_id: int, every: int, *, moderator: str = "local") -> None:
    """Meet every `every` weeks (1 or 2)."""
    if every not in CADENCES:
        raise InvalidInput("A pair meets every week (1) or every two weeks (2).")
    _change(con, pairing_id, "cadence", {"cadence_weeks": int(every)}, moderator)


def snooze(
    con: duckdb.DuckDBPyConnection, pairing_id: int, until: date, *, note: str | None = None, moderator: str = "local"
) -> None:
    """Leave an open pair alone until a date (after today, at most a year ahead)."""
    today = db.now().date()
    if until <= today:
        raise InvalidInput(f"Snooze until a day after today ({today:%d %b %Y}), not {until:%d %b %Y}.")
    if (until - today).days > 366:
        raise InvalidInput("Snooze for at most a year; end the pair instead if it is over.")
    _change(con, pairing_id, "snooze", {"snoozed_until": until.isoformat(), "snooze_note": note or None}, moderator)


def wake(con: duckdb.DuckDBPyConnection, pairing_id: int, *, moderator: str = "local") -> None:
    """End a snooze (early, or once its date has come and the moderator has nudged the pair)."""
    if _current(con, pairing_id)["snoozed_until"] is None:
        raise InvalidInput(f"Pairing {pairing_id} is not snoozed.")
    _change(con, pairing_id, "wake", {"snoozed_until": None, "snooze_note": None}, moderator)


def undo_last(con: duckdb.DuckDBPyConnection, pairing_id: int, *, moderator: str = "local") -> str:
    """Undo the pair's most recent cadence change, snooze or wake; returns its kind."""
    row = con.execute(
        "SELECT id, kind, CAST(before AS VARCHAR) FROM pace_changes WHERE pairing_id = ? AND undone_at IS NULL "
        "ORDER BY id DESC LIMIT 1",
        [pairing_id],
    ).fetchone()
    if row is None:
        raise InvalidInput(f"Pairing {pairing_id} has no change of pace to undo.")
    change_id, kind, before = row
    with db.transaction(con):
        _write(con, pairing_id, json.loads(before))
        con.execute("UPDATE pace_changes SET undone_at = ? WHERE id = ?", [db.now(), change_id])
        db.audit(con, "undo_pace", {"pairing_id": pairing_id, "change_id": change_id}, moderator=moderator)
    return kind


def history(con: duckdb.DuckDBPyConnection, pairing_id: int) -> pd.DataFrame:
    """A pair's pace changes, newest first, in words."""
    return con.execute(
        "SELECT changed_at, kind, CAST(after AS VARCHAR) AS after, moderator, undone_at IS NOT NULL AS undone "
        "FROM pace_changes WHERE pairing_id = ? ORDER BY id DESC",
        [pairing_id],
    ).df()


def _change(con: duckdb.DuckDBPyConnection, pairing_id: int, kind: str, new: dict, moderator: str) -> None:
    before = _current(con, pairing_id)
    after = {**before, **new}
    with db.transaction(con):
        _write(con, pairing_id, after)
        con.execute(
            "INSERT INTO pace_changes (pairing_id, kind, before, after, changed_at, moderator) VALUES (?, ?, ?, ?, ?, ?)",
            [pairing_id, kind, json.dumps(before), json.dumps(after), db.now(), moderator],
        )
        db.audit(con, f"pair_{kind}", {"pairing_id": pairing_id, **new}, moderator=moderator)


def _current(con: duckdb.DuckDBPyConnection, pairing_id: int) -> dict:
    row = con.execute(
        "SELECT state, coalesce(cadence_weeks, 1), snoozed_until, snooze_note FROM pairings WHERE id = ?",
        [int(pairing_id)],
    ).fetchone()
    if row is None:
        raise NotFound(f"There is no pairing number {pairing_id}.")
    if row[0] == "ended":
        raise InvalidInput(f"Pairing {pairing_id} has ended; only an open pair can change its pace.")
    return {"cadence_weeks": row[1], "snoozed_until": row[2].isoformat() if row[2] else None, "snooze_note": row[3]}


def _write(con: duckdb.DuckDBPyConnection, pairing_id: int, values: dict) -> None:
    con.execute(
        "UPDATE pairings SET cadence_weeks = ?, snoozed_until = CAST(? AS DATE), snooze_note = ? WHERE id = ?",
        [values["cadence_weeks"], values["snoozed_until"], values["snooze_note"], pairing_id],
    )
