"""Drafting each message at the moment it becomes due, inside the transaction of the change that made it due.

- `introduction`, when a pair is confirmed: one message to both members, signed by the moderator;
- `partner_left` and `farewell`, when a pair ends because a member left: the partner left behind hears
  that they keep their place with priority, the member who left is thanked and asked why (a pair that
  both ended gets two farewells; a happy ending such as "goals met", or one the moderator ended, drafts
  nothing: the moderator writes a note if they want to);
- `farewell` to a member who withdraws outside a pair;
- `welcome` and `declined` when applicants are moved to those stages (the decline reason is never put in
  the message: the moderator may write it into the draft);
- `note`, a free message to one member or several, written by the moderator.
An undone confirm or ending discards its unsent drafts. The callers (lib.pair_life, lib.members) decide
when; this module only reads the tables it needs and writes the outbox.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import duckdb

from lib.errors import InvalidInput, NotFound
from lib.messages import calendar, outbox, templates
from lib.storage import db
from lib.text import first_name, pair_first_names

DEFAULT_SIGNATURE = "The moderator"
FEEDBACK_FORM_SETTING = "feedback_form_url"
# Identities that name no person: local mode, the single shared password's account and the command line.
_NAMELESS = {"local", "moderator", "cli"}
_MEMBER = "SELECT id, name, email, is_demo, status FROM applicants WHERE "


def signature(moderator: str, *, community_name: str | None = None) -> str:
    """How messages are signed: the signed-in moderator's name (their email when they signed in with
    Google); when nobody signs in, the community's name if one is configured, else "The moderator"."""
    if moderator in _NAMELESS:
        return community_name or DEFAULT_SIGNATURE
    return moderator if "@" in moderator else moderator.title()


@dataclass(frozen=True)
class Trial:
    """Moments (UTC) both members of a new pair are free for the trial, its length, and each one's zone."""

    starts: list[datetime]
    minutes: int
    zone_a: str
    zone_b: str


def introduction(
    con: duckdb.DuckDBPyConnection,
    pairing_id: int,
    *,
    now: datetime,
    moderator: str = "local",
    trial: Trial | None = None,
) -> int:
    """Draft the introduction of a confirmed pair to both members; with a trial plan, it names the shared
    slots in both members' local times and carries a calendar invitation for the first one."""
    pair = _pairing(con, pairing_id)
    a, b = _member(con, pair["a_id"]), _member(con, pair["b_id"])
    first_a, first_b = _firsts(a, b)
    values = {
        "a_first": first_a,
        "a_name": a["name"],
        "a_email": a["email"],
        "b_first": first_b,
        "b_name": b["name"],
        "b_email": b["email"],
        "a_teaches_b": ", ".join(pair["a_teaches_b"]),
        "b_teaches_a": ", ".join(pair["b_teaches_a"]),
        "moderator_name": signature(moderator),
        "trial_times": _trial_times(trial, first_a, first_b),
    }
    subject, body = templates.render(templates.source(con, "introduction"), values)
    invite = None
    if trial and trial.starts:
        title = f"Peer-mentoring trial: {first_a} + {first_b}"
        invite = calendar.event(trial.starts[0], trial.minutes, trial.zone_a, title, f"pair-{pairing_id}@mentoring")
    return outbox.draft(
        con, "introduction", [a, b], subject, body, now=now, pair_id=pairing_id, moderator=moderator, calendar=invite
    )


NO_TRIAL_TIMES = "Reply to all to say hello and find a time for the trial."


def _trial_times(trial: Trial | None, first_a: str, first_b: str) -> str:
    """The shared slots in both local times, or the sentence asking them to find a time (times unknown)."""
    if not trial or not trial.starts:
        return NO_TRIAL_TIMES
    lines = [
        "You are both free at these times in the next two weeks (the first one is in the attached calendar "
        f"invitation, {trial.minutes} minutes):"
    ]
    for start in trial.starts:
        lines.append(
            f"- {_local(start, trial.minutes, trial.zone_a)} for {first_a} ({trial.zone_a}) = "
            f"{_local(start, trial.minutes, trial.zone_b)} for {first_b} ({trial.zone_b})"
        )
    lines.append("Reply to all to say hello and confirm one of them, or agree on another time.")
    return "\n".join(lines)


def _local(start: datetime, minutes: int, zone: str) -> str:
    begin = start.astimezone(ZoneInfo(zone))
    end = begin + timedelta(minutes=minutes)
    return f"{begin:%a %d %b}, {begin:%H:%M}-{end:%H:%M}"


def after_ending(
    con: duckdb.DuckDBPyConnection, ending_id: int, *, now: datetime, moderator: str = "local"
) -> list[int]:
    """Draft the partner's notice and the leaver's farewell for a recorded ending or withdrawal."""
    ending = _ending(con, ending_id)
    if ending["happy"]:
        return []
    if ending["applicant_id"] is not None:  # a withdrawal outside a pair
        return [_farewell(con, _member(con, ending["applicant_id"]), ending, now, moderator)]
    pair = _pairing(con, ending["pairing_id"])
    sides = {"a": _member(con, pair["a_id"]), "b": _member(con, pair["b_id"])}
    leaving = set(ending["left_service"]) | ({"a", "b"} if ending["ended_by"] == "both" else {ending["ended_by"]})
    leaving &= {"a", "b"}
    made = [_farewell(con, sides[s], ending, now, moderator, pair_id=pair["id"]) for s in sorted(leaving)]
    for side in sorted({"a", "b"} - leaving) if leaving else []:
        other = sides["b" if side == "a" else "a"]
        made.append(_partner_left(con, sides[side], other, now, moderator, pair["id"], ending_id))
    return made


def after_stage(
    con: duckdb.DuckDBPyConnection, applicant_ids: Sequence[int], to: str, *, now: datetime, moderator: str = "local"
) -> list[int]:
    """Draft a welcome for each newly accepted applicant, or a decline for each newly declined one."""
    kind = {"accepted": "welcome", "declined": "declined"}.get(to)
    if kind is None:
        return []
    made = []
    for applicant_id in applicant_ids:
        person = _member(con, applicant_id)
        values = {"first": _first(person), "name": person["name"], "moderator_name": signature(moderator)}
        if kind == "welcome":
            values |= {"offers": _skills(con, applicant_id, "offer"), "wants": _skills(con, applicant_id, "want")}
        subject, body = templates.render(templates.source(con, kind), values)
        made.append(outbox.draft(con, kind, [person], subject, body, now=now, moderator=moderator))
    return made


def note(
    con: duckdb.DuckDBPyConnection, emails: Sequence[str], subject: str, body: str, *, moderator: str = "local"
) -> list[int]:
    """Draft one free note per member (each gets their own copy, so nobody sees the others' addresses)."""
    wanted = sorted({e.strip().lower() for e in emails if e and e.strip()})
    if not wanted:
        raise InvalidInput("Choose at least one member to write to.")
    if not body.strip():
        raise InvalidInput("Write the note first.")
    people = con.execute(_MEMBER + "list_contains(?, lower(email)) ORDER BY name", [wanted]).fetchall()
    found = [dict(zip(("id", "name", "email", "is_demo", "status"), p)) for p in people]
    missing = sorted(set(wanted) - {p["email"].lower() for p in found})
    if missing:
        raise NotFound(f"No member has the email {', '.join(missing)}; no note was drafted.")
    erased = [p["email"] for p in found if p["status"] == "erased"]
    if erased:
        raise InvalidInput(f"{', '.join(erased)} was erased and cannot be written to; no note was drafted.")
    now = db.now()
    with db.transaction(con):
        made = [outbox.draft(con, "note", [p], subject, _greet(body, p), now=now, moderator=moderator) for p in found]
        db.audit(con, "draft_note", {"message_ids": made}, moderator=moderator)
    return made


def note_start(con: duckdb.DuckDBPyConnection, *, moderator: str = "local") -> tuple[str, str]:
    """The note template's subject and body, with the member's names left as $first and $name."""
    values = {"moderator_name": signature(moderator)}
    return templates.render(templates.source(con, "note"), values)


def set_feedback_form(con: duckdb.DuckDBPyConnection, url: str | None, *, moderator: str = "local") -> None:
    """The link farewells offer for answering (empty: farewells ask for a reply by email)."""
    url = (url or "").strip() or None
    if url is not None and not (url.startswith(("https://", "http://")) and " " not in url and len(url) < 500):
        raise InvalidInput("The feedback form link must be a web address starting with https://.")
    with db.transaction(con):
        db.set_setting(con, FEEDBACK_FORM_SETTING, url)
        db.audit(con, "set_feedback_form", {"url": url}, moderator=moderator)


def feedback_form(con: duckdb.DuckDBPyConnection) -> str | None:
    """The feedback form's link, when one is set."""
    return db.get_setting(con, FEEDBACK_FORM_SETTING)


def discard_for_pairing(con: duckdb.DuckDBPyConnection, pairing_id: int) -> int:
    """Discard a pairing's unsent introduction (inside the transaction that undoes its confirm)."""
    ids = [
        r[0]
        for r in con.execute(
            "SELECT id FROM messages WHERE pair_id = ? AND kind = 'introduction'", [pairing_id]
        ).fetchall()
    ]
    return outbox.discard_within(con, ids)


def discard_for_ending(con: duckdb.DuckDBPyConnection, ending_id: int) -> int:
    """Discard an ending's unsent notices (inside the transaction that undoes the ending)."""
    ids = [r[0] for r in con.execute("SELECT id FROM messages WHERE ending_id = ?", [ending_id]).fetchall()]
    return outbox.discard_within(con, ids)


def _greet(body: str, person: dict) -> str:
    return body.replace("$first", _first(person)).replace("$name", person["name"])


def _farewell(con, person: dict, ending: dict, now: datetime, moderator: str, *, pair_id: int | None = None) -> int:
    form = db.get_setting(con, FEEDBACK_FORM_SETTING)
    how = f"You can answer in this short form: {form}" if form else "Just reply to this email; a line or two is plenty."
    values = {"first": _first(person), "name": person["name"], "feedback_how": how}
    subject, body = templates.render(
        templates.source(con, "farewell"), values | {"moderator_name": signature(moderator)}
    )
    return outbox.draft(
        con, "farewell", [person], subject, body, now=now, pair_id=pair_id, ending_id=ending["id"], moderator=moderator
    )


def _partner_left(con, person: dict, other: dict, now: datetime, moderator: str, pair_id: int, ending_id: int) -> int:
    first, partner_first = _firsts(person, other)
    values = {"first": first, "name": person["name"], "partner_first": partner_first}
    subject, body = templates.render(
        templates.source(con, "partner_left"), values | {"moderator_name": signature(moderator)}
    )
    return outbox.draft(
        con, "partner_left", [person], subject, body, now=now, about=[other["id"]], pair_id=pair_id,
        ending_id=ending_id, moderator=moderator,
    )  # fmt: skip


def _first(person: dict) -> str:
    return first_name(person["name"], fallback=person["email"])


def _firsts(person: dict, other: dict) -> tuple[str, str]:
    """Two members named in one message: first names, whole names when those are the same (text.pair_first_names)."""
    return pair_first_names(person["name"], other["name"], a_fallback=person["email"], b_fallback=other["email"])


def _member(con: duckdb.DuckDBPyConnection, applicant_id: int) -> dict:
    row = con.execute(_MEMBER + "id = ?", [applicant_id]).fetchone()
    if row is None:
        raise NotFound(f"There is no member number {applicant_id}.")
    return dict(zip(("id", "name", "email", "is_demo", "status"), row))


def _pairing(con: duckdb.DuckDBPyConnection, pairing_id: int) -> dict:
    row = con.execute(
        "SELECT id, a_id, b_id, CAST(a_teaches_b AS VARCHAR), CAST(b_teaches_a AS VARCHAR) FROM pairings WHERE id = ?",
        [pairing_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"There is no pairing number {pairing_id}.")
    return {
        "id": row[0],
        "a_id": row[1],
        "b_id": row[2],
        "a_teaches_b": json.loads(row[3]) if row[3] else [],
        "b_teaches_a": json.loads(row[4]) if row[4] else [],
    }


def _ending(con: duckdb.DuckDBPyConnection, ending_id: int) -> dict:
    row = con.execute(
        "SELECT e.id, e.pairing_id, e.applicant_id, e.ended_by, CAST(e.left_service AS VARCHAR), "
        "coalesce(r.happy, false) FROM endings e LEFT JOIN end_reasons r ON r.label = e.reason WHERE e.id = ?",
        [ending_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"There is no ending number {ending_id}.")
    keys = ("id", "pairing_id", "applicant_id", "ended_by", "left_service", "happy")
    found = dict(zip(keys, row))
    found["left_service"] = json.loads(found["left_service"] or "[]")
    return found


def _skills(con: duckdb.DuckDBPyConnection, applicant_id: int, kind: str) -> str:
    words = [
        r[0]
        for r in con.execute(
            "SELECT raw FROM applicant_skills WHERE applicant_id = ? AND kind = ? ORDER BY position",
            [applicant_id, kind],
        ).fetchall()
    ]
    return ", ".join(words) or "(none given)"
