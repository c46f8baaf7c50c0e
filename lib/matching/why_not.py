"""Why an eligible member was left without a partner, in a sentence the moderator can act on.

Every member left out gets a sentence naming them (`reason`) and a cause shared with others (`cause`,
one of CAUSES) that the round's summary counts. A sentence never lists an empty set of skills.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from lib.intake import names
from lib.matching import freetime, score, wording
from lib.storage import db

# Each cause reads after a count in the round's summary: "2 listed nothing to learn".
CAUSES = {
    "no_skills": "listed no skills",
    "no_wants": "listed nothing to learn",
    "no_offers": "listed nothing to offer",
    "unknown_wants": "wanted only skills not in the vocabulary yet",
    "no_teacher": "wanted only skills no other eligible member offers",
    "one_sided": "offered nothing the members who could teach them want",
    "never_pair": "had every possible partner marked never to be paired with them",
    "no_time": "had no shared free hour with anyone who teaches what they want",
    "limits": "had every possible partner ruled out by the hard limits",
    "taken": "had every possible partner paired with someone else",
    "for_score": "left out because the round puts the total score first",
}
COLUMNS = ["email", "name", "reason", "cause"]


@dataclass(frozen=True)
class _Counts:
    """What one member left out could have had: candidates before and after the limits, and more."""

    raw: int  # mutual candidates (never-pair marks already excluded)
    kept: int  # candidates the hard limits leave
    free: int  # kept candidates who are left out too
    blocked: int  # mutual members marked never to be paired with them
    best: float | None  # best score among kept candidates
    timeless: int = 0  # mutual candidates sharing no free hour with them (both gave free times)


def why_unmatched(
    con: duckdb.DuckDBPyConnection,
    pool: pd.DataFrame,
    raw: pd.DataFrame,
    scored: pd.DataFrame,
    matched: set[int],
    settings: score.Settings,
) -> pd.DataFrame:
    """For every eligible member left without a partner, a reason the moderator can act on, and its cause."""
    left = pool[~pool["id"].isin(matched)]
    if left.empty:
        return pd.DataFrame(columns=COLUMNS)
    counts = _counts(con, pool, left, raw, scored, matched)
    supply = _supply(con, pool, left)
    found = [_why_one(m, supply.get(m.id, {}), counts[m.id], settings) for m in left.itertuples()]
    return pd.DataFrame(
        {
            "email": left["email"].to_numpy(),
            "name": left["name"].to_numpy(),
            "reason": [reason for reason, _ in found],
            "cause": [CAUSES[cause] for _, cause in found],
        }
    )


def cause_counts(unmatched: pd.DataFrame) -> list[tuple[str, int]]:
    """(cause, members) for the members left out, most frequent first."""
    if unmatched.empty:
        return []
    counted = unmatched["cause"].value_counts(sort=False)
    return sorted(counted.items(), key=lambda item: (-item[1], list(CAUSES.values()).index(item[0])))


def _why_one(m, supply: dict, counts: _Counts, settings: score.Settings) -> tuple[str, str]:
    first = names.first_name(m.name, fallback=m.email)
    if m.n_wants == 0 and m.n_offers == 0:
        return (
            f"{first} listed no skills to offer or to learn; ask what they could teach and want to learn.",
            "no_skills",
        )
    if m.n_wants == 0:
        return f"{first} listed nothing to learn; ask what they would like to learn.", "no_wants"
    if m.n_offers == 0:
        return f"{first} listed nothing to offer; ask what they could teach.", "no_offers"
    if counts.raw == 0:
        return _no_candidate(first, supply, counts.blocked)
    if counts.kept == 0 and counts.timeless == counts.raw:
        return (
            f"{first} has no shared free hour with anyone who teaches what they want "
            f"({_members(counts.raw, 'could')}); ask whether other times would work for them.",
            "no_time",
        )
    if counts.kept == 0:
        return _ruled_out(first, counts, settings), "limits"
    if counts.free:
        return (
            f"{first} could pair with {_members(counts.free, 'also left out')}, but the round puts the total "
            f'score first; set "{score.SCORE_GIVEN_UP.label}" to 100 to pair as many people as possible.',
            "for_score",
        )
    if counts.kept == 1:
        return (
            f"Odd one out this round: the one possible partner for {first} is paired with someone else "
            f"(their score together would be {counts.best:.0f}).",
            "taken",
        )
    return (
        f"Odd one out this round: all {counts.kept} possible partners for {first} are paired with others "
        f"(the best score together would be {counts.best:.0f}).",
        "taken",
    )


def _no_candidate(first: str, supply: dict, blocked: int) -> tuple[str, str]:
    wanted, taught, unmet = supply.get("wanted", []), supply.get("taught", []), supply.get("unmet", [])
    if blocked:
        if blocked == 1:
            return f"The only member who could pair with {first} is marked never to be paired with them.", "never_pair"
        return (
            f"All {blocked} members who could pair with {first} are marked never to be paired with them.",
            "never_pair",
        )
    if not wanted:
        return (
            f"The skills {first} wants to learn are not in the skill vocabulary yet; "
            "re-run normalisation on the Skill vocabulary page.",
            "unknown_wants",
        )
    if not taught:
        which = "it" if len(unmet) == 1 else "any of them"
        return f"{first} wants to learn {wording.joined(unmet)}; no other eligible member offers {which}.", "no_teacher"
    gap = f"; no other eligible member offers {wording.joined(unmet)}" if unmet else ""
    if supply["teachers"] == 1:
        who = f"The only eligible member who offers {wording.joined(taught)} wants"
    else:
        who = f"The {supply['teachers']} eligible members who offer {wording.joined(taught)} want"
    return f"{who} to learn nothing {first} offers{gap}.", "one_sided"


def _ruled_out(first: str, counts: _Counts, settings: score.Settings) -> str:
    limits = score.limits_text(settings)
    if counts.raw == 1:
        said = f"The one possible partner for {first} is ruled out by the hard limits ({limits})"
    else:
        said = f"All {counts.raw} possible partners for {first} are ruled out by the hard limits ({limits})"
    if counts.blocked:
        said += f"; {counts.blocked} more {'is' if counts.blocked == 1 else 'are'} marked never to be paired with them"
    return said + '; change the limits under "Score weights and hard limits".'


def _members(count: int, what: str) -> str:
    return f"{count} {'member' if count == 1 else 'members'} {what}"


def _counts(
    con: duckdb.DuckDBPyConnection,
    pool: pd.DataFrame,
    left: pd.DataFrame,
    raw: pd.DataFrame,
    scored: pd.DataFrame,
    matched: set[int],
) -> dict[int, _Counts]:
    def per_member(edges: pd.DataFrame) -> pd.Series:
        return pd.concat([edges["a"], edges["b"]]).value_counts()

    raw_count, kept_count = per_member(raw), per_member(scored)
    both_left = scored[~scored["a"].isin(matched) & ~scored["b"].isin(matched)]
    free_count = per_member(both_left)
    best = pd.concat(
        [
            scored[["a", "score"]].set_axis(["m", "score"], axis=1),
            scored[["b", "score"]].set_axis(["m", "score"], axis=1),
        ]
    )
    best = best.groupby("m")["score"].max()
    blocked, timeless = _blocked(con, pool, left), _timeless(pool, raw, left)
    return {
        m: _Counts(
            int(raw_count.get(m, 0)),
            int(kept_count.get(m, 0)),
            int(free_count.get(m, 0)),
            blocked.get(m, 0),
            best.get(m),
            int(timeless.get(m, 0)),
        )
        for m in left["id"]
    }


def _timeless(pool: pd.DataFrame, raw: pd.DataFrame, left: pd.DataFrame) -> pd.Series:
    # Per member left out: mutual candidates with whom they share no free hour (both gave free times).
    edges = raw[raw["a"].isin(left["id"]) | raw["b"].isin(left["id"])]
    if edges.empty:
        return pd.Series(dtype=int)
    masks, known = freetime.member_masks(pool, freetime.window_start(db.now()))
    hours = freetime.shared_hours(masks, known, pool.index.get_indexer(edges["a"]), pool.index.get_indexer(edges["b"]))
    none = edges[hours == 0]
    return pd.concat([none["a"], none["b"]]).value_counts()


def _supply(con: duckdb.DuckDBPyConnection, pool: pd.DataFrame, left: pd.DataFrame) -> dict[int, dict]:
    # Per member left out: the canonical skills they want, which of them another eligible member offers
    # (taught) or nobody else does (unmet; offering it yourself does not count), and how many others
    # offer any of them (teachers).
    db.register(con, "_pool_ids", pool[["id"]].reset_index(drop=True))
    db.register(con, "_left_ids", left[["id"]].reset_index(drop=True))
    try:
        rows = con.execute(
            """
            WITH wants AS (SELECT DISTINCT s.applicant_id AS m, s.skill_id AS k FROM applicant_skills s
                           JOIN _left_ids l ON l.id = s.applicant_id
                           WHERE s.kind = 'want' AND s.skill_id IS NOT NULL),
                 offers AS (SELECT DISTINCT s.applicant_id AS t, s.skill_id AS k FROM applicant_skills s
                            JOIN _pool_ids p ON p.id = s.applicant_id
                            WHERE s.kind = 'offer' AND s.skill_id IS NOT NULL)
            SELECT w.m, count(DISTINCT o.t) AS teachers, list(DISTINCT k.name ORDER BY k.name) AS wanted,
                   list(DISTINCT k.name ORDER BY k.name) FILTER (WHERE o.t IS NOT NULL) AS taught
            FROM wants w JOIN skills k ON k.id = w.k LEFT JOIN offers o ON o.k = w.k AND o.t <> w.m
            GROUP BY w.m
            """
        ).fetchall()
    finally:
        db.unregister(con, "_pool_ids")
        db.unregister(con, "_left_ids")
    return {
        m: {
            "teachers": t,
            "wanted": wanted,
            "taught": taught or [],
            "unmet": [w for w in wanted if w not in (taught or [])],
        }
        for m, t, wanted, taught in rows
    }


def _blocked(con: duckdb.DuckDBPyConnection, pool: pd.DataFrame, left: pd.DataFrame) -> dict[int, int]:
    # Members who could pair with someone left out both ways but are marked never to be paired with them.
    db.register(con, "_pool_ids", pool[["id"]].reset_index(drop=True))
    db.register(con, "_left_ids", left[["id"]].reset_index(drop=True))
    try:
        rows = con.execute(
            """
            WITH apart AS (SELECT l.id AS m, CASE WHEN n.low_id = l.id THEN n.high_id ELSE n.low_id END AS q
                           FROM _left_ids l JOIN never_pair n ON l.id = n.low_id OR l.id = n.high_id),
                 apart_eligible AS (SELECT * FROM apart WHERE q IN (SELECT id FROM _pool_ids)),
                 people AS (SELECT m FROM apart_eligible UNION SELECT q FROM apart_eligible),
                 s AS (SELECT DISTINCT applicant_id AS m, kind, skill_id AS k FROM applicant_skills
                       WHERE skill_id IS NOT NULL AND applicant_id IN (SELECT m FROM people))
            SELECT a.m, count(DISTINCT a.q) FROM apart_eligible a
            WHERE EXISTS (SELECT 1 FROM s o JOIN s w ON w.k = o.k
                          WHERE o.m = a.m AND o.kind = 'offer' AND w.m = a.q AND w.kind = 'want')
              AND EXISTS (SELECT 1 FROM s o JOIN s w ON w.k = o.k
                          WHERE o.m = a.q AND o.kind = 'offer' AND w.m = a.m AND w.kind = 'want')
            GROUP BY a.m
            """
        ).fetchall()
    finally:
        db.unregister(con, "_pool_ids")
        db.unregister(con, "_left_ids")
    return {int(m): int(n) for m, n in rows}
