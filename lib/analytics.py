"""Why and when pairs end, and how the community grows: DataFrames a page or a notebook can use.

Filters: the date range applies to the ending date for reasons and feedback, and to the start date
for retention; skill keeps pairings that exchanged it (either way); the gaps keep pairings whose
members are at most that many years / hours apart (pairs with an unknown gap are kept).
Groups smaller than MIN_GROUP are reported as "too few pairs to tell" rather than drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from lib import db, timezones

MIN_GROUP = 10
FACTORS = {
    "none": "All pairs",
    "experience_gap": "Experience gap",
    "timezone_gap": "Time-zone gap",
    "trial": "Trial held or not",
    "skill_area": "Skill area taught first",
}


@dataclass
class Filters:
    """Which pairings an analysis looks at."""

    start: date | None = None
    end: date | None = None
    skill: str | None = None
    max_experience_gap: float | None = None
    max_timezone_gap: float | None = None


def pair_facts(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """One row per pairing with its dates, outcome, gaps and skills, after the skill and gap filters."""
    facts = con.execute(
        """
        SELECT p.id, p.state, p.started_on, p.trial_on, p.active_on, p.ended_on, p.ended_by, p.end_reason,
               p.trial_outcome, a.timezone AS tz_a, b.timezone AS tz_b,
               abs(a.experience_years - b.experience_years) AS experience_gap,
               CAST(p.a_teaches_b AS VARCHAR[]) AS a_teaches_b, CAST(p.b_teaches_a AS VARCHAR[]) AS b_teaches_a,
               k.category AS skill_area
        FROM pairings p JOIN applicants a ON a.id = p.a_id JOIN applicants b ON b.id = p.b_id
        LEFT JOIN skills k ON k.name = CAST(p.a_teaches_b AS VARCHAR[])[1] AND k.merged_into IS NULL
        """
    ).df()
    facts["timezone_gap"] = _timezone_gaps(facts["tz_a"], facts["tz_b"])
    return _filter(facts.drop(columns=["tz_a", "tz_b"]), filters or Filters())


def dropout_reasons(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """Endings per reason, split by who ended it and by kind (trial no-go or ended active pair)."""
    return _with_facts(
        con,
        filters,
        """
        SELECT e.reason, e.kind, coalesce(e.ended_by, 'member') AS ended_by, count(*) AS count
        FROM endings e JOIN _facts f ON f.id = e.pairing_id
        WHERE e.undone_at IS NULL AND e.kind IN ('ended', 'no-go') AND {dates}
        GROUP BY ALL ORDER BY count DESC, e.reason
    """,
        "e.ended_on",
    ).assign(share=lambda f: (f["count"] / max(f["count"].sum(), 1)).round(3))


def reason_totals(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """Endings per main reason with count and share, most common first."""
    detail = dropout_reasons(con, filters)
    totals = (
        detail.groupby("reason", as_index=False)["count"]
        .sum()
        .sort_values(["count", "reason"], ascending=[False, True])
    )
    return totals.assign(share=(totals["count"] / max(totals["count"].sum(), 1)).round(3)).reset_index(drop=True)


def reasons_by_month(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """Endings per month and reason, for a stacked chart over time."""
    return _with_facts(
        con,
        filters,
        """
        SELECT CAST(date_trunc('month', e.ended_on) AS DATE) AS month, e.reason, e.kind, count(*) AS count
        FROM endings e JOIN _facts f ON f.id = e.pairing_id
        WHERE e.undone_at IS NULL AND e.kind IN ('ended', 'no-go') AND {dates}
        GROUP BY ALL ORDER BY month, e.reason
    """,
        "e.ended_on",
    )


def feedback(
    con: duckdb.DuckDBPyConnection,
    filters: Filters | None = None,
    *,
    reason: str | None = None,
    keyword: str | None = None,
) -> pd.DataFrame:
    """What people said when pairs ended or members withdrew, newest first, with the pair and date."""
    facts = pair_facts(con, filters)
    db.register(con, "_facts", facts[["id"]])
    try:
        return con.execute(
            f"""
            SELECT e.ended_on AS date, e.reason, e.kind,
                   coalesce(pa.name || ' + ' || pb.name, m.name) AS who, e.feedback, e.feedback_source AS source
            FROM endings e
            LEFT JOIN pairings p ON p.id = e.pairing_id
            LEFT JOIN applicants pa ON pa.id = p.a_id LEFT JOIN applicants pb ON pb.id = p.b_id
            LEFT JOIN applicants m ON m.id = e.applicant_id
            WHERE e.undone_at IS NULL AND e.feedback IS NOT NULL
              AND (e.pairing_id IS NULL OR e.pairing_id IN (SELECT id FROM _facts))
              AND ($reason IS NULL OR e.reason = $reason)
              AND ($keyword IS NULL OR e.feedback ILIKE $keyword)
              AND {_dates("e.ended_on", filters)}
            ORDER BY e.ended_on DESC, e.id DESC
            """,
            {"reason": reason, "keyword": f"%{keyword.strip()}%" if keyword and keyword.strip() else None},
        ).df()
    finally:
        db.unregister(con, "_facts")


def retention(con: duckdb.DuckDBPyConnection, filters: Filters | None = None, *, factor: str = "none") -> pd.DataFrame:
    """Kaplan-Meier: share of pairs still going after N weeks, per group of the chosen factor.

    Pairs still going are censored at today. Columns: group, weeks, at_risk, ended, survival, pairs.
    """
    facts = pair_facts(con, filters)
    facts = facts[_in_dates(facts["started_on"], filters)]
    today = pd.Timestamp(db.now().date())
    durations = (pd.to_datetime(facts["ended_on"]).fillna(today) - pd.to_datetime(facts["started_on"])).dt.days / 7
    data = pd.DataFrame(
        {"group": _groups(facts, factor), "weeks": durations.round(3), "ended": facts["state"].eq("ended").astype(int)}
    )
    curves = [
        kaplan_meier(part["weeks"], part["ended"]).assign(group=name, pairs=len(part))
        for name, part in data.groupby("group", sort=True)
    ]
    if not curves:
        return pd.DataFrame(columns=["group", "weeks", "at_risk", "ended", "survival", "pairs"])
    return pd.concat(curves, ignore_index=True)[["group", "weeks", "at_risk", "ended", "survival", "pairs"]]


def kaplan_meier(weeks: pd.Series, ended: pd.Series) -> pd.DataFrame:
    """The Kaplan-Meier estimate at week 0 and each week a pair ended (ties: censored count as at risk)."""
    table = pd.DataFrame({"weeks": weeks.to_numpy(dtype=float), "ended": ended.to_numpy(dtype=int)})
    per_time = table.groupby("weeks").agg(ended=("ended", "sum"), leaving=("ended", "size")).sort_index()
    at_risk = per_time["leaving"][::-1].cumsum()[::-1]
    survival = np.cumprod(1 - per_time["ended"].to_numpy() / at_risk.to_numpy())
    curve = pd.DataFrame(
        {
            "weeks": per_time.index,
            "at_risk": at_risk.to_numpy(),
            "ended": per_time["ended"].to_numpy(),
            "survival": survival,
        }
    )
    curve = curve[curve["ended"] > 0]
    if not (curve["weeks"] == 0).any():
        start = pd.DataFrame({"weeks": [0.0], "at_risk": [len(table)], "ended": [0], "survival": [1.0]})
        curve = pd.concat([start, curve])
    return curve.reset_index(drop=True)


def median_weeks(curve: pd.DataFrame) -> float | None:
    """Weeks until half the pairs had ended, or None when more than half are still going."""
    below = curve[curve["survival"] <= 0.5]
    return None if below.empty else float(below["weeks"].iloc[0])


def retention_summary(curves: pd.DataFrame) -> pd.DataFrame:
    """Per group: pairs, ended, median weeks (or why there is none)."""
    rows = []
    for name, curve in curves.groupby("group", sort=True):
        pairs, ended = int(curve["pairs"].iloc[0]), int(curve["ended"].sum())
        median = median_weeks(curve)
        if pairs < MIN_GROUP:
            verdict = f"too few pairs to tell ({pairs})"
        elif median is None:
            verdict = "no median yet: more than half are still going"
        else:
            verdict = f"half had ended by week {median:.1f}"
        rows.append({"group": name, "pairs": pairs, "ended": ended, "median_weeks": median, "verdict": verdict})
    return pd.DataFrame(rows, columns=["group", "pairs", "ended", "median_weeks", "verdict"])


def funnel(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per application month: applied, screened, interviewed, accepted, matched, active, still active at 4 and 12 weeks."""
    return con.execute(
        """
        WITH reached AS (
            SELECT applicant_id,
                   bool_or(to_status IN ('screened', 'interviewed', 'accepted')) AS screened,
                   bool_or(to_status IN ('interviewed', 'accepted')) AS interviewed,
                   bool_or(to_status = 'accepted') AS accepted
            FROM status_history GROUP BY applicant_id
        ), member_pairs AS (
            SELECT a_id AS m, * FROM pairings UNION ALL SELECT b_id AS m, * FROM pairings
        ), paired AS (
            SELECT m, true AS matched, bool_or(active_on IS NOT NULL) AS active,
                   bool_or(active_on IS NOT NULL AND date_diff('day', active_on, coalesce(ended_on, $today)) >= 28) AS w4,
                   bool_or(active_on IS NOT NULL AND date_diff('day', active_on, coalesce(ended_on, $today)) >= 84) AS w12
            FROM member_pairs GROUP BY m
        )
        SELECT CAST(date_trunc('month', a.applied_at) AS DATE) AS month, count(*) AS applied,
               count(*) FILTER (WHERE r.screened) AS screened, count(*) FILTER (WHERE r.interviewed) AS interviewed,
               count(*) FILTER (WHERE r.accepted) AS accepted, count(*) FILTER (WHERE p.matched) AS matched,
               count(*) FILTER (WHERE p.active) AS active, count(*) FILTER (WHERE p.w4) AS active_4_weeks,
               count(*) FILTER (WHERE p.w12) AS active_12_weeks
        FROM applicants a LEFT JOIN reached r ON r.applicant_id = a.id LEFT JOIN paired p ON p.m = a.id
        GROUP BY ALL ORDER BY month
        """,
        {"today": db.now().date()},
    ).df()


FUNNEL_STAGES = [
    "applied",
    "screened",
    "interviewed",
    "accepted",
    "matched",
    "active",
    "active_4_weeks",
    "active_12_weeks",
]


def funnel_totals(table: pd.DataFrame) -> pd.DataFrame:
    """The funnel over all months with each stage's conversion from the one before."""
    totals = [int(table[s].sum()) if not table.empty else 0 for s in FUNNEL_STAGES]
    rates = [None] + [round(b / a, 3) if a else None for a, b in zip(totals, totals[1:])]
    return pd.DataFrame({"stage": FUNNEL_STAGES, "members": totals, "conversion": rates})


def waiting_times(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Days from acceptance to first match, and from a partner's drop-out to the next match."""
    return con.execute(
        """
        WITH accepted AS (
            SELECT applicant_id AS m, min(changed_at) AS at FROM status_history WHERE to_status = 'accepted' GROUP BY 1
        ), member_pairs AS (
            SELECT a_id AS m, id, started_on, ended_on FROM pairings UNION ALL SELECT b_id, id, started_on, ended_on FROM pairings
        ), first_match AS (
            SELECT m, min(started_on) AS first FROM member_pairs GROUP BY m
        ), requeued AS (
            SELECT x.m, x.ended_on, min(y.started_on) AS next FROM member_pairs x
            JOIN member_pairs y ON y.m = x.m AND y.started_on >= x.ended_on AND y.id <> x.id
            WHERE x.ended_on IS NOT NULL GROUP BY x.m, x.id, x.ended_on
        )
        SELECT 'first match after acceptance' AS kind, date_diff('day', CAST(a.at AS DATE), f.first) AS days
        FROM accepted a JOIN first_match f ON f.m = a.m WHERE f.first >= CAST(a.at AS DATE)
        UNION ALL
        SELECT 're-matched after a drop-out', date_diff('day', ended_on, next) FROM requeued
        """
    ).df()


def skill_outcomes(
    con: duckdb.DuckDBPyConnection, filters: Filters | None = None, *, min_pairs: int = 5
) -> pd.DataFrame:
    """Per skill exchanged: pairs, how many ended, median weeks lasted (KM), small groups flagged."""
    facts = pair_facts(con, filters)
    today = pd.Timestamp(db.now().date())
    facts["weeks"] = (pd.to_datetime(facts["ended_on"]).fillna(today) - pd.to_datetime(facts["started_on"])).dt.days / 7
    facts["skill"] = [sorted(set(a) | set(b)) for a, b in zip(facts["a_teaches_b"], facts["b_teaches_a"])]
    exploded = facts.explode("skill").dropna(subset=["skill"])
    rows = []
    for skill, part in exploded.groupby("skill"):
        curve = kaplan_meier(part["weeks"], part["state"].eq("ended").astype(int))
        rows.append(
            {
                "skill": skill,
                "pairs": len(part),
                "ended": int(part["state"].eq("ended").sum()),
                "median_weeks": median_weeks(curve),
                "enough": len(part) >= min_pairs,
            }
        )
    table = pd.DataFrame(rows, columns=["skill", "pairs", "ended", "median_weeks", "enough"])
    return table.sort_values(
        ["enough", "median_weeks", "pairs"], ascending=[False, False, False], na_position="first", ignore_index=True
    )


def dropout_report(con: duckdb.DuckDBPyConnection, *, start: date | None = None, end: date | None = None) -> dict:
    """The published `report dropouts --json` object."""
    filters = Filters(start=start, end=end)
    facts = pair_facts(con, filters)
    started = facts[_in_dates(facts["started_on"], filters)]
    totals = reason_totals(con, filters)
    curves = retention(con, filters)
    return {
        "pairs": int(len(started)),
        "ended": int(started["state"].eq("ended").sum()),
        "active": int(started["state"].eq("active").sum()),
        "reasons": [{"reason": r.reason, "count": int(r.count), "share": float(r.share)} for r in totals.itertuples()],
        "median_weeks": median_weeks(curves) if not curves.empty else None,
    }


def _with_facts(con, filters, sql: str, date_column: str) -> pd.DataFrame:
    facts = pair_facts(con, filters)
    db.register(con, "_facts", facts[["id"]])
    try:
        return con.execute(sql.format(dates=_dates(date_column, filters))).df()
    finally:
        db.unregister(con, "_facts")


def _dates(column: str, filters: Filters | None) -> str:
    # Dates are rendered as ISO literals from date objects only, never from text.
    parts = ["true"]
    if filters and filters.start:
        parts.append(f"{column} >= DATE '{date.fromisoformat(str(filters.start)).isoformat()}'")
    if filters and filters.end:
        parts.append(f"{column} <= DATE '{date.fromisoformat(str(filters.end)).isoformat()}'")
    return " AND ".join(parts)


def _in_dates(values: pd.Series, filters: Filters | None) -> pd.Series:
    keep = pd.Series(True, index=values.index)
    stamps = pd.to_datetime(values)
    if filters and filters.start:
        keep &= stamps >= pd.Timestamp(filters.start)
    if filters and filters.end:
        keep &= stamps <= pd.Timestamp(filters.end)
    return keep


def _filter(facts: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    keep = pd.Series(True, index=facts.index)
    if filters.skill:
        keep &= [filters.skill in set(a) | set(b) for a, b in zip(facts["a_teaches_b"], facts["b_teaches_a"])]
    for column, limit in (("experience_gap", filters.max_experience_gap), ("timezone_gap", filters.max_timezone_gap)):
        if limit is not None:
            keep &= facts[column].isna() | (facts[column] <= limit)
    return facts[keep].reset_index(drop=True)


def _timezone_gaps(tz_a: pd.Series, tz_b: pd.Series) -> pd.Series:
    day = timezones.reference_day(db.now())
    texts = pd.concat([tz_a, tz_b]).dropna().unique()
    offsets = {}
    for text in texts:
        zone = timezones.to_zone(text)
        offsets[text] = timezones.utc_offset_hours(zone, day) if zone else np.nan
    return (tz_a.map(offsets).astype(float) - tz_b.map(offsets).astype(float)).abs()


def _groups(facts: pd.DataFrame, factor: str) -> pd.Series:
    if factor == "none":
        return pd.Series("all pairs", index=facts.index)
    if factor == "experience_gap":
        return (
            pd.cut(facts["experience_gap"], [-0.1, 2, 5, 100], labels=["0-2 years", "3-5 years", "6+ years"])
            .astype(str)
            .replace("nan", "unknown")
        )
    if factor == "timezone_gap":
        return (
            pd.cut(facts["timezone_gap"], [-0.1, 2, 5, 24], labels=["0-2 h", "3-5 h", "6+ h"])
            .astype(str)
            .replace("nan", "unknown")
        )
    if factor == "trial":
        return facts["trial_on"].notna().map({True: "trial held", False: "no trial"})
    if factor == "skill_area":
        return facts["skill_area"].fillna("members' own skills")
    raise ValueError(f"Unknown factor {factor!r}; use one of {', '.join(FACTORS)}.")
