"""The weekly digest for the Google group: who is new, which skills nobody offers yet, who waits, the numbers.

It is drafted into the outbox (kind `digest`) to the group's posting address (setting `group_address`) and
the moderator edits and sends it like any message. Decided:
- **new members this week**: members in stage *accepted* whose latest acceptance falls in the 7 days before
  the digest is drafted; each with their first name, the skills they offer and want (canonical names);
- **wanted, nobody offers**: skills accepted members want that no accepted member offers, most wanted first
  (at most MAX_GAPS), asked as questions to the group;
- **waiting**: accepted members who are not in an open pair and not paused, longest waiting first (at most
  MAX_WAITING), with their first name and what they offer;
- **numbers**: pairs started in the 30 days before the digest and pairs going now; "at least N sessions held"
  is added when check-in answers (issue 18, schema 8) exist for those 30 days: N counts the check-ins in which
  a member said the pair met (each stands for at least one session), so two answers of one pair count once;
- **never in it**: email addresses, surnames, notes, feedback, decline reasons. Only first names (the first
  word of a name; for "Surname, Given" the part after the comma) and canonical skill names are read, and a
  skill name that looks like an address or a link is left out. `private_words` lists what must never appear,
  for the tests;
- the digest concerns every member it names: erasing one of them deletes it, like any of their messages
  (lib.messages.outbox.erase_member); drafting a new digest discards the unsent earlier ones, so the outbox
  holds one; a digest naming only demo members is demo data and goes with the demo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb
import pandas as pd

from lib.errors import InvalidInput
from lib.insight import coverage
from lib.messages import drafts, outbox, settings, templates
from lib.storage import db
from lib.text import first_name

NEW_DAYS = 7
NUMBERS_DAYS = 30
MAX_NEW, MAX_GAPS, MAX_WAITING = 20, 8, 15
GROUP_NAME = "Peer-mentoring group"
NO_ADDRESS = (
    "No group address is set; set the group's posting address first, e.g. "
    "`python -m lib settings set group_address mentoring@googlegroups.com` (or on the Group page)."
)
_TITLES = {"dr", "mr", "mrs", "ms", "mx", "prof", "sir", "dame"}
_PRIVATE_SKILL = re.compile(r"@|https?:|www\.|\.com\b|\d{5,}", re.I)


@dataclass
class Digest:
    """A composed digest: subject, body, and the members it names."""

    subject: str
    body: str
    member_ids: list[int]
    all_demo: bool


def compose(con: duckdb.DuckDBPyConnection, *, moderator: str = "local", now: datetime | None = None) -> Digest:
    """The digest as it would be drafted now, from the template `digest`."""
    now = now or db.now()
    new, waiting = new_members(con, now), waiting_members(con, now)
    values = {
        "week_of": f"{now.day} {now:%B %Y}",
        "new_members": f"A warm welcome to this week's new members:\n{_lines(new, wants=True)}"
        if len(new)
        else "No new members joined this week. Know someone who would enjoy this? Send them our way.",
        "wanted_unoffered": _gap_lines(con) or "- none right now: every skill someone wants is offered by someone.",
        "waiting": _lines(waiting.head(MAX_WAITING)) + _more(len(waiting) - MAX_WAITING)
        or "- nobody: everyone who wants a partner has one.",
        "numbers": numbers(con, now),
        "moderator_name": drafts.signature(moderator),
    }
    subject, body = templates.render(templates.source(con, "digest"), values)
    named = pd.concat([new, waiting.head(MAX_WAITING)])
    ids = sorted({int(i) for i in named["id"]})
    return Digest(subject, body, ids, bool(ids) and bool(named["is_demo"].all()))


def draft_digest(con: duckdb.DuckDBPyConnection, *, moderator: str = "local") -> int:
    """Draft this week's digest to the group's address (refused while none is set); returns its number."""
    address = settings.get(con, "group_address")
    if not address:
        raise InvalidInput(NO_ADDRESS)
    now = db.now()
    digest = compose(con, moderator=moderator, now=now)
    group = {"id": None, "name": GROUP_NAME, "email": address, "is_demo": digest.all_demo}
    with db.transaction(con):
        earlier = [r[0] for r in con.execute("SELECT id FROM messages WHERE kind = 'digest'").fetchall()]
        discarded = outbox.discard_within(con, earlier)
        made = outbox.draft(
            con, "digest", [group], digest.subject, digest.body, now=now, about=digest.member_ids, moderator=moderator
        )
        db.audit(con, "draft_digest", {"message_id": made, "discarded": discarded}, moderator=moderator)
    return made


def due(con: duckdb.DuckDBPyConnection, *, now: datetime | None = None) -> bool:
    """Whether this week's digest is due: today is the digest weekday (setting) and none was drafted in 6 days."""
    now = now or db.now()
    if now.strftime("%A") != settings.get(con, "digest_weekday"):
        return False
    recent = con.execute(
        "SELECT count(*) FROM messages WHERE kind = 'digest' AND status <> 'discarded' AND created_at > ?",
        [now - timedelta(days=6)],
    ).fetchone()[0]
    return recent == 0


def new_members(con: duckdb.DuckDBPyConnection, now: datetime) -> pd.DataFrame:
    """Members accepted in the NEW_DAYS before `now` (latest acceptance), with first name and skills."""
    return _with_skills(
        con,
        """
        SELECT a.id, a.name, a.is_demo, max(h.changed_at) AS since
        FROM applicants a JOIN status_history h ON h.applicant_id = a.id AND h.to_status = 'accepted'
        WHERE a.status = 'accepted' GROUP BY ALL
        HAVING max(h.changed_at) > $start AND max(h.changed_at) <= $now
        ORDER BY since, a.id LIMIT $most
        """,
        {"start": now - timedelta(days=NEW_DAYS), "now": now, "most": MAX_NEW},
    )


def waiting_members(con: duckdb.DuckDBPyConnection, now: datetime) -> pd.DataFrame:
    """Accepted members not in an open pair and not paused, longest waiting first, with first name and skills."""
    return _with_skills(
        con,
        """
        SELECT a.id, a.name, a.is_demo,
               coalesce((SELECT min(changed_at) FROM status_history h
                         WHERE h.applicant_id = a.id AND h.to_status = 'accepted'), a.status_changed_at) AS since
        FROM applicants a
        WHERE a.status = 'accepted'
          AND a.id NOT IN (SELECT applicant_id FROM open_pair_members)
          AND a.id NOT IN (SELECT applicant_id FROM member_pauses WHERE until > CAST($now AS DATE))
        ORDER BY since, a.id
        """,
        {"now": now},
    )


def numbers(con: duckdb.DuckDBPyConnection, now: datetime) -> str:
    """The numbers paragraph: pairs started in the last NUMBERS_DAYS, pairs going, sessions when known."""
    start = (now - timedelta(days=NUMBERS_DAYS)).date()
    started, going = con.execute(
        "SELECT count(*) FILTER (WHERE started_on > $start AND started_on <= $today), "
        "count(*) FILTER (WHERE state <> 'ended') FROM pairings",
        {"start": start, "today": now.date()},
    ).fetchone()
    text = (
        f"In the last {NUMBERS_DAYS} days {_count(started, 'new pair')} started, "
        f"and {_count(going, 'pair')} {'is' if going == 1 else 'are'} meeting now."
    )
    sessions = _sessions(con, start, now.date())
    if sessions is not None:
        text += f" Check-ins report at least {_count(sessions, 'session')} held."
    return text


def private_words(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """What a digest must never contain, from the database: addresses, surnames, notes, feedback, decline reasons."""
    names = [n for (n,) in con.execute("SELECT name FROM applicants").fetchall()]
    texts = lambda sql: [t for (t,) in con.execute(sql).fetchall() if t and t.strip()]  # noqa: E731
    answers = texts("SELECT note FROM checkin_answers") if _has_checkins(con) else []
    return {
        "emails": texts("SELECT email FROM applicants"),
        "surnames": sorted({w for n in names for w in n.split()[1:] if len(w) > 2} - {_first(n) for n in names}),
        "notes": texts("SELECT notes FROM applicants") + texts("SELECT note FROM pairing_checkins") + answers,
        "feedback": texts("SELECT feedback FROM endings"),
        "decline_reasons": texts("SELECT decline_reason FROM applicants"),
    }


def _with_skills(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
    people = con.execute(sql, params).df()
    skills = con.execute(
        """
        SELECT s.applicant_id AS id, s.kind, list(DISTINCT k.name ORDER BY k.name) AS names
        FROM applicant_skills s JOIN skills k ON k.id = s.skill_id
        WHERE list_contains($ids, s.applicant_id) GROUP BY ALL
        """,
        {"ids": [int(i) for i in people["id"]]},
    ).fetchall()
    found = {(i, kind): [n for n in names if not _PRIVATE_SKILL.search(n)] for i, kind, names in skills}
    people["first"] = [_first(n) for n in people["name"]]
    people["offers"] = [found.get((int(i), "offer"), []) for i in people["id"]]
    people["wants"] = [found.get((int(i), "want"), []) for i in people["id"]]
    return people.drop(columns=["name"])


def _lines(people: pd.DataFrame, *, wants: bool = False) -> str:
    lines = []
    for row in people.itertuples():
        said = f"offers {_words(row.offers)}" if row.offers else "has not said what they offer yet"
        if wants:
            said += f" and wants to learn {_words(row.wants)}" if row.wants else ""
        lines.append(f"- {row.first}, who {said}")
    return "\n".join(lines)


def _gap_lines(con: duckdb.DuckDBPyConnection) -> str:
    gaps = coverage.coverage(con)
    gaps = gaps[(gaps["offered"] == 0) & (gaps["wanted"] > 0)].sort_values(["wanted", "skill"], ascending=[False, True])
    gaps = gaps[[not _PRIVATE_SKILL.search(s) for s in gaps["skill"]]].head(MAX_GAPS)
    return "\n".join(
        f"- Can anyone help with {row.skill}? ({_count(row.wanted, 'member')} want{'s' * (row.wanted == 1)} to learn it)"
        for row in gaps.itertuples()
    )


def _sessions(con: duckdb.DuckDBPyConnection, start, end) -> int | None:
    """Check-ins of the period in which a member said the pair met (each stands for at least one session held);
    None when there is no check-in table (before schema 8) or no answer in the period."""
    if not _has_checkins(con):
        return None
    answers, met = con.execute(
        "SELECT count(*), count(DISTINCT checkin_id) FILTER (WHERE met) FROM checkin_answers "
        "WHERE CAST(answered_at AS DATE) > ? AND CAST(answered_at AS DATE) <= ?",
        [start, end],
    ).fetchone()
    return met if answers else None


def _has_checkins(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the check-in answers of issue 18 (schema 8) are in this database."""
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'checkin_answers' AND column_name = 'met'"
        ).fetchone()[0]
    )


def _first(name: str) -> str:
    """The given name: the first word, or after the comma of "Surname, Given", a title such as "Dr." skipped."""
    given = name.split(",", 1)[1] if isinstance(name, str) and "," in name else name
    if isinstance(given, str):
        given = " ".join(w for w in given.split() if w.lower().strip(".") not in _TITLES) or given
    return first_name(given, fallback="A new member").strip(",;")


def _more(count: int) -> str:
    return f"\n- and {count} more" if count > 0 else ""


def _words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"
