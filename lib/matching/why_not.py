"""Why an eligible member was left without a partner, in a sentence the moderator can act on."""

from __future__ import annotations

import duckdb
import pandas as pd

from lib.matching import score, wording
from lib.storage import db


def why_unmatched(
    con: duckdb.DuckDBPyConnection,
    pool: pd.DataFrame,
    raw: pd.DataFrame,
    scored: pd.DataFrame,
    matched: set[int],
    settings: score.Settings,
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


def _why_one(m, supply: dict, raw: int, kept: int, best: float | None, settings: score.Settings) -> str:
    first = m.name.split()[0]
    if m.n_wants == 0:
        return f"{first} listed nothing to learn; ask what they would like to learn."
    if m.n_offers == 0:
        return f"{first} listed nothing to offer; ask what they could teach."
    unmet = supply.get("unmet", [])
    if supply.get("teachers", 0) == 0:
        return f"Nobody eligible offers {wording.names(unmet)}."
    if raw == 0:
        taught = wording.names(supply.get("taught", []))
        gap = f"; nobody eligible offers {wording.names(unmet)}" if unmet else ""
        if supply["teachers"] == 1:
            return f"The only eligible member who offers {taught} wants nothing {first} offers{gap}."
        return f"The {supply['teachers']} eligible members who offer {taught} want nothing {first} offers{gap}."
    if kept == 0:
        return (
            f"All {raw} possible partners are ruled out by the hard limits ({score.limits_text(settings)}) "
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
