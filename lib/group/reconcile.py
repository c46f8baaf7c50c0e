"""Who should be in the Google group and is not, who is and should not be, and who the dashboard does not know.

Decided (addresses compared trimmed and lower-cased, exactly otherwise: Gmail's dots and +tags count):
- **to add**: members in stage *accepted* whose address is not in the roster, paused members included (a
  pause is a break from pairing, not from the community);
- **to remove**: roster addresses of people who *withdrew* (left the service, on their own or by ending a
  pair and leaving) or were *declined*. Erased members cannot be matched: erasure deletes their row of the
  stored roster, and the next export shows them as unknown;
- **unknown**: roster addresses no applicant has (often the moderator, the group's owners, or people who
  joined another way); their role in the group is shown so an owner is easy to spot;
- applicants still being screened (applied, screened, interviewed) who are already in the group are in
  none of the three lists; the page counts them apart.
Before the first roster import there is nothing to compare with: `diff` refuses with a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from lib.errors import NotFound
from lib.group import roster
from lib.storage import db

REMOVE_STAGES = ("withdrawn", "declined")
SCREENING_STAGES = ("applied", "screened", "interviewed")
NO_ROSTER = (
    "No member list of the Google group has been imported yet; export it (Google Groups: People > Members > "
    "Export members) and import it with `python -m lib group import FILE` or on the Group page."
)


@dataclass
class Diff:
    """The three lists, each a DataFrame (email, name, and status or role), and the roster's dates."""

    to_add: pd.DataFrame
    to_remove: pd.DataFrame
    unknown: pd.DataFrame
    screening: pd.DataFrame
    exported_at: object
    exported_from: str
    imported_at: object

    def as_json(self) -> dict:
        """The published `python -m lib group diff --json`."""
        return {
            "to_add": list(self.to_add["email"]),
            "to_remove": list(self.to_remove["email"]),
            "unknown": list(self.unknown["email"]),
            "exported_at": self.exported_at.isoformat(timespec="seconds"),
        }

    @property
    def empty(self) -> bool:
        """Whether the group and the dashboard agree."""
        return self.to_add.empty and self.to_remove.empty and self.unknown.empty


def diff(con: duckdb.DuckDBPyConnection) -> Diff:
    """Compare the stored roster with the members; NotFound before the first roster import."""
    latest = roster.latest_import(con)
    if latest is None:
        raise NotFound(NO_ROSTER)
    return Diff(
        _to_add(con),
        _in_group(con, REMOVE_STAGES),
        _unknown(con),
        _in_group(con, SCREENING_STAGES),
        latest["exported_at"],
        latest["exported_from"],
        latest["imported_at"],
    )


def current(con: duckdb.DuckDBPyConnection) -> Diff | None:
    """The diff, or None before the first roster import (for the page)."""
    return diff(con) if roster.latest_import(con) is not None else None


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int] | None:
    """How many to add, to remove and unknown (None before the first roster import): for the home page."""
    if roster.latest_import(con) is None:
        return None
    found = diff(con)
    return {"to_add": len(found.to_add), "to_remove": len(found.to_remove), "unknown": len(found.unknown)}


def paste_list(emails) -> str:
    """Addresses as Google Groups' "Add members" box takes them: comma-separated."""
    return ", ".join(emails)


def _to_add(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        """
        SELECT lower(trim(a.email)) AS email, a.name, a.status,
               EXISTS (SELECT 1 FROM member_pauses p WHERE p.applicant_id = a.id AND p.until > $today) AS paused
        FROM applicants a
        WHERE a.status = 'accepted' AND lower(trim(a.email)) NOT IN (SELECT email FROM group_roster)
        ORDER BY lower(a.name), email
        """,
        {"today": db.now().date()},
    ).df()


def _in_group(con: duckdb.DuckDBPyConnection, stages: tuple[str, ...]) -> pd.DataFrame:
    return con.execute(
        """
        SELECT r.email, a.name, a.status, a.status_changed_at AS since
        FROM group_roster r JOIN applicants a ON lower(trim(a.email)) = r.email
        WHERE list_contains(?, a.status)
        ORDER BY lower(a.name), r.email
        """,
        [list(stages)],
    ).df()


def _unknown(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        """
        SELECT r.email, r.nickname AS name, coalesce(r.role, 'member') AS role, r.joined_on
        FROM group_roster r
        WHERE r.email NOT IN (SELECT lower(trim(email)) FROM applicants)
        ORDER BY list_position(['owner', 'manager', 'member'], coalesce(r.role, 'member')), r.email
        """
    ).df()
