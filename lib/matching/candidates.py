"""Who can be matched now, and the mutual candidate pairs among them.

A pair (A, B) is a candidate only when A offers a canonical skill B wants and B offers one A wants.
Candidates are found set-wise in DuckDB with a "pair key" self-join: each member emits one row per
(offered, wanted) combination and two members match when one's key is the other's swapped.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from lib.errors import InvalidInput
from lib.insight.search import rows_containing
from lib.intake import timezones
from lib.members.directory import member_by_email
from lib.storage import db


def eligible_members(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Accepted members not in an open pairing and not paused, with what scoring needs (their free
    time as stored JSON, weekly budget and readable zone included)."""
    pool = con.execute(
        """
        WITH accepted AS (
            SELECT applicant_id, min(changed_at) AS accepted_at FROM status_history
            WHERE to_status = 'accepted' GROUP BY applicant_id
        ), counts AS (
            SELECT applicant_id, count(*) FILTER (WHERE kind = 'want') AS n_wants,
                   count(*) FILTER (WHERE kind = 'offer') AS n_offers
            FROM (SELECT DISTINCT applicant_id, kind, skill_id FROM applicant_skills) GROUP BY applicant_id
        )
        SELECT a.id, a.name, a.email, a.timezone, a.experience_years,
               CAST(a.availability AS VARCHAR) AS availability, a.hours_per_week,
               date_diff('day', coalesce(acc.accepted_at, a.status_changed_at), $now) AS waited_days,
               a.requeued_at IS NOT NULL AS left_behind,
               coalesce(c.n_wants, 0) AS n_wants, coalesce(c.n_offers, 0) AS n_offers
        FROM applicants a LEFT JOIN accepted acc ON acc.applicant_id = a.id LEFT JOIN counts c ON c.applicant_id = a.id
        WHERE a.status = 'accepted'
          AND a.id NOT IN (SELECT applicant_id FROM open_pair_members)
          AND a.id NOT IN (SELECT applicant_id FROM member_pauses WHERE until > CAST($now AS DATE))
        ORDER BY a.id
        """,
        {"now": db.now()},
    ).df()
    zones = {t: timezones.to_zone(t) for t in pool["timezone"].dropna().unique()}
    pool["zone"] = pool["timezone"].map(zones).astype(object)
    return pool.set_index("id", drop=False)


def candidate_pairs(con: duckdb.DuckDBPyConnection, pool: pd.DataFrame, *, member: int | None = None) -> pd.DataFrame:
    """Mutual candidate pairs (a < b, or member first) with how many skills go each way."""
    db.register(con, "_pool_ids", pool[["id"]].reset_index(drop=True))
    one = "p.m = $member AND q.m <> $member" if member is not None else "p.m < q.m"
    try:
        return con.execute(
            f"""
            WITH o AS (SELECT DISTINCT s.applicant_id AS m, s.skill_id AS k FROM applicant_skills s
                       JOIN _pool_ids e ON e.id = s.applicant_id WHERE s.kind = 'offer' AND s.skill_id IS NOT NULL),
                 w AS (SELECT DISTINCT s.applicant_id AS m, s.skill_id AS k FROM applicant_skills s
                       JOIN _pool_ids e ON e.id = s.applicant_id WHERE s.kind = 'want' AND s.skill_id IS NOT NULL),
                 keys AS (SELECT o.m, o.k AS x, w.k AS y FROM o JOIN w ON o.m = w.m WHERE o.k <> w.k)
            SELECT p.m AS a, q.m AS b, count(DISTINCT p.x) AS n_ab, count(DISTINCT p.y) AS n_ba
            FROM keys p JOIN keys q ON p.x = q.y AND p.y = q.x
            WHERE {one}
              AND NOT EXISTS (SELECT 1 FROM never_pair n WHERE n.low_id = least(p.m, q.m) AND n.high_id = greatest(p.m, q.m))
            GROUP BY p.m, q.m ORDER BY p.m, q.m
            """,
            {"member": member} if member is not None else {},
        ).df()
    finally:
        db.unregister(con, "_pool_ids")


def require_eligible(con: duckdb.DuckDBPyConnection, pool: pd.DataFrame, email: str) -> int:
    """The id of an eligible member, or InvalidInput saying why they cannot be matched now."""
    email = email.strip().lower()
    found = pool[pool["email"] == email]
    if not found.empty:
        return int(found.index[0])
    person = member_by_email(con, email)
    why = _ineligible_reason(con, person["id"], person["status"])
    raise InvalidInput(f"{person['name']} cannot be matched now: {why}.")


def member_choices(pool: pd.DataFrame, find: str, *, keep: str | None, limit: int) -> tuple[dict[str, str], int]:
    """Email -> "Name <email>" for a picker: the first `limit` members matching `find`, plus the member
    already chosen (`keep`) even when the search leaves them out; and how many matched the search."""
    found = rows_containing(pool, find, ["name", "email"])
    listed = found.head(limit)
    if keep and keep not in set(listed["email"]):
        listed = pd.concat([pool[pool["email"] == keep], listed])
    return dict(zip(listed["email"], listed["name"] + " <" + listed["email"] + ">")), len(found)


def _ineligible_reason(con: duckdb.DuckDBPyConnection, applicant_id: int, status: str) -> str:
    if status != "accepted":
        return f"their stage is '{status}', not 'accepted'"
    if con.execute("SELECT 1 FROM open_pair_members WHERE applicant_id = ?", [applicant_id]).fetchone():
        return "they are already in an open pairing"
    until = con.execute("SELECT until FROM member_pauses WHERE applicant_id = ?", [applicant_id]).fetchone()
    return f"they are paused until {until[0]:%d %b %Y}" if until else "they are not eligible"
