"""The life of a pairing: proposed -> trial -> active -> ended, check-ins, endings, undo, withdrawals.

An ending (drop-out, trial no-go or a member's withdrawal) records who ended it, one main reason
from the editable list, optional secondary reasons, feedback and its source, and the date. In the
same transaction: members who stay go back into the pool with priority (requeued_at; waiting time
still counts from their original acceptance), members who left are marked withdrawn, and the two
are marked never to be paired again unless the reason is a happy one ("goals met"). Every ending
stores the rows it changed, so the last one can be undone exactly.

Every writer takes a clock (lib.pair_life.clock): the pages and the command line use the live one;
the demo replays its made-up year through these same functions with a clock set to each past day.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from lib.errors import InvalidInput, NotFound
from lib.members.directory import member_by_email
from lib.messages import drafts
from lib.pair_life import trial
from lib.pair_life.clock import LIVE, Clock
from lib.storage import db

STATES = ("proposed", "trial", "active", "ended")
ENDED_BY = ("a", "b", "both", "moderator")
CHANNELS = ("video call", "chat", "in person", "other")
_NEXT = {"proposed": ("trial", "active"), "trial": ("active",), "active": (), "ended": ()}
_APPLICANT_FIELDS = ("status", "status_changed_at", "requeued_at")


def next_states(state: str) -> tuple[str, ...]:
    """Where a pairing in this state can move forward to (an open pairing can always end instead)."""
    return _NEXT[state]


def is_open(state: str) -> bool:
    """Whether a pairing in this state is still running (check-ins and endings apply)."""
    return state != "ended"


def propose(
    con: duckdb.DuckDBPyConnection,
    a_id: int,
    b_id: int,
    described: Mapping,
    *,
    is_demo: bool = False,
    moderator: str = "local",
    clock: Clock = LIVE,
) -> int:
    """Start a 'proposed' pairing (score, reasons, skills each way); both leave the pool. Call inside a transaction."""
    now = clock.now()
    pairing_id = con.execute(
        "INSERT INTO pairings (a_id, b_id, state, score, reasons, a_teaches_b, b_teaches_a, created_at, "
        "state_changed_at, moderator, is_demo, started_on, shared_hours, cadence_weeks) "
        "VALUES (?, ?, 'proposed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [
            a_id,
            b_id,
            float(described["score"]),
            json.dumps(list(described["reasons"])),
            json.dumps(list(described["a_teaches_b"])),
            json.dumps(list(described["b_teaches_a"])),
            now,
            now,
            moderator,
            is_demo,
            now.date(),
            _number(described.get("shared_hours")),
            int(_number(described.get("cadence_weeks")) or 1),
        ],
    ).fetchone()[0]
    _event(con, pairing_id, None, "proposed", now.date(), moderator, "introduced", clock)
    con.execute("INSERT INTO open_pair_members VALUES (?, ?), (?, ?)", [a_id, pairing_id, b_id, pairing_id])
    con.execute("UPDATE applicants SET requeued_at = NULL WHERE id IN (?, ?)", [a_id, b_id])
    clock.audit(con, "confirm_pair", {"pairing_id": pairing_id, "a": a_id, "b": b_id}, moderator=moderator)
    if clock.draft:
        plan = trial.plan(con, a_id, b_id, clock.now())
        drafts.introduction(con, pairing_id, now=clock.now(), moderator=moderator, trial=plan)
    return pairing_id


def undo_confirm(con: duckdb.DuckDBPyConnection, pairing_id: int, *, moderator: str = "local") -> None:
    """Take back a confirm while the pair is still 'proposed': the pairing is removed, both members are back
    in the pool as they were, and its unsent introduction is discarded (a sent one stays in the outbox)."""
    pair = _pairing(con, pairing_id)
    if pair["state"] != "proposed":
        raise InvalidInput(
            f"Pairing {pair['id']} is {pair['state']}; only a confirm still waiting for its trial can be taken "
            "back. End the pairing instead."
        )
    with db.transaction(con):
        drafts.discard_for_pairing(con, pair["id"])
        con.execute("DELETE FROM open_pair_members WHERE pairing_id = ?", [pair["id"]])
        con.execute("DELETE FROM pairing_events WHERE pairing_id = ?", [pair["id"]])
        con.execute("DELETE FROM pairing_checkins WHERE pairing_id = ?", [pair["id"]])
        con.execute("DELETE FROM pairings WHERE id = ?", [pair["id"]])
        details = {"pairing_id": pair["id"], "a": pair["a_id"], "b": pair["b_id"]}
        db.audit(con, "undo_confirm", details, moderator=moderator)


def advance(
    con: duckdb.DuckDBPyConnection,
    pairing_id: int,
    to: str,
    *,
    on: date | None = None,
    note: str | None = None,
    moderator: str = "local",
    clock: Clock = LIVE,
) -> None:
    """Move a pairing forward: to 'trial' (first session agreed) or 'active' (the trial went well)."""
    pair = _pairing(con, pairing_id)
    pairing_id = pair["id"]
    if to not in _NEXT[pair["state"]]:
        allowed = " or ".join(_NEXT[pair["state"]]) or "nothing (end it instead)"
        raise InvalidInput(f"Pairing {pairing_id} is {pair['state']}; it can move to {allowed}, not to '{to}'.")
    when = _day(on, pair, clock)
    with clock.change(con):
        column = "trial_on" if to == "trial" else "active_on"
        outcome = ", trial_outcome = 'go'" if to == "active" and pair["state"] == "trial" else ""
        con.execute(
            f"UPDATE pairings SET state = ?, {column} = ?, state_changed_at = ?{outcome} WHERE id = ?",
            [to, when, clock.now(), pairing_id],
        )
        _event(con, pairing_id, pair["state"], to, when, moderator, note, clock)
        details = {"pairing_id": pairing_id, "to": to, "on": when.isoformat()}
        clock.audit(con, "advance_pair", details, moderator=moderator)


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
    con: duckdb.DuckDBPyConnection,
    pairing_id: int,
    note: str,
    *,
    on: date | None = None,
    moderator: str = "local",
    clock: Clock = LIVE,
) -> None:
    """Note how an open pair is doing ("met 6 times")."""
    pair = _pairing(con, pairing_id)
    pairing_id = pair["id"]
    if not is_open(pair["state"]):
        raise InvalidInput(f"Pairing {pairing_id} has ended; check-ins are for open pairings.")
    when = _day(on, pair, clock)
    with clock.change(con):
        con.execute(
            "INSERT INTO pairing_checkins (pairing_id, checked_on, note, recorded_at, moderator) "
            "VALUES (?, ?, ?, ?, ?)",
            [pairing_id, when, note, clock.now(precise=True), moderator],
        )
        clock.audit(con, "check_in", {"pairing_id": pairing_id, "on": when.isoformat()}, moderator=moderator)


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
    clock: Clock = LIVE,
) -> int:
    """Record a drop-out or ending and decide what happens next, in one transaction; returns the ending id."""
    pair = _pairing(con, pairing_id)
    if not is_open(pair["state"]):
        raise InvalidInput(f"Pairing {pair['id']} has already ended.")
    if by not in ENDED_BY:
        raise InvalidInput(f"'{by}' cannot end a pairing; use one of: {', '.join(ENDED_BY)}.")
    if set(left_service) - {"a", "b"}:
        raise InvalidInput("Only member a or member b can leave the service.")
    reasons = _reasons(con)
    main, extra = _pick(reasons, reason), [_pick(reasons, r) for r in secondary]
    kind = "ended" if pair["state"] == "active" else "no-go"
    ending = _Ending(
        kind, pair["id"], None, by, main, extra, feedback, feedback_source, _day(on, pair, clock), list(left_service)
    )
    with clock.change(con):
        previous = _snapshot(con, pair, [pair["a_id"], pair["b_id"]])
        added = _close(con, pair, ending, moderator, clock, apart=not reasons[main])
        ending_id = _record(con, ending, {**previous, "added": added}, moderator, clock)
        if clock.draft:
            drafts.after_ending(con, ending_id, now=clock.now(), moderator=moderator)
        return ending_id


def keep_apart(con: duckdb.DuckDBPyConnection, x: int, y: int, reason: str | None, *, clock: Clock = LIVE) -> None:
    """Mark two members never to be suggested to each other (call inside a transaction; a second mark is a no-op)."""
    con.execute(
        "INSERT INTO never_pair VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [min(x, y), max(x, y), reason, clock.now()],
    )


def withdraw(
    con: duckdb.DuckDBPyConnection,
    email: str,
    *,
    reason: str,
    feedback: str | None = None,
    feedback_source: str = "member",
    on: date | None = None,
    moderator: str = "local",
    clock: Clock = LIVE,
) -> int:
    """A member leaves the service without being in a pair; same reason and feedback as an ending."""
    person = member_by_email(con, email)
    if person["status"] == "withdrawn":
        raise InvalidInput(f"{person['name']} has already withdrawn.")
    open_pair = con.execute(
        "SELECT pairing_id FROM open_pair_members WHERE applicant_id = ?", [person["id"]]
    ).fetchone()
    if open_pair:
        raise InvalidInput(
            f"{person['name']} is in pairing {open_pair[0]}; end that pairing and mark them as leaving the service."
        )
    main = _reason(con, reason)
    ending = _Ending(
        "withdrawal", None, person["id"], None, main, [], feedback, feedback_source, on or clock.today(), []
    )
    with clock.change(con):
        previous = _snapshot(con, None, [person["id"]])
        added = {"pairing_events": [], "status_history": [_withdraw(con, person["id"], main, moderator, clock)]}
        ending_id = _record(con, ending, {**previous, "added": added}, moderator, clock)
        if clock.draft:
            drafts.after_ending(con, ending_id, now=clock.now(), moderator=moderator)
        return ending_id


def undo_last_ending(con: duckdb.DuckDBPyConnection, *, moderator: str = "local") -> dict:
    """Undo the most recent ending or withdrawal not yet undone, restoring exactly what it changed."""
    row = con.execute(
        f"SELECT id, pairing_id, CAST(previous AS VARCHAR), {_RECORDED} AS own FROM endings e "
        "WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        raise InvalidInput("There is no recorded ending to undo.")
    if not row[3]:
        raise InvalidInput(
            "There is no recorded ending to undo: the last one is part of the demo's made-up history, or its "
            "details were erased together with a member."
        )
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
        drafts.discard_for_ending(con, ending_id)
        con.execute("UPDATE endings SET undone_at = ? WHERE id = ?", [db.now(), ending_id])
        db.audit(con, "undo_ending", {"ending_id": ending_id, "pairing_id": pairing_id}, moderator=moderator)
    return {"ending_id": ending_id, "pairing_id": pairing_id}


def last_ending(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The ending the Undo button would undo, described for the page; None when the latest ending is not one a
    moderator recorded (the demo's made-up history writes no audit row, so it offers no undo)."""
    row = con.execute(
        "SELECT e.id, e.kind, e.pairing_id, e.reason, e.ended_on, coalesce(a.name, pa.name || ' & ' || pb.name), "
        f"{_RECORDED} FROM endings e LEFT JOIN applicants a ON a.id = e.applicant_id "
        "LEFT JOIN pairings p ON p.id = e.pairing_id "
        "LEFT JOIN applicants pa ON pa.id = p.a_id LEFT JOIN applicants pb ON pb.id = p.b_id "
        "WHERE e.undone_at IS NULL ORDER BY e.id DESC LIMIT 1"
    ).fetchone()
    keys = ("id", "kind", "pairing_id", "reason", "ended_on", "who")
    return dict(zip(keys, row)) if row and row[-1] else None


# Whether ending `e` was recorded by a moderator: its audit row names it (made-up history writes none).
_RECORDED = (
    "EXISTS (SELECT 1 FROM audit_log l WHERE l.action = 'record_ending' "
    "AND TRY_CAST(json_extract_string(l.details, '$.ending_id') AS BIGINT) = e.id)"
)


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


@dataclass(frozen=True)
class _Ending:
    kind: str
    pairing_id: int | None
    applicant_id: int | None
    by: str | None
    reason: str
    secondary: list[str]
    feedback: str | None
    source: str
    on: date
    left: list[str]


def _close(
    con: duckdb.DuckDBPyConnection, pair: dict, ending: _Ending, moderator: str, clock: Clock, *, apart: bool
) -> dict:
    """End the pairing's rows: state, open members, the staying member requeued, leavers withdrawn, never-pair."""
    con.execute(
        "UPDATE pairings SET state = 'ended', ended_on = ?, ended_by = ?, end_reason = ?, state_changed_at = ?, "
        "trial_outcome = CASE WHEN ? = 'no-go' THEN 'no-go' ELSE trial_outcome END WHERE id = ?",
        [ending.on, ending.by, ending.reason, clock.now(), ending.kind, pair["id"]],
    )
    con.execute("DELETE FROM open_pair_members WHERE pairing_id = ?", [pair["id"]])
    event = _event(con, pair["id"], pair["state"], "ended", ending.on, moderator, ending.reason, clock)
    added = {"pairing_events": [event], "status_history": []}
    for side, applicant_id in (("a", pair["a_id"]), ("b", pair["b_id"])):
        if side in ending.left:
            added["status_history"].append(_withdraw(con, applicant_id, ending.reason, moderator, clock))
        else:
            con.execute("UPDATE applicants SET requeued_at = ? WHERE id = ?", [clock.now(), applicant_id])
    if apart:
        keep_apart(con, pair["a_id"], pair["b_id"], f"pairing {pair['id']} ended: {ending.reason}", clock=clock)
    return added


def _record(con: duckdb.DuckDBPyConnection, ending: _Ending, previous: dict, moderator: str, clock: Clock) -> int:
    if ending.source not in ("member", "moderator"):
        raise InvalidInput("Feedback comes either from the member directly ('member') or through the moderator.")
    ending_id = con.execute(
        "INSERT INTO endings (kind, pairing_id, applicant_id, ended_by, reason, secondary_reasons, feedback, "
        "feedback_source, ended_on, left_service, recorded_at, moderator, previous) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [
            ending.kind,
            ending.pairing_id,
            ending.applicant_id,
            ending.by,
            ending.reason,
            json.dumps(ending.secondary),
            ending.feedback or None,
            ending.source,
            ending.on,
            json.dumps(ending.left),
            clock.now(precise=True),
            moderator,
            json.dumps(previous, default=str),
        ],
    ).fetchone()[0]
    details = {"ending_id": ending_id, "kind": ending.kind, "pairing_id": ending.pairing_id}
    details |= {"applicant_id": ending.applicant_id, "reason": ending.reason}
    clock.audit(con, "record_ending", details, moderator=moderator)
    return ending_id


def _withdraw(con: duckdb.DuckDBPyConnection, applicant_id: int, reason: str, moderator: str, clock: Clock) -> int:
    old = con.execute("SELECT status FROM applicants WHERE id = ?", [applicant_id]).fetchone()[0]
    con.execute(
        "UPDATE applicants SET status = 'withdrawn', status_changed_at = ?, requeued_at = NULL WHERE id = ?",
        [clock.now(), applicant_id],
    )
    return con.execute(
        "INSERT INTO status_history (applicant_id, from_status, to_status, reason, changed_at, moderator) "
        "VALUES (?, ?, 'withdrawn', ?, ?, ?) RETURNING id",
        [applicant_id, old, reason, clock.now(), moderator],
    ).fetchone()[0]


def _event(
    con, pairing_id: int, old: str | None, new: str, when: date, moderator: str, note: str | None, clock: Clock
) -> int:
    return con.execute(
        "INSERT INTO pairing_events (pairing_id, from_state, to_state, happened_on, recorded_at, moderator, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [pairing_id, old, new, when, clock.now(precise=True), moderator, note],
    ).fetchone()[0]


def _reason(con: duckdb.DuckDBPyConnection, label: str) -> str:
    return _pick(_reasons(con), label)


def _reasons(con: duckdb.DuckDBPyConnection) -> dict[str, bool]:
    """The active reasons in the moderator's order, each with whether it is a happy one."""
    return dict(con.execute("SELECT label, happy FROM end_reasons WHERE active ORDER BY position").fetchall())


def _pick(reasons: dict[str, bool], label: str) -> str:
    for known in reasons:
        if known.lower() == label.strip().lower():
            return known
    raise InvalidInput(f"'{label.strip()}' is not one of the reasons: {', '.join(reasons)}.")


def _day(on: date | None, pair: dict, clock: Clock) -> date:
    when = on or clock.today()
    if pair.get("started_on") and when < pair["started_on"]:
        raise InvalidInput(f"The date {when:%d %b %Y} is before the pairing started ({pair['started_on']:%d %b %Y}).")
    if when > clock.today():
        raise InvalidInput(f"The date {when:%d %b %Y} is in the future.")
    return when


def _number(value) -> float | None:
    """A float, or None for a missing value (None or NaN)."""
    return None if value is None or value != value else float(value)


def _pairing(con: duckdb.DuckDBPyConnection, pairing_id: int) -> dict:
    cursor = con.execute(
        "SELECT id, a_id, b_id, state, started_on, ended_on, ended_by, end_reason, state_changed_at, trial_outcome "
        "FROM pairings WHERE id = ?",
        [int(pairing_id)],
    )
    row = cursor.fetchone()
    if row is None:
        raise NotFound(f"There is no pairing number {pairing_id}.")
    return dict(zip([column[0] for column in cursor.description], row))
