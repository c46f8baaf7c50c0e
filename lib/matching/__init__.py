"""Mutual pair suggestions: candidates, scores with reasons, a whole optimal round, why-not reasons.

A pair (A, B) is a candidate only when A offers a canonical skill B wants and B offers one A wants.
Candidates are found set-wise in DuckDB with a "pair key" self-join: each member emits one row per
(offered, wanted) combination and two members match when one's key is the other's swapped.

Score (0-100) = 100 x sum(weight x component) / sum(weights of the components known for the pair):
- reciprocity: each side's coverage = min(skills the partner teaches them, 2) / min(skills they want, 2);
  reciprocity = sqrt(coverage_A x coverage_B), so a pair where only one side gains is worse;
- experience: 1 - min(|years_A - years_B|, 10) / 10 (unknown years: left out, neither helps nor hurts);
- time zone: min(shared 08:00-22:00 daytime hours, 4) / 4 for the coming week (unknown zone: left out);
- waiting: min(1, mean days waiting since acceptance / 60); 1 when either was left behind by a
  partner's drop-out.
Hard limits (optional) drop candidates outright. The round is an exact maximum-weight matching
(rustworkx, integer weights = score x 1000) on the candidate graph; above EXACT_LIMIT eligible
members the round comes from large_pool_pairs (see its docstring and the README for the measured cost).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import rustworkx as rx

from lib.errors import InvalidInput, NotFound
from lib.intake import timezones
from lib.storage import db

DEFAULT_WEIGHTS = {"reciprocity": 50.0, "experience": 15.0, "timezone": 20.0, "waiting": 15.0}
DEFAULT_LIMITS = {"max_timezone_gap_hours": None, "max_experience_gap_years": None, "min_shared_hours": None}
EXACT_LIMIT = 3000
AUTO_ROUND_LIMIT = 1000  # the Matching page computes a round by itself up to this many waiting members
WAIT_FULL_DAYS = 60


@dataclass
class Settings:
    """Weights of the score's components and optional hard limits."""

    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    limits: dict[str, float | None] = field(default_factory=lambda: dict(DEFAULT_LIMITS))


@dataclass
class Round:
    """A suggested round: disjoint pairs, the members left out with reasons, and how it was found."""

    pairs: pd.DataFrame
    unmatched: pd.DataFrame
    method: str
    candidates: int


def load_settings(con: duckdb.DuckDBPyConnection) -> Settings:
    """The moderator's saved weights and limits (defaults for anything not saved)."""
    saved = db.get_setting(con, "matching", {}) or {}
    return Settings({**DEFAULT_WEIGHTS, **saved.get("weights", {})}, {**DEFAULT_LIMITS, **saved.get("limits", {})})


def save_settings(con: duckdb.DuckDBPyConnection, settings: Settings, *, moderator: str = "local") -> None:
    """Store weights and limits; refuse negative weights or all-zero weights."""
    if any(w < 0 for w in settings.weights.values()) or not any(settings.weights.values()):
        raise InvalidInput("Weights must be zero or more, and at least one must be above zero.")
    with db.transaction(con):
        db.set_setting(con, "matching", {"weights": settings.weights, "limits": settings.limits})
        db.audit(
            con, "matching_settings", {"weights": settings.weights, "limits": settings.limits}, moderator=moderator
        )


def eligible_members(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Accepted members not in an open pairing and not paused, with what scoring needs."""
    now = db.now()
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
               date_diff('day', coalesce(acc.accepted_at, a.status_changed_at), $now) AS waited_days,
               a.requeued_at IS NOT NULL AS left_behind,
               coalesce(c.n_wants, 0) AS n_wants, coalesce(c.n_offers, 0) AS n_offers
        FROM applicants a LEFT JOIN accepted acc ON acc.applicant_id = a.id LEFT JOIN counts c ON c.applicant_id = a.id
        WHERE a.status = 'accepted'
          AND a.id NOT IN (SELECT applicant_id FROM open_pair_members)
          AND a.id NOT IN (SELECT applicant_id FROM member_pauses WHERE until > CAST($now AS DATE))
        ORDER BY a.id
        """,
        {"now": now},
    ).df()
    zones = {t: timezones.to_zone(t) for t in pool["timezone"].dropna().unique()}
    pool["zone"] = pool["timezone"].map(zones).astype(object)
    return pool.set_index("id", drop=False)


def candidates(con: duckdb.DuckDBPyConnection, pool: pd.DataFrame, *, member: int | None = None) -> pd.DataFrame:
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


def score(cands: pd.DataFrame, pool: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Add the score components, the 0-100 score and distances to candidate pairs; apply hard limits."""
    if cands.empty:
        return cands.assign(
            **{
                c: pd.Series(dtype=float)
                for c in ("reciprocity", "experience", "timezone", "waiting", "score", "tz_gap", "shared_hours")
            }
        )
    ia, ib = pool.index.get_indexer(cands["a"]), pool.index.get_indexer(cands["b"])

    def both(column: str, dtype=float) -> tuple[np.ndarray, np.ndarray]:
        values = pool[column].to_numpy(dtype=dtype)
        return values[ia], values[ib]

    out = cands.copy()
    wants_a, wants_b = both("n_wants")
    cover_a = np.minimum(out["n_ba"].to_numpy(), 2) / np.maximum(np.minimum(wants_a, 2), 1)
    cover_b = np.minimum(out["n_ab"].to_numpy(), 2) / np.maximum(np.minimum(wants_b, 2), 1)
    out["reciprocity"] = np.sqrt(cover_a * cover_b)
    years_a, years_b = both("experience_years")
    gap = np.abs(years_a - years_b)
    out["experience_gap"] = gap
    out["experience"] = 1 - np.minimum(gap, 10) / 10
    out["tz_gap"], out["shared_hours"] = _zone_distances(*both("zone", object))
    out["timezone"] = np.minimum(out["shared_hours"], 4) / 4
    waited_a, waited_b = both("waited_days")
    waited = (waited_a + waited_b) / 2
    behind_a, behind_b = both("left_behind", bool)
    behind = behind_a | behind_b
    out["waiting"] = np.where(behind, 1.0, np.minimum(1.0, waited / WAIT_FULL_DAYS))
    out = _apply_limits(out, settings.limits)
    out["score"] = _weighted(out, settings.weights)
    return out.reset_index(drop=True)


def suggest_round(con: duckdb.DuckDBPyConnection, *, settings: Settings | None = None) -> Round:
    """Disjoint pairs over everyone eligible maximising the total score, and why the rest are left out."""
    settings = settings or load_settings(con)
    pool = eligible_members(con)
    raw = candidates(con, pool)
    scored = score(raw, pool, settings)
    if len(pool) <= EXACT_LIMIT:
        chosen, method = max_weight_pairs(scored), "exact maximum-weight matching"
    else:
        chosen = large_pool_pairs(scored)
        method = (
            f"large-pool matching ({len(pool):,} members): relaxed matching on the bipartite double cover, "
            "rounded, then exact matching of the members left over"
        )
    pairs = describe_pairs(con, chosen, pool)
    matched = set(chosen["a"]) | set(chosen["b"])
    unmatched = why_unmatched(con, pool, raw, scored, matched, settings)
    return Round(pairs, unmatched, method, len(scored))


def max_weight_pairs(edges: pd.DataFrame) -> pd.DataFrame:
    """The disjoint pairs of maximum total score (exact, deterministic for the same edges)."""
    if edges.empty:
        return edges.head(0)
    ordered = edges.sort_values(["a", "b"]).reset_index(drop=True)
    nodes = np.unique(np.concatenate([ordered["a"].to_numpy(), ordered["b"].to_numpy()]))
    index = {int(n): i for i, n in enumerate(nodes)}
    graph = rx.PyGraph()
    graph.add_nodes_from(nodes.tolist())
    weights = np.rint(ordered["score"].to_numpy() * 1000).astype(np.int64)
    graph.add_edges_from(
        [(index[int(x)], index[int(y)], int(w)) for x, y, w in zip(ordered["a"], ordered["b"], weights)]
    )
    matching = rx.max_weight_matching(graph, max_cardinality=False, weight_fn=lambda w: w)
    picked = {tuple(sorted((int(nodes[u]), int(nodes[v])))) for u, v in matching}
    keep = [(int(x), int(y)) in picked for x, y in zip(ordered["a"], ordered["b"])]
    return ordered[keep].sort_values(["score", "a"], ascending=[False, True]).reset_index(drop=True)


def large_pool_pairs(edges: pd.DataFrame) -> pd.DataFrame:
    """Near-optimal pairs for very large pools (see double_cover_bound for how near).

    The bipartite double cover (every member on both sides, every candidate edge both ways, plus a
    member-to-itself edge meaning "unmatched") is solved exactly and fast by scipy; its solution is a
    set of 2-cycles (pairs) and longer cycles, each rounded to its best matching; members left over
    are then matched exactly among themselves with rustworkx.
    """
    if edges.empty:
        return edges.head(0)
    partner, nodes, _ = _double_cover(edges)
    keys = pd.Series(
        np.arange(len(edges)),
        index=pd.MultiIndex.from_arrays(
            [np.minimum(edges["a"], edges["b"]).to_numpy(), np.maximum(edges["a"], edges["b"]).to_numpy()]
        ),
    )
    weight = edges["score"].to_numpy()
    picked, seen = [], np.zeros(len(nodes), dtype=bool)
    for start in range(len(nodes)):
        if seen[start]:
            continue
        cycle = [start]
        seen[start] = True
        while not seen[partner[cycle[-1]]]:
            cycle.append(partner[cycle[-1]])
            seen[cycle[-1]] = True
        if len(cycle) > 1:
            rows = [
                keys[(min(nodes[u], nodes[v]), max(nodes[u], nodes[v]))] for u, v in zip(cycle, cycle[1:] + cycle[:1])
            ]
            picked += _best_on_cycle(rows, weight, closed=len(cycle) > 2)
    chosen = edges.iloc[sorted(set(picked))]
    used = set(chosen["a"]) | set(chosen["b"])
    rest = edges[~edges["a"].isin(used) & ~edges["b"].isin(used)]
    both = pd.concat([chosen, max_weight_pairs(rest)])
    return both.sort_values(["score", "a"], ascending=[False, True]).reset_index(drop=True)


def double_cover_bound(edges: pd.DataFrame) -> float:
    """An upper bound on the best possible total score: half the double cover's optimum."""
    if edges.empty:
        return 0.0
    _, _, total = _double_cover(edges)
    return total / 2


def _double_cover(edges: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, float]:
    from scipy import sparse
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    nodes = np.unique(np.concatenate([edges["a"].to_numpy(), edges["b"].to_numpy()]))
    ia, ib = np.searchsorted(nodes, edges["a"].to_numpy()), np.searchsorted(nodes, edges["b"].to_numpy())
    n = len(nodes)
    # +2 on real edges and 1 on "unmatched" keep every entry non-zero; scores are in thousandths.
    weights = np.rint(edges["score"].to_numpy() * 1000) + 2
    matrix = sparse.csr_matrix(
        (
            np.concatenate([weights, weights, np.ones(n)]),
            (np.concatenate([ia, ib, np.arange(n)]), np.concatenate([ib, ia, np.arange(n)])),
        ),
        shape=(n, n),
    )
    rows, cols = min_weight_full_bipartite_matching(matrix, maximize=True)
    partner = np.empty(n, dtype=np.int64)
    partner[rows] = cols
    chosen = np.asarray(matrix[np.arange(n), partner]).ravel()
    total = float(np.where(partner == np.arange(n), 0, chosen - 2).sum()) / 1000
    return partner, nodes, total


def _best_on_cycle(rows: list[int], weight: np.ndarray, *, closed: bool) -> list[int]:
    if not closed:
        return rows[:1]
    options = [_best_on_path(rows[1:], weight), _best_on_path(rows[:-1], weight)]
    return max(options, key=lambda chosen: sum(weight[r] for r in chosen))


def _best_on_path(rows: list[int], weight: np.ndarray) -> list[int]:
    best: list[tuple[float, list[int]]] = [(0.0, []), (0.0, [])]
    for row in rows:
        take = (best[-2][0] + weight[row], best[-2][1] + [row])
        best.append(max(best[-1], take, key=lambda option: option[0]))
    return best[-1][1]


def suggest_partners(
    con: duckdb.DuckDBPyConnection, email: str, *, limit: int = 10, settings: Settings | None = None
) -> pd.DataFrame:
    """The best partners for one member, ranked, with score components and reasons."""
    settings = settings or load_settings(con)
    pool = eligible_members(con)
    member = require_eligible(con, pool, email)
    scored = score(candidates(con, pool, member=member), pool, settings)
    best = scored.sort_values(["score", "b"], ascending=[False, True]).head(limit)
    return describe_pairs(con, best, pool)


def describe_pairs(con: duckdb.DuckDBPyConnection, pairs: pd.DataFrame, pool: pd.DataFrame) -> pd.DataFrame:
    """Pairs with names, emails, the skills each way and reasons a person can read."""
    columns = [
        "a",
        "b",
        "a_email",
        "b_email",
        "a_name",
        "b_name",
        "score",
        "a_teaches_b",
        "b_teaches_a",
        "reasons",
        "reciprocity",
        "experience",
        "timezone",
        "waiting",
    ]
    if pairs.empty:
        return pd.DataFrame(columns=columns)
    skills = _skills_each_way(con, pairs[["a", "b"]])
    out = pairs.merge(skills, on=["a", "b"], how="left")
    out["a_email"], out["b_email"] = pool.loc[out["a"], "email"].to_numpy(), pool.loc[out["b"], "email"].to_numpy()
    out["a_name"], out["b_name"] = pool.loc[out["a"], "name"].to_numpy(), pool.loc[out["b"], "name"].to_numpy()
    out["score"] = out["score"].round(1)
    out["reasons"] = [_reasons(row, pool) for row in out.itertuples()]
    return out[columns]


def why_unmatched(
    con: duckdb.DuckDBPyConnection,
    pool: pd.DataFrame,
    raw: pd.DataFrame,
    scored: pd.DataFrame,
    matched: set[int],
    settings: Settings,
) -> pd.DataFrame:
    """For every eligible member left without a partner, a reason the moderator can act on."""
    left = pool[~pool["id"].isin(matched)]
    if left.empty:
        return pd.DataFrame(columns=["email", "name", "reason"])
    raw_count = pd.concat([raw["a"], raw["b"]]).value_counts()
    kept_count = pd.concat([scored["a"], scored["b"]]).value_counts()
    best = (
        pd.concat(
            [scored[["a", "score"]].rename(columns={"a": "m"}), scored[["b", "score"]].rename(columns={"b": "m"})]
        )
        .groupby("m")["score"]
        .max()
    )
    supply = _supply(con, pool, left)
    reasons = [
        _why_one(
            m, supply.get(m.id, {}), int(raw_count.get(m.id, 0)), int(kept_count.get(m.id, 0)), best.get(m.id), settings
        )
        for m in left.itertuples()
    ]
    return pd.DataFrame({"email": left["email"].to_numpy(), "name": left["name"].to_numpy(), "reason": reasons})


def _why_one(m, supply: dict, raw: int, kept: int, best: float | None, settings: Settings) -> str:
    first = m.name.split()[0]
    if m.n_wants == 0:
        return f"{first} listed nothing to learn; ask what they would like to learn."
    if m.n_offers == 0:
        return f"{first} listed nothing to offer; ask what they could teach."
    unmet = supply.get("unmet", [])
    if supply.get("teachers", 0) == 0:
        return f"Nobody eligible offers {_join(unmet)}."
    if raw == 0:
        taught = _join(supply.get("taught", []))
        gap = f"; nobody eligible offers {_join(unmet)}" if unmet else ""
        if supply["teachers"] == 1:
            return f"The only eligible member who offers {taught} wants nothing {first} offers{gap}."
        return f"The {supply['teachers']} eligible members who offer {taught} want nothing {first} offers{gap}."
    if kept == 0:
        return (
            f"All {raw} possible partners are ruled out by the hard limits ({_limits_text(settings)}) "
            "or never-pair marks."
        )
    if kept == 1:
        return f"Odd one out this round: the one possible partner was matched with someone else (score {best:.0f})."
    return f"Odd one out this round: all {kept} possible partners were matched with others (best score {best:.0f})."


def _supply(con: duckdb.DuckDBPyConnection, pool: pd.DataFrame, left: pd.DataFrame) -> dict[int, dict]:
    db.register(con, "_pool_ids", pool[["id"]].reset_index(drop=True))
    db.register(con, "_left_ids", left[["id"]].reset_index(drop=True))
    try:
        rows = con.execute(
            """
            WITH wants AS (SELECT DISTINCT s.applicant_id AS m, s.skill_id AS k FROM applicant_skills s
                           JOIN _left_ids l ON l.id = s.applicant_id WHERE s.kind = 'want'),
                 offers AS (SELECT DISTINCT s.applicant_id AS t, s.skill_id AS k FROM applicant_skills s
                            JOIN _pool_ids p ON p.id = s.applicant_id WHERE s.kind = 'offer')
            SELECT w.m, count(DISTINCT o.t) FILTER (WHERE o.t <> w.m) AS teachers,
                   list(DISTINCT k.name ORDER BY k.name) FILTER (WHERE o.t IS NULL) AS unmet,
                   list(DISTINCT k.name ORDER BY k.name) FILTER (WHERE o.t IS NOT NULL AND o.t <> w.m) AS taught
            FROM wants w JOIN skills k ON k.id = w.k LEFT JOIN offers o ON o.k = w.k
            GROUP BY w.m
            """
        ).fetchall()
    finally:
        db.unregister(con, "_pool_ids")
        db.unregister(con, "_left_ids")
    return {m: {"teachers": t, "unmet": unmet or [], "taught": taught or []} for m, t, unmet, taught in rows}


def _skills_each_way(con: duckdb.DuckDBPyConnection, pairs: pd.DataFrame) -> pd.DataFrame:
    db.register(con, "_pairs", pairs.reset_index(drop=True))
    try:
        return con.execute(
            """
            WITH people AS (SELECT a AS m FROM _pairs UNION SELECT b FROM _pairs),
                 o AS (SELECT DISTINCT applicant_id AS m, skill_id AS k FROM applicant_skills
                       WHERE kind = 'offer' AND applicant_id IN (SELECT m FROM people)),
                 w AS (SELECT DISTINCT applicant_id AS m, skill_id AS k FROM applicant_skills
                       WHERE kind = 'want' AND applicant_id IN (SELECT m FROM people)),
                 ab AS (SELECT p.a, p.b, list(DISTINCT k.name ORDER BY k.name) AS a_teaches_b FROM _pairs p
                        JOIN o ON o.m = p.a JOIN w ON w.m = p.b AND w.k = o.k JOIN skills k ON k.id = o.k GROUP BY ALL),
                 ba AS (SELECT p.a, p.b, list(DISTINCT k.name ORDER BY k.name) AS b_teaches_a FROM _pairs p
                        JOIN o ON o.m = p.b JOIN w ON w.m = p.a AND w.k = o.k JOIN skills k ON k.id = o.k GROUP BY ALL)
            SELECT p.a, p.b, coalesce(ab.a_teaches_b, []) AS a_teaches_b, coalesce(ba.b_teaches_a, []) AS b_teaches_a
            FROM _pairs p LEFT JOIN ab USING (a, b) LEFT JOIN ba USING (a, b)
            """
        ).df()
    finally:
        db.unregister(con, "_pairs")


def _reasons(row, pool: pd.DataFrame) -> list[str]:
    a, b = pool.loc[row.a], pool.loc[row.b]
    fa, fb = a["name"].split()[0], b["name"].split()[0]
    if fa == fb:
        fa, fb = a["name"], b["name"]
    reasons = [f"{fa} teaches {fb} {_join(list(row.a_teaches_b))}", f"{fb} teaches {fa} {_join(list(row.b_teaches_a))}"]
    ya, yb = a["experience_years"], b["experience_years"]
    if not (pd.isna(ya) or pd.isna(yb)):
        low, high = sorted((ya, yb))
        if low == high:
            reasons.append(f"both {_years(low)} years")
        elif high - low <= 3:
            reasons.append(f"both {_years(low)}-{_years(high)} years")
        else:
            reasons.append(f"{fa} {_years(ya)} years, {fb} {_years(yb)} years")
    if not pd.isna(row.tz_gap):
        apart = "same time zone" if row.tz_gap == 0 else f"{_years(row.tz_gap)} h apart"
        reasons.append(f"{apart} ({_years(row.shared_hours)} h of shared daytime)")
    for person, first in ((a, fa), (b, fb)):
        if person["left_behind"]:
            reasons.append(f"{first} was left behind by a partner's drop-out")
    longer, first = (a, fa) if a["waited_days"] >= b["waited_days"] else (b, fb)
    reasons.append(f"{first} waited {int(longer['waited_days'])} days")
    return reasons


def require_eligible(con: duckdb.DuckDBPyConnection, pool: pd.DataFrame, email: str) -> int:
    """The id of an eligible member, or InvalidInput saying why they cannot be matched now."""
    email = email.strip().lower()
    found = pool[pool["email"] == email]
    if not found.empty:
        return int(found.index[0])
    row = con.execute("SELECT id, name, status FROM applicants WHERE email = ?", [email]).fetchone()
    if row is None:
        raise NotFound(f"No applicant has the email {email}.")
    raise InvalidInput(f"{row[1]} cannot be matched now: {_ineligible_reason(con, row[0], row[2])}.")


def _ineligible_reason(con: duckdb.DuckDBPyConnection, applicant_id: int, status: str) -> str:
    if status != "accepted":
        return f"their stage is '{status}', not 'accepted'"
    if con.execute("SELECT 1 FROM open_pair_members WHERE applicant_id = ?", [applicant_id]).fetchone():
        return "they are already in an open pairing"
    until = con.execute("SELECT until FROM member_pauses WHERE applicant_id = ?", [applicant_id]).fetchone()
    return f"they are paused until {until[0]:%d %b %Y}" if until else "they are not eligible"


def _zone_distances(zone_a: np.ndarray, zone_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    day = timezones.reference_day(db.now())
    names = sorted({z for z in np.concatenate([zone_a, zone_b]) if isinstance(z, str)})
    if not names:
        nan = np.full(len(zone_a), np.nan)
        return nan, nan.copy()
    index = {z: i for i, z in enumerate(names)}
    offsets = np.array([timezones.utc_offset_hours(z, day) for z in names])
    shared = timezones.shared_daytime(names, day)
    ia = np.array([index.get(z, -1) if isinstance(z, str) else -1 for z in zone_a])
    ib = np.array([index.get(z, -1) if isinstance(z, str) else -1 for z in zone_b])
    known = (ia >= 0) & (ib >= 0)
    gap = np.where(known, np.abs(offsets[ia] - offsets[ib]), np.nan)
    hours = np.where(known, shared[ia, ib], np.nan)
    return gap, hours


def _apply_limits(out: pd.DataFrame, limits: dict) -> pd.DataFrame:
    keep = np.ones(len(out), dtype=bool)
    checks = (
        ("max_timezone_gap_hours", "tz_gap", np.greater),
        ("max_experience_gap_years", "experience_gap", np.greater),
        ("min_shared_hours", "shared_hours", np.less),
    )
    for key, column, breaks in checks:
        value = limits.get(key)
        if value is not None:
            values = out[column].to_numpy(dtype=float)
            keep &= ~(breaks(values, value) & ~np.isnan(values))
    return out[keep]


def _weighted(out: pd.DataFrame, weights: dict[str, float]) -> np.ndarray:
    total = np.zeros(len(out))
    known = np.zeros(len(out))
    for name, weight in weights.items():
        values = out[name].to_numpy(dtype=float)
        present = ~np.isnan(values)
        total += np.where(present, values, 0) * weight
        known += present * weight
    return np.where(known > 0, 100 * total / np.maximum(known, 1e-9), 0.0)


def _limits_text(settings: Settings) -> str:
    parts = {
        "max_timezone_gap_hours": "at most {} h apart",
        "max_experience_gap_years": "at most {} years apart",
        "min_shared_hours": "at least {} shared hours",
    }
    chosen = [
        text.format(_years(settings.limits[k])) for k, text in parts.items() if settings.limits.get(k) is not None
    ]
    return ", ".join(chosen) or "none set"


def _join(names: list[str]) -> str:
    return ", ".join(names) if names else "nothing"


def _years(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
