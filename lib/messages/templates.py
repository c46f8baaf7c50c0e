"""The message templates: one per kind, with `$name` placeholders (Python's string.Template).

A template's first line is "Subject: ..."; the rest is the body. Which text is used, first found wins:
1. the moderator's own version, edited on the Message templates page (stored in the database, so it
   travels with backups);
2. `<kind>.txt` in the folder of $MENTORING_TEMPLATES, when that is set and the file exists;
3. the shipped default in data/templates/.

Each kind lists the placeholders it fills (VARIABLES); saving a template with any other placeholder is
refused with a sentence naming it, so a typo never reaches a member as "$frist". `$$` writes a dollar.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

import duckdb

from lib import config
from lib.errors import InvalidInput
from lib.storage import db

ROOT = Path(__file__).resolve().parents[2]
KINDS = ("introduction", "partner_left", "farewell", "welcome", "declined", "note", "checkin", "digest")
TITLES = {
    "introduction": "Introduction (to both members of a confirmed pair)",
    "partner_left": "Partner left (to the member whose partner left)",
    "farewell": "Farewell (to a member who left)",
    "welcome": "Welcome (to an accepted applicant)",
    "declined": "Declined (to a declined applicant)",
    "note": "Note (the start of a free note to one member)",
    "checkin": "Check-in (to each member of a pair: how is it going?)",
    "digest": "Weekly digest (to the Google group's posting address)",
}
_ABOUT_ONE = {"first": "the member's first name", "name": "the member's full name"}
_SIGNED = {"moderator_name": "the signature: the signed-in moderator's name"}
VARIABLES: dict[str, dict[str, str]] = {
    "introduction": {
        "a_first": "first member's first name (the full name when both have the same first name)",
        "a_name": "first member's full name",
        "a_email": "first member's email",
        "b_first": "second member's first name (the full name when both have the same first name)",
        "b_name": "second member's full name",
        "b_email": "second member's email",
        "a_teaches_b": "what the first can teach the second",
        "b_teaches_a": "what the second can teach the first",
        "trial_times": "two or three times both are free in the next two weeks, in both local times (or, when "
        "either gave no free times, a sentence asking them to find a time)",
        **_SIGNED,
    },
    "partner_left": {
        **_ABOUT_ONE,
        "partner_first": "the first name of the partner who left (the full name when both have the same first name)",
        **_SIGNED,
    },
    "farewell": {
        **_ABOUT_ONE,
        "feedback_how": "how to answer: the feedback form's link when one is set, else 'reply to this email'",
        **_SIGNED,
    },
    "welcome": {**_ABOUT_ONE, "offers": "skills they offer", "wants": "skills they want to learn", **_SIGNED},
    "declined": {**_ABOUT_ONE, **_SIGNED},
    "note": {**_ABOUT_ONE, **_SIGNED},
    "checkin": {
        **_ABOUT_ONE,
        "partner_first": "the partner's first name (the full name when both have the same first name)",
        "since_when": "'since your trial session' for a trial check-in, else 'over the last few weeks'",
        "answer_how": "how to answer: the check-in form's pre-filled link when one is set, else the four "
        "questions to answer by replying",
        **_SIGNED,
    },
    "digest": {
        "week_of": "the digest's date, like '7 December 2026'",
        "new_members": "a welcome to the members accepted in the last 7 days: first name, offers and wants (or a "
        "sentence saying nobody new joined)",
        "wanted_unoffered": "skills wanted that nobody offers yet, as questions to the group",
        "waiting": "members waiting for a partner: first name and what they offer",
        "numbers": "the numbers: pairs started in the last 30 days, pairs meeting now (and sessions held, once "
        "check-in answers say so)",
        **_SIGNED,
    },
}
# Made-up values for the preview beside each template.
SAMPLE = {
    "a_first": "Ayşe",
    "a_name": "Ayşe Yılmaz",
    "a_email": "ayse@example.org",
    "b_first": "Jörg",
    "b_name": "Jörg Müller",
    "b_email": "joerg@example.org",
    "a_teaches_b": "Kubernetes",
    "b_teaches_a": "Rust",
    "first": "Ayşe",
    "name": "Ayşe Yılmaz",
    "partner_first": "Jörg",
    "feedback_how": "Just reply to this email; a line or two is plenty.",
    "offers": "Kubernetes, Go",
    "wants": "Rust",
    "moderator_name": "The moderator",
    "since_when": "since your trial session",
    "answer_how": "Two minutes in this form, already filled in with who you are:\nhttps://docs.google.com/forms/d/e/"
    "EXAMPLE/viewform?usp=pp_url&entry.1=ayse@example.org&entry.2=17",
    "week_of": "7 December 2026",
    "new_members": "A warm welcome to this week's new members:\n- Ayşe, who offers Go and Kubernetes and wants to learn "
    "Rust\n- Jörg, who offers Rust and wants to learn Kubernetes",
    "wanted_unoffered": "- Can anyone help with Elixir? (3 members want to learn it)",
    "waiting": "- Maria, who offers Python and SQL",
    "numbers": "In the last 30 days 12 new pairs started, and 40 pairs are meeting now.",
    "trial_times": "You are both free at these times in the next two weeks (the first one is in the attached "
    "calendar invitation, 60 minutes):\n- Tue 08 Dec, 20:00-21:00 for Ayşe (Europe/Istanbul) = Tue 08 Dec, "
    "18:00-19:00 for Jörg (Europe/Berlin)\nReply to all to say hello and confirm one of them, or agree on another time.",
}
DEFAULT_SUBJECT = "A message from the peer-mentoring community"


def _key(kind: str) -> str:
    return f"template.{kind}"


def check_kind(kind: str) -> str:
    """The kind, or a sentence listing the kinds."""
    if kind not in KINDS:
        raise InvalidInput(f"'{kind}' is not a kind of message; the kinds are {', '.join(KINDS)}.")
    return kind


def shipped(kind: str) -> str:
    """The template as shipped, or the moderator's file in $MENTORING_TEMPLATES when there is one."""
    folder = config.load({}).templates_dir  # an environment variable only: no need to read secrets.toml
    own = folder / f"{check_kind(kind)}.txt" if folder else None
    path = own if own and own.is_file() else ROOT / "data" / "templates" / f"{kind}.txt"
    return path.read_text(encoding="utf-8")


def source(con: duckdb.DuckDBPyConnection, kind: str) -> str:
    """The template text in use for this kind."""
    return db.get_setting(con, _key(check_kind(kind))) or shipped(kind)


def is_edited(con: duckdb.DuckDBPyConnection, kind: str) -> bool:
    """Whether the moderator saved their own version of this kind's template."""
    return db.get_setting(con, _key(check_kind(kind))) is not None


def problems(kind: str, text: str) -> list[str]:
    """What is wrong with a template, a sentence each (empty when it can be saved)."""
    found = []
    if not text.strip():
        return ["The template is empty; write the message, starting with a line 'Subject: ...'."]
    first = text.lstrip("\n").partition("\n")[0]
    if not (first.lower().startswith("subject:") and first.split(":", 1)[1].strip()):
        found.append("The first line must be the subject, like 'Subject: Welcome, $first'.")
    template = Template(text)
    if not template.is_valid():
        found.append("A '$' is not followed by a placeholder name; write '$$' for a dollar sign.")
        return found
    unknown = sorted(set(template.get_identifiers()) - set(VARIABLES[check_kind(kind)]))
    if unknown:
        known = ", ".join(f"${v}" for v in VARIABLES[kind])
        found.append(f"{', '.join('$' + u for u in unknown)} is not filled in for this message; use {known}.")
    return found


def save(con: duckdb.DuckDBPyConnection, kind: str, text: str, *, moderator: str = "local") -> None:
    """Keep the moderator's version of a template (refused with the problems when it has any)."""
    wrong = problems(kind, text)
    if wrong:
        raise InvalidInput(" ".join(wrong))
    with db.transaction(con):
        db.set_setting(con, _key(kind), text.replace("\r\n", "\n"))
        db.audit(con, "save_template", {"kind": kind}, moderator=moderator)


def reset(con: duckdb.DuckDBPyConnection, kind: str, *, moderator: str = "local") -> None:
    """Go back to the shipped template."""
    with db.transaction(con):
        con.execute("DELETE FROM settings WHERE key = ?", [_key(check_kind(kind))])
        db.audit(con, "reset_template", {"kind": kind}, moderator=moderator)


def render(text: str, values: dict[str, str]) -> tuple[str, str]:
    """(subject, body) of a template filled with these values; the subject is one line."""
    filled = Template(text).safe_substitute(values)
    first, _, rest = filled.lstrip("\n").partition("\n")
    if first.lower().startswith("subject:"):
        subject, body = first.split(":", 1)[1], rest.lstrip("\n")
    else:
        subject, body = DEFAULT_SUBJECT, filled
    return " ".join(subject.split()), body


def preview(kind: str, text: str) -> tuple[str, str]:
    """The template filled with made-up values."""
    return render(text, {k: SAMPLE[k] for k in VARIABLES[check_kind(kind)]})
