"""Applicants and the screening pipeline: listing, searching, moving between stages, notes."""

from __future__ import annotations

import json
from collections.abc import Sequence

import duckdb
import pandas as pd

from lib.errors import InvalidInput, NotFound
from lib.members.directory import member_by_email, normal_email
from lib.members.stages import FINAL, STAGES, check_move, check_stage
from lib.members.stages import STAGE_HELP as STAGE_HELP  # the home page reads it here
from lib.messages import drafts
from lib.storage import db

_DAY_LABELS = {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri", "sat": "Sat", "sun": "Sun"}
_LIST_SQL = """
WITH words AS (
    SELECT applicant_id,
           list(raw ORDER BY position) FILTER (WHERE kind = 'offer') AS offers,
           list(raw ORDER BY position) FILTER (WHERE kind = 'want') AS wants
    -- a compound word ("HTML/CSS") has one row per skill it names; the member wrote it once
    FROM (SELECT DISTINCT applicant_id, kind, position, raw FROM applicant_skills) GROUP BY applicant_id
), canonical AS (
    SELECT applicant_id,
           list(name ORDER BY first) FILTER (WHERE kind = 'offer') AS offers_canonical,
           list(name ORDER BY first) FILTER (WHERE kind = 'want') AS wants_canonical
    FROM (SELECT s.applicant_id, s.kind, k.name, min(s.position) AS first
          FROM applicant_skills s JOIN skills k ON k.id = s.skill_id GROUP BY ALL)
    GROUP BY applicant_id
)
SELECT a.id, a.name, a.email, a.linkedin, a.github, a.other_links,
       coalesce(w.offers, []) AS offers, coalesce(w.wants, []) AS wants,
       coalesce(c.offers_canonical, []) AS offers_canonical, coalesce(c.wants_canonical, []) AS wants_canonical,
       a.timezone, a.experience_years, a.experience_text, a.goals, a.status,
       CAST(a.availability AS VARCHAR) AS availability, a.hours_per_week, a.availability_text, a.budget_text,
       -- only people still waiting for a decision wait; a decided applicant's count would mean nothing
       CAST(CASE WHEN a.status IN ('applied', 'screened', 'interviewed') THEN date_diff('day', a.applied_at, $now)
       END AS DOUBLE) AS days_waiting,
       a.applied_at, a.submitted_at, a.status_changed_at, a.decline_reason, a.notes, a.is_demo,
       CAST(a.extra AS VARCHAR) AS extra
FROM applicants a LEFT JOIN words w ON w.applicant_id = a.id LEFT JOIN canonical c ON c.applicant_id = a.id
WHERE ($status IS NULL OR a.status = $status)
  AND ($search IS NULL OR a.name ILIKE $search OR a.email ILIKE $search
       OR coalesce(a.offers_text, '') ILIKE $search OR coalesce(a.wants_text, '') ILIKE $search)
ORDER BY a.applied_at, a.id
"""


def list_applicants(
    con: duckdb.DuckDBPyConnection, *, status: str | None = None, search: str | None = None
) -> pd.DataFrame:
    """Applicants with their skill words, filtered by stage and a search over names, emails, skills.

    Free times come as stored (`availability`: JSON text of local weekly slots, None when unknown;
    `hours_per_week`: NaN when unknown) and readable (`free_times` "Mon-Fri 18-22, Sat 8-12",
    `weekly_budget` "1.5 h/week"; empty when unknown)."""
    if status is not None:
        check_stage(status)
    pattern = f"%{search.strip()}%" if search and search.strip() else None
    frame = con.execute(_LIST_SQL, {"now": db.now(), "status": status, "search": pattern}).df()
    return _with_readable_time(frame)


def get_applicant(con: duckdb.DuckDBPyConnection, email: str) -> dict:
    """One applicant by email, as a dict; NotFound with the email if unknown."""
    return member_by_email(con, email)


def stage_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """How many applicants are in each screening stage (zero stages included), in pipeline order."""
    found = dict(con.execute("SELECT status, count(*) FROM applicants GROUP BY status").fetchall())
    return pd.DataFrame({"stage": list(STAGES), "count": [found.get(s, 0) for s in STAGES]})


def set_status(
    con: duckdb.DuckDBPyConnection,
    emails: Sequence[str],
    to: str,
    *,
    reason: str | None = None,
    moderator: str = "local",
) -> int:
    """Move applicants to a stage in one transaction; returns how many changed stage.

    Those newly accepted get a welcome drafted in the outbox, those newly declined a decline (without the reason).
    """
    check_move(to, reason=reason)
    wanted = sorted({normal_email(e) for e in emails})
    if not wanted:
        raise InvalidInput("Choose at least one applicant.")
    with db.transaction(con):
        rows = con.execute(
            "SELECT id, email, status FROM applicants WHERE list_contains($emails, email)", {"emails": wanted}
        ).fetchall()
        missing = sorted(set(wanted) - {r[1] for r in rows})
        if missing:
            raise NotFound(f"No applicant has the email {', '.join(missing)}; nothing was changed.")
        erased = sorted(email for _, email, old in rows if old == FINAL)
        if erased:
            raise InvalidInput(
                f"{', '.join(erased)} was erased; an erased member cannot be moved. Nothing was changed."
            )
        moving = [(i, old) for i, _, old in rows if old != to]
        _move(con, moving, to, reason=reason, moderator=moderator)
        drafts.after_stage(con, [i for i, _ in moving], to, now=db.now(), moderator=moderator)
        db.audit(
            con,
            "set_status",
            {"to": to, "reason": reason, "emails": wanted, "changed": len(moving)},
            moderator=moderator,
        )
    return len(moving)


def set_notes(con: duckdb.DuckDBPyConnection, email: str, notes: str, *, moderator: str = "local") -> None:
    """Replace the moderator's free-text notes about one applicant."""
    person = member_by_email(con, email)
    with db.transaction(con):
        con.execute("UPDATE applicants SET notes = ?, updated_at = ? WHERE id = ?", [notes, db.now(), person["id"]])
        db.audit(con, "set_notes", {"applicant_id": person["id"]}, moderator=moderator)


def status_history(con: duckdb.DuckDBPyConnection, email: str) -> pd.DataFrame:
    """Every stage change of one applicant, oldest first."""
    return con.execute(
        "SELECT h.changed_at, h.from_status, h.to_status, h.reason, h.moderator FROM status_history h "
        "JOIN applicants a ON a.id = h.applicant_id WHERE a.email = ? ORDER BY h.id",
        [normal_email(email)],
    ).df()


def home_summary(con: duckdb.DuckDBPyConnection, *, unscreened_days: int = 7) -> dict:
    """What the home page needs: totals, the last import and applications waiting for screening."""
    total, demo = con.execute("SELECT count(*), count(*) FILTER (WHERE is_demo) FROM applicants").fetchone()
    last = con.execute(
        "SELECT id, imported_at, filename, inserted, updated, rejected FROM imports ORDER BY id DESC LIMIT 1"
    ).fetchone()
    waiting = con.execute(
        "SELECT count(*) FROM applicants WHERE status = 'applied' AND applied_at < ?",
        [db.now() - pd.Timedelta(days=unscreened_days)],
    ).fetchone()[0]
    keys = ("id", "imported_at", "filename", "inserted", "updated", "rejected")
    return {
        "total": total,
        "demo": demo,
        "last_import": dict(zip(keys, last)) if last else None,
        "unscreened_overdue": waiting,
    }


def slots_of(stored: str | None) -> list[dict]:
    """A stored availability (JSON text) as its list of slots; [] when unknown."""
    return json.loads(stored) if isinstance(stored, str) and stored else []


def describe_slots(slots: list[dict]) -> str:
    """Weekly slots as a moderator reads them: "Mon-Fri 18-22, Sat 8-12" ('' when unknown)."""
    runs: list[tuple[list[str], str]] = []
    for day in _DAY_LABELS:
        hours = " & ".join(f"{_short(s['start'])}-{_short(s['end'])}" for s in slots if s["day"] == day)
        if not hours:
            continue
        last = runs[-1] if runs else None
        if last and last[1] == hours and list(_DAY_LABELS).index(last[0][-1]) == list(_DAY_LABELS).index(day) - 1:
            last[0].append(day)
        else:
            runs.append(([day], hours))
    return ", ".join("-".join(_DAY_LABELS[d] for d in {days[0]: 0, days[-1]: 0}) + " " + h for days, h in runs)


def describe_budget(hours: float | None) -> str:
    """A weekly budget as a moderator reads it: "1.5 h/week", "30 min/week" ('' when unknown)."""
    if hours is None or pd.isna(hours):
        return ""
    return f"{round(hours * 60)} min/week" if 0 < hours < 1 else f"{hours:g} h/week"


def _with_readable_time(frame: pd.DataFrame) -> pd.DataFrame:
    readable = {text: describe_slots(slots_of(text)) for text in frame["availability"].dropna().unique()}
    frame["free_times"] = frame["availability"].map(lambda text: readable.get(text, "")).astype("string")
    frame["weekly_budget"] = frame["hours_per_week"].map(describe_budget).astype("string")
    return frame


def _short(clock: str) -> str:
    hour, minute = clock.split(":")
    return str(int(hour)) if minute == "00" else f"{int(hour)}:{minute}"


def _move(con: duckdb.DuckDBPyConnection, moving: list[tuple[int, str]], to: str, *, reason, moderator) -> None:
    if not moving:
        return
    now = db.now()
    ids = [i for i, _ in moving]
    con.execute(
        "UPDATE applicants SET status = $to, status_changed_at = $now, updated_at = $now, "
        "decline_reason = CASE WHEN $to = 'declined' THEN $reason ELSE decline_reason END "
        "WHERE list_contains($ids, id)",
        {"to": to, "now": now, "reason": reason, "ids": ids},
    )
    con.executemany(
        "INSERT INTO status_history (applicant_id, from_status, to_status, reason, changed_at, moderator) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [[i, old, to, reason, now, moderator] for i, old in moving],
    )
