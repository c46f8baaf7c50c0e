"""Members' personal data: export everything about one member, erase a member, retention for declined.

Erasure itself lives in lib.members.erasure (what it removes, and how the file's bytes are rewritten).
Retention erases declined applicants after the configured number of months through the same path.
"""

from __future__ import annotations

import json
from datetime import timedelta

import duckdb
import pandas as pd

from lib.errors import InvalidInput
from lib.insight import analytics
from lib.members import applicants
from lib.members.directory import member_by_email
from lib.pair_life import checkins, pairs
from lib.privacy import erasure
from lib.storage import db, exports


def export_member(con: duckdb.DuckDBPyConnection, email: str) -> dict:
    """Everything held about one member, as JSON-ready data (a subject access request)."""
    person = member_by_email(con, email)
    applicant_id = person["id"]
    return {
        "applicant": _records(con, "SELECT * FROM applicants WHERE id = ?", [applicant_id])[0],
        "skills": _records(
            con,
            "SELECT s.kind, s.position, s.raw AS their_words, k.name AS canonical "
            "FROM applicant_skills s LEFT JOIN skills k ON k.id = s.skill_id "
            "WHERE s.applicant_id = ? ORDER BY s.kind, s.position",
            [applicant_id],
        ),
        "status_history": _records(
            con,
            "SELECT from_status, to_status, reason, changed_at, moderator FROM status_history "
            "WHERE applicant_id = ? ORDER BY id",
            [applicant_id],
        ),
        "pairings": _records(
            con,
            "SELECT p.id, p.state, p.started_on, p.trial_on, p.active_on, p.ended_on, p.ended_by, "
            "p.end_reason, CAST(p.a_teaches_b AS VARCHAR) AS a_teaches_b, "
            "CAST(p.b_teaches_a AS VARCHAR) AS b_teaches_a, "
            "CASE WHEN p.a_id = $id THEN b.name ELSE a.name END AS partner "
            "FROM pairings p JOIN applicants a ON a.id = p.a_id JOIN applicants b ON b.id = p.b_id "
            "WHERE $id IN (p.a_id, p.b_id) ORDER BY p.id",
            {"id": applicant_id},
        ),
        "endings": _records(
            con,
            "SELECT e.kind, e.reason, e.ended_by, e.ended_on, e.feedback, e.feedback_source "
            "FROM endings e LEFT JOIN pairings p ON p.id = e.pairing_id "
            "WHERE e.applicant_id = $id OR $id IN (p.a_id, p.b_id) ORDER BY e.id",
            {"id": applicant_id},
        ),
        "pause": _records(con, "SELECT until, note FROM member_pauses WHERE applicant_id = ?", [applicant_id]),
        "checkin_answers": checkins.export_member(con, applicant_id),
        "messages": _records(
            con,
            "SELECT m.id, m.kind, CAST(m.recipients AS VARCHAR) AS recipients, m.subject, m.body, m.status, "
            "m.created_at, m.sent_at, m.message_id FROM messages m "
            "WHERE m.id IN (SELECT message_id FROM message_members WHERE applicant_id = ?) ORDER BY m.id",
            [applicant_id],
        ),
        "google_group": _records(
            con, "SELECT email, nickname, role, joined_on FROM group_roster WHERE email = ?", [person["email"].lower()]
        ),
    }


def write_member_export(con: duckdb.DuckDBPyConnection, email: str, path) -> None:
    """Write export_member as a UTF-8 JSON file."""
    data = export_member(con, email)
    with open(path, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=2, default=str)


def apply_retention(
    con: duckdb.DuckDBPyConnection, *, moderator: str = "retention", done: list[erasure.Erased] | None = None
) -> int:
    """Erase declined applicants older than the retention setting (months); returns how many (listed in `done`)."""
    months = db.get_setting(con, "retention_months")
    if not months:
        return 0
    cutoff = db.now() - timedelta(days=30 * int(months))
    due = [
        e
        for (e,) in con.execute(
            "SELECT email FROM applicants WHERE status = 'declined' AND status_changed_at < ?",
            [cutoff],
        ).fetchall()
    ]
    for email in due:
        erased = erasure.erase_member(con, email, moderator=moderator)
        if done is not None:
            done.append(erased)
    return len(due)


def set_retention(con: duckdb.DuckDBPyConnection, months: int | None, *, moderator: str = "local") -> None:
    """Erase declined applicants' personal data after this many months (None: keep)."""
    if months is not None and int(months) < 1:
        raise InvalidInput("Keep declined applicants for at least one month, or switch retention off.")
    with db.transaction(con):
        db.set_setting(con, "retention_months", int(months) if months else None)
        db.audit(con, "retention_setting", {"months": months}, moderator=moderator)


def export_table(con: duckdb.DuckDBPyConnection, what: str) -> pd.DataFrame:
    """The applicants, pairs or feedback table as the command line exports it."""
    tables = {
        "applicants": lambda: applicants.list_applicants(con).drop(columns=["id"]),
        "pairs": lambda: pairs.list_pairings(con),
        "feedback": lambda: analytics.feedback(con, limit=1_000_000),
    }
    if what not in tables:
        raise InvalidInput(f"'{what}' cannot be exported; use one of: {', '.join(tables)}.")
    return tables[what]()


def write_export(con: duckdb.DuckDBPyConnection, what: str, path) -> int:
    """Write a formula-safe UTF-8 CSV; returns the number of rows."""
    table = export_table(con, what)
    with open(path, "wb") as out:
        out.write(exports.to_csv_bytes(table))
    return len(table)


def _records(con: duckdb.DuckDBPyConnection, sql: str, params) -> list[dict]:
    frame = con.execute(sql, params).df()
    return json.loads(frame.to_json(orient="records", date_format="iso"))
