"""Members' free-text time zones as real zones, and how many daytime hours two zones share.

Daytime is 08:00-22:00 local; offsets are taken for the given day with zoneinfo, so daylight
saving is right for the week the moderator is matching in.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

import numpy as np

DAY_START, DAY_END = 8, 22
_SLOTS = 96  # quarter hours in a day
_ABBREVIATIONS = {
    "utc": "UTC",
    "gmt": "UTC",
    "z": "UTC",
    "cet": "Europe/Berlin",
    "cest": "Europe/Berlin",
    "met": "Europe/Berlin",
    "wet": "Europe/Lisbon",
    "west": "Europe/Lisbon",
    "eet": "Europe/Helsinki",
    "eest": "Europe/Helsinki",
    "bst": "Europe/London",
    "uk": "Europe/London",
    "msk": "Europe/Moscow",
    "est": "America/New_York",
    "edt": "America/New_York",
    "et": "America/New_York",
    "eastern": "America/New_York",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "ct": "America/Chicago",
    "central": "America/Chicago",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "mt": "America/Denver",
    "mountain": "America/Denver",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles",
    "ist": "Asia/Kolkata",
    "india": "Asia/Kolkata",
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    "sgt": "Asia/Singapore",
    "hkt": "Asia/Hong_Kong",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
    "awst": "Australia/Perth",
    "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland",
    "brt": "America/Sao_Paulo",
    "art": "America/Argentina/Buenos_Aires",
    "wat": "Africa/Lagos",
    "eat": "Africa/Nairobi",
    "cat": "Africa/Johannesburg",
    "sast": "Africa/Johannesburg",
    "pkt": "Asia/Karachi",
    "gst": "Asia/Dubai",
    "ict": "Asia/Bangkok",
    "wib": "Asia/Jakarta",
    "pht": "Asia/Manila",
}
_HALF_HOURS = {
    "+0530": "Asia/Kolkata",
    "+0545": "Asia/Kathmandu",
    "+0930": "Australia/Adelaide",
    "-0330": "America/St_Johns",
    "+0330": "Asia/Tehran",
    "+0630": "Asia/Yangon",
}
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$")


def to_zone(text: str | None) -> str | None:
    """A zone name for a member's answer ("CET", "UTC+2", "Berlin", "Europe/Berlin"), or None."""
    if not isinstance(text, str) or not text.strip():
        return None
    return _to_zone(text.strip().lower())


def utc_offset_hours(zone: str, when: datetime) -> float:
    """The zone's offset from UTC in hours on that day (daylight saving included)."""
    return ZoneInfo(zone).utcoffset(when.replace(tzinfo=None)).total_seconds() / 3600


def shared_daytime(zones: list[str], when: datetime) -> np.ndarray:
    """Hours of 08:00-22:00 local time that each pair of zones shares that day (a square matrix)."""
    offsets = [utc_offset_hours(z, when) for z in zones]
    days = np.array([_daytime_slots(o) for o in offsets], dtype=np.float32)
    return days @ days.T / 4


def offsets_apart(zone_a: str, zone_b: str, when: datetime) -> float:
    """How many hours apart two zones are that day."""
    return abs(utc_offset_hours(zone_a, when) - utc_offset_hours(zone_b, when))


@lru_cache(maxsize=4096)
def _to_zone(text: str) -> str | None:
    names = _zone_names()
    if text in names:
        return names[text]
    if text in _ABBREVIATIONS:
        return _ABBREVIATIONS[text]
    match = _OFFSET.match(text.replace(" ", ""))
    if match:
        sign, hours, minutes = match.groups()
        if minutes and minutes != "00":
            return _HALF_HOURS.get(f"{sign}{int(hours):02d}{minutes}")
        if int(hours) > 14:
            return None
        return "UTC" if int(hours) == 0 else f"Etc/GMT{'-' if sign == '+' else '+'}{int(hours)}"
    words = re.split(r"[\s,()/]+", text)
    for word in words:
        if word in _ABBREVIATIONS:
            return _ABBREVIATIONS[word]
    cities = _cities()
    for candidate in (text.replace(" ", "_"), *[w for w in words if len(w) > 3]):
        if candidate in cities:
            return cities[candidate]
    return None


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    return {z.lower(): z for z in available_timezones()}


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    found = {}
    for zone in sorted(available_timezones()):
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/")):
            found.setdefault(zone.rsplit("/", 1)[1].lower(), zone)
    return found


def _daytime_slots(offset: float) -> list[int]:
    slots = []
    for slot in range(_SLOTS):
        local = (slot / 4 + offset) % 24
        slots.append(1 if DAY_START <= local < DAY_END else 0)
    return slots


def reference_day(now: datetime) -> datetime:
    """The day whose offsets matching uses: a week from now, when a new pair would first meet."""
    return (now + timedelta(days=7)).replace(hour=12, minute=0, second=0, microsecond=0)
