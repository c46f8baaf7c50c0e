"""Pairings: confirming a match, pausing members, never-pair marks."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

import duckdb
import pandas as pd

from lib.errors import ConflictError, InvalidInput, NotFound
from lib.matching import candidates, rounds, score
from lib.members.directory import member_by_email
from lib.pair_life import lifecycle
from lib.storage import db


def confirm_pair(con: duckdb.DuckDBPyConnection, email_a: str, email_b: str, *, moderator: str = "local") -> dict:
    """Create a 'proposed' pairing with the skills each way; both members leave the pool.

    The open_pair_members primary key makes two overlapping confirms impossible: whichever commits
    second fails, and its moderator is told who is already paired.
    """
    return confirm_pairs(con, [(email_a, email_b)], moderator=moderator)[0]


def confirm_pairs(
    con: duckdb.DuckDBPyConnection, chosen: list[tuple[str, str]], *, moderator: str = "local"
) -> list[dict]:
    """Confirm several pairs in one transaction: all of them, or none when any one cannot be made."""
    if not chosen:
        raise InvalidInput("Choose at least one pair to confirm.")
    people = [(member_by_email(con, x), member_by_email(con, y)) for x, y in chosen]
    try:
        with db.transaction(con):
            made = [_confirm_one(con, a, b, moderator) for a, b in people]
    except (duckdb.Error, ConflictError) as exc:
        names = ", ".join(f"{a['name']} / {b['name']}" for a, b in people)
        raise InvalidInput(
            f"Someone else just paired one of {names}; nothing was confirmed. Refresh the suggestions."
        ) from exc
    return [pairing(con, pairing_id) for pairing_id in made]


def _confirm_one(con: duckdb.DuckDBPyConnection, a: dict, b: dict, moderator: str) -> int:
    if a["id"] == b["id"]:
        raise InvalidInput("A member cannot be paired with themselves.")
    pool = candidates.eligible_members(con)
    for person in (a, b):
        if person["id"] not in pool.index:
            candidates.require_eligible(con, pool, person["email"])
    _refuse_never_pair(con, a, b)
    scored = score.score_pairs(candidates.candidate_pairs(con, pool, member=a["id"]), pool, score.load_settings(con))
    pair = scored[scored["b"] == b["id"]]
    if pair.empty:
        raise InvalidInput(
            f"{a['name']} and {b['name']} cannot teach each other something both ways "
            "(or the hard limits rule the pair out); choose another partner."
        )
    described = rounds.describe_pairs(con, pair, pool).iloc[0]
    is_demo = bool(a["is_demo"] and b["is_demo"])
    return lifecycle.propose(con, a["id"], b["id"], described, is_demo=is_demo, moderator=moderator)


def pairing(con: duckdb.DuckDBPyConnection, pairing_id: int) -> dict:
    """One pairing with both members' emails and names and the skills each way."""
    row = con.execute(
        """
        SELECT p.id, a.email AS a, b.email AS b, a.name AS a_name, b.name AS b_name, p.state, p.score,
               CAST(p.a_teaches_b AS VARCHAR), CAST(p.b_teaches_a AS VARCHAR), CAST(p.reasons AS VARCHAR), p.created_at
        FROM pairings p JOIN applicants a ON a.id = p.a_id JOIN applicants b ON b.id = p.b_id WHERE p.id = ?
        """,
        [pairing_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"There is no pairing number {pairing_id}.")
    keys = ("id", "a", "b", "a_name", "b_name", "state", "score", "a_teaches_b", "b_teaches_a", "reasons", "created_at")
    found = dict(zip(keys, row))
    for key in ("a_teaches_b", "b_teaches_a", "reasons"):
        found[key] = json.loads(found[key]) if found[key] else []
    return found


def list_pairings(con: duckdb.DuckDBPyConnection, *, state: str | None = None) -> pd.DataFrame:
    """Every pairing with both names, skills each way, state, weeks since start and last change."""
    if state is not None and state not in lifecycle.STATES:
        raise InvalidInput(f"'{state}' is not a state; use proposed, trial, active or ended.")
    return con.execute(
        """
        WITH checkins AS (SELECT pairing_id, max(checked_on) AS last_check_in FROM pairing_checkins GROUP BY 1),
             said AS (SELECT pairing_id, arg_max(feedback, id) AS feedback FROM endings
                      WHERE undone_at IS NULL AND pairing_id IS NOT NULL GROUP BY 1)
        SELECT p.id, a.name AS a_name, b.name AS b_name, a.email AS a, b.email AS b, p.state,
               CAST(p.a_teaches_b AS VARCHAR[]) AS a_teaches_b, CAST(p.b_teaches_a AS VARCHAR[]) AS b_teaches_a,
               p.started_on, p.trial_on, p.active_on, p.ended_on, p.ended_by, p.end_reason AS reason,
               date_diff('week', p.started_on, coalesce(p.ended_on, CAST($now AS DATE))) AS weeks,
               p.state_changed_at AS last_change, p.score, p.channel, p.slot_day, p.slot_time, p.slot_zone,
               coalesce(p.cadence_weeks, 1) AS cadence_weeks, p.snoozed_until, p.snooze_note, p.shared_hours,
               c.last_check_in, s.feedback
        FROM pairings p JOIN applicants a ON a.id = p.a_id JOIN applicants b ON b.id = p.b_id
        LEFT JOIN checkins c ON c.pairing_id = p.id LEFT JOIN said s ON s.pairing_id = p.id
        WHERE $state IS NULL OR p.state = $state
        ORDER BY p.state_changed_at DESC, p.id DESC
        """,
        {"state": state, "now": db.now()},
    ).df()


def still_proposed(con: duckdb.DuckDBPyConnection, pairing_ids: Sequence[int]) -> list[int]:
    """Those of these pairings that still exist and are still 'proposed' (waiting for their trial), in order."""
    if not pairing_ids:
        return []
    found = {
        i
        for (i,) in con.execute(
            "SELECT id FROM pairings WHERE state = 'proposed' AND list_contains($ids, id)", {"ids": list(pairing_ids)}
        ).fetchall()
    }
    return [i for i in pairing_ids if i in found]


def pairing_history(con: duckdb.DuckDBPyConnection, pairing_id: int) -> pd.DataFrame:
    """A pairing's whole history: state moves, check-ins and endings (with undos), oldest first."""
    pairing(con, pairing_id)
    return con.execute(
        """
        SELECT day, recorded_at, what, details, moderator FROM (
            SELECT happened_on AS day, recorded_at, 'moved to ' || to_state AS what, note AS details, moderator,
                   0 AS source, id FROM pairing_events WHERE pairing_id = $id
            UNION ALL
            SELECT checked_on, recorded_at, 'check-in', note, moderator, 1, id
            FROM pairing_checkins WHERE pairing_id = $id
            UNION ALL
            SELECT e.ended_on, e.recorded_at,
                   e.kind || ' by ' || CASE e.ended_by WHEN 'a' THEN a.name WHEN 'b' THEN b.name
                                       WHEN 'moderator' THEN 'the moderator' ELSE coalesce(e.ended_by, '?') END
                   || ': ' || e.reason,
                   coalesce(e.feedback, '') || CASE WHEN e.undone_at IS NOT NULL THEN ' (undone)' ELSE '' END,
                   e.moderator, 2, e.id
            FROM endings e JOIN pairings p ON p.id = e.pairing_id
            JOIN applicants a ON a.id = p.a_id JOIN applicants b ON b.id = p.b_id WHERE e.pairing_id = $id
        ) ORDER BY recorded_at, source, id
        """,
        {"id": pairing_id},
    ).df()


def pause_member(
    con: duckdb.DuckDBPyConnection, email: str, until: date, *, note: str | None = None, moderator: str = "local"
) -> None:
    """Keep a member out of suggestions until a date ("away until March")."""
    person = member_by_email(con, email)
    if until <= db.now().date():
        raise InvalidInput(f"The pause must end after today; {until:%d %b %Y} has passed.")
    with db.transaction(con):
        con.execute(
            "INSERT INTO member_pauses VALUES (?, ?, ?, ?) ON CONFLICT (applicant_id) DO UPDATE "
            "SET until = excluded.until, note = excluded.note, created_at = excluded.created_at",
            [person["id"], until, note, db.now()],
        )
        db.audit(con, "pause", {"applicant_id": person["id"], "until": until.isoformat()}, moderator=moderator)


def unpause_member(con: duckdb.DuckDBPyConnection, email: str, *, moderator: str = "local") -> None:
    """End a member's pause now."""
    person = member_by_email(con, email)
    with db.transaction(con):
        con.execute("DELETE FROM member_pauses WHERE applicant_id = ?", [person["id"]])
        db.audit(con, "unpause", {"applicant_id": person["id"]}, moderator=moderator)


def mark_never_pair(
    con: duckdb.DuckDBPyConnection, email_a: str, email_b: str, *, reason: str | None = None, moderator: str = "local"
) -> None:
    """Never suggest these two members to each other again."""
    a, b = member_by_email(con, email_a), member_by_email(con, email_b)
    if a["id"] == b["id"]:
        raise InvalidInput("Choose two different members.")
    with db.transaction(con):
        lifecycle.keep_apart(con, a["id"], b["id"], reason)
        db.audit(con, "never_pair", {"a": a["id"], "b": b["id"], "reason": reason}, moderator=moderator)


def pauses(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Members paused now, soonest back first (columns headed as the Matching page shows them)."""
    return con.execute(
        'SELECT a.name AS "Member", a.email AS "Email", p.until AS "Paused until", coalesce(p.note, \'\') AS "Note" '
        "FROM member_pauses p JOIN applicants a ON a.id = p.applicant_id "
        "WHERE p.until > ? ORDER BY p.until, a.name",
        [db.now().date()],
    ).df()


def never_pairs(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Pairs of members never to be suggested to each other, newest first (columns headed for the page)."""
    return con.execute(
        'SELECT x.name AS "Member", x.email AS "Email", y.name AS "Never with", y.email AS "Their email", '
        'coalesce(n.reason, \'\') AS "Why", CAST(n.created_at AS DATE) AS "Since" '
        "FROM never_pair n JOIN applicants x ON x.id = n.low_id JOIN applicants y ON y.id = n.high_id "
        "ORDER BY n.created_at DESC"
    ).df()


def _refuse_never_pair(con: duckdb.DuckDBPyConnection, a: dict, b: dict) -> None:
    marked = con.execute(
        "SELECT reason FROM never_pair WHERE low_id = ? AND high_id = ?", [min(a["id"], b["id"]), max(a["id"], b["id"])]
    ).fetchone()
    if marked:
        why = f" ({marked[0]})" if marked[0] else ""
        raise InvalidInput(f"{a['name']} and {b['name']} are marked never to be paired{why}.")
