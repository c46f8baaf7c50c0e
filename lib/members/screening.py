"""The screening queue: who needs a decision, and changes to many applicants at once that can be undone.

Decided where the issue is silent:
- "Needs a decision" means the stages before a decision: applied, screened and interviewed. The queue
  lists those new since the latest import first, then the others, each newest application first.
- One screening change (notes, stage moves, accepting, declining, any mix of them from the table) is one
  transaction with one audit line. Only the last change can be undone, by anyone, as long as none of its
  applicants has changed stage or been paired since; undoing restores their stage, dates, notes and
  decline reason, removes the stage history rows it added and discards the welcomes and declines it
  drafted that are still unsent (a message already sent stays sent, and the page says so).
- What undo needs (including the notes it replaced) is kept in the settings table under UNDO_KEY, so it
  travels with backups; erasing a member forgets it (forget_member).
- A decline reason is one of the settings' `decline_reasons`, optionally followed by the moderator's own
  sentence: "Application incomplete: no skills given".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from lib.errors import InvalidInput
from lib.members import applicants
from lib.members.stages import FINAL, check_move
from lib.messages import drafts, outbox
from lib.storage import db

UNDECIDED = ("applied", "screened", "interviewed")
# The queue's views: a key, what the picker says. Stages follow as views of their own.
VIEWS = {"decision": "Needs a decision", "new": "New since the last import", "all": "Everyone"}
UNDO_KEY = "undo.screening"
_FIELDS = ("status", "status_changed_at", "updated_at", "decline_reason", "notes")


@dataclass
class Change:
    """What one screening change does: new notes and new stages by applicant id."""

    notes: dict[int, str] = field(default_factory=dict)
    moves: dict[int, str] = field(default_factory=dict)
    reason: str | None = None

    def is_empty(self) -> bool:
        """Whether nothing would change."""
        return not self.notes and not self.moves


def queue(con: duckdb.DuckDBPyConnection, *, view: str = "decision", search: str | None = None) -> pd.DataFrame:
    """Applicants in a view (VIEWS or a stage), newest application first, with `is_new` (first seen in the
    latest import) and `days_waiting` only for those still waiting for a decision."""
    stage = view if view not in VIEWS else None
    table = applicants.list_applicants(con, status=stage, search=search)
    latest = con.execute("SELECT max(id) FROM imports").fetchone()[0]
    first = dict(con.execute("SELECT id, first_import_id FROM applicants").fetchall())
    table["is_new"] = table["id"].map(first).eq(latest) if latest is not None else False
    if view == "decision":
        table = table[table["status"].isin(UNDECIDED)]
    elif view == "new":
        table = table[table["is_new"]]
    table["days_waiting"] = table["days_waiting"].where(table["status"].isin(UNDECIDED))
    # the latest import's people first (the batch being screened), each group newest application first
    return table.sort_values(["is_new", "applied_at", "id"], ascending=False).reset_index(drop=True)


def decline_reason(choice: str | None, sentence: str | None = None) -> str | None:
    """The stored reason: the chosen one, with the moderator's own sentence after it when given."""
    extra = " ".join((sentence or "").split())
    if not choice:
        return extra or None
    return f"{choice}: {extra}" if extra else choice


def apply(con: duckdb.DuckDBPyConnection, change: Change, *, moderator: str = "local") -> dict:
    """Save notes and move applicants in one transaction, keeping what undo needs; returns counts by kind."""
    if change.is_empty():
        raise InvalidInput("Nothing to save: tick applicants or change a note or a stage first.")
    for to in set(change.moves.values()):
        check_move(to, reason=change.reason if to == "declined" else None)
    touched = sorted(set(change.notes) | set(change.moves))
    with db.transaction(con):
        before = _snapshot(con, touched)
        moving = _moving(before, change.moves)
        noted = _save_notes(con, before, change.notes)
        history, messages = _move(con, moving, change.reason, moderator)
        done = _counts(moving, noted)
        if not any(done.values()):
            raise InvalidInput("Nothing changed: those applicants already have these stages and notes.")
        after = _snapshot(con, touched)
        undo = {"before": before, "after": after, "history": history, "messages": messages, "done": done}
        undo["at"] = str(db.now())
        db.set_setting(con, UNDO_KEY, undo | {"moderator": moderator})
        db.audit(con, "screen", {"applicant_ids": touched, **done, "reason": change.reason}, moderator=moderator)
    return done


def last_change(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The screening change Undo would take back: what it did and when, or None."""
    undo = db.get_setting(con, UNDO_KEY)
    return {"done": undo["done"], "at": pd.Timestamp(undo["at"]), "moderator": undo["moderator"]} if undo else None


def undo_last(con: duckdb.DuckDBPyConnection, *, moderator: str = "local") -> dict:
    """Take back the last screening change exactly; returns its counts and how many messages had been sent."""
    undo = db.get_setting(con, UNDO_KEY)
    if not undo:
        raise InvalidInput("There is no screening change to undo.")
    ids = [int(i) for i in undo["before"]]
    _refuse_if_changed_since(con, ids, undo["after"])
    with db.transaction(con):
        for applicant_id, row in undo["before"].items():
            con.execute(
                "UPDATE applicants SET status = ?, status_changed_at = CAST(? AS TIMESTAMP), "
                "updated_at = CAST(? AS TIMESTAMP), decline_reason = ?, notes = ? WHERE id = ?",
                [*(row[f] for f in _FIELDS), int(applicant_id)],
            )
        con.execute("DELETE FROM status_history WHERE list_contains(?, id)", [undo["history"]])
        discarded = outbox.discard_within(con, undo["messages"])
        db.set_setting(con, UNDO_KEY, None)
        db.audit(con, "undo_screen", {"applicant_ids": ids, **undo["done"]}, moderator=moderator)
    return {**undo["done"], "already_sent": len(undo["messages"]) - discarded}


def forget_member(con: duckdb.DuckDBPyConnection, applicant_id: int) -> None:
    """Drop the undo record when it holds this member (their notes must not outlive an erasure)."""
    undo = db.get_setting(con, UNDO_KEY)
    if undo and str(applicant_id) in undo["before"]:
        db.set_setting(con, UNDO_KEY, None)


def describe(done: Mapping[str, int]) -> str:
    """'accepted 8, declined 3, notes on 2' for a change's counts."""
    words = {"accepted": "accepted", "declined": "declined", "moved": "moved", "notes": "notes on"}
    parts = [f"{words[k]} {_count(done[k], 'applicant')}" for k in words if done.get(k)]
    return ", ".join(parts) or "nothing"


def _snapshot(con: duckdb.DuckDBPyConnection, ids: list[int]) -> dict[str, dict]:
    """Each applicant's screening fields by id (as text keys, timestamps as text: it is stored as JSON)."""
    rows = con.execute(f"SELECT id, {', '.join(_FIELDS)} FROM applicants WHERE list_contains(?, id)", [ids])
    found = {str(r[0]): {f: v if v is None or isinstance(v, str) else str(v) for f, v in zip(_FIELDS, r[1:])}
             for r in rows.fetchall()}  # fmt: skip
    missing = [i for i in ids if str(i) not in found]
    if missing:
        raise InvalidInput(f"Applicant {missing[0]} no longer exists; reload the page. Nothing was changed.")
    erased = [i for i in ids if found[str(i)]["status"] == FINAL]
    if erased:
        raise InvalidInput(f"Applicant {erased[0]} was erased and cannot be changed. Nothing was changed.")
    return found


def _moving(before: dict[str, dict], moves: dict[int, str]) -> dict[str, list[tuple[int, str]]]:
    """Applicants whose stage really changes, grouped by the stage they move to: [(id, old stage)]."""
    grouped: dict[str, list[tuple[int, str]]] = {}
    for applicant_id, to in sorted(moves.items()):
        old = before[str(applicant_id)]["status"]
        if old != to:
            grouped.setdefault(to, []).append((applicant_id, old))
    return grouped


def _save_notes(con: duckdb.DuckDBPyConnection, before: dict[str, dict], notes: dict[int, str]) -> int:
    """Store the notes that differ from what is stored (an empty note clears it); returns how many."""
    changed = []
    for applicant_id, text in notes.items():
        new = (text or "").strip() or None
        if new != before[str(applicant_id)]["notes"]:
            changed.append([new, db.now(), applicant_id])
    if changed:
        con.executemany("UPDATE applicants SET notes = ?, updated_at = ? WHERE id = ?", changed)
    return len(changed)


def _move(con, moving: dict[str, list[tuple[int, str]]], reason: str | None, moderator: str) -> tuple[list, list]:
    history, messages, now = [], [], db.now()
    for to, people in moving.items():
        said = reason if to == "declined" else None
        ids = [i for i, _ in people]
        con.execute(
            "UPDATE applicants SET status = $to, status_changed_at = $now, updated_at = $now, "
            "decline_reason = CASE WHEN $to = 'declined' THEN $reason ELSE decline_reason END "
            "WHERE list_contains($ids, id)",
            {"to": to, "now": now, "reason": said, "ids": ids},
        )
        for applicant_id, old in people:
            history += con.execute(
                "INSERT INTO status_history (applicant_id, from_status, to_status, reason, changed_at, moderator) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                [applicant_id, old, to, said, now, moderator],
            ).fetchone()
        messages += drafts.after_stage(con, ids, to, now=now, moderator=moderator)
    return history, messages


def _counts(moving: dict[str, list], noted: int) -> dict[str, int]:
    moved = {to: len(people) for to, people in moving.items()}
    other = sum(n for to, n in moved.items() if to not in ("accepted", "declined"))
    return {"accepted": moved.get("accepted", 0), "declined": moved.get("declined", 0), "moved": other, "notes": noted}


def _refuse_if_changed_since(con: duckdb.DuckDBPyConnection, ids: list[int], after: dict[str, dict]) -> None:
    now = _snapshot(con, ids)
    for key, row in after.items():
        if any(now[key][f] != row[f] for f in _FIELDS if f != "updated_at"):  # an import may touch updated_at
            name = con.execute("SELECT name FROM applicants WHERE id = ?", [int(key)]).fetchone()[0]
            raise InvalidInput(f"{name} has been changed since; undo only takes back a change nobody built on.")
    paired = con.execute(
        "SELECT a.name FROM open_pair_members o JOIN applicants a ON a.id = o.applicant_id "
        "WHERE list_contains(?, o.applicant_id) LIMIT 1",
        [ids],
    ).fetchone()
    if paired:
        raise InvalidInput(f"{paired[0]} has been paired since; undo that confirm on the Pairs page first.")


def _count(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"
