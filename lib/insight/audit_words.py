"""The audit log in words: "Ana accepted Zoë Adeyemi, 3 Dec 14:02", filtered by member and by kind.

Every action code the code base writes with db.audit has a sentence here (tests/unit/test_audit_words.py
greps lib/ for them); a code this module does not know reads "did <code in words>", never raw JSON.
Members are named as they are now (an erased member reads "(erased)"), pairs as "Ana & Ben"; entries whose
details were erased with a member keep their sentence without names. The moderator of local mode ("local")
reads "You".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime

import duckdb
import pandas as pd

from lib.storage import db

KINDS = ("Applicants", "Pairs", "Messages", "Skills", "Settings", "Demo")


def entries(
    con: duckdb.DuckDBPyConnection,
    *,
    kinds: Sequence[str] = (),
    member: str | None = None,
    moderators: Sequence[str] = (),
    limit: int = 1000,
) -> pd.DataFrame:
    """Audit entries newest first as sentences (columns when, sentence, kind, moderator, action, details),
    only those of these kinds, about a member whose name or email contains `member`, by these moderators."""
    codes = [code for code, (kind, _) in WORDING.items() if kind in kinds]
    others = "Other" in kinds or any(k not in KINDS for k in kinds)
    log = con.execute(
        f"""
        WITH people AS (SELECT id, email FROM applicants WHERE $member IS NOT NULL
                          AND (name ILIKE $member OR email ILIKE $member)),
             their_pairs AS (SELECT p.id FROM pairings p JOIN people m ON m.id IN (p.a_id, p.b_id))
        SELECT id, happened_at, moderator, action, CAST(details AS VARCHAR) AS details FROM audit_log l
        WHERE (len($kinds) = 0 OR list_contains($codes, action) OR ($others AND NOT list_contains($known, action)))
          AND (len($moderators) = 0 OR list_contains($moderators, moderator))
          AND ($member IS NULL OR {_MENTIONS})
        ORDER BY id DESC LIMIT $limit
        """,
        {
            "kinds": list(kinds),
            "codes": codes,
            "others": others,
            "known": list(WORDING),
            "moderators": list(moderators),
            "member": f"%{member.strip()}%" if member and member.strip() else None,
            "limit": limit,
        },
    ).df()
    return _worded(con, log)


def sentence(action: str, details: dict, who: str, when: datetime, names: Names) -> str:
    """One entry as a sentence: who did what, when."""
    _, words = WORDING.get(action, (None, None))
    redacted = bool(details.get("redacted"))
    try:
        what = _ERASED.get(action, _unknown(action)) if redacted else words(details, names) if words else None
    except (KeyError, TypeError, ValueError, AttributeError):
        what = None
    what = what or _unknown(action)
    erased = " (details erased with a member)" if redacted else ""
    return f"{moderator_name(who)} {what}{erased}, {moment(when)}"


def kind_of(action: str) -> str:
    """The kind an action belongs to (for the filter), 'Other' for codes this module does not know."""
    return WORDING.get(action, ("Other", None))[0]


def moderator_name(who: str | None) -> str:
    """How a moderator is named in a sentence."""
    return {"local": "You", None: "Someone", "": "Someone"}.get(who, who)


def moment(when: datetime) -> str:
    """'3 Dec 14:02' this year, '3 Dec 2025 14:02' before."""
    when = pd.Timestamp(when).to_pydatetime()
    day = f"{when.day} {when:%b}" if when.year == db.now().year else f"{when.day} {when:%b %Y}"
    return f"{day} {when:%H:%M}"


class Names:
    """Members and pairs named for sentences, looked up once for a page of entries."""

    def __init__(self, con: duckdb.DuckDBPyConnection, details: Sequence[dict]) -> None:
        people, emails, pairs = set(), set(), set()
        for d in details:
            people |= {int(d[k]) for k in ("applicant_id", "a", "b") if isinstance(d.get(k), int)}
            people |= {int(i) for i in d.get("applicant_ids") or [] if isinstance(i, int)}
            emails |= {e for e in d.get("emails") or [] if isinstance(e, str)}
            if isinstance(d.get("pairing_id"), int):
                pairs.add(int(d["pairing_id"]))
            pairs |= {int(i) for i in d.get("pairing_ids") or [] if isinstance(i, int)}
        rows = con.execute(
            "SELECT id, name, email FROM applicants WHERE list_contains(?, id) OR list_contains(?, email)",
            [sorted(people), sorted(emails)],
        ).fetchall()
        self._by_id = {i: name for i, name, _ in rows}
        self._by_email = {email: name for _, name, email in rows}
        self._pairs = {
            i: f"{a} & {b}"
            for i, a, b in con.execute(
                "SELECT p.id, coalesce(x.name, 'a member'), coalesce(y.name, 'a member') FROM pairings p "
                "LEFT JOIN applicants x ON x.id = p.a_id LEFT JOIN applicants y ON y.id = p.b_id "
                "WHERE list_contains(?, p.id)",
                [sorted(pairs)],
            ).fetchall()
        }

    def person(self, applicant_id) -> str:
        """A member's name, or 'a member' when the entry no longer says who."""
        return self._by_id.get(applicant_id, "a member")

    def pair(self, pairing_id) -> str:
        """'Ana & Ben', or 'pairing 12' when it was taken back ('a pair' when the entry no longer says which)."""
        return self._pairs.get(pairing_id, "a pair" if pairing_id is None else f"pairing {pairing_id}")

    def pairs(self, ids: Sequence[int]) -> str:
        """Several pairs: 'Ana & Ben, Cleo & Dan and 3 more'."""
        return listed([self.pair(i) for i in ids])

    def emails(self, emails: Sequence[str]) -> str:
        """'Ana Costa', 'Ana Costa and Ben Okafor', 'Ana Costa, Ben Okafor, Cleo Diallo and 5 more'."""
        return listed([self._by_email.get(e, e) for e in emails])

    def people(self, ids: Sequence[int]) -> str:
        """Several members by id, as `emails` words them."""
        return listed([self.person(i) for i in ids])


def listed(names: Sequence[str], *, show: int = 3) -> str:
    """Names joined as a sentence would, at most `show` of them and how many more."""
    names = list(names)
    if len(names) > show + 1:
        return f"{', '.join(names[:show])} and {len(names) - show} more"
    if len(names) < 2:
        return "".join(names) or "nobody"
    return f"{', '.join(names[:-1])} and {names[-1]}"


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 applicant', '3 applicants', '1 reply', '2 replies'."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def _worded(con: duckdb.DuckDBPyConnection, log: pd.DataFrame) -> pd.DataFrame:
    details = [_loads(text) for text in log["details"]]
    names = Names(con, details)
    log.insert(
        1,
        "sentence",
        [
            sentence(action, d, who, when, names)
            for action, d, who, when in zip(log["action"], details, log["moderator"], log["happened_at"])
        ],
    )
    log.insert(2, "kind", [kind_of(action) for action in log["action"]])
    return log.rename(columns={"happened_at": "when"})


def _loads(text: str | None) -> dict:
    try:
        found = json.loads(text) if text else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _unknown(action: str) -> str:
    return f"did “{action.replace('_', ' ')}”"


def _day(text) -> str:
    when = pd.Timestamp(text)
    return f"{when.day} {when:%b %Y}"


def _status(d: dict, n: Names) -> str:
    who = n.emails(d["emails"]) if d.get("emails") else plural(int(d.get("changed") or 0), "applicant")
    count = int(d.get("changed") or len(d.get("emails") or []))
    many = f"{plural(count, 'applicant')} ({who})" if count > 1 else who
    verb = {"accepted": "accepted", "declined": "declined", "withdrawn": "marked as withdrawn"}.get(d["to"])
    said = f": “{d['reason']}”" if d.get("reason") else ""
    return f"{verb} {many}{said}" if verb else f"moved {many} to {d['to']}{said}"


def _screen(d: dict, n: Names) -> str:
    parts = [f"accepted {d['accepted']}" if d.get("accepted") else ""]
    parts += [f"declined {d['declined']}" if d.get("declined") else ""]
    parts += [f"moved {d['moved']} to another stage" if d.get("moved") else ""]
    parts += [f"wrote {plural(d['notes'], 'note')} on" if d.get("notes") else ""]
    done = listed([p for p in parts if p], show=4) or "changed"
    said = f": “{d['reason']}”" if d.get("reason") and d.get("declined") else ""
    return f"screened applicants: {done} of {n.people(d.get('applicant_ids') or [])}{said}"


def _ending(d: dict, n: Names) -> str:
    said = f" ({d['reason']})" if d.get("reason") else ""
    if d.get("kind") == "withdrawal":
        return f"recorded that {n.person(d['applicant_id'])} left the community{said}"
    if d.get("kind") == "no-go":
        return f"recorded that the trial of {n.pair(d['pairing_id'])} did not go on{said}"
    return f"recorded that {n.pair(d['pairing_id'])} ended{said}"


def _import(d: dict, n: Names) -> str:
    pairs = (("insert", "new applicant"), ("update", "updated applicant"))
    counts = [plural(int(d.get(k) or d.get(f"{k}ed") or 0), label) for k, label in pairs]
    rejected = int(d.get("rejected") or 0) if not isinstance(d.get("rejected"), list) else len(d["rejected"])
    counts += [f"{rejected:,} rejected"] if rejected else []
    return f"imported “{d.get('file') or 'a file'}”: {', '.join(counts)}"


def _arrangement(d: dict, n: Names) -> str:
    when = " ".join(str(d[k]) for k in ("day", "time", "zone") if d.get(k)) or "no fixed time"
    how = f", {d['channel']}" if d.get("channel") else ""
    return f"set when {n.pair(d['pairing_id'])} meet: {when}{how}"


def _setting(d: dict, n: Names) -> str:
    value = d.get("value")
    return f"set “{str(d['key']).replace('_', ' ')}” to {value}" if value not in (None, "") else f"cleared “{d['key']}”"


def _sent(d: dict, n: Names) -> str:
    kind = str(d.get("kind") or "message").replace("_", " ")
    return f"sent message {d['message_id']} ({kind})"


Words = Callable[[dict, Names], str]
WORDING: dict[str, tuple[str, Words]] = {
    # Applicants
    "import": ("Applicants", _import),
    "set_status": ("Applicants", _status),
    "set_notes": ("Applicants", lambda d, n: f"wrote notes on {n.person(d['applicant_id'])}"),
    "screen": ("Applicants", _screen),
    "undo_screen": ("Applicants", lambda d, n: f"undid the last screening change ({n.people(d['applicant_ids'])})"),
    "erase_member": ("Applicants", lambda d, n: "erased a member's personal data"),
    "import_group_roster": (
        "Applicants",
        lambda d, n: f"imported the group's member list “{d['filename']}” ({plural(int(d['members']), 'member')})",
    ),
    # Pairs
    "confirm_pair": ("Pairs", lambda d, n: f"paired {n.person(d['a'])} with {n.person(d['b'])}"),
    "undo_confirm": ("Pairs", lambda d, n: f"took back the pairing of {n.person(d['a'])} and {n.person(d['b'])}"),
    "advance_pair": ("Pairs", lambda d, n: f"moved {n.pair(d['pairing_id'])} to {d['to']} on {_day(d['on'])}"),
    "pair_arrangement": ("Pairs", _arrangement),
    "check_in": ("Pairs", lambda d, n: f"noted a check-in with {n.pair(d['pairing_id'])} on {_day(d['on'])}"),
    "record_ending": ("Pairs", _ending),
    "undo_ending": ("Pairs", lambda d, n: f"undid the ending of {n.pair(d['pairing_id'])}"),
    "pause": ("Pairs", lambda d, n: f"paused {n.person(d['applicant_id'])} until {_day(d['until'])}"),
    "unpause": ("Pairs", lambda d, n: f"ended the pause of {n.person(d['applicant_id'])}"),
    "never_pair": (
        "Pairs",
        lambda d, n: f"marked {n.person(d['a'])} and {n.person(d['b'])} never to be paired"
        + (f" ({d['reason']})" if d.get("reason") else ""),
    ),
    "pair_cadence": (
        "Pairs",
        lambda d, n: f"set {n.pair(d['pairing_id'])} to meet "
        + ("every week" if int(d["cadence_weeks"]) == 1 else f"every {d['cadence_weeks']} weeks"),
    ),
    "pair_snooze": ("Pairs", lambda d, n: f"snoozed {n.pair(d['pairing_id'])} until {_day(d['snoozed_until'])}"),
    "pair_wake": ("Pairs", lambda d, n: f"woke {n.pair(d['pairing_id'])} from their snooze"),
    "undo_pace": ("Pairs", lambda d, n: f"undid the last change of pace of {n.pair(d['pairing_id'])}"),
    "trials_to_active": (
        "Pairs",
        lambda d,
        n: f"moved {plural(len(d['pairing_ids']), 'pair')} from trial to active ({n.pairs(d['pairing_ids'])})",
    ),
    "undo_trials_to_active": (
        "Pairs",
        lambda d, n: f"put {plural(len(d['pairing_ids']), 'pair')} back in trial ({n.pairs(d['pairing_ids'])})",
    ),
    "record_checkin_answer": ("Pairs", lambda d, n: f"recorded a check-in answer from {n.pair(d['pairing_id'])}"),
    "import_checkin_answers": (
        "Pairs",
        lambda d, n: f"imported check-in answers from “{d.get('file') or 'a file'}” "
        f"({plural(int(d.get('recorded') or 0), 'answer')} recorded)",
    ),
    "draft_checkins": (
        "Messages",
        lambda d, n: f"drafted check-in questions for {plural(int(d['pairs']), 'pair')}",
    ),
    # Messages
    "draft_note": ("Messages", lambda d, n: f"drafted a note ({plural(len(d['message_ids']), 'message')})"),
    "draft_digest": ("Messages", lambda d, n: f"drafted the group digest (message {d['message_id']})"),
    "edit_message": ("Messages", lambda d, n: f"edited message {d['message_id']}"),
    "discard_messages": ("Messages", lambda d, n: f"discarded {plural(int(d['discarded']), 'message')}"),
    "record_farewell_reply": ("Messages", lambda d, n: f"stored the reply to farewell {d['message_id']} as feedback"),
    "send_message": ("Messages", _sent),
    "send_failed": ("Messages", lambda d, n: f"could not send {plural(len(d['message_ids']), 'message')}"),
    "save_template": ("Messages", lambda d, n: f"edited the “{d['kind']}” message template"),
    "reset_template": ("Messages", lambda d, n: f"went back to the shipped “{d['kind']}” message template"),
    # Skills
    "merge_skill": ("Skills", lambda d, n: f"merged the skill “{d['from']}” into “{d['into']}”"),
    "undo_merge_skill": ("Skills", lambda d, n: f"undid a skill merge (merge {d['merge_id']})"),
    "rename_skill": ("Skills", lambda d, n: f"renamed the skill “{d['from']}” to “{d['to']}”"),
    "renormalise_skills": (
        "Skills",
        lambda d, n: f"re-ran skill normalisation over {plural(int(d['words']), 'word')}",
    ),
    # Settings
    "matching_settings": ("Settings", lambda d, n: "changed the matching weights and limits"),
    "attention_thresholds": ("Settings", lambda d, n: "changed when pairs need attention"),
    "set_setting": ("Settings", _setting),
    "set_feedback_form": ("Settings", lambda d, n: "set the feedback form's link" if d.get("url") else "cleared it"),
    "set_send_cap": (
        "Settings",
        lambda d, n: f"set the sending cap to {plural(int(d['per_hour']), 'message')} an hour",
    ),
    "retention_setting": (
        "Settings",
        lambda d, n: f"set declined applicants' data to be erased after {plural(int(d['months']), 'month')}"
        if d.get("months")
        else "turned off the automatic erasure of declined applicants' data",
    ),
    "add_end_reason": ("Settings", lambda d, n: f"added the ending reason “{d['label']}”"),
    "hide_end_reason": ("Settings", lambda d, n: f"took the ending reason “{d['label']}” off the list"),
    # Demo
    "load_demo": (
        "Demo",
        lambda d, n: f"loaded the demo community ({plural(int(d['applicants']), 'applicant')}, "
        f"{plural(int(d['pairings']), 'pairing')})",
    ),
    "remove_demo": ("Demo", lambda d, n: f"removed the demo community ({plural(int(d['applicants']), 'applicant')})"),
}

# Entries whose details were erased together with a member say what kind of thing happened.
_ERASED = {
    "set_status": "changed an applicant's stage",
    "set_notes": "wrote notes on a member",
    "screen": "screened applicants",
    "undo_screen": "undid a screening change",
    "confirm_pair": "paired two members",
    "undo_confirm": "took back a pairing",
    "advance_pair": "moved a pair along",
    "record_ending": "recorded an ending",
    "undo_ending": "undid an ending",
    "pause": "paused a member",
    "unpause": "ended a member's pause",
    "never_pair": "marked two members never to be paired",
    "check_in": "noted a check-in",
}

# An entry mentions a member when its details name them, their email or one of their pairings.
_MENTIONS = """(
    TRY_CAST(json_extract_string(l.details, '$.applicant_id') AS BIGINT) IN (SELECT id FROM people)
    OR TRY_CAST(json_extract_string(l.details, '$.a') AS BIGINT) IN (SELECT id FROM people)
    OR TRY_CAST(json_extract_string(l.details, '$.b') AS BIGINT) IN (SELECT id FROM people)
    OR TRY_CAST(json_extract_string(l.details, '$.pairing_id') AS BIGINT) IN (SELECT id FROM their_pairs)
    OR list_has_any(coalesce(TRY_CAST(json_extract(l.details, '$.pairing_ids') AS BIGINT[]), []),
                    (SELECT coalesce(list(id), []) FROM their_pairs))
    OR list_has_any(coalesce(TRY_CAST(json_extract(l.details, '$.applicant_ids') AS BIGINT[]), []),
                    (SELECT coalesce(list(id), []) FROM people))
    OR list_has_any(coalesce(TRY_CAST(json_extract(l.details, '$.emails') AS VARCHAR[]), []),
                    (SELECT coalesce(list(email), []) FROM people))
)"""
