"""The check-in loop: when each open pair is asked how it goes, what state that question is in, drafting it,
and recording the members' answers.

Decided (see also the README's "Check-ins"):
- **When a check-in is due.** A pair's first check-in is its *trial* check-in, `checkin_trial_days` (7)
  after the pair moved to trial, or after it was confirmed when it has no trial date. After that an
  *active* pair gets a *pulse* every `checkin_pulse_weeks` (4) weeks (twice that for a pair meeting every
  two weeks), counted from the day the previous check-in was asked (or from the day the pair became
  active, whichever is later). A pair in proposed or trial state gets nothing after its trial check-in.
  A snoozed pair is never due before its snooze date: its due day moves to that date. Ended pairs get none.
- **One open check-in per pair.** A check-in drafted but not yet sent is the pair's current one until it
  is sent (it is never drafted twice). A check-in whose drafts were all discarded, with no answer, counts
  as never asked: the pair is due again.
- **Statuses** (as of a day): *due* (its day has come and it has not been sent: not drafted yet, or
  waiting in the outbox), *sent* (sent, nobody answered yet, fewer than `checkin_silent_days` (7) days
  ago), *answered* (at least one member of the pair answered, however late), *missed* (sent at least
  `checkin_silent_days` days ago and nobody answered). A missed check-in is what the home page calls a
  "silent pair".
- **Answers.** A member answers: did you meet since the last check-in (yes/no), how is it going (1-5),
  is finding time a problem (no / a-bit / yes), and a free note. An answer belongs to the member's pair
  and to that pair's latest check-in asked on or before the answer's day (an earlier answer to its first
  check-in; an answer before any check-in was asked starts one, dated that day). One answer per member
  and check-in: the newest wins.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import duckdb
import pandas as pd

from lib.errors import InvalidInput, NotFound
from lib.members.directory import member_by_email
from lib.messages import drafts, outbox, settings, templates
from lib.storage import db
from lib.text import pair_first_names

KINDS = ("trial", "pulse")
STATUSES = ("due", "sent", "answered", "missed")
TIME_PROBLEM = ("no", "a-bit", "yes")
TIME_WORDS = {"no": "no", "a-bit": "a bit", "yes": "yes"}
SOURCES = ("form", "by hand", "command line", "demo")
SINCE_WHEN = {"trial": "since your trial session", "pulse": "over the last few weeks"}
MET_QUESTION = {"trial": "Did you meet for your trial session?", "pulse": "Did you meet since my last check-in?"}
REPLY_QUESTIONS = (
    "Just reply to this email with four short answers:\n"
    "1. {met} (yes / no)\n"
    "2. How is it going, from 1 (not well) to 5 (great)?\n"
    "3. Is finding the time a problem? (no / a bit / yes)\n"
    "4. Anything else you would like me to know?"
)
FORM_INTRO = "Two minutes in this form, already filled in with who you are:\n"


@dataclass(frozen=True)
class Rules:
    """The check-in settings in days, read once per call."""

    trial_days: int
    pulse_days: int
    silent_days: int


def rules(con: duckdb.DuckDBPyConnection) -> Rules:
    """The moderator's check-in settings (lib.messages.settings) in days."""
    return Rules(
        int(settings.get(con, "checkin_trial_days")),
        7 * int(settings.get(con, "checkin_pulse_weeks")),
        int(settings.get(con, "checkin_silent_days")),
    )


def current(con: duckdb.DuckDBPyConnection, *, as_of: date | None = None) -> pd.DataFrame:
    """The current check-in of each open pair that has one (at most one per pair), as of today or `as_of`.

    Columns: pair_id, kind, due_on, status, checkin_id (None until drafted), drafted, sent_on, answers,
    a_name, b_name, a, b."""
    today = as_of or db.now().date()
    limits = rules(con)
    frame = con.execute(
        f"""
        WITH {asked_sql()},
        last AS (
            SELECT * FROM asked WHERE counted QUALIFY row_number() OVER (PARTITION BY pairing_id ORDER BY id DESC) = 1
        ),
        pairs AS (
            SELECT p.id, p.state, p.a_id, p.b_id, p.snoozed_until, l.id AS last_id, l.sent_on, l.answers,
                   l.drafted_at, l.kind AS last_kind, l.due_on AS last_due,
                   CASE WHEN l.id IS NULL THEN 'trial' WHEN p.state = 'active' THEN 'pulse' END AS next_kind,
                   CASE WHEN l.id IS NULL THEN coalesce(p.trial_on, p.started_on) + $trial_days
                        WHEN p.state = 'active' THEN greatest(l.asked_on, coalesce(p.active_on, l.asked_on))
                             + $pulse_days * coalesce(p.cadence_weeks, 1) END AS next_plain
            FROM pairings p LEFT JOIN last l ON l.pairing_id = p.id
            WHERE p.state <> 'ended' AND p.started_on <= $today
        ),
        chosen AS (
            SELECT *, CAST(CASE WHEN p.snoozed_until > next_plain THEN p.snoozed_until ELSE next_plain END AS DATE)
                      AS next_due
            FROM pairs p
        )
        SELECT c.id AS pair_id,
               CASE WHEN pending THEN c.last_kind WHEN fresh THEN c.next_kind ELSE c.last_kind END AS kind,
               CASE WHEN pending THEN c.last_due WHEN fresh THEN c.next_due ELSE c.last_due END AS due_on,
               CASE WHEN pending OR fresh THEN 'due' WHEN c.answers > 0 THEN 'answered'
                    WHEN c.sent_on + $silent_days <= $today THEN 'missed' ELSE 'sent' END AS status,
               CASE WHEN fresh THEN NULL ELSE c.last_id END AS checkin_id,
               NOT fresh AS drafted, CASE WHEN fresh THEN NULL ELSE c.sent_on END AS sent_on,
               CASE WHEN fresh THEN 0 ELSE coalesce(c.answers, 0) END AS answers,
               a.name AS a_name, b.name AS b_name, a.email AS a, b.email AS b
        FROM (
            SELECT *, coalesce(last_id IS NOT NULL AND sent_on IS NULL AND answers = 0, false) AS pending,
                   coalesce(NOT (last_id IS NOT NULL AND sent_on IS NULL AND answers = 0) AND next_due <= $today, false)
                   AS fresh
            FROM chosen
        ) c JOIN applicants a ON a.id = c.a_id JOIN applicants b ON b.id = c.b_id
        WHERE c.pending OR c.fresh OR c.last_id IS NOT NULL
        """,
        {"today": today, "trial_days": limits.trial_days, "pulse_days": limits.pulse_days,
         "silent_days": limits.silent_days, "end": _end_of(today)},
    ).df()  # fmt: skip
    rank = frame["status"].map({s: i for i, s in enumerate(STATUSES)})
    return (
        frame.assign(_rank=rank)
        .sort_values(["_rank", "due_on", "pair_id"])
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def asked_sql() -> str:
    """A CTE `asked`: every stored check-in with the day it was asked and sent, its answers (as of $end), and
    whether it counts (sent, waiting in the outbox, or answered; all drafts discarded and no answer: it does
    not)."""
    return """
        sent AS (
            SELECT checkin_id, min(sent_at) FILTER (WHERE status = 'sent' AND sent_at <= $end) AS sent_at,
                   count(*) FILTER (WHERE status <> 'discarded') AS live
            FROM messages WHERE checkin_id IS NOT NULL GROUP BY checkin_id
        ),
        said AS (
            SELECT checkin_id, count(*) AS answers, min(answered_at) AS first_answer
            FROM checkin_answers WHERE answered_at <= $end GROUP BY checkin_id
        ),
        asked AS (
            SELECT c.id, c.pairing_id, c.kind, c.due_on, c.drafted_at,
                   CAST(coalesce(c.sent_at, s.sent_at) AS DATE) AS sent_on,
                   CAST(coalesce(c.sent_at, s.sent_at, c.drafted_at, c.due_on) AS DATE) AS asked_on,
                   coalesce(a.answers, 0) AS answers, a.first_answer,
                   (c.sent_at IS NOT NULL OR coalesce(s.live, 0) > 0 OR coalesce(a.answers, 0) > 0) AS counted
            FROM checkins c LEFT JOIN sent s ON s.checkin_id = c.id LEFT JOIN said a ON a.checkin_id = c.id
            WHERE c.created_at <= $end
        )"""


def due(con: duckdb.DuckDBPyConnection, *, as_of: date | None = None) -> pd.DataFrame:
    """The check-ins due and not drafted yet (what "Draft all due check-ins" drafts)."""
    found = current(con, as_of=as_of)
    return found[(found["status"] == "due") & ~found["drafted"].astype(bool)].reset_index(drop=True)


def draft_due(con: duckdb.DuckDBPyConnection, *, moderator: str = "local") -> list[int]:
    """Draft every due check-in into the outbox, one message per member, in one transaction; returns the
    new messages' ids."""
    now = db.now()
    waiting = due(con)
    made: list[int] = []
    with db.transaction(con):
        for row in waiting.itertuples():
            checkin_id = con.execute(
                "INSERT INTO checkins (pairing_id, kind, due_on, drafted_at, created_at, moderator) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                [int(row.pair_id), row.kind, row.due_on, now, now, moderator],
            ).fetchone()[0]
            made += _draft_one(con, checkin_id, int(row.pair_id), row.kind, now, moderator)
        db.audit(con, "draft_checkins", {"pairs": len(waiting), "message_ids": made}, moderator=moderator)
    return made


def _draft_one(con, checkin_id: int, pairing_id: int, kind: str, now: datetime, moderator: str) -> list[int]:
    a, b = (_person(con, i) for i in _pair_members(con, pairing_id))
    link = settings.get(con, "checkin_form_url")
    made = []
    for person, partner in ((a, b), (b, a)):
        first, partner_first = pair_first_names(
            person["name"], partner["name"], a_fallback=person["email"], b_fallback=partner["email"]
        )
        values = {
            "first": first,
            "name": person["name"],
            "partner_first": partner_first,
            "since_when": SINCE_WHEN[kind],
            "answer_how": answer_how(link, person["email"], pairing_id, kind),
            "moderator_name": drafts.signature(moderator),
        }
        subject, body = templates.render(templates.source(con, "checkin"), values)
        message_id = outbox.draft(
            con, "checkin", [person], subject, body, now=now, about=[partner["id"]], pair_id=pairing_id,
            moderator=moderator,
        )  # fmt: skip
        con.execute("UPDATE messages SET checkin_id = ? WHERE id = ?", [checkin_id, message_id])
        made.append(message_id)
    return made


def answer_how(form_url: str | None, email: str, pairing_id: int, kind: str) -> str:
    """How a member answers: the check-in form's pre-filled link when one is set, else the four questions."""
    if not form_url:
        return REPLY_QUESTIONS.format(met=MET_QUESTION[kind])
    return FORM_INTRO + prefilled_link(form_url, email, pairing_id)


def prefilled_link(form_url: str, email: str, pairing_id: int) -> str:
    """The form's "Get pre-filled link" URL with this member's email and pair filled in.

    The moderator makes that link once with any email address in the email question (you@example.com) and
    any number in the pair question (123): every `entry.N` value holding an "@" becomes the member's email,
    every value that is a number becomes the pair's number; other entries and parameters stay as they are."""
    parts = urlsplit(form_url)
    query = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.startswith("entry.") and "@" in value:
            value = email
        elif key.startswith("entry.") and value.strip().isdigit():
            value = str(pairing_id)
        query.append((key, value))
    return urlunsplit(parts._replace(query=urlencode(query)))


def record(
    con: duckdb.DuckDBPyConnection,
    pairing_id: int,
    email: str,
    *,
    met: bool,
    rating: int,
    time_problem: str | None = None,
    note: str | None = None,
    answered_at: datetime | None = None,
    source: str = "by hand",
    moderator: str = "local",
) -> int:
    """Record one member's answer for their pair (newest answer wins); returns the check-in it belongs to."""
    answer = Answer(int(pairing_id), email, met, rating, time_problem, note, answered_at or db.now())
    with db.transaction(con):
        checkin_id = store(con, [answer], source=source, moderator=moderator)[0][0]
        details = {"pairing_id": int(pairing_id), "checkin_id": checkin_id, "source": source}
        db.audit(con, "record_checkin_answer", details, moderator=moderator)
    return checkin_id


@dataclass(frozen=True)
class Answer:
    """One member's answer to a check-in, before it is stored."""

    pairing_id: int
    email: str
    met: bool
    rating: int
    time_problem: str | None
    note: str | None
    answered_at: datetime


def store(
    con: duckdb.DuckDBPyConnection, answers: list[Answer], *, source: str, moderator: str
) -> list[tuple[int, int, bool]]:
    """Store answers (inside the caller's transaction): an answer older than the one stored for the same member
    and check-in, or the same answer again, changes nothing. Returns (check-in, member, changed) per answer."""
    if source not in SOURCES:
        raise InvalidInput(f"'{source}' is not a source of answers; use one of {', '.join(SOURCES)}.")
    done = []
    for answer in answers:
        _check(answer)
        member = member_by_email(con, answer.email)
        if member["id"] not in _pair_members(con, answer.pairing_id):
            raise InvalidInput(f"{answer.email} is not a member of pair {answer.pairing_id}; check the pair's number.")
        checkin_id = checkin_for(con, answer.pairing_id, answer.answered_at, moderator=moderator)
        changed = con.execute(
            "INSERT INTO checkin_answers (checkin_id, pairing_id, applicant_id, answered_at, met, rating, time_problem, "
            "note, source, recorded_at, moderator) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (checkin_id, applicant_id) DO UPDATE SET answered_at = excluded.answered_at, "
            "met = excluded.met, rating = excluded.rating, time_problem = excluded.time_problem, note = excluded.note, "
            "source = excluded.source, recorded_at = excluded.recorded_at, moderator = excluded.moderator "
            "WHERE excluded.answered_at > checkin_answers.answered_at OR (excluded.answered_at = "
            "checkin_answers.answered_at AND (excluded.met, excluded.rating, excluded.time_problem, excluded.note) "
            "IS DISTINCT FROM (checkin_answers.met, checkin_answers.rating, checkin_answers.time_problem, "
            "checkin_answers.note)) RETURNING id",
            [checkin_id, answer.pairing_id, member["id"], answer.answered_at, answer.met, answer.rating,
             answer.time_problem, (answer.note or "").strip() or None, source, db.now(), moderator],
        ).fetchall()  # fmt: skip
        done.append((checkin_id, int(member["id"]), bool(changed)))
    return done


def checkin_for(con: duckdb.DuckDBPyConnection, pairing_id: int, when: datetime, *, moderator: str) -> int:
    """The pair's check-in an answer given at `when` belongs to: its latest one asked on or before that day
    (else its first one: an early answer); when none was asked yet, one is started for that day."""
    found = con.execute(
        f"WITH {asked_sql()} SELECT id FROM asked WHERE pairing_id = $pair AND counted "
        "ORDER BY asked_on <= $day DESC, CASE WHEN asked_on <= $day THEN -id ELSE id END LIMIT 1",
        {"pair": pairing_id, "day": when.date(), "end": datetime.max},
    ).fetchall()
    if found:
        return found[0][0]
    before = con.execute("SELECT count(*) FROM checkins WHERE pairing_id = ?", [pairing_id]).fetchone()[0]
    return con.execute(
        "INSERT INTO checkins (pairing_id, kind, due_on, created_at, moderator) VALUES (?, ?, ?, ?, ?) RETURNING id",
        [pairing_id, "pulse" if before else "trial", when.date(), min(db.now(), when), moderator],
    ).fetchone()[0]


def pair_of(con: duckdb.DuckDBPyConnection, email: str, when: datetime) -> int | None:
    """The pair a member was in on that day (their open pair then), or None."""
    row = con.execute(
        "SELECT p.id FROM pairings p JOIN applicants a ON a.id IN (p.a_id, p.b_id) WHERE a.email = ? "
        "AND p.started_on <= ? AND (p.ended_on IS NULL OR p.ended_on >= ?) ORDER BY p.started_on DESC LIMIT 1",
        [email.strip().lower(), when.date(), when.date()],
    ).fetchall()
    return row[0][0] if row else None


def answers(con: duckdb.DuckDBPyConnection, pairing_id: int) -> pd.DataFrame:
    """A pair's check-ins with each member's answer, newest first (for the Pairs page)."""
    return con.execute(
        """
        SELECT c.id AS checkin_id, c.kind, c.due_on, a.answered_at, m.name AS member, a.met, a.rating,
               a.time_problem, a.note, a.source
        FROM checkins c JOIN checkin_answers a ON a.checkin_id = c.id JOIN applicants m ON m.id = a.applicant_id
        WHERE c.pairing_id = ? ORDER BY c.id DESC, a.answered_at DESC
        """,
        [int(pairing_id)],
    ).df()


def forget_member(con: duckdb.DuckDBPyConnection, applicant_id: int) -> None:
    """Erase a member's free-text answers (inside the erasure's transaction); the numbers stay, anonymous."""
    con.execute("UPDATE checkin_answers SET note = NULL WHERE applicant_id = ?", [applicant_id])


def export_member(con: duckdb.DuckDBPyConnection, applicant_id: int) -> list[dict]:
    """A member's own check-in answers, for their data export."""
    frame = con.execute(
        "SELECT pairing_id, answered_at, met, rating, time_problem, note, source FROM checkin_answers "
        "WHERE applicant_id = ? ORDER BY answered_at",
        [applicant_id],
    ).df()
    return json.loads(frame.to_json(orient="records", date_format="iso"))


def parse_met(text: str) -> bool:
    """'yes' / 'no' as a boolean (refused with a sentence otherwise)."""
    word = str(text).strip().lower()
    if word not in ("yes", "no"):
        raise InvalidInput(f"'{text}' is not an answer to 'did you meet'; use yes or no.")
    return word == "yes"


def _check(answer: Answer) -> None:
    if not isinstance(answer.rating, int) or not 1 <= answer.rating <= 5:
        raise InvalidInput(f"'{answer.rating}' is not a rating; use a whole number from 1 (not well) to 5 (great).")
    if answer.time_problem is not None and answer.time_problem not in TIME_PROBLEM:
        raise InvalidInput(f"'{answer.time_problem}' is not an answer about time; use no, a-bit or yes.")


def _pair_members(con: duckdb.DuckDBPyConnection, pairing_id: int) -> tuple[int, int]:
    row = con.execute("SELECT a_id, b_id FROM pairings WHERE id = ?", [int(pairing_id)]).fetchone()
    if row is None:
        raise NotFound(f"There is no pairing number {pairing_id}.")
    return int(row[0]), int(row[1])


def _person(con: duckdb.DuckDBPyConnection, applicant_id: int) -> dict:
    row = con.execute("SELECT id, name, email, is_demo FROM applicants WHERE id = ?", [applicant_id]).fetchone()
    return dict(zip(("id", "name", "email", "is_demo"), row))


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time.max)


def days_since(day, today: date) -> int:
    """Whole days from a date to today."""
    return (today - pd.Timestamp(day).date()).days
