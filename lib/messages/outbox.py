"""The outbox: every message the dashboard drafts, the moderator reviews, and the dashboard sends.

A message is a draft until it is sent or discarded; a send that fails leaves it `failed` with the error
in a sentence, and the next send tries it again. Nothing is deleted: a discarded draft stays, marked
discarded. Only erasing a member (their messages go with them) and removing the demo delete messages.

Exactly once. A sender first *claims* the messages it will send (one short transaction sets claimed_at
on rows nobody holds; of two senders at once, the database lets only one claim a row, and the other
skips it). Each message is then handed to the SMTP server and, in one transaction, marked sent with its
Message-ID and an audit row. A second `send` finds nothing to send. A sender that stopped between the
server's "250 OK" and that transaction leaves a claim behind; after CLAIM_EXPIRES such a message is
marked failed and *uncertain* (it may have gone out): `send --all` leaves it alone, sending it by its id
sends it again after the moderator has looked in the account's Sent folder.

The hourly cap (setting `send_cap_per_hour`, default 60) counts messages sent in the last hour; the
rest wait, and the result says when the first of them may go.
"""

from __future__ import annotations

import json
import smtplib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import duckdb
import pandas as pd

from lib.errors import InvalidInput, NotFound
from lib.messages import mail, templates
from lib.messages.calendar import invitation
from lib.storage import db

STATUSES = ("draft", "sent", "failed", "discarded")
KINDS = templates.KINDS
SENDABLE = ("draft", "failed")
CAP_SETTING = "send_cap_per_hour"
DEFAULT_CAP = 60
CLAIM_EXPIRES = timedelta(minutes=10)
UNCERTAIN = (
    "The dashboard stopped while sending this message, so it may have gone out; look in the mail account's "
    "Sent folder, then send it by its number or discard it."
)
_COLUMNS = (
    "id, kind, recipients, subject, body, status, created_at, updated_at, sent_at, error, pair_id, message_id, "
    "ending_id, attempts, uncertain, moderator, calendar"
)


@dataclass
class Delivery:
    """What one send did: counts, a sentence per kind of failure, and when the capped rest may go."""

    sent: int = 0
    failed: int = 0
    left: int = 0
    problems: Counter = field(default_factory=Counter)
    next_at: datetime | None = None
    moderator: str = "local"  # who sent: the audit rows of failures name them too

    def as_json(self) -> dict:
        """The published result of `python -m lib send --json`."""
        return {"sent": self.sent, "failed": self.failed, "left": self.left}

    def summary(self) -> str:
        """One sentence for the page or the command line."""
        parts = [f"Sent {self.sent} message{'s' * (self.sent != 1)}"]
        if self.failed:
            parts.append(f"{self.failed} failed (kept, to try again)")
        if self.left:
            when = f" from {self.next_at:%H:%M}" if self.next_at else ""
            parts.append(f"{self.left} wait for the hourly cap and can go{when}")
        return "; ".join(parts) + "."


def draft(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    to: Sequence[dict],
    subject: str,
    body: str,
    *,
    now: datetime,
    about: Sequence[int] = (),
    pair_id: int | None = None,
    ending_id: int | None = None,
    moderator: str = "local",
    calendar: str | None = None,
) -> int:
    """Put a draft in the outbox (call inside the transaction of the change that made it due).

    `to` holds the recipients as {"id", "name", "email", "is_demo"}; `about` adds members it concerns.
    """
    if kind not in KINDS:
        templates.check_kind(kind)
    recipients = [{"name": mail.clean(p["name"]), "email": p["email"]} for p in to]
    if not recipients:
        raise InvalidInput("A message needs at least one recipient.")
    is_demo = all(bool(p.get("is_demo")) for p in to)
    message_id = con.execute(
        "INSERT INTO messages (kind, recipients, subject, body, created_at, updated_at, pair_id, ending_id, "
        "moderator, is_demo, calendar) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [
            kind,
            json.dumps(recipients),
            mail.clean(subject),
            body,
            now,
            now,
            pair_id,
            ending_id,
            moderator,
            is_demo,
            calendar,
        ],
    ).fetchone()[0]
    # a recipient without an id is no member (the Google group's address): only `about` links the digest
    members = sorted({int(p["id"]) for p in to if p.get("id") is not None} | {int(i) for i in about})
    if members:
        con.executemany("INSERT INTO message_members VALUES (?, ?)", [[message_id, m] for m in members])
    return message_id


def listing(con: duckdb.DuckDBPyConnection, *, status: str | None = None, member: int | None = None) -> pd.DataFrame:
    """Messages, drafts first then failed, sent and discarded, newest first within each; `to` is a list."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"'{status}' is not a state of a message; use {', '.join(STATUSES)}.")
    frame = con.execute(
        f"""
        SELECT {_COLUMNS} FROM messages
        WHERE ($status IS NULL OR status = $status)
          AND ($member IS NULL OR id IN (SELECT message_id FROM message_members WHERE applicant_id = $member))
        ORDER BY list_position(['draft', 'failed', 'sent', 'discarded'], status), coalesce(sent_at, created_at) DESC,
                 id DESC
        """,
        {"status": status, "member": member},
    ).df()
    frame["recipients"] = [json.loads(r) for r in frame["recipients"]]
    frame["to"] = [[r["email"] for r in people] for people in frame["recipients"]]
    return frame


def message(con: duckdb.DuckDBPyConnection, message_id: int) -> dict:
    """One message as a dict."""
    found = listing_of(con, [message_id])
    if not found:
        raise NotFound(f"There is no message number {message_id}.")
    return found[0]


def listing_of(con: duckdb.DuckDBPyConnection, ids: Sequence[int]) -> list[dict]:
    """These messages as dicts (unknown ids are left out)."""
    cursor = con.execute(f"SELECT {_COLUMNS} FROM messages WHERE list_contains(?, id) ORDER BY id", [list(ids)])
    names = [c[0] for c in cursor.description]
    rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    for row in rows:
        row["recipients"] = json.loads(row["recipients"])
        row["to"] = [r["email"] for r in row["recipients"]]
    return rows


def waiting(con: duckdb.DuckDBPyConnection) -> dict:
    """How many drafts wait for the moderator and how many failed sends wait for another try."""
    drafts, failed = con.execute(
        "SELECT count(*) FILTER (WHERE status = 'draft'), count(*) FILTER (WHERE status = 'failed') FROM messages"
    ).fetchone()
    return {"drafts": drafts, "failed": failed}


def edit(con: duckdb.DuckDBPyConnection, message_id: int, *, subject: str, body: str, moderator: str = "local") -> None:
    """Change an unsent message's subject and text."""
    found = message(con, message_id)
    if found["status"] not in SENDABLE:
        raise InvalidInput(f"Message {message_id} is {found['status']}; only a draft or a failed message can change.")
    if not body.strip():
        raise InvalidInput("The message has no text; write it, or discard the message.")
    with db.transaction(con):
        con.execute(
            "UPDATE messages SET subject = ?, body = ?, updated_at = ? WHERE id = ? AND claimed_at IS NULL",
            [mail.clean(subject) or "(no subject)", body, db.now(), message_id],
        )
        db.audit(con, "edit_message", {"message_id": message_id}, moderator=moderator)


def discard(con: duckdb.DuckDBPyConnection, ids: Sequence[int], *, moderator: str = "local") -> int:
    """Mark unsent messages discarded (they stay listed); returns how many. Refuses unknown or sent ones."""
    found = {m["id"]: m for m in listing_of(con, ids)}
    missing = sorted(set(int(i) for i in ids) - set(found))
    if missing:
        raise NotFound(f"There is no message number {', '.join(map(str, missing))}; nothing was discarded.")
    sent = sorted(i for i, m in found.items() if m["status"] == "sent")
    if sent:
        raise InvalidInput(f"Message {', '.join(map(str, sent))} was already sent; nothing was discarded.")
    with db.transaction(con):
        changed = discard_within(con, list(found))
        db.audit(con, "discard_messages", {"message_ids": sorted(found), "discarded": changed}, moderator=moderator)
    return changed


def discard_within(con: duckdb.DuckDBPyConnection, ids: Sequence[int]) -> int:
    """Discard those of these messages that are unsent and not being sent (inside the caller's transaction)."""
    return len(
        con.execute(
            "UPDATE messages SET status = 'discarded', updated_at = ? "
            "WHERE list_contains(?, id) AND status IN ('draft', 'failed') AND claimed_at IS NULL RETURNING id",
            [db.now(), list(ids)],
        ).fetchall()
    )


def record_reply(con: duckdb.DuckDBPyConnection, message_id: int, reply: str, *, moderator: str = "local") -> int:
    """Store a member's answer to a farewell as the feedback of the ending it followed; returns that ending."""
    found = message(con, message_id)
    if found["kind"] != "farewell" or found["ending_id"] is None:
        raise InvalidInput(
            f"Message {message_id} is not a farewell after an ending, so a reply cannot be stored there."
        )
    if not reply.strip():
        raise InvalidInput("Paste the member's reply first.")
    with db.transaction(con):
        row = con.execute(
            "UPDATE endings SET feedback = CASE WHEN feedback IS NULL OR trim(feedback) = '' THEN ? "
            "ELSE feedback || chr(10) || chr(10) || ? END, feedback_source = 'member' WHERE id = ? RETURNING id",
            [reply.strip(), reply.strip(), found["ending_id"]],
        ).fetchall()
        if not row:
            raise NotFound("The ending this farewell followed no longer exists; the reply was not stored.")
        details = {"message_id": message_id, "ending_id": found["ending_id"]}
        db.audit(con, "record_farewell_reply", details, moderator=moderator)
    return found["ending_id"]


def hourly_cap(con: duckdb.DuckDBPyConnection) -> int:
    """How many messages may be sent in any hour."""
    return int(db.get_setting(con, CAP_SETTING, DEFAULT_CAP) or DEFAULT_CAP)


def set_hourly_cap(con: duckdb.DuckDBPyConnection, cap: int, *, moderator: str = "local") -> None:
    """Change the hourly cap (1 to 2,000; Gmail allows about 500 a day)."""
    if not 1 <= int(cap) <= 2000:
        raise InvalidInput("The hourly cap must be between 1 and 2,000 messages.")
    with db.transaction(con):
        db.set_setting(con, CAP_SETTING, int(cap))
        db.audit(con, "set_send_cap", {"per_hour": int(cap)}, moderator=moderator)


def send(
    con: duckdb.DuckDBPyConnection,
    ids: Sequence[int] | None,
    account: mail.Account,
    *,
    moderator: str = "local",
) -> Delivery:
    """Send these messages (None: every draft and failed one that is not uncertain), within the hourly cap."""
    result = Delivery(moderator=moderator)
    stopped = expire_claims(con)
    if stopped:
        result.failed += stopped
        result.problems[UNCERTAIN] += stopped
    chosen = _choose(con, ids)
    room = max(0, hourly_cap(con) - len(_sent_last_hour(con)))
    result.left = max(0, len(chosen) - room)
    claimed = _claim(con, chosen[:room])
    tried = 0
    try:
        with mail.Connection(account) as connection:
            for message_id in claimed:
                tried += 1
                lost = _deliver_one(con, connection, message_id, result, moderator)
                if lost:
                    _fail(con, claimed[tried:], result, lost)
                    break
    except Exception as exc:  # connecting or logging in failed: the messages not yet tried are kept, failed
        _fail(con, claimed[tried:], result, mail.explain(exc, account))
    if result.left:
        result.next_at = _next_slot(con)
    return result


def _choose(con: duckdb.DuckDBPyConnection, ids: Sequence[int] | None) -> list[int]:
    if ids is None:
        return [
            r[0]
            for r in con.execute(
                "SELECT id FROM messages WHERE status IN ('draft', 'failed') AND NOT uncertain ORDER BY id"
            ).fetchall()
        ]
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        raise InvalidInput("Name the messages to send by their numbers, or send them all.")
    found = {m["id"]: m["status"] for m in listing_of(con, wanted)}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFound(f"There is no message number {', '.join(map(str, missing))}; nothing was sent.")
    return [i for i in wanted if found[i] in SENDABLE]


def _sent_last_hour(con: duckdb.DuckDBPyConnection) -> list[datetime]:
    return [
        r[0]
        for r in con.execute(
            "SELECT sent_at FROM messages WHERE status = 'sent' AND sent_at > ? ORDER BY sent_at",
            [db.now() - timedelta(hours=1)],
        ).fetchall()
    ]


def _next_slot(con: duckdb.DuckDBPyConnection) -> datetime:
    """When the hourly cap lets the next message go: when enough of the last hour's sends are an hour old."""
    times, cap = _sent_last_hour(con), hourly_cap(con)
    return times[len(times) - cap] + timedelta(hours=1) if len(times) >= cap else db.now()


def _claim(con: duckdb.DuckDBPyConnection, ids: list[int]) -> list[int]:
    """Take hold of these messages; those another sender holds (or just took) are skipped."""
    claimed = []
    for message_id in ids:  # one row per transaction: a conflict on one row costs only that row
        try:
            with db.transaction(con):
                row = con.execute(
                    "UPDATE messages SET claimed_at = ? WHERE id = ? AND claimed_at IS NULL "
                    "AND status IN ('draft', 'failed') RETURNING id",
                    [db.now(precise=True), message_id],
                ).fetchall()
        except Exception:  # another sender claimed it at this moment: it is theirs
            continue
        claimed += [r[0] for r in row]
    return claimed


def _deliver_one(con, connection: mail.Connection, message_id: int, result: Delivery, moderator: str) -> str | None:
    """Send one claimed message and record it; returns the sentence when the connection is lost (stop there)."""
    found = message(con, message_id)
    sent_at = db.now()
    people = [(r["name"], r["email"]) for r in found["recipients"]]
    try:
        invite = invitation(found["calendar"], connection.account.sender, people) if found["calendar"] else None
        email = mail.build(
            connection.account.sender, people, found["subject"], found["body"], when=sent_at, invitation=invite
        )
        refused = connection.deliver(email, found["to"])
    except InvalidInput as exc:  # this message cannot be built: it alone fails
        _fail(con, [message_id], result, str(exc))
        return None
    except (smtplib.SMTPException, OSError) as exc:
        sentence = mail.explain(exc, connection.account)
        _fail(con, [message_id], result, sentence)
        lost = not isinstance(exc, smtplib.SMTPException) or isinstance(exc, smtplib.SMTPServerDisconnected)
        return sentence if lost else None
    note = f"The server refused {', '.join(refused)}; the others got it." if refused else None
    with db.transaction(con):
        con.execute(
            "UPDATE messages SET status = 'sent', sent_at = ?, message_id = ?, error = ?, claimed_at = NULL, "
            "uncertain = false, attempts = attempts + 1, updated_at = ? WHERE id = ?",
            [sent_at, email["Message-ID"], note, sent_at, message_id],
        )
        details = {"message_id": message_id, "kind": found["kind"], "smtp_message_id": email["Message-ID"]}
        db.audit(con, "send_message", details, moderator=moderator)
    result.sent += 1
    return None


def _fail(con: duckdb.DuckDBPyConnection, ids: list[int], result: Delivery, sentence: str) -> None:
    if not ids:
        return
    with db.transaction(con):
        con.execute(
            "UPDATE messages SET status = 'failed', error = ?, claimed_at = NULL, attempts = attempts + 1, "
            "updated_at = ? WHERE list_contains(?, id)",
            [sentence, db.now(), ids],
        )
        db.audit(con, "send_failed", {"message_ids": list(ids)}, moderator=result.moderator)
    result.failed += len(ids)
    result.problems[sentence] += len(ids)


def expire_claims(con: duckdb.DuckDBPyConnection) -> int:
    """Claims older than CLAIM_EXPIRES belong to a sender that stopped: mark those messages uncertain."""
    with db.transaction(con):
        return len(
            con.execute(
                "UPDATE messages SET status = 'failed', uncertain = true, error = ?, claimed_at = NULL "
                "WHERE claimed_at IS NOT NULL AND claimed_at < ? RETURNING id",
                [UNCERTAIN, db.now() - CLAIM_EXPIRES],
            ).fetchall()
        )


def erase_member(con: duckdb.DuckDBPyConnection, applicant_id: int) -> int:
    """Delete every message that concerns this member (inside the erasure's transaction)."""
    mine = "SELECT message_id FROM message_members WHERE applicant_id = ?"
    gone = con.execute(f"DELETE FROM messages WHERE id IN ({mine}) RETURNING id", [applicant_id]).fetchall()
    ids = [r[0] for r in gone]
    con.execute("DELETE FROM message_members WHERE list_contains(?, message_id)", [ids])
    return len(ids)


def delete_demo(con: duckdb.DuckDBPyConnection) -> None:
    """Delete the demo's messages (inside the demo loader's transaction)."""
    con.execute("DELETE FROM message_members WHERE message_id IN (SELECT id FROM messages WHERE is_demo)")
    con.execute("DELETE FROM messages WHERE is_demo")
