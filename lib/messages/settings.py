"""The community's settings a moderator changes from the command line (`settings get/set KEY [VALUE]`).

Each key is documented here and in the README; a key that is not one of them is refused with the list of
the known ones. Values are stored in the database's settings table (so they travel with backups) as the
parsed value, e.g. an int for the intervals; `get` returns the default while nothing is stored.

Decided: the digest weekday is an English weekday name (any case, three-letter forms accepted) stored as
the full name; an empty value clears a setting back to its default.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb

from lib.errors import InvalidInput
from lib.storage import db

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ADDRESS = re.compile(r"^[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"']+$")


def _address(text: str) -> str:
    value = text.strip().lower()
    if not _ADDRESS.match(value) or len(value) > 254:
        raise InvalidInput(f"'{text}' is not an email address like mentoring-group@googlegroups.com.")
    return value


def _weekday(text: str) -> str:
    word = text.strip().lower()
    for day in WEEKDAYS:
        if word and (word == day.lower() or (len(word) >= 3 and day.lower().startswith(word))):
            return day
    raise InvalidInput(f"'{text}' is not a weekday; write one of {', '.join(WEEKDAYS)}.")


def _whole(low: int, high: int, unit: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(str(text).strip())
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise InvalidInput(f"'{text}' is not a whole number of {unit} from {low} to {high}.")
        return value

    return parse


def _phrases(text: str) -> list[str]:
    """A short list from comma-separated text: each phrase trimmed, empty ones dropped, repeats kept once."""
    found = list(dict.fromkeys(" ".join(part.split()) for part in str(text).split(",") if part.strip()))
    if not found or len(found) > 20 or any(len(p) > 80 for p in found):
        raise InvalidInput(f"'{text}' is not a list of 1 to 20 short phrases separated by commas.")
    return found


DECLINE_REASONS = [
    "Not a fit for peer mentoring",
    "Application incomplete",
    "Could not verify who they are",
    "Applied twice",
    "No answer to our questions",
]


def _link(text: str) -> str:
    value = text.strip()
    if not (value.startswith(("https://", "http://")) and " " not in value and len(value) < 2000):
        raise InvalidInput(f"'{text}' is not a web address starting with https://.")
    return value


@dataclass(frozen=True)
class Known:
    """One documented setting: the key the moderator types, where it is stored, its default and parser."""

    key: str
    stored: str
    default: Any
    parse: Callable[[str], Any]
    about: str


KNOWN = {
    k.key: k
    for k in (
        Known(
            "group_address",
            "group_address",
            None,
            _address,
            "the Google group's posting address (the digest goes there)",
        ),
        Known("digest_weekday", "digest_weekday", "Monday", _weekday, "the weekday the group's digest is due"),
        Known(
            "checkin_trial_days",
            "checkin_trial_days",
            7,
            _whole(1, 60, "days"),
            "days after a pair is confirmed or moved to trial before its trial check-in is due",
        ),
        Known(
            "checkin_pulse_weeks",
            "checkin_pulse_weeks",
            4,
            _whole(1, 26, "weeks"),
            "weeks between check-ins of an active pair (a fortnightly pair: twice as many)",
        ),
        Known(
            "checkin_silent_days",
            "checkin_silent_days",
            7,
            _whole(1, 60, "days"),
            "days after a check-in was sent before a pair that has not answered counts as silent",
        ),
        Known("checkin_form_url", "checkin_form_url", None, _link, "the check-in form's pre-filled link (see README)"),
        Known("feedback_form_url", "feedback_form_url", None, _link, "the feedback form farewells link to"),
        Known("send_cap", "send_cap_per_hour", 60, _whole(1, 2000, "messages"), "messages sent in any hour at most"),
        Known(
            "decline_reasons",
            "decline_reasons",
            DECLINE_REASONS,
            _phrases,
            "the reasons offered when declining applicants (comma-separated; an extra sentence can be added each time)",
        ),
    )
}


def known(key: str) -> Known:
    """The documented setting, or a sentence listing the known keys."""
    if key not in KNOWN:
        raise InvalidInput(f"'{key}' is not a setting; the settings are {', '.join(KNOWN)}.")
    return KNOWN[key]


def get(con: duckdb.DuckDBPyConnection, key: str) -> Any:
    """The setting's value in effect: the stored one, else its default."""
    entry = known(key)
    value = db.get_setting(con, entry.stored)
    return entry.default if value is None else value


def set_value(con: duckdb.DuckDBPyConnection, key: str, text: str | None, *, moderator: str = "local") -> Any:
    """Parse and store a setting in one transaction with its audit line; an empty value restores the default."""
    entry = known(key)
    value = None if text is None or not str(text).strip() else entry.parse(str(text))
    with db.transaction(con):
        db.set_setting(con, entry.stored, value)
        db.audit(con, "set_setting", {"key": key, "value": value}, moderator=moderator)
    return entry.default if value is None else value
