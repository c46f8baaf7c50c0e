"""Who can be matched now, and the mutual candidate pairs among them.

A pair (A, B) is a candidate only when A offers a canonical skill B wants and B offers one A wants.
Candidates are found set-wise in DuckDB with a "pair key" self-join: each member emits one row per
(offered, wanted) combination and two members match when one's key is the other's swapped.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from lib.errors import InvalidInput
from lib.insight.search import rows_containing
from lib.intake import timezones
from lib.matching import freetime
from lib.members.directory import member_by_email
from lib.storage import db


def eligible_members(con: duckdb.DuckDBPyConnection, *, only: list[int] | None = None) -> pd.DataFrame:
    """Accepted members not in an open pairing and not paused, with what scoring needs (their free
    time as stored JSON, weekly budget and readable zone included); `only`: just these of them (one
    member's suggestions need a few hundred rows, not 20,000)."""
    mine = "" if only is None else "AND applicant_id IN (SELECT unnest($only))"
    pool = con.execute(
        f"""
        WITH accepted AS (
            SELECT applicant_id, min(changed_at) AS accepted_at FROM status_history
            WHERE to_status = 'accepted' {mine} GROUP BY applicant_id
        ), counts AS (
            SELECT applicant_id, count(*) FILTER (WHERE kind = 'want') AS n_wants,
                   count(*) FILTER (WHERE kind = 'offer') AS n_offers
            FROM (SELECT DISTINCT applicant_id, kind, skill_id FROM applicant_skills WHERE true {mine})
            GROUP BY applicant_id
        )
        SELECT a.id, a.name, a.email, a.timezone, a.experience_years,
               CAST(a.availability AS VARCHAR) AS availability, a.hours_per_week,
               date_diff('day', coalesce(acc.accepted_at, a.status_changed_at), $now) AS waited_days,
               a.requeued_at IS NOT NULL AS left_behind,
               coalesce(c.n_wants, 0) AS n_wants, coalesce(c.n_offers, 0) AS n_offers
        FROM applicants a LEFT JOIN accepted acc ON acc.applicant_id = a.id LEFT JOIN counts c ON c.applicant_id = a.id
        WHERE {_ELIGIBLE} {mine.replace("applicant_id", "a.id")}
        ORDER BY a.id
        """,
        {"now": db.now()} | ({} if only is None else {"only": [int(i) for i in only]}),
    ).df()
    zones = {t: timezones.to_zone(t) for t in pool["timezone"].dropna().unique()}
    pool["zone"] = pool["timezone"].map(zones).astype(object)
    return pool.set_index("id", drop=False)


def eligible_ids(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Just the ids of the members eligible_members gives (a frame with the column `id`), found fast."""
    return con.execute(f"SELECT a.id FROM applicants a WHERE {_ELIGIBLE} ORDER BY a.id", {"now": db.now()}).df()


_ELIGIBLE = """a.status = 'accepted'
          AND a.id NOT IN (SELECT applicant_id FROM open_pair_members)
          AND a.id NOT IN (SELECT applicant_id FROM member_pauses WHERE until > CAST($now AS DATE))"""


def candidate_pairs(con: duckdb.DuckDBPyConnection, pool: pd.DataFrame, *, member: int | None = None) -> pd.DataFrame:
    """Mutual candidate pairs (a < b, or member first) with how many skills go each way (up to 2).
    For one member only the skills they want and offer are read on the other side."""
    db.register(con, "_pool_ids", pool[["id"]].reset_index(drop=True))
    one = "p.m = $member AND q.m <> $member" if member is not None else "p.m < q.m"
    try:
        return con.execute(
            f"""
            WITH {_MUTUAL if member is None else _MUTUAL_OF_ONE}
            SELECT p.m AS a, q.m AS b, {_N_AB} AS n_ab, {_N_BA} AS n_ba
            FROM keys p JOIN keys q ON p.x = q.y AND p.y = q.x
            WHERE {one} AND {_NOT_NEVER}
            GROUP BY p.m, q.m ORDER BY p.m, q.m
            """,
            {"member": member} if member is not None else {},
        ).df()
    finally:
        db.unregister(con, "_pool_ids")


def pruned_pairs(con: duckdb.DuckDBPyConnection, pool: pd.DataFrame, keep: int, *, chunk: int = 2000) -> pd.DataFrame:
    """The candidate pairs a large round starts from, pruned in SQL before anything is scored.

    Every mutual pair is found as in candidate_pairs, but only inside DuckDB: pairs whose members both gave
    free times and share no half-hour are dropped (the score never suggests them), then each member keeps
    their best `keep` partners by a cheap bound, and a pair stays when either member keeps it (so a member
    with few options keeps them all). The bound is the score's own formula for the parts SQL can compute
    (reciprocity, experience, shared free hours, waiting; 0.5 for a part that is unknown, as the score
    leaves it out); the pairs kept are then scored exactly. The moderator's optional hard limits are applied
    later, by the score, so with limits set a member may keep fewer than `keep` partners.

    Members are taken `chunk` at a time, each with all their partners, so DuckDB holds a chunk's pairs,
    not all of them (49.8 million at 50,000 members); each pair is looked at from both ends.
    """
    masks, known = freetime.member_masks(pool, freetime.window_start(db.now()))
    words = pd.DataFrame(masks.view(np.int64), columns=[f"w{i}" for i in range(masks.shape[1])])
    ids = pool[["id", "n_wants", "experience_years", "waited_days", "left_behind"]].reset_index(drop=True)
    db.register(con, "_pool_ids", pd.concat([ids, words, pd.Series(known, name="known")], axis=1))
    shared = " + ".join(f"bit_count(pa.{w} & pb.{w})" for w in words.columns)
    found = []
    try:
        # the keys and the members' columns once, as tables: every chunk reads them
        con.execute(f"CREATE OR REPLACE TEMP TABLE _keys AS WITH {_MUTUAL} SELECT * FROM keys")
        con.execute("CREATE OR REPLACE TEMP TABLE _attrs AS SELECT * FROM _pool_ids")
        members = pool["id"].to_numpy()
        for start in range(0, len(members), chunk):
            db.register(con, "_chunk", pd.DataFrame({"id": members[start : start + chunk]}))
            try:
                found.append(con.execute(_best_of_chunk(shared, keep)).df())
            finally:
                db.unregister(con, "_chunk")
    finally:
        con.execute("DROP TABLE IF EXISTS _keys")
        con.execute("DROP TABLE IF EXISTS _attrs")
        db.unregister(con, "_pool_ids")
    if not found:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in ("a", "b", "n_ab", "n_ba")})
    kept = pd.concat(found, ignore_index=True).drop_duplicates(["a", "b"])
    return kept.sort_values(["a", "b"]).reset_index(drop=True)


def _best_of_chunk(shared: str, keep: int) -> str:
    # m: a member of the chunk, o: any partner; n_mo: skills m teaches o (up to 2), n_om the other way.
    return f"""
        WITH mutual AS (SELECT p.m AS m, q.m AS o, {_N_AB} AS n_mo, {_N_BA} AS n_om
                        FROM (SELECT * FROM _keys WHERE m IN (SELECT id FROM _chunk)) p
                        JOIN _keys q ON p.x = q.y AND p.y = q.x
                        WHERE q.m <> p.m AND {_NOT_NEVER}
                        GROUP BY p.m, q.m),
             timed AS (SELECT c.*, CASE WHEN pa.known AND pb.known
                                        THEN ({shared}) * 0.5 / {freetime.WINDOW_DAYS / 7} END AS free_hours,
                              50 * sqrt(least(c.n_om, 2) / greatest(least(pa.n_wants, 2), 1)
                                        * least(c.n_mo, 2) / greatest(least(pb.n_wants, 2), 1))
                              + 15 * coalesce(1 - least(abs(pa.experience_years - pb.experience_years), 10) / 10, 0.5)
                              + 15 * CASE WHEN pa.left_behind OR pb.left_behind THEN 1
                                     ELSE least(1, (pa.waited_days + pb.waited_days) / 2 / 60) END AS partial
                       FROM mutual c JOIN _attrs pa ON pa.id = c.m JOIN _attrs pb ON pb.id = c.o),
             bound AS (SELECT m, o, n_mo, n_om,
                              CAST(round(1000 * (partial + 20 * coalesce(least(free_hours, 4) / 4, 0.5))) AS BIGINT)
                              * 4294967296 - o AS bound
                       FROM timed WHERE free_hours IS NULL OR free_hours > 0),
             tops AS (SELECT m, unnest(max_by({{'o': o, 'n_mo': n_mo, 'n_om': n_om}}, bound, {int(keep)})) AS t
                      FROM bound GROUP BY m)
        SELECT least(m, t.o) AS a, greatest(m, t.o) AS b,
               CASE WHEN m < t.o THEN t.n_mo ELSE t.n_om END AS n_ab,
               CASE WHEN m < t.o THEN t.n_om ELSE t.n_mo END AS n_ba
        FROM tops
    """


def pairs_touching(con: duckdb.DuckDBPyConnection, pool: pd.DataFrame, members: list[int]) -> pd.DataFrame:
    """Every mutual candidate pair (a < b) with at least one of `members` in it, as candidate_pairs gives
    them: what a large round needs, after pruning, about the few members it left out."""
    db.register(con, "_pool_ids", pool[["id"]].reset_index(drop=True))
    db.register(con, "_chosen", pd.DataFrame({"id": pd.Series(members, dtype="int64")}))
    try:
        return con.execute(
            f"""
            WITH {_MUTUAL}
            SELECT least(p.m, q.m) AS a, greatest(p.m, q.m) AS b,
                   CASE WHEN p.m < q.m THEN {_N_AB} ELSE {_N_BA} END AS n_ab,
                   CASE WHEN p.m < q.m THEN {_N_BA} ELSE {_N_AB} END AS n_ba
            FROM keys p JOIN keys q ON p.x = q.y AND p.y = q.x
            WHERE p.m IN (SELECT id FROM _chosen) AND q.m <> p.m AND {_NOT_NEVER}
            GROUP BY p.m, q.m
            QUALIFY row_number() OVER (PARTITION BY least(p.m, q.m), greatest(p.m, q.m) ORDER BY p.m) = 1
            ORDER BY a, b
            """
        ).df()
    finally:
        db.unregister(con, "_chosen")
        db.unregister(con, "_pool_ids")


_MUTUAL = """o AS (SELECT DISTINCT s.applicant_id AS m, s.skill_id AS k FROM applicant_skills s
                   JOIN _pool_ids e ON e.id = s.applicant_id WHERE s.kind = 'offer' AND s.skill_id IS NOT NULL),
             w AS (SELECT DISTINCT s.applicant_id AS m, s.skill_id AS k FROM applicant_skills s
                   JOIN _pool_ids e ON e.id = s.applicant_id WHERE s.kind = 'want' AND s.skill_id IS NOT NULL),
             keys AS (SELECT o.m, o.k AS x, w.k AS y FROM o JOIN w ON o.m = w.m WHERE o.k <> w.k)"""
# The same keys when one member ($member) is on one side: the others' offers only of what the member wants,
# and their wants only of what the member offers (all other keys can never meet the member's).
_MUTUAL_OF_ONE = """mine AS (SELECT DISTINCT kind, skill_id AS k FROM applicant_skills
                      WHERE applicant_id = $member AND skill_id IS NOT NULL),
             o AS (SELECT DISTINCT s.applicant_id AS m, s.skill_id AS k FROM applicant_skills s
                   JOIN _pool_ids e ON e.id = s.applicant_id
                   WHERE s.kind = 'offer' AND (s.applicant_id = $member
                         OR s.skill_id IN (SELECT k FROM mine WHERE kind = 'want'))),
             w AS (SELECT DISTINCT s.applicant_id AS m, s.skill_id AS k FROM applicant_skills s
                   JOIN _pool_ids e ON e.id = s.applicant_id
                   WHERE s.kind = 'want' AND (s.applicant_id = $member
                         OR s.skill_id IN (SELECT k FROM mine WHERE kind = 'offer'))),
             keys AS (SELECT o.m, o.k AS x, w.k AS y FROM o JOIN w ON o.m = w.m WHERE o.k <> w.k)"""
# Skills a teaches b (and b teaches a), counted up to 2: all the score uses (a pair's rows in the join are the
# product of the two skill sets, so min <> max tells one skill from several without a DISTINCT count, which is
# several times slower on millions of pairs). The skills themselves are listed by describe_pairs.
_N_AB = "CASE WHEN min(p.x) = max(p.x) THEN 1 ELSE 2 END"
_N_BA = "CASE WHEN min(p.y) = max(p.y) THEN 1 ELSE 2 END"
_NOT_NEVER = (
    "NOT EXISTS (SELECT 1 FROM never_pair n WHERE n.low_id = least(p.m, q.m) AND n.high_id = greatest(p.m, q.m))"
)


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
