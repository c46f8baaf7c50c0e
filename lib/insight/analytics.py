"""Why and when pairs end, and how the community grows: DataFrames a page or a notebook can use.

Filters: the date range applies to the ending date for reasons and feedback, and to the start date
for retention; skill keeps pairings that exchanged it (either way); the gaps keep pairings whose
members are at most that many years / hours apart (pairs with an unknown gap are kept).
Groups smaller than MIN_GROUP are reported as "too few pairs to tell" rather than drawn.

A drop-out, everywhere here, is a pairing that ended (state 'ended', whatever the reason, happy ones
such as "goals met" included): the event of the Kaplan-Meier curves and the `ended` of `report dropouts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from lib.intake import timezones
from lib.storage import db

MIN_GROUP = 10
FACTORS = {
    "none": "All pairs",
    "experience_gap": "Experience gap",
    "timezone_gap": "Time-zone gap",
    "trial": "Trial held or not",
    "skill_area": "Skill area taught first",
}
# Survival is exp(sum(ln ...)), so exactly half can come out as 0.5000000000000001: the median
# is the first time survival is at most a half, within rounding.
_HALF = 0.5 + 1e-9
SMALL_GROUP = 5  # fewer pairs than this: the group is shown, greyed and marked, never hidden
TIME_SPLITS = {
    "budget": "Weekly budget (the smaller of the two members')",
    "shared_hours": "Shared free hours a week",
}
# The groups of each split, in the order charts and tables show them (see outcomes_by_time).
TIME_GROUPS = {
    "budget": ("under 1 h", "1-2 h", "2 h or more", "unknown"),
    "shared_hours": ("none known", "under 2 h", "2-4 h", "4 h or more"),
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
    return _query(con, filters, "SELECT * FROM facts ORDER BY id")


def dropout_reasons(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """Endings per reason, split by who ended it and by kind (trial no-go or ended active pair)."""
    detail = _query(
        con,
        filters,
        f"""
        SELECT e.reason, e.kind, coalesce(e.ended_by, 'member') AS ended_by, count(*) AS count
        FROM endings e JOIN facts f ON f.id = e.pairing_id
        WHERE e.undone_at IS NULL AND e.kind IN ('ended', 'no-go') AND {_dates("e.ended_on", filters)}
        GROUP BY ALL ORDER BY count DESC, e.reason, e.kind, ended_by
    """,
    )
    return detail.assign(share=(detail["count"] / max(detail["count"].sum(), 1)).round(3))


def reason_totals(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """Endings per main reason with count and share, most common first."""
    totals = _query(
        con,
        filters,
        f"""
        SELECT e.reason, count(*) AS count FROM endings e JOIN facts f ON f.id = e.pairing_id
        WHERE e.undone_at IS NULL AND e.kind IN ('ended', 'no-go') AND {_dates("e.ended_on", filters)}
        GROUP BY e.reason ORDER BY count DESC, e.reason
    """,
    )
    return totals.assign(share=(totals["count"] / max(totals["count"].sum(), 1)).round(3))


def reasons_by_month(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """Endings per month and reason, for a stacked chart over time."""
    return _query(
        con,
        filters,
        f"""
        SELECT CAST(date_trunc('month', e.ended_on) AS DATE) AS month, e.reason, e.kind, count(*) AS count
        FROM endings e JOIN facts f ON f.id = e.pairing_id
        WHERE e.undone_at IS NULL AND e.kind IN ('ended', 'no-go') AND {_dates("e.ended_on", filters)}
        GROUP BY ALL ORDER BY month, e.reason, e.kind
    """,
    )


def feedback(
    con: duckdb.DuckDBPyConnection,
    filters: Filters | None = None,
    *,
    reason: str | None = None,
    keyword: str | None = None,
    limit: int = 500,
) -> pd.DataFrame:
    """What people said when pairs ended or members withdrew, newest first, with the pair and date."""
    return _query(
        con,
        filters,
        f"""
        SELECT e.ended_on AS date, e.reason, e.kind, coalesce(pa.name || ' + ' || pb.name, m.name) AS who,
               e.feedback, e.feedback_source AS source
        FROM endings e
        LEFT JOIN pairings p ON p.id = e.pairing_id
        LEFT JOIN applicants pa ON pa.id = p.a_id LEFT JOIN applicants pb ON pb.id = p.b_id
        LEFT JOIN applicants m ON m.id = e.applicant_id
        WHERE e.undone_at IS NULL AND e.feedback IS NOT NULL
          AND (e.pairing_id IS NULL OR e.pairing_id IN (SELECT id FROM facts))
          AND ($reason IS NULL OR e.reason = $reason)
          AND ($keyword IS NULL OR e.feedback ILIKE $keyword)
          AND {_dates("e.ended_on", filters)}
        ORDER BY e.ended_on DESC, e.id DESC LIMIT $limit
    """,
        {"reason": reason, "keyword": f"%{keyword.strip()}%" if keyword and keyword.strip() else None, "limit": limit},
    )


def retention(con: duckdb.DuckDBPyConnection, filters: Filters | None = None, *, factor: str = "none") -> pd.DataFrame:
    """Kaplan-Meier: share of pairs still going after N weeks, per group of the chosen factor.

    Pairs still going are censored at today. Columns: group, weeks, at_risk, ended, survival, pairs.
    """
    if factor not in FACTORS:
        raise ValueError(f"Unknown factor {factor!r}; use one of {', '.join(FACTORS)}.")
    durations = f"""
        SELECT {_GROUPS[factor]} AS grp,
               round(date_diff('day', started_on, coalesce(ended_on, $today)) / 7, 3) AS weeks,
               CAST(state = 'ended' AS INTEGER) AS ended
        FROM facts WHERE {_dates("started_on", filters)}
    """
    return _query(con, filters, _KM_SQL.format(durations=durations), {"today": db.now().date()})


def kaplan_meier(weeks: pd.Series, ended: pd.Series) -> pd.DataFrame:
    """The Kaplan-Meier estimate (computed in DuckDB like the page's curves) for one group of durations."""
    frame = pd.DataFrame({"grp": "all", "weeks": weeks.to_numpy(dtype=float), "ended": ended.to_numpy(dtype=int)})
    con = duckdb.connect()
    try:
        db.register(con, "frame", frame)
        sql = "WITH facts AS (SELECT 1)" + _KM_SQL.format(durations="SELECT * FROM frame")
        return con.execute(sql).df().drop(columns=["group", "pairs"])
    finally:
        con.close()


def median_weeks(curve: pd.DataFrame) -> float | None:
    """Weeks until half the pairs had ended, or None when more than half are still going."""
    below = curve[curve["survival"] <= _HALF]
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


def outcomes_by_time(
    con: duckdb.DuckDBPyConnection, filters: Filters | None = None, *, split: str = "budget"
) -> pd.DataFrame:
    """Per group of weekly budget or shared free hours: pairs, drop-outs, drop-out rate and median weeks.

    Groups (TIME_GROUPS, lower bound in, upper bound out, so 1.0 h is "1-2 h" and 4.0 h "4 h or more"):
    - budget: the smaller of the two members' declared hours a week (applicants.hours_per_week);
      "unknown" when either member gave none, since the smaller one then cannot be known. It is the
      budget as declared now (applicants keep one answer), unlike shared hours, kept from the confirm.
      Bins under 1 h / 1-2 h / 2 h or more.
    - shared_hours: the hours a week both were free when the pair was confirmed (pairings.shared_hours);
      "none known" when either gave no free times. Bins under 2 h / 2-4 h / 4 h or more; 4 h is what
      the score counts as plenty (matching.score.FREE_FULL_HOURS). Zero shared hours (a pair made by
      hand) falls in "under 2 h".
    Drop-outs are ended pairings (module docstring); the rate is drop-outs / pairs, NaN for no pairs.
    median_weeks is the Kaplan-Meier median of weeks from start to end (pairs still going censored
    today), as on "How long pairs last": NaN while more than half of the group is still going.
    Every group is returned, also empty ones; `small` marks groups under SMALL_GROUP pairs and
    `label` carries the count ("under 1 h (n = 3)"). The date filter applies to the start date.
    """
    if split not in TIME_SPLITS:
        raise ValueError(f"Unknown split {split!r}; use one of {', '.join(TIME_SPLITS)}.")
    durations = f"""
        SELECT {_TIME_CASES[split]} AS grp,
               round(date_diff('day', started_on, coalesce(ended_on, $today)) / 7, 3) AS weeks,
               CAST(state = 'ended' AS INTEGER) AS ended
        FROM facts WHERE {_dates("started_on", filters)}
    """
    curves = _query(con, filters, _KM_SQL.format(durations=durations), {"today": db.now().date()})
    return _time_table(curves, TIME_GROUPS[split])


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


def waiting_summary(waits: pd.DataFrame) -> pd.DataFrame:
    """Members and median days waited, per kind of wait (first match, re-match after a drop-out)."""
    return (
        waits.groupby("kind")["days"]
        .agg(["count", "median"])
        .reset_index()
        .rename(columns={"kind": "waiting for", "count": "members", "median": "median days"})
    )


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
    """Per skill exchanged: pairs, how many ended, median weeks lasted (Kaplan-Meier), small groups flagged."""
    durations = """
        SELECT skill AS grp, round(date_diff('day', started_on, coalesce(ended_on, $today)) / 7, 3) AS weeks,
               CAST(state = 'ended' AS INTEGER) AS ended
        FROM facts, unnest(list_distinct(list_concat(a_teaches_b, b_teaches_a))) AS t(skill)
    """
    curves = _query(con, filters, _KM_SQL.format(durations=durations), {"today": db.now().date()})
    table = curves.groupby("group").agg(pairs=("pairs", "first"), ended=("ended", "sum")).reset_index()
    medians = curves[curves["survival"] <= _HALF].groupby("group")["weeks"].min()
    table = table.rename(columns={"group": "skill"}).assign(median_weeks=lambda t: t["skill"].map(medians))
    table["enough"] = table["pairs"] >= min_pairs
    return table.sort_values(
        ["enough", "median_weeks", "pairs"], ascending=[False, False, False], na_position="first", ignore_index=True
    )


def dropout_report(con: duckdb.DuckDBPyConnection, *, start: date | None = None, end: date | None = None) -> dict:
    """The published `report dropouts --json` object (pairs counted by start date, reasons by ending date)."""
    filters = Filters(start=start, end=end)
    pairs, ended, active = (
        _query(
            con,
            filters,
            f"""
        SELECT count(*), count(*) FILTER (WHERE state = 'ended'), count(*) FILTER (WHERE state = 'active')
        FROM facts WHERE {_dates("started_on", filters)}
    """,
        )
        .iloc[0]
        .tolist()
    )
    totals = reason_totals(con, filters)
    curves = retention(con, filters)
    return {
        "pairs": int(pairs),
        "ended": int(ended),
        "active": int(active),
        "reasons": [{"reason": r.reason, "count": int(r.count), "share": float(r.share)} for r in totals.itertuples()],
        "median_weeks": median_weeks(curves) if not curves.empty else None,
    }


# Follows the facts CTE of _FACTS_SQL (so it starts with a comma).
_KM_SQL = """
    , durations AS ({durations}),
    per_time AS (
        SELECT grp, weeks, sum(ended) AS ended, count(*) AS leaving FROM durations GROUP BY grp, weeks
    ),
    risk AS (
        SELECT grp, weeks, ended, sum(leaving) OVER (PARTITION BY grp ORDER BY weeks DESC) AS at_risk,
               sum(leaving) OVER (PARTITION BY grp) AS pairs
        FROM per_time
    ),
    curve AS (
        SELECT grp, weeks, at_risk, ended, pairs,
               exp(sum(ln(1 - ended / at_risk)) OVER (PARTITION BY grp ORDER BY weeks)) AS survival
        FROM risk
    )
    SELECT grp AS "group", weeks, at_risk, ended, survival, pairs FROM curve WHERE ended > 0
    UNION ALL
    SELECT grp, 0.0, max(at_risk), 0, 1.0, max(pairs) FROM curve GROUP BY grp
    HAVING NOT bool_or(weeks = 0 AND ended > 0)
    ORDER BY "group", weeks
"""

_GROUPS = {
    "none": "'all pairs'",
    "experience_gap": "CASE WHEN experience_gap IS NULL THEN 'unknown' WHEN experience_gap <= 2 THEN '0-2 years' "
    "WHEN experience_gap <= 5 THEN '3-5 years' ELSE '6+ years' END",
    "timezone_gap": "CASE WHEN timezone_gap IS NULL THEN 'unknown' WHEN timezone_gap <= 2 THEN '0-2 h' "
    "WHEN timezone_gap <= 5 THEN '3-5 h' ELSE '6+ h' END",
    "trial": "CASE WHEN trial_on IS NOT NULL THEN 'trial held' ELSE 'no trial' END",
    "skill_area": "coalesce(skill_area, 'members'' own skills')",
}

# Allow-listed group expressions over the facts columns weekly_budget and shared_hours (labels: TIME_GROUPS).
_TIME_CASES = {
    "budget": "CASE WHEN weekly_budget IS NULL THEN 'unknown' WHEN weekly_budget < 1 THEN 'under 1 h' "
    "WHEN weekly_budget < 2 THEN '1-2 h' ELSE '2 h or more' END",
    "shared_hours": "CASE WHEN shared_hours IS NULL THEN 'none known' WHEN shared_hours < 2 THEN 'under 2 h' "
    "WHEN shared_hours < 4 THEN '2-4 h' ELSE '4 h or more' END",
}

_FACTS_SQL = """
    WITH facts AS (
        SELECT * FROM (
            SELECT p.id, p.state, p.started_on, p.trial_on, p.active_on, p.ended_on, p.ended_by, p.end_reason,
                   p.trial_outcome, abs(a.experience_years - b.experience_years) AS experience_gap,
                   abs(oa.offset_hours - ob.offset_hours) AS timezone_gap,
                   CAST(p.a_teaches_b AS VARCHAR[]) AS a_teaches_b, CAST(p.b_teaches_a AS VARCHAR[]) AS b_teaches_a,
                   k.category AS skill_area, p.shared_hours,
                   -- DuckDB's least() skips NULLs: a pair with one unknown budget has an unknown smaller one
                   CASE WHEN a.hours_per_week IS NOT NULL AND b.hours_per_week IS NOT NULL
                        THEN least(a.hours_per_week, b.hours_per_week) END AS weekly_budget
            FROM pairings p JOIN applicants a ON a.id = p.a_id JOIN applicants b ON b.id = p.b_id
            LEFT JOIN _tz_offsets oa ON oa.text = a.timezone LEFT JOIN _tz_offsets ob ON ob.text = b.timezone
            LEFT JOIN skills k ON k.name = CAST(p.a_teaches_b AS VARCHAR[])[1] AND k.merged_into IS NULL
        )
        WHERE ($skill IS NULL OR list_contains(a_teaches_b, $skill) OR list_contains(b_teaches_a, $skill))
          AND ($max_exp IS NULL OR experience_gap IS NULL OR experience_gap <= $max_exp)
          AND ($max_tz IS NULL OR timezone_gap IS NULL OR timezone_gap <= $max_tz)
    )
"""


def _query(
    con: duckdb.DuckDBPyConnection, filters: Filters | None, sql: str, params: dict | None = None
) -> pd.DataFrame:
    filters = filters or Filters()
    texts = [
        t for (t,) in con.execute("SELECT DISTINCT timezone FROM applicants WHERE timezone IS NOT NULL").fetchall()
    ]
    db.register(
        con,
        "_tz_offsets",
        pd.DataFrame({"text": texts, "offset_hours": _offsets(texts)}, dtype=object).astype({"offset_hours": float}),
    )
    try:
        used = {
            "skill": filters.skill,
            "max_exp": filters.max_experience_gap,
            "max_tz": filters.max_timezone_gap,
            **(params or {}),
        }
        return con.execute(_FACTS_SQL + sql, used).df()
    finally:
        db.unregister(con, "_tz_offsets")


def _time_table(curves: pd.DataFrame, groups: tuple[str, ...]) -> pd.DataFrame:
    by = curves.groupby("group")
    table = pd.DataFrame({"group": list(groups)})
    table["pairs"] = table["group"].map(by["pairs"].first()).fillna(0).astype(int)
    table["dropouts"] = table["group"].map(by["ended"].sum()).fillna(0).astype(int)
    table["dropout_rate"] = (table["dropouts"] / table["pairs"].where(table["pairs"] > 0)).astype(float).round(3)
    medians = curves[curves["survival"] <= _HALF].groupby("group")["weeks"].min()
    table["median_weeks"] = table["group"].map(medians).astype(float)
    table["small"] = table["pairs"] < SMALL_GROUP
    table["label"] = [f"{g} (n = {n})" for g, n in zip(table["group"], table["pairs"])]
    return table


def _dates(column: str, filters: Filters | None) -> str:
    # Dates are rendered as ISO literals from date objects only, never from text.
    parts = ["true"]
    if filters and filters.start:
        parts.append(f"{column} >= DATE '{date.fromisoformat(str(filters.start)).isoformat()}'")
    if filters and filters.end:
        parts.append(f"{column} <= DATE '{date.fromisoformat(str(filters.end)).isoformat()}'")
    return " AND ".join(parts)


def _offsets(texts: list[str]) -> list[float]:
    day = timezones.reference_day(db.now())
    found = []
    for text in texts:
        zone = timezones.to_zone(text)
        found.append(timezones.utc_offset_hours(zone, day) if zone else np.nan)
    return found
