"""Shared free time: the hours a week two members are both free, on the real calendar of the next two weeks.

Each member's weekly slots (their local time, as imported: [{"day": "mon", "start": "18:00", "end": "22:00"}])
are placed on the days of WINDOW_DAYS days starting tomorrow (00:00 UTC) in their own time zone with
`zoneinfo`, so a daylight-saving change inside the window moves the slots after it, as it will for the
members. The window is cut in half-hours; a member's free time is a bit mask of them (11 64-bit words).
Two members' shared hours a week = (half-hours both are free) / 2 / (WINDOW_DAYS / 7).

Unknown stays unknown: a member without slots or without a readable time zone has no mask, and every
pair with them has NaN shared hours (the score then falls back to the time-zone rule).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

WINDOW_DAYS = 14
STEP = timedelta(minutes=30)
SLOTS = WINDOW_DAYS * 48
WORDS = (SLOTS + 63) // 64
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CHUNK = 1_000_000


def window_start(now: datetime) -> datetime:
    """The window's first moment: tomorrow 00:00 UTC (a pair confirmed today meets from tomorrow)."""
    return datetime.combine(now.date() + timedelta(days=1), time(0), tzinfo=UTC)


def slots_of(availability) -> list[dict]:
    """A member's stored availability (JSON text, a list, or None/NaN) as a list of slots."""
    if availability is None or (isinstance(availability, float) and np.isnan(availability)):
        return []
    found = json.loads(availability) if isinstance(availability, str) else availability
    return [s for s in found or [] if isinstance(s, dict) and s.get("day") in DAYS]


def free_bits(availability, zone: str | None, start: datetime) -> np.ndarray | None:
    """A member's free half-hours in the window as a boolean array, or None when unknown."""
    week = local_week(availability)
    if week is None or not zone:
        return None
    return week[_window_to_local(zone, start)]


def local_week(availability) -> np.ndarray | None:
    """The member's free half-hours of a local week (7 x 48, Monday 00:00 first), or None when unknown.

    A slot covers the half-hours that lie wholly inside it: 18:15-20:00 covers 18:30-20:00."""
    slots = slots_of(availability)
    if not slots:
        return None
    week = np.zeros(7 * 48, dtype=bool)
    for slot in slots:
        first = _half_hours(slot["start"], up=True)
        last = _half_hours(slot["end"], up=False)
        if last > first:
            day = DAYS.index(slot["day"]) * 48
            week[day + first : day + min(last, 48)] = True
    return week


def _half_hours(clock: str, *, up: bool) -> int:
    hours, minutes = (int(x) for x in clock.split(":"))
    whole, part = divmod(hours * 60 + minutes, 30)
    return whole + (1 if up and part else 0)


@lru_cache(maxsize=1024)
def _window_to_local(zone: str, start: datetime) -> np.ndarray:
    """For each half-hour of the window, its position in the zone's local week (daylight saving included)."""
    tz = ZoneInfo(zone)
    out = np.empty(SLOTS, dtype=np.int64)
    for index in range(SLOTS):
        local = (start + STEP * index).astimezone(tz)
        out[index] = local.weekday() * 48 + local.hour * 2 + local.minute // 30
    return out


def member_masks(pool: pd.DataFrame, start: datetime) -> tuple[np.ndarray, np.ndarray]:
    """(masks, known): each pool member's free half-hours packed into WORDS uint64 words, and whether known."""
    masks = np.zeros((len(pool), WORDS), dtype=np.uint64)
    known = np.zeros(len(pool), dtype=bool)
    if "availability" not in pool.columns:
        return masks, known
    given = pool["availability"].to_numpy()
    for zone, rows in pd.Series(np.arange(len(pool))).groupby(pool["zone"].to_numpy(), sort=False):
        if not isinstance(zone, str):
            continue
        found = [(i, _week_of(given[i])) for i in rows.to_numpy()]
        found = [(i, w) for i, w in found if w is not None]
        if not found:
            continue
        positions = np.array([i for i, _ in found])
        bits = np.zeros((len(found), WORDS * 64), dtype=bool)
        bits[:, :SLOTS] = np.stack([w for _, w in found])[:, _window_to_local(zone, start)]
        masks[positions] = np.packbits(bits, axis=1, bitorder="little").view(np.uint64)
        known[positions] = True
    return masks, known


def _week_of(availability) -> np.ndarray | None:
    return _cached_week(availability) if isinstance(availability, str) else None


@lru_cache(maxsize=65536)
def _cached_week(availability: str) -> np.ndarray | None:
    week = local_week(availability)
    if week is not None:
        week.flags.writeable = False
    return week


def shared_hours(masks: np.ndarray, known: np.ndarray, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """Hours a week both members of each pair (pool positions ia, ib) are free; NaN when either is unknown."""
    out = np.full(len(ia), np.nan)
    both = known[ia] & known[ib]
    rows = np.flatnonzero(both)
    for begin in range(0, len(rows), _CHUNK):
        part = rows[begin : begin + _CHUNK]
        together = np.bitwise_and(masks[ia[part]], masks[ib[part]])
        out[part] = np.bitwise_count(together).sum(axis=1, dtype=np.int64) * 0.5 / (WINDOW_DAYS / 7)
    return out


def common_starts(
    first: tuple[str, str], second: tuple[str, str], start: datetime, *, minutes: int = 60, count: int = 3
) -> list[datetime]:
    """Up to `count` moments (UTC) in the window when both members are free for `minutes` in a row,
    on different days, earliest first; `first` and `second` are (availability JSON, zone)."""
    a, b = free_bits(first[0], first[1], start), free_bits(second[0], second[1], start)
    if a is None or b is None:
        return []
    both, need = a & b, max(1, int(np.ceil(minutes / 30)))
    found: list[datetime] = []
    days: set[date] = set()
    run = 0
    for index, free in enumerate(both):
        run = run + 1 if free else 0
        if run >= need:
            moment = start + STEP * (index - need + 1)
            if moment.date() not in days:
                found.append(moment)
                days.add(moment.date())
                if len(found) == count:
                    break
            run = 0
    return found
