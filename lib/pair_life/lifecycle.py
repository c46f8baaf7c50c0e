"""The life of a pairing: proposed -> trial -> active -> ended, check-ins, endings, undo, withdrawals.

An ending (drop-out, trial no-go or a member's withdrawal) records who ended it, one main reason
from the editable list, optional secondary reasons, feedback and its source, and the date. In the
same transaction: members who stay go back into the pool with priority (requeued_at; waiting time
still counts from their original acceptance), members who left are marked withdrawn, and the two
are marked never to be paired again unless the reason is a happy one ("goals met"). Every ending
stores the rows it changed, so the last one can be undone exactly.
"""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pandas as pd

from lib.errors import InvalidInput, NotFound
from lib.storage import db

STATES = ("proposed", "trial", "active", "ended")
ENDED_BY = ("a", "b", "both", "moderator")
CHANNELS = ("video call", "chat", "in person", "other")
_NEXT = {"proposed": ("trial", "active"), "trial": ("active",), "active": (), "ended": ()}
_APPLICANT_FIELDS = ("status", "status_changed_at", "requeued_at")


def advance(
    con: duckdb.DuckDBPyConnection,
    pairing_id: int,
    to: str,
    *,
    on: date | None = None,
    note: str | None = None,
    moderator: str = "local",
) -> None:
    """Move a pairing forward: to 'trial' (first session agreed) or 'active' (the trial went well)."""
    pair = _pairing(con, pairing_id)
    pairing_id = pair["id"]
    if to not in _NEXT[pair["state"]]:
        allowed = " or ".join(_NEXT[pair["state"]]) or "nothing (end it instead)"
        raise InvalidInput(f"Pairing {pairing_id} is {pair['state']}; it can move to {allowed}, not to '{to}'.")
    when = _day(on, pair)
    with db.transaction(con):
        column = "trial_on" if to == "trial" else "active_on"
        outcome = ", trial_outcome = 'go'" if to == "active" and pair["state"] == "trial" else ""
        con.execute(
            f"UPDATE pairings SET state = ?, {column} = ?, state_changed_at = ?{outcome} WHERE id = ?",
            [to, when, db.now(), pairing_id],
        )
        _event(con, pairing_id, pair["state"], to, when, moderator, note)
        db.audit(con, "advance_pair", {"pairing_id": pairing_id, "to": to, "on": when.isoformat()}, moderator=moderator)


def set_arrangement(
    con: duckdb.DuckDBPyConnection,
    pairing_id: int,
    *,
    day: str | None = None,
    time: str | None = None,
    zone: str | None = None,
    channel: str | None = None,
    moderator: str = "local",
) -> None:
    """Record an active pair's weekly slot and how they talk, when the moderator knows it."""
    pairing_id = _pairing(con, pairing_id)["id"]
    if channel is not None and channel not in CHANNELS:
        raise InvalidInput(f"'{channel}' is not a way to talk; use one of: {', '.join(CHANNELS)}.")
    with db.transaction(con):
        con.execute(
            "UPDATE pairings SET slot_day = ?, slot_time = ?, slot_zone = ?, channel = ? WHERE id = ?",
            [day, time, zone, channel, pairing_id],
        )
        db.audit(
            con,
            "pair_arrangement",
            {"pairing_id": pairing_id, "day": day, "time": time, "zone": zone, "channel": channel},
            moderator=moderator,
        )


def check_in(
    con: duckdb.DuckDBPyConnection, pairing_id: int, note: str, *, on: date | None = None, moderator: str = "local"
) -> None:
    """Note how an open pair is doing ("met 6 times")."""
    pair = _pairing(con, pairing_id)
    pairing_id = pair["id"]
    if pair["state"] == "ended":
        raise InvalidInput(f"Pairing {pairing_id} has ended; check-ins are for open pairings.")
    when = _day(on, pair)
    with db.transaction(con):
        con.execute(
            "INSERT INTO pairing_checkins (pairing_id, checked_on, note, recorded_at, moderator) "
            "VALUES (?, ?, ?, ?, ?)",
            [pairing_id, when, note, db.now(precise=True), moderator],
        )
        db.audit(con, "check_in", {"pairing_id": pairing_id, "on": when.isoformat()}, moderator=moderator)


def end_reasons(con: duckdb.DuckDBPyConnection, *, include_hidden: bool = False) -> pd.DataFrame:
    """The configured ending reasons in the moderator's order."""
    hidden = "" if include_hidden else "WHERE active"
    return con.execute(f"SELECT label, happy, active FROM end_reasons {hidden} ORDER BY position, label").df()


def add_reason(con: duckdb.DuckDBPyConnection, label: str, *, happy: bool = False, moderator: str = "local") -> None:
    """Add a reason to the list (or show a hidden one again)."""
    label = label.strip().lower()
    if not label:
        raise InvalidInput("Give the reason a few words.")
    with db.transaction(con):
        con.execute(
            "INSERT INTO end_reasons VALUES (?, (SELECT coalesce(max(position), 0) + 1 FROM end_reasons), ?, true) "
            "ON CONFLICT (label) DO UPDATE SET active = true, happy = excluded.happy",
            [label, happy],
        )
        db.audit(con, "add_end_reason", {"label": label, "happy": happy}, moderator=moderator)


def hide_reason(con: duckdb.DuckDBPyConnection, label: str, *, moderator: str = "local") -> None:
    """Take a reason off the list (past endings keep it)."""
    found = _reason(con, label)
    with db.transaction(con):
        con.execute("UPDATE end_reasons SET active = false WHERE label = ?", [found])
        db.audit(con, "hide_end_reason", {"label": found}, moderator=moderator)


def end_pairing(
    con: duckdb.DuckDBPyConnection,
    pairing_id: int,
    *,
    by: str,
    reason: str,
    secondary: list[str] | tuple[str, ...] = (),
    feedback: str | None = None,
    feedback_source: str = "moderator",
    on: date | None = None,
    left_service: list[str] | tuple[str, ...] = (),
    moderator: str = "local",
) -> int:
    """Record a drop-out or ending and decide what happens next, in one transaction; returns the ending id."""
    pair = _pairing(con, pairing_id)
    pairing_id = pair["id"]
    if pair["state"] == "ended":
        raise InvalidInput(f"Pairing {pairing_id} has already ended.")
    if by not in ENDED_BY:
        raise InvalidInput(f"'{by}' cannot end a pairing; use one of: {', '.join(ENDED_BY)}.")
    if set(left_service) - {"a", "b"}:
        raise InvalidInput("Only member a or member b can leave the service.")
    main, extra = _reason(con, reason), [_reason(con, r) for r in secondary]
    when = _day(on, pair)
    kind = "ended" if pair["state"] == "active" else "no-go"
    members = {"a": pair["a_id"], "b": pair["b_id"]}
    with db.transaction(con):
        previous = _snapshot(con, pair, list(members.values()))
        con.execute(
            "UPDATE pairings SET state = 'ended', ended_on = ?, ended_by = ?, end_reason = ?, state_changed_at = ?, "
            "trial_outcome = CASE WHEN ? = 'no-go' THEN 'no-go' ELSE trial_outcome END WHERE id = ?",
            [when, by, main, db.now(), kind, pairing_id],
        )
        con.execute("DELETE FROM open_pair_members WHERE pairing_id = ?", [pairing_id])
        added = {
            "pairing_events": [_event(con, pairing_id, pair["state"], "ended", when, moderator, main)],
            "status_history": [],
        }
        for side, applicant_id in members.items():
            if side in left_service:
                added["status_history"].append(_withdraw(con, applicant_id, main, moderator))
            else:
                con.execute("UPDATE applicants SET requeued_at = ? WHERE id = ?", [db.now(), applicant_id])
        if not _is_happy(con, main):
            con.execute(
                "INSERT INTO never_pair VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [min(members.values()), max(members.values()), f"pairing {pairing_id} ended: {main}", db.now()],
            )
        ending_id = _record(
            con,
            kind,
            pairing_id,
            None,
            by,
            main,
            extra,
            feedback,
            feedback_source,
            when,
            list(left_service),
            {**previous, "added": added},
            moderator,
        )
    return ending_id


def withdraw(
    con: duckdb.DuckDBPyConnection,
    email: str,
    *,
    reason: str,
    feedback: str | None = None,
    feedback_source: str = "member",
    on: date | None = None,
    moderator: str = "local",
) -> int:
    """A member leaves the service without being in a pair; same reason and feedback as an ending."""
    row = con.execute("SELECT id, name, status FROM applicants WHERE email = ?", [email.strip().lower()]).fetchone()
    if row is None:
        raise NotFound(f"No applicant has the email {email.strip()}.")
    if row[2] == "withdrawn":
        raise InvalidInput(f"{row[1]} has already withdrawn.")
    open_pair = con.execute("SELECT pairing_id FROM open_pair_members WHERE applicant_id = ?", [row[0]]).fetchone()
    if open_pair:
        raise InvalidInput(
            f"{row[1]} is in pairing {open_pair[0]}; end that pairing and mark them as leaving the service."
        )
    main = _reason(con, reason)
    when = on or db.now().date()
    with db.transaction(con):
        previous = _snapshot(con, None, [row[0]])
        added = {"pairing_events": [], "status_history": [_withdraw(con, row[0], main, moderator)]}
        return _record(
            con,
            "withdrawal",
            None,
            row[0],
            None,
            main,
            [],
            feedback,
            feedback_source,
            when,
            [],
            {**previous, "added": added},
            moderator,
        )


def undo_last_ending(con: duckdb.DuckDBPyConnection, *, moderator: str = "local") -> dict:
    """Undo the most recent ending or withdrawal not yet undone, restoring exactly what it changed."""
    row = con.execute(
        "SELECT id, pairing_id, CAST(previous AS VARCHAR) FROM endings WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        raise InvalidInput("There is no recorded ending to undo.")
    ending_id, pairing_id, previous = row[0], row[1], json.loads(row[2])
    if not previous:
        raise InvalidInput("The last ending's details were erased together with a member; it cannot be undone.")
    taken = con.execute(
        "SELECT a.name FROM open_pair_members o JOIN applicants a ON a.id = o.applicant_id "
        "WHERE list_contains(?, o.applicant_id)",
        [previous.get("open_members", [])],
    ).fetchall()
    if taken:
        raise InvalidInput(f"{taken[0][0]} has been paired again since; end that pairing before undoing this ending.")
    with db.transaction(con):
        _restore(con, previous)
        con.execute("UPDATE endings SET undone_at = ? WHERE id = ?", [db.now(), ending_id])
        db.audit(con, "undo_ending", {"ending_id": ending_id, "pairing_id": pairing_id}, moderator=moderator)
    return {"ending_id": ending_id, "pairing_id": pairing_id}


def last_ending(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The ending the Undo button would undo, described for the page."""
    row = con.execute(
        "SELECT e.id, e.kind, e.pairing_id, e.reason, e.ended_on, coalesce(a.name, pa.name || ' & ' || pb.name) "
        "FROM endings e LEFT JOIN applicants a ON a.id = e.applicant_id LEFT JOIN pairings p ON p.id = e.pairing_id "
        "LEFT JOIN applicants pa ON pa.id = p.a_id LEFT JOIN applicants pb ON pb.id = p.b_id "
        "WHERE e.undone_at IS NULL ORDER BY e.id DESC LIMIT 1"
    ).fetchone()
    keys = ("id", "kind", "pairing_id", "reason", "ended_on", "who")
    return dict(zip(keys, row)) if row else None


def _snapshot(con: duckdb.DuckDBPyConnection, pair: dict | None, applicant_ids: list[int]) -> dict:
    applicants = con.execute(
        f"SELECT id, {', '.join(_APPLICANT_FIELDS)} FROM applicants WHERE list_contains(?, id)", [applicant_ids]
    ).fetchall()
    snapshot = {"applicants": [[str(v) if v is not None and i else v for i, v in enumerate(r)] for r in applicants]}
    if pair:
        keep = ("state", "ended_on", "ended_by", "end_reason", "state_changed_at", "trial_outcome")
        snapshot["pairing"] = {"id": pair["id"], **{k: None if pair[k] is None else str(pair[k]) for k in keep}}
        snapshot["open_members"] = [
            r[0]
            for r in con.execute(
                "SELECT applicant_id FROM open_pair_members WHERE pairing_id = ?", [pair["id"]]
            ).fetchall()
        ]
        low, high = min(pair["a_id"], pair["b_id"]), max(pair["a_id"], pair["b_id"])
        snapshot["never_pair_existed"] = bool(
            con.execute("SELECT count(*) FROM never_pair WHERE low_id = ? AND high_id = ?", [low, high]).fetchone()[0]
        )
        snapshot["never_pair"] = [low, high]
    return snapshot


def _restore(con: duckdb.DuckDBPyConnection, previous: dict) -> None:
    for applicant_id, status, changed, requeued in previous["applicants"]:
        con.execute(
            "UPDATE applicants SET status = ?, status_changed_at = CAST(? AS TIMESTAMP), "
            "requeued_at = CAST(? AS TIMESTAMP) WHERE id = ?",
            [status, changed, requeued, applicant_id],
        )
    pair = previous.get("pairing")
    if pair:
        con.execute(
            "UPDATE pairings SET state = ?, ended_on = CAST(? AS DATE), ended_by = ?, end_reason = ?, "
            "state_changed_at = CAST(? AS TIMESTAMP), trial_outcome = ? WHERE id = ?",
            [
                pair["state"],
                pair["ended_on"],
                pair["ended_by"],
                pair["end_reason"],
                pair["state_changed_at"],
                pair["trial_outcome"],
                pair["id"],
            ],
        )
        for applicant_id in previous["open_members"]:
            con.execute("INSERT INTO open_pair_members VALUES (?, ?)", [applicant_id, pair["id"]])
        if not previous["never_pair_existed"]:
            con.execute("DELETE FROM never_pair WHERE low_id = ? AND high_id = ?", previous["never_pair"])
    for table, ids in previous["added"].items():
        if ids:
            con.execute(f"DELETE FROM {table} WHERE list_contains(?, id)", [ids])


def _record(
    con, kind, pairing_id, applicant_id, by, reason, secondary, feedback, source, when, left, previous, moderator
) -> int:
    if source not in ("member", "moderator"):
        raise InvalidInput("Feedback comes either from the member directly ('member') or through the moderator.")
    ending_id = con.execute(
        "INSERT INTO endings (kind, pairing_id, applicant_id, ended_by, reason, secondary_reasons, feedback, "
        "feedback_source, ended_on, left_service, recorded_at, moderator, previous) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [
            kind,
            pairing_id,
            applicant_id,
            by,
            reason,
            json.dumps(secondary),
            feedback or None,
            source,
            when,
            json.dumps(left),
            db.now(precise=True),
            moderator,
            json.dumps(previous, default=str),
        ],
    ).fetchone()[0]
    db.audit(
        con,
        "record_ending",
        {
            "ending_id": ending_id,
            "kind": kind,
            "pairing_id": pairing_id,
            "applicant_id": applicant_id,
            "reason": reason,
        },
        moderator=moderator,
    )
    return ending_id


def _withdraw(con: duckdb.DuckDBPyConnection, applicant_id: int, reason: str, moderator: str) -> int:
    old = con.execute("SELECT status FROM applicants WHERE id = ?", [applicant_id]).fetchone()[0]
    con.execute(
        "UPDATE applicants SET status = 'withdrawn', status_changed_at = ?, requeued_at = NULL WHERE id = ?",
        [db.now(), applicant_id],
    )
    return con.execute(
        "INSERT INTO status_history (applicant_id, from_status, to_status, reason, changed_at, moderator) "
        "VALUES (?, ?, 'withdrawn', ?, ?, ?) RETURNING id",
        [applicant_id, old, reason, db.now(), moderator],
    ).fetchone()[0]


def _event(con, pairing_id: int, old: str | None, new: str, when: date, moderator: str, note: str | None) -> int:
    return con.execute(
        "INSERT INTO pairing_events (pairing_id, from_state, to_state, happened_on, recorded_at, moderator, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [pairing_id, old, new, when, db.now(precise=True), moderator, note],
    ).fetchone()[0]


def _reason(con: duckdb.DuckDBPyConnection, label: str) -> str:
    labels = [r[0] for r in con.execute("SELECT label FROM end_reasons WHERE active ORDER BY position").fetchall()]
    for known in labels:
        if known.lower() == label.strip().lower():
            return known
    raise InvalidInput(f"'{label.strip()}' is not one of the reasons: {', '.join(labels)}.")


def _is_happy(con: duckdb.DuckDBPyConnection, label: str) -> bool:
    return bool(con.execute("SELECT happy FROM end_reasons WHERE label = ?", [label]).fetchone()[0])


def _day(on: date | None, pair: dict) -> date:
    when = on or db.now().date()
    if pair.get("started_on") and when < pair["started_on"]:
        raise InvalidInput(f"The date {when:%d %b %Y} is before the pairing started ({pair['started_on']:%d %b %Y}).")
    if when > db.now().date():
        raise InvalidInput(f"The date {when:%d %b %Y} is in the future.")
    return when


def _pairing(con: duckdb.DuckDBPyConnection, pairing_id: int) -> dict:
    frame = con.execute("SELECT * FROM pairings WHERE id = ?", [int(pairing_id)]).df()
    if frame.empty:
        raise NotFound(f"There is no pairing number {pairing_id}.")
    record = frame.iloc[0].to_dict()
    for key, value in record.items():
        if hasattr(value, "item") and not isinstance(value, pd.Timestamp):
            value = record[key] = value.item()
        if value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
            record[key] = None
        elif isinstance(value, pd.Timestamp) and key.endswith("_on"):
            record[key] = value.date()
    return record
