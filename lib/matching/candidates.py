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
from lib.matching import freetime, score
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


def pruned_pairs(
    con: duckdb.DuckDBPyConnection,
    pool: pd.DataFrame,
    keep: int,
    settings: score.Settings | None = None,
    *,
    chunk: int = 2000,
) -> pd.DataFrame:
    """The candidate pairs a large round starts from, pruned in SQL before anything is scored in Python.

    Every mutual pair is found as in candidate_pairs, but only inside DuckDB, and scored there with the
    score's own formula (score.sql_score: the moderator's weights, free times, time zones, budgets; pairs
    sharing no free hour or breaking a hard limit are dropped, as the score drops them); then each member
    keeps their best `keep` partners by that score (ties: the smaller id), and a pair stays when either member
    keeps it, so a member with few options keeps them all. Each pair comes with that score in thousandths (the
    precision the solvers use); score_pairs gives the exact score and its components, for the pairs chosen.

    Members are taken `chunk` at a time in id order, so DuckDB never holds all the pairs (49.8 million at
    50,000 members): each chunk scores its members' pairs with later members, once, into a table, takes its
    members' best partners from that table (the pairs with earlier members were scored by earlier chunks), then
    drops the pairs both of whose members are done.
    """
    settings = settings or score.load_settings(con)
    attrs, zones, free_words = _member_columns(pool)
    db.register(con, "_pool_ids", pool[["id"]].reset_index(drop=True))
    found = []
    try:
        # the keys and the members' columns once, as tables: every chunk reads them
        con.execute(f"CREATE OR REPLACE TEMP TABLE _keys AS WITH {_MUTUAL} SELECT * FROM keys")
        skills = _skill_words(con, pool)
        db.register(con, "_attrs_frame", pd.concat([attrs, skills], axis=1))
        con.execute("CREATE OR REPLACE TEMP TABLE _attrs AS SELECT * FROM _attrs_frame")
        db.unregister(con, "_attrs_frame")
        db.register(con, "_zone_pairs", score.zone_pairs(zones))
        con.execute("CREATE OR REPLACE TEMP TABLE _zones AS SELECT * FROM _zone_pairs")
        db.unregister(con, "_zone_pairs")
        # never-pair marks as one number per pair: an anti-join on it costs little on millions of pairs
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _never AS SELECT low_id * 4294967296 + high_id AS pair FROM never_pair"
        )
        con.execute("CREATE OR REPLACE TEMP TABLE _scored (a BIGINT, b BIGINT, s BIGINT, n_ab INTEGER, n_ba INTEGER)")
        members = np.sort(pool["id"].to_numpy())
        score_chunk = _score_chunk(free_words, len(skills.columns) // 2, settings)
        for start in range(0, len(members), chunk):
            ids = {"lo": int(members[start]), "hi": int(members[min(start + chunk, len(members)) - 1])}
            con.execute(score_chunk, ids)
            found.append(con.execute(_best_of_chunk(keep), ids).df())
            con.execute("DELETE FROM _scored WHERE b <= $hi", {"hi": ids["hi"]})
    finally:
        for table in ("_keys", "_attrs", "_zones", "_never", "_scored"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
        db.unregister(con, "_pool_ids")
    if not found:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in ("a", "b", "n_ab", "n_ba")}).assign(score=0.0)
    kept = pd.concat(found, ignore_index=True).drop_duplicates(["a", "b"])
    return kept.sort_values(["a", "b"]).reset_index(drop=True)


def _member_columns(pool: pd.DataFrame) -> tuple[pd.DataFrame, list[str], int]:
    """What the SQL score reads of each member, in the pool's order (zi: their zone's number, NULL when unknown;
    f0, f1, ...: their free half-hours as bits; known: whether they gave free times); the distinct zones; and how
    many free-time words there are."""
    masks, known = freetime.member_masks(pool, freetime.window_start(db.now()))
    free = pd.DataFrame(masks.view(np.int64), columns=[f"f{i}" for i in range(masks.shape[1])])
    zones = pd.Categorical(pool["zone"].where(pool["zone"].map(lambda z: isinstance(z, str))))
    columns = ["id", "n_wants", "experience_years", "waited_days", "left_behind", "hours_per_week"]
    attrs = pool[columns].reset_index(drop=True).astype({"experience_years": float, "hours_per_week": float})
    attrs["zi"] = pd.Series(zones.codes, dtype="int64").where(zones.codes >= 0)  # NaN (NULL): no zone known
    return pd.concat([attrs, free, pd.Series(known, name="known")], axis=1), list(zones.categories), len(free.columns)


def _skill_words(con: duckdb.DuckDBPyConnection, pool: pd.DataFrame) -> pd.DataFrame:
    """Each pool member's offered (o0, o1, ...) and wanted (n0, n1, ...) skills as bits of 64-bit words, in the
    pool's order, numbering only the skills someone offers and someone wants (a few hundred: a few words)."""
    rows = con.execute(
        """SELECT DISTINCT s.applicant_id AS m, s.kind = 'offer' AS offer, s.skill_id AS k FROM applicant_skills s
           JOIN _pool_ids e ON e.id = s.applicant_id WHERE s.kind IN ('offer', 'want') AND s.skill_id IS NOT NULL"""
    ).fetchnumpy()
    offer = np.asarray(rows["offer"], dtype=bool)
    used = np.intersect1d(rows["k"][offer], rows["k"][~offer])
    words = max(1, -(-len(used) // 64))
    out = {}
    for prefix, side in (("o", offer), ("n", ~offer)):
        chosen = side & np.isin(rows["k"], used)
        place, bit = pool.index.get_indexer(rows["m"][chosen]), np.searchsorted(used, rows["k"][chosen])
        masks = np.zeros((len(pool), words), dtype=np.uint64)
        np.bitwise_or.at(masks, (place, bit // 64), np.left_shift(np.uint64(1), (bit % 64).astype(np.uint64)))
        out |= {f"{prefix}{i}": masks[:, i].view(np.int64) for i in range(words)}
    return pd.DataFrame(out)


def _score_chunk(free_words: int, skill_words: int, settings: score.Settings) -> str:
    # The pairs (a, b) of the members a from $lo to $hi with every later member b, scored (s: thousandths) and
    # kept when the score could suggest them. A pair met through one key has one skill each way; through several,
    # n_ab is the skills a offers that b wants (bit masks), up to 2. That equals the count through the keys: it
    # differs only when b teaches a one skill y that a also teaches b (there is no key (y, y)), and then the keys
    # number exactly the other skills a teaches b, so several keys mean 2 or more either way.
    values, suggestible, scored = score.sql_score(settings)
    shared = " + ".join(f"bit_count(pa.f{i} & pb.f{i})" for i in range(free_words))
    n_ab = "least(2, " + " + ".join(f"bit_count(pa.o{i} & pb.n{i})" for i in range(skill_words)) + ")"
    n_ba = "least(2, " + " + ".join(f"bit_count(pa.n{i} & pb.o{i})" for i in range(skill_words)) + ")"
    return f"""
        INSERT INTO _scored
        WITH mutual AS (SELECT p.m AS m, q.m AS o, count(*) AS keys
                        FROM (SELECT * FROM _keys WHERE m BETWEEN $lo AND $hi) p
                        JOIN _keys q ON p.x = q.y AND p.y = q.x
                        WHERE q.m > p.m
                        GROUP BY p.m, q.m),
             measured AS (
                SELECT c.m, c.o, CASE WHEN c.keys = 1 THEN 1 ELSE {n_ab} END AS n_ab,
                       CASE WHEN c.keys = 1 THEN 1 ELSE {n_ba} END AS n_ba,
                       pa.n_wants AS wants_a, pb.n_wants AS wants_b,
                       abs(pa.experience_years - pb.experience_years) AS experience_gap,
                       CASE WHEN pa.known AND pb.known THEN ({shared}) * 0.5 / {freetime.WINDOW_DAYS / 7} END
                           AS shared_hours,
                       z.gap AS tz_gap, z.shared AS shared_daytime,
                       pa.hours_per_week AS hours_a, pb.hours_per_week AS hours_b,
                       pa.waited_days AS waited_a, pb.waited_days AS waited_b,
                       pa.left_behind AS behind_a, pb.left_behind AS behind_b
                FROM mutual c JOIN _attrs pa ON pa.id = c.m JOIN _attrs pb ON pb.id = c.o
                LEFT JOIN _zones z ON z.za = pa.zi AND z.zb = pb.zi
                WHERE c.m * 4294967296 + c.o NOT IN (SELECT pair FROM _never)),
             valued AS (SELECT m, o, n_ab, n_ba, {values} FROM measured WHERE {suggestible})
        SELECT m, o, CAST(round(1000 * ({scored})) AS BIGINT), n_ab, n_ba FROM valued ORDER BY o
    """


def _best_of_chunk(keep: int) -> str:
    # Each member's best partners among the scored pairs, from one BIGINT per pair and end, largest first: the
    # score in thousandths, then the partner's id reversed (ties: the smaller id), then the skills each way
    # (from the member's side) in a bit each.
    return f"""
        WITH ends AS (SELECT a AS m, b AS o, s, n_ab AS n_mo, n_ba AS n_om FROM _scored WHERE a BETWEEN $lo AND $hi
                      UNION ALL
                      SELECT b, a, s, n_ba, n_ab FROM _scored WHERE b BETWEEN $lo AND $hi),
             tops AS (SELECT m, unnest(max(s * 17179869184 + (4294967295 - o) * 4 + (n_mo - 1) * 2 + (n_om - 1),
                                           {int(keep)})) AS rank
                      FROM ends GROUP BY m),
             best AS (SELECT m, 4294967295 - ((rank >> 2) & 4294967295) AS o,
                             ((rank >> 1) & 1) + 1 AS n_mo, (rank & 1) + 1 AS n_om, (rank >> 34) / 1000 AS score
                      FROM tops)
        SELECT least(m, o) AS a, greatest(m, o) AS b,
               CASE WHEN m < o THEN n_mo ELSE n_om END AS n_ab,
               CASE WHEN m < o THEN n_om ELSE n_mo END AS n_ba, score
        FROM best
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
