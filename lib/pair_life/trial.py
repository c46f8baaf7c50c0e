"""The trial a new pair is invited to: up to three times in the next two weeks when both are free.

The trial lasts 60 minutes, or less when the smaller weekly budget is lower: a pair whose smaller budget
is under an hour a week meets every two weeks, so its session is that budget times two (30 minutes a
week or an hour every two weeks: 60 minutes; 30 minutes every two weeks: 30 minutes), never under 30.
Members who did not say when they are free (or whose time zone is unknown) get no times: the
introduction then asks them to find one, as before.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from lib.intake import timezones
from lib.matching import freetime
from lib.messages.drafts import Trial

TRIAL_MINUTES = 60
TIMES_OFFERED = 3


def plan(con: duckdb.DuckDBPyConnection, a_id: int, b_id: int, now: datetime) -> Trial | None:
    """The trial times for members a and b, or None when either one's free times are unknown."""
    found = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT id, CAST(availability AS VARCHAR), timezone, hours_per_week FROM applicants WHERE id IN (?, ?)",
            [a_id, b_id],
        ).fetchall()
    }
    (avail_a, text_a, hours_a), (avail_b, text_b, hours_b) = found[a_id], found[b_id]
    zone_a, zone_b = timezones.to_zone(text_a), timezones.to_zone(text_b)
    if not (avail_a and avail_b and zone_a and zone_b):
        return None
    length = minutes(hours_a, hours_b)
    starts = freetime.common_starts(
        (avail_a, zone_a), (avail_b, zone_b), freetime.window_start(now), minutes=length, count=TIMES_OFFERED
    )
    return Trial(starts, length, zone_a, zone_b) if starts else None


def minutes(hours_a: float | None, hours_b: float | None) -> int:
    """How long the trial is, from the smaller weekly budget (60 when neither is known)."""
    known = [h for h in (hours_a, hours_b) if h is not None and h == h and h > 0]
    if not known:
        return TRIAL_MINUTES
    low = min(known)
    per_session = low * (2 if low < 1 else 1) * 60
    return int(min(TRIAL_MINUTES, max(30, round(per_session / 15) * 15)))
