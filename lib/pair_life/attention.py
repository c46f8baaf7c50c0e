"""What needs the moderator today: stalled pairs, long waits, partners left behind, unscreened applications."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import duckdb
import pandas as pd

from lib.errors import InvalidInput
from lib.intake import names
from lib.pair_life import checkin_attention
from lib.storage import db
from lib.text import pair_first_names

DEFAULT_THRESHOLDS = {
    "no_trial_days": 14,
    "no_outcome_days": 21,
    "no_checkin_days": 42,
    "waiting_days": 30,
    "unscreened_days": 7,
}
TITLES = {
    "no_trial": "Introduced, but no trial after {no_trial_days} days",
    "no_outcome": "Trial with no outcome after {no_outcome_days} days",
    "no_checkin": "Active, but no check-in for {no_checkin_days} days",
    "snooze_over": "Snooze over: pairs back from a break",
    **checkin_attention.TITLES,
    "left_behind": "Partners left behind by a drop-out",
    "waiting": "Waiting for a partner more than {waiting_days} days",
    "unscreened": "Applications not screened after {unscreened_days} days",
}
_NUDGES = {
    "no_trial": "Hi {a_first} and {b_first}, did you manage to find a time for your trial session? "
    "If the timing does not work out, just tell me and I will find you another partner.",
    "no_outcome": "Hi {a_first} and {b_first}, how did the trial go? Shall we make it a weekly hour, "
    "or would you rather stop here? Either answer is fine.",
    "no_checkin": "Hi {a_first} and {b_first}, how are your weekly sessions going? "
    "Anything I can help with, or anything to change?",
    "snooze_over": "Hi {a_first} and {b_first}, welcome back from your break! Shall we pick up the sessions "
    "again, every week or every two weeks? If the time is not right yet, tell me and we pause a bit longer.",
    **checkin_attention.NUDGES,
}


def thresholds(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The moderator's day thresholds (defaults for anything not saved)."""
    return {**DEFAULT_THRESHOLDS, **(db.get_setting(con, "attention", {}) or {})}


def save_thresholds(con: duckdb.DuckDBPyConnection, values: dict[str, int], *, moderator: str = "local") -> None:
    """Store the day thresholds (each a whole number of days, at least 1)."""
    if any(int(v) < 1 for v in values.values()) or set(values) - set(DEFAULT_THRESHOLDS):
        raise InvalidInput("Each threshold is a number of days, at least 1.")
    with db.transaction(con):
        db.set_setting(con, "attention", {k: int(v) for k, v in values.items()})
        db.audit(con, "attention_thresholds", values, moderator=moderator)


def needs_attention(con: duckdb.DuckDBPyConnection, *, as_of: date | None = None) -> dict[str, pd.DataFrame]:
    """Each list of the home page's first section, keyed as in TITLES, as of today (or `as_of`).

    A snoozed pair is in none of the stalled lists until its date; from that date it is in "snooze_over"."""
    limits = thresholds(con)
    now = db.now() if as_of is None else datetime.combine(as_of, time(12))
    today = now.date()
    return {
        "no_trial": _stalled(con, "proposed", "started_on", today - timedelta(days=limits["no_trial_days"]), today),
        "no_outcome": _stalled(con, "trial", "trial_on", today - timedelta(days=limits["no_outcome_days"]), today),
        "no_checkin": _stalled(con, "active", "last_touch", today - timedelta(days=limits["no_checkin_days"]), today),
        "snooze_over": _snooze_over(con, today),
        **checkin_attention.lists(con, today),
        "left_behind": _waiting(con, "a.requeued_at IS NOT NULL", None, now),
        "waiting": _waiting(con, "a.requeued_at IS NULL AND waited > $days", limits["waiting_days"], now),
        "unscreened": con.execute(
            "SELECT id, name, email, applied_at, date_diff('day', applied_at, $now) AS days FROM applicants "
            "WHERE status = 'applied' AND applied_at < $cutoff ORDER BY applied_at",
            {"now": now, "cutoff": now - timedelta(days=limits["unscreened_days"])},
        ).df(),
    }


def items(con: duckdb.DuckDBPyConnection, *, as_of: date | None = None) -> list[dict]:
    """What needs_attention lists, flattened for `attention --json`: kind, pair_id or email, since, reason."""
    limits = thresholds(con)
    found = []
    for kind, frame in needs_attention(con, as_of=as_of).items():
        title = TITLES[kind].format(**limits)
        for row in frame.to_dict("records"):
            found.append(_item(kind, title, row))
    return found


def _item(kind: str, title: str, row: dict) -> dict:
    if kind in checkin_attention.TITLES:
        return _checkin_item(kind, title, row)
    if kind in _PAIR_KINDS:
        since = row["snoozed_until"] if kind == "snooze_over" else row[_PAIR_KINDS[kind]]
        who = f"{names.first_name(row['a_name'])} and {names.first_name(row['b_name'])} (pair {row['id']})"
        return {"kind": kind, "pair_id": int(row["id"]), "since": _day(since), "reason": f"{title}: {who}."}
    since = row["applied_at"] if kind == "unscreened" else row.get("accepted_at")
    return {
        "kind": kind,
        "email": row["email"],
        "since": _day(since),
        "reason": f"{title}: {row['name']} ({row['days']} day{'' if row['days'] == 1 else 's'}).",
    }


def _checkin_item(kind: str, title: str, row: dict) -> dict:
    if kind == "checkin_unanswered":
        who = f"{row['name']} ({row['email']}, pair {row['pair_id']})"
        return {"kind": kind, "email": row["email"], "since": _day(row["since"]), "reason": f"{title}: {who}."}
    who = f"{names.first_name(row['a_name'])} and {names.first_name(row['b_name'])} (pair {row['id']})"
    reason = f"{title}: {who}: {row['why']}, since {_day(row['since'])}."
    return {"kind": kind, "pair_id": int(row["id"]), "since": _day(row["since"]), "reason": reason}


_PAIR_KINDS = {"no_trial": "started_on", "no_outcome": "trial_on", "no_checkin": "last_touch", "snooze_over": None}


def _day(value) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def nudge_text(kind: str, row: pd.Series) -> str:
    """A friendly email to copy for a stalled pair."""
    first_a, first_b = pair_first_names(row["a_name"], row["b_name"])
    return _NUDGES[kind].format(a_first=first_a, b_first=first_b)


def _stalled(con: duckdb.DuckDBPyConnection, state: str, since: str, cutoff, today) -> pd.DataFrame:
    return (
        con.execute(
            f"""
        SELECT * FROM (
            SELECT p.id, a.name AS a_name, b.name AS b_name, a.email AS a, b.email AS b, p.state,
                   p.started_on, p.trial_on,
                   coalesce(greatest((SELECT max(checked_on) FROM pairing_checkins c WHERE c.pairing_id = p.id),
                                     (SELECT CAST(max(answered_at) AS DATE) FROM checkin_answers x
                                      WHERE x.pairing_id = p.id)),
                            p.active_on, p.started_on) AS last_touch
            FROM pairings p JOIN applicants a ON a.id = p.a_id JOIN applicants b ON b.id = p.b_id
            WHERE p.state = $state AND p.snoozed_until IS NULL
        ) WHERE {since} < $cutoff
        ORDER BY {since}
        """,
            {"state": state, "cutoff": cutoff},
        )
        .df()
        .assign(days=lambda f: [(pd.Timestamp(today) - pd.Timestamp(d)).days for d in f[since]])
    )


def _snooze_over(con: duckdb.DuckDBPyConnection, today) -> pd.DataFrame:
    return (
        con.execute(
            "SELECT p.id, a.name AS a_name, b.name AS b_name, a.email AS a, b.email AS b, p.state, p.snoozed_until, "
            "p.snooze_note FROM pairings p JOIN applicants a ON a.id = p.a_id JOIN applicants b ON b.id = p.b_id "
            "WHERE p.state <> 'ended' AND p.snoozed_until <= $today ORDER BY p.snoozed_until",
            {"today": today},
        )
        .df()
        .assign(days=lambda f: [(pd.Timestamp(today) - pd.Timestamp(d)).days for d in f["snoozed_until"]])
    )


def _waiting(con: duckdb.DuckDBPyConnection, condition: str, days: int | None, now) -> pd.DataFrame:
    params = {"now": now, **({"days": days} if days is not None else {})}
    return (
        con.execute(
            f"""
        SELECT * FROM (
            SELECT a.id, a.name, a.email, a.requeued_at, acc.accepted_at,
                   date_diff('day', acc.accepted_at, $now) AS waited
            FROM applicants a, LATERAL (
                SELECT coalesce((SELECT min(changed_at) FROM status_history h
                                 WHERE h.applicant_id = a.id AND h.to_status = 'accepted'), a.status_changed_at)
                       AS accepted_at) acc
            WHERE a.status = 'accepted'
              AND a.id NOT IN (SELECT applicant_id FROM open_pair_members)
              AND a.id NOT IN (SELECT applicant_id FROM member_pauses WHERE until > CAST($now AS DATE))
        ) a WHERE {condition}
        ORDER BY waited DESC
        """,
            params,
        )
        .df()
        .rename(columns={"waited": "days"})
    )
