"""Erasing one member for real: out of every live list, their words scrubbed everywhere, the bytes gone.

What an erasure does, in one transaction:
- an open pairing is ended (reason "other", the erased member leaving the service), so the partner is
  re-queued with priority through the same lifecycle path as any drop-out;
- the member's stage becomes `erased`, a final stage: never suggested, never confirmable, never moved;
- name, email, links, answers, notes and the member's own skill words are removed from their row, and
  their name and email are replaced by "(erased)" in every free text of every table (notes, pause and
  never-pair reasons, events, check-ins, endings, skill words); every message in the outbox that
  concerns them (sent or not, a group digest naming them too) is deleted, their row of the Google group's
  member list is deleted; audit entries that mention them keep
  the event and lose the details; rejected import rows that hold them are deleted.
Kept: the anonymous facts analytics need (dates, stage, years of experience, the zone, canonical skills).

Then `forget_bytes` rewrites the database file into a fresh one (freed pages keep nothing) and rewrites
every automatic snapshot the same way (a snapshot that cannot be rewritten is deleted). Backups the
moderator downloaded are outside the dashboard's reach: the README says so.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from lib.errors import InvalidInput
from lib.intake import timezones
from lib.members import screening
from lib.members.directory import member_by_email
from lib.messages import outbox
from lib.pair_life import checkins, lifecycle
from lib.pair_life.clock import Clock
from lib.storage import backup, db

ERASED_STAGE = "erased"
ERASED = "(erased)"
_PERSONAL = (
    "linkedin",
    "github",
    "other_links",
    "goals",
    "offers_text",
    "wants_text",
    "experience_text",
    "submitted_text",
    "extra",
    "notes",
    "decline_reason",
)
# Other members' own rows are never rewritten: two people may share a name.
_SKIP_TABLES = {"applicants", "schema_version"}


@dataclass(frozen=True)
class Erased:
    """Who was erased and the words that identified them (to scrub snapshots with)."""

    applicant_id: int
    words: tuple[str, ...]


def erase_member(con: duckdb.DuckDBPyConnection, email: str, *, moderator: str = "local") -> Erased:
    """Erase one member's personal data in the database, in one transaction."""
    person = member_by_email(con, email)
    if person["status"] == ERASED_STAGE:
        raise InvalidInput(f"The member {email.strip()} has already been erased.")
    erased = Erased(person["id"], _identifying_words(person))
    with db.transaction(con):
        _leave_open_pair(con, person["id"], moderator)
        scrub(con, erased)
        db.audit(con, "erase_member", {"applicant_id": person["id"]}, moderator=moderator)
    return erased


def erase_everywhere(db_file: Path, email: str, *, moderator: str = "local") -> Erased:
    """Erase a member in a database file nobody has open, then rewrite the file and its snapshots."""
    con = db.connect(db_file)
    try:
        erased = erase_member(con, email, moderator=moderator)
    finally:
        con.close()
    forget_bytes(db_file, [erased])
    return erased


def forget_bytes(db_file: Path, erasures: list[Erased]) -> None:
    """Rewrite the (closed) database file and its snapshots so no freed page keeps erased data."""
    backup.rewrite_database(db_file)
    backup.rewrite_snapshots(db_file, lambda con: [scrub(con, e) for e in erasures])


def scrub(con: duckdb.DuckDBPyConnection, erased: Erased) -> None:
    """Remove one member's personal data from every table (call inside a transaction)."""
    member = erased.applicant_id
    row = con.execute("SELECT timezone FROM applicants WHERE id = ?", [member]).fetchall()
    zone = timezones.to_zone(row[0][0]) if row and row[0][0] else None
    cleared = ", ".join(f"{column} = NULL" for column in _PERSONAL)
    con.execute(
        f"UPDATE applicants SET name = ?, email = ?, timezone = ?, status = ?, {cleared} WHERE id = ?",
        [ERASED, f"erased-{member}@erased.invalid", zone, ERASED_STAGE, member],
    )
    _scrub_skills(con, member)
    outbox.erase_member(con, member)
    mine = "SELECT id FROM pairings WHERE ? IN (a_id, b_id)"
    con.execute("UPDATE status_history SET reason = NULL WHERE applicant_id = ? AND reason <> 'imported'", [member])
    con.execute("UPDATE member_pauses SET note = NULL WHERE applicant_id = ?", [member])
    con.execute("UPDATE never_pair SET reason = NULL WHERE ? IN (low_id, high_id)", [member])
    con.execute(f"UPDATE pairings SET reasons = NULL WHERE id IN ({mine})", [member])
    con.execute(f"UPDATE pairing_events SET note = NULL WHERE pairing_id IN ({mine})", [member])
    con.execute(f"UPDATE pairing_checkins SET note = NULL WHERE pairing_id IN ({mine})", [member])
    con.execute(
        f"UPDATE endings SET feedback = NULL, previous = '{{}}' WHERE applicant_id = ? OR pairing_id IN ({mine})",
        [member, member],
    )
    screening.forget_member(con, member)  # the last screening change's undo may hold their notes
    checkins.forget_member(con, member)  # their check-in notes; the numbers stay, anonymous
    if "group_roster" in db.table_names(con):  # the Google group's member list; snapshots before schema 9 lack it
        con.execute("DELETE FROM group_roster WHERE list_contains(?, email)", [[w.lower() for w in erased.words]])
    _scrub_json(con, erased)
    _scrub_text(con, erased.words)


def _leave_open_pair(con: duckdb.DuckDBPyConnection, member: int, moderator: str) -> None:
    row = con.execute(
        "SELECT p.id, p.a_id FROM open_pair_members o JOIN pairings p ON p.id = o.pairing_id WHERE o.applicant_id = ?",
        [member],
    ).fetchall()
    if not row:
        return
    side = "a" if row[0][1] == member else "b"
    # Part of the erasure's transaction: a replaying clock joins it instead of opening its own.
    lifecycle.end_pairing(
        con, row[0][0], by=side, reason="other", left_service=[side], moderator=moderator,
        clock=Clock(at=db.now(), replay=True),
    )  # fmt: skip


def _scrub_skills(con: duckdb.DuckDBPyConnection, member: int) -> None:
    # Skills that exist only because of this member's own words are their free text too.
    own = [
        i
        for (i,) in con.execute(
            "SELECT k.id FROM skills k JOIN applicant_skills s ON s.skill_id = k.id WHERE k.source = 'member' "
            "GROUP BY k.id HAVING count(DISTINCT s.applicant_id) = 1 AND min(s.applicant_id) = ?",
            [member],
        ).fetchall()
    ]
    con.execute("DELETE FROM skill_aliases WHERE list_contains(?, skill_id)", [own])
    con.execute("UPDATE skills SET name = '(erased skill ' || id || ')' WHERE list_contains(?, id)", [own])
    con.execute(
        "UPDATE applicant_skills SET raw = coalesce((SELECT name FROM skills k WHERE k.id = skill_id), ?) "
        "WHERE applicant_id = ?",
        [ERASED, member],
    )


def _scrub_json(con: duckdb.DuckDBPyConnection, erased: Erased) -> None:
    # JSON may hold a name escaped (json.dumps writes "Zo\u00eb"), so both spellings are searched.
    needles = sorted({w.lower() for w in erased.words} | {json.dumps(w)[1:-1].lower() for w in erased.words})
    ids = [f'"applicant_id": {erased.applicant_id}', f'"applicant_id":{erased.applicant_id}']
    con.execute(_DELETE_REJECTS, [needles])
    con.execute(_REDACT_AUDIT, [needles + ids])


_HIT = "len([x FOR x IN ? IF contains(lower(CAST({col} AS VARCHAR)), x)]) > 0"
_DELETE_REJECTS = "DELETE FROM import_rejects WHERE " + _HIT.format(col="raw")
_REDACT_AUDIT = (
    "UPDATE audit_log SET details = '{\"redacted\": true}' WHERE action <> 'erase_member' AND "
    + _HIT.format(col="details")
)


def _scrub_text(con: duckdb.DuckDBPyConnection, words: tuple[str, ...]) -> None:
    """Replace the member's name and email by "(erased)" in every text column of every table."""
    if not words:
        return
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    pattern = rf"(^|[^\pL\pN])(?i:{alternatives})([^\pL\pN]|$)"
    columns = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' "
        "AND data_type = 'VARCHAR'"
    ).fetchall()
    tables = set(db.table_names(con)) - _SKIP_TABLES  # temporary tables and views are left alone
    # Two passes: a match takes the character after it, so of "Zoë Zoë" or "a@x.org,a@x.org" one pass
    # replaces only the first; the second finds each one left standing alone.
    for table, column in [c for c in columns for _ in range(2)]:
        if table not in tables:
            continue
        con.execute(
            f'UPDATE "{table}" SET "{column}" = regexp_replace("{column}", ?, ?, \'g\') '
            f'WHERE regexp_matches("{column}", ?)',
            [pattern, rf"\1{ERASED}\2", pattern],
        )


def _identifying_words(person: dict) -> tuple[str, ...]:
    """The member's email and full name, as they would appear in free text elsewhere."""
    name = " ".join(str(person.get("name") or "").split())
    return tuple(sorted({person["email"], name} - {"", ERASED}))
