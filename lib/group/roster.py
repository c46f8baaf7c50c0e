"""The Google group's member list (the roster): read an export, store it, say how old it is.

Two exports are read (neither format is documented by Google; both were written from real files):
- Google Groups, People > Members > Export members: a title line "Members for group ..." (sometimes
  missing), then `Email address,Nickname,Group status,Email status,Email preference,Posting permissions`
  and, in newer exports, `Join year,Join month,Join day,...`;
- a Google Workspace group from the admin console (Groups > the group > Members > Download): columns such
  as `Member name,Member email,Member role,Member type,Member status`.
The bytes are decoded like every CSV the dashboard reads (lib.intake.csvfile: BOM, UTF-8, UTF-16, the
likeliest Windows code page); the header is the first of the first rows that names an email column.

Decisions:
- addresses are trimmed and lower-cased (Google treats them case-insensitively); a repeated address is
  kept once, and a row without a valid address is skipped with a warning naming its row;
- a file with no member, or that is not a member list (no email column, or none of the group's columns,
  such as the application form's answers), is refused whole with one sentence and nothing is written;
- the export's date is taken from the file's name when it holds one (`members-2026-11-30.csv`,
  `20261130`), else it is the moment of import: Google names its exports without a date, so "exported
  12 days ago" then means "imported 12 days ago"; a date in the name after today is ignored (warning);
- a re-import replaces the whole stored roster in one transaction, with an audit line and a row in
  group_roster_imports (the history of imports).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from lib.errors import ImportRefused
from lib.intake import csvfile
from lib.storage import db

GROUPS = "Google Groups"
WORKSPACE = "Google Workspace admin console"
_EMAIL_COLUMNS = ("email address", "email", "e-mail", "member email", "member email address", "user email")
_NAME_COLUMNS = ("nickname", "member name", "name", "display name", "full name")
_ROLE_COLUMNS = ("group status", "member role", "role")
_JOIN_COLUMNS = ("join date", "joined", "date joined", "member since")
# Columns only a group's member list has: one of them (or the title line) tells a roster from other CSVs.
_GROUPS_ONLY = {"nickname", "group status", "email status", "email preference", "posting permissions", "join year"}
_WORKSPACE_ONLY = {"member role", "member type", "member status", "role", "type", "delivery settings"}
_ADDRESS = re.compile(r"^[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"']+$")
_TITLE_ROWS = 5  # title lines a header may follow
_NAME_DATE = re.compile(r"(?<!\d)(20\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_ROLES = {"member", "manager", "owner"}


@dataclass
class Roster:
    """A parsed member list: who is in it, where it came from, and what the moderator should know."""

    members: list[dict]
    source: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class RosterImport:
    """What one import stored: the published `{"members", "warnings"}` and the export's date."""

    members: int
    warnings: list[str]
    exported_at: datetime
    exported_from: str
    source: str

    def as_json(self) -> dict:
        """The result of `python -m lib group import FILE --json`."""
        return {"members": self.members, "warnings": self.warnings}


def read_roster(data: bytes) -> Roster:
    """Decode and read a member list; refuse with one sentence a file that is not one."""
    if len(data) > csvfile.MAX_BYTES:
        raise ImportRefused(
            "The file is larger than 50 MB; a group's member list is far smaller. Is it the right file?"
        )
    decoded = csvfile.decode_text(data)
    header_at, header, delimiter, titled = _find_header(decoded.text)
    columns = {name.lower(): index for index, name in enumerate(header)}
    source = _source(columns, titled)
    rows = list(csv.reader(io.StringIO(decoded.text, newline=""), delimiter=delimiter, strict=False))
    members, warnings = _members(rows, header_at, columns)
    if not members:
        raise ImportRefused(
            "The member list holds no member with an email address; export the members again and import that file."
        )
    return Roster(members, source, decoded.encoding, decoded.warnings + warnings)


def import_roster(
    con: duckdb.DuckDBPyConnection, data: bytes, *, filename: str, moderator: str = "local"
) -> RosterImport:
    """Replace the stored roster with this export in one transaction (with its audit line)."""
    roster = read_roster(data)
    now = db.now()
    exported_at, exported_from, warning = export_date(filename, now)
    warnings = roster.warnings + ([warning] if warning else [])
    with db.transaction(con):
        import_id = con.execute(
            "INSERT INTO group_roster_imports (imported_at, exported_at, exported_from, filename, sha256, source, "
            "members, moderator) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [now, exported_at, exported_from, filename, hashlib.sha256(data).hexdigest(), roster.source,
             len(roster.members), moderator],
        ).fetchone()[0]  # fmt: skip
        con.execute("DELETE FROM group_roster")
        con.executemany(
            "INSERT INTO group_roster VALUES (?, ?, ?, ?, ?)",
            [[m["email"], m["nickname"], m["role"], m["joined_on"], import_id] for m in roster.members],
        )
        db.audit(
            con,
            "import_group_roster",
            {"filename": filename, "members": len(roster.members), "source": roster.source},
            moderator=moderator,
        )
    return RosterImport(len(roster.members), warnings, exported_at, exported_from, roster.source)


def latest_import(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The import the stored roster comes from (None before the first one)."""
    cursor = con.execute(
        "SELECT id, imported_at, exported_at, exported_from, filename, source, members, moderator "
        "FROM group_roster_imports ORDER BY id DESC LIMIT 1"
    )
    row = cursor.fetchone()
    return dict(zip([c[0] for c in cursor.description], row)) if row else None


def age_words(exported_at: datetime | None, exported_from: str | None, *, today: date) -> str:
    """How old the roster is, in words: "exported 12 days ago" (or "imported ..." without a date in its name)."""
    if exported_at is None:
        return "no member list imported yet"
    verb = "exported" if exported_from == "file name" else "imported"
    days = (today - exported_at.date()).days
    when = "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"
    return f"{verb} {when}"


def export_date(filename: str, now: datetime) -> tuple[datetime, str, str | None]:
    """(when the list was exported, 'file name' or 'import time', a warning or None)."""
    found = _NAME_DATE.search(filename or "")
    if found:
        try:
            day = date(int(found[1]), int(found[2]), int(found[3]))
        except ValueError:
            day = None
        if day is not None and day <= now.date():
            return datetime(day.year, day.month, day.day), "file name", None
        if day is not None:
            return (
                now,
                "import time",
                f"The date in the file's name ({day:%d %b %Y}) is after today; the list is dated today.",
            )
    return now, "import time", None


def demo_export(con: duckdb.DuckDBPyConnection) -> bytes:
    """A made-up Google Groups export of the demo community, to try the Group page with: most accepted demo
    members (every fifth address in capitals, as people type them), the first four accepted left out (to add),
    three who withdrew or were declined still in (to remove), the moderator and a stranger (unknown)."""
    people = con.execute("SELECT email, name, status FROM applicants WHERE is_demo ORDER BY id").fetchall()
    accepted = [p for p in people if p[2] == "accepted"][4:]
    gone = [p for p in people if p[2] in ("withdrawn", "declined")][:3]
    out = io.StringIO()
    out.write("Members for group peer-mentoring@googlegroups.com\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["Email address", "Nickname", "Group status", "Email status", "Email preference", "Posting permissions"]
    )
    for index, (email, name, _) in enumerate(accepted + gone):
        writer.writerow([email.upper() if index % 5 == 0 else email, name, "member", "", "Each email", "Allowed"])
    writer.writerow(["moderator@example.org", "Moderator", "owner", "", "Each email", "Allowed"])
    writer.writerow(["someone.else@gmail.com", "", "member", "", "Digest", "Allowed"])
    return out.getvalue().encode("utf-8")


def _find_header(text: str) -> tuple[int, list[str], str, bool]:
    """(row index of the header, its names, the delimiter, whether a title line came first)."""
    lines = text.splitlines()
    for start in range(min(_TITLE_ROWS + 1, len(lines))):
        rest = "\n".join(lines[start:])
        delimiter = csvfile.detect_delimiter(rest)
        first = next(csv.reader(io.StringIO(rest, newline=""), delimiter=delimiter, strict=False), [])
        header = csvfile.unique_header(first) if first else []
        if any(name.lower() in _EMAIL_COLUMNS for name in header):
            titled = start > 0 and lines[0].lower().startswith("members for group")
            return start, header, delimiter, titled
    raise ImportRefused(
        "This is not a Google group's member list: no column holds email addresses. In Google Groups open the "
        "group, then People > Members > Export members, and import that file."
    )


def _source(columns: dict[str, int], titled: bool) -> str:
    names = set(columns)
    if "timestamp" in names or any(n.startswith(("skills", "what would you like")) for n in names):
        raise ImportRefused(
            "This looks like the application form's answers, not the group's member list; import it on the Import page."
        )
    if titled or names & _GROUPS_ONLY:
        return GROUPS
    if names & _WORKSPACE_ONLY:
        return WORKSPACE
    raise ImportRefused(
        "This file has email addresses but none of a group member list's columns (Nickname, Group status, "
        "Member role ...); export the members from Google Groups (People > Members > Export members) and import that."
    )


def _members(rows: list[list[str]], header_at: int, columns: dict[str, int]) -> tuple[list[dict], list[str]]:
    email = _column(columns, _EMAIL_COLUMNS)
    name, role, joined = (
        _column(columns, _NAME_COLUMNS),
        _column(columns, _ROLE_COLUMNS),
        _column(columns, _JOIN_COLUMNS),
    )
    found: dict[str, dict] = {}
    warnings: list[str] = []
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not "".join(row).strip():
            continue
        address = _cell(row, email).lower()
        if not _ADDRESS.match(address):
            warnings.append(f"Row {number}: '{_cell(row, email)}' is not an email address; the row was skipped.")
            continue
        if address in found:
            warnings.append(f"Row {number}: {address} is listed twice; it counts once.")
            continue
        found[address] = {
            "email": address,
            "nickname": _cell(row, name) or None,
            "role": _role(_cell(row, role)),
            "joined_on": _joined(row, columns, joined),
        }
    return list(found.values()), warnings


def _column(columns: dict[str, int], names: tuple[str, ...]) -> int | None:
    return next((columns[n] for n in names if n in columns), None)


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _role(text: str) -> str | None:
    word = text.strip().lower()
    return word if word in _ROLES else None


def _joined(row: list[str], columns: dict[str, int], joined: int | None) -> date | None:
    parts = [_cell(row, columns.get(f"join {p}")) for p in ("year", "month", "day")]
    try:
        if all(parts):
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        text = _cell(row, joined)
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None
