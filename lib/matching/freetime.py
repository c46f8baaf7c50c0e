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
    key = availability if isinstance(availability, str) or availability is None else json.dumps(availability)
    return _bits(key, zone, start)


@lru_cache(maxsize=8192)
def _bits(availability: str | None, zone: str | None, start: datetime) -> np.ndarray | None:
    slots = slots_of(availability)
    if not slots or not zone:
        return None
    bits = np.zeros(SLOTS, dtype=bool)
    local_first = start.astimezone(ZoneInfo(zone)).date()
    for offset in range(-1, WINDOW_DAYS + 1):
        day = local_first + timedelta(days=offset)
        for slot in slots:
            if DAYS.index(slot["day"]) == day.weekday():
                _set(bits, _moment(day, slot["start"], zone), _moment(day, slot["end"], zone, end=True), start)
    bits.flags.writeable = False
    return bits


def _moment(day: date, clock: str, zone: str, *, end: bool = False) -> datetime:
    hours, minutes = (int(x) for x in clock.split(":"))
    if end and hours >= 24:  # "24:00": midnight at the end of the day
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(zone))
    return datetime.combine(day, time(hours, minutes), tzinfo=ZoneInfo(zone))


def _set(bits: np.ndarray, begin: datetime, end: datetime, start: datetime) -> None:
    first = min(max(int(np.ceil((begin - start) / STEP)), 0), SLOTS)
    last = min(max(int((end - start) // STEP), 0), SLOTS)
    if last > first:
        bits[first:last] = True


def member_masks(pool: pd.DataFrame, start: datetime) -> tuple[np.ndarray, np.ndarray]:
    """(masks, known): each pool member's free half-hours packed into WORDS uint64 words, and whether known."""
    masks = np.zeros((len(pool), WORDS), dtype=np.uint64)
    known = np.zeros(len(pool), dtype=bool)
    if "availability" not in pool.columns:
        return masks, known
    for i, (availability, zone) in enumerate(zip(pool["availability"], pool["zone"])):
        if isinstance(availability, str) and isinstance(zone, str):
            bits = free_bits(availability, zone, start)
            if bits is not None:
                masks[i] = _pack(bits)
                known[i] = True
    return masks, known


@lru_cache(maxsize=8192)
def _packed(key: bytes) -> np.ndarray:
    padded = np.zeros(WORDS * 64, dtype=bool)
    padded[:SLOTS] = np.frombuffer(key, dtype=bool)
    return np.packbits(padded, bitorder="little").view(np.uint64)


def _pack(bits: np.ndarray) -> np.ndarray:
    return _packed(bits.tobytes())


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
