"""What needs the moderator today: stalled pairs, long waits, partners left behind, unscreened applications."""

from __future__ import annotations

from datetime import timedelta

import duckdb
import pandas as pd

from lib.errors import InvalidInput
from lib.intake import names
from lib.storage import db

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


def needs_attention(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Each list of the home page's first section, keyed as in TITLES."""
    limits = thresholds(con)
    today = db.now().date()
    return {
        "no_trial": _stalled(con, "proposed", "started_on", today - timedelta(days=limits["no_trial_days"])),
        "no_outcome": _stalled(con, "trial", "trial_on", today - timedelta(days=limits["no_outcome_days"])),
        "no_checkin": _stalled(con, "active", "last_touch", today - timedelta(days=limits["no_checkin_days"])),
        "left_behind": _waiting(con, "a.requeued_at IS NOT NULL", None),
        "waiting": _waiting(con, "a.requeued_at IS NULL AND waited > $days", limits["waiting_days"]),
        "unscreened": con.execute(
            "SELECT id, name, email, date_diff('day', applied_at, $now) AS days FROM applicants "
            "WHERE status = 'applied' AND applied_at < $cutoff ORDER BY applied_at",
            {"now": db.now(), "cutoff": db.now() - timedelta(days=limits["unscreened_days"])},
        ).df(),
    }


def nudge_text(kind: str, row: pd.Series) -> str:
    """A friendly email to copy for a stalled pair."""
    return _NUDGES[kind].format(a_first=names.first_name(row["a_name"]), b_first=names.first_name(row["b_name"]))


def _stalled(con: duckdb.DuckDBPyConnection, state: str, since: str, cutoff) -> pd.DataFrame:
    return (
        con.execute(
            f"""
        SELECT * FROM (
            SELECT p.id, a.name AS a_name, b.name AS b_name, a.email AS a, b.email AS b, p.state,
                   p.started_on, p.trial_on,
                   coalesce((SELECT max(checked_on) FROM pairing_checkins c WHERE c.pairing_id = p.id), p.active_on,
                            p.started_on) AS last_touch
            FROM pairings p JOIN applicants a ON a.id = p.a_id JOIN applicants b ON b.id = p.b_id
            WHERE p.state = $state
        ) WHERE {since} < $cutoff
        ORDER BY {since}
        """,
            {"state": state, "cutoff": cutoff},
        )
        .df()
        .assign(days=lambda f: [(pd.Timestamp(db.now().date()) - pd.Timestamp(d)).days for d in f[since]])
    )


def _waiting(con: duckdb.DuckDBPyConnection, condition: str, days: int | None) -> pd.DataFrame:
    params = {"now": db.now(), **({"days": days} if days is not None else {})}
    return (
        con.execute(
            f"""
        SELECT * FROM (
            SELECT a.id, a.name, a.email, a.requeued_at,
                   date_diff('day', coalesce((SELECT min(changed_at) FROM status_history h
                                              WHERE h.applicant_id = a.id AND h.to_status = 'accepted'),
                                             a.status_changed_at), $now) AS waited
            FROM applicants a
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
