"""Pairs in bulk: trials past their trial date move to active together, and that move can be undone.

Decided where the issue is silent: a trial is "past its trial date" once the trial check-in is due, that is
`checkin_trial_days` (a setting, 7 by default) after the day it was moved to trial. Each pair moves through
lifecycle.advance (the one writer of a pair's state), all of them in one transaction with one audit line.
Only the last bulk move can be undone, and only while none of its pairs has changed since; undo puts each
pair back in trial exactly as it was and removes the history lines the move added. What undo needs (pair
ids, states, dates; nothing personal) is kept in the settings table under UNDO_KEY.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import duckdb
import pandas as pd

from lib.errors import InvalidInput
from lib.messages import settings
from lib.pair_life import lifecycle
from lib.pair_life.clock import LIVE, Clock
from lib.storage import db
from lib.text import first_name

UNDO_KEY = "undo.trials_to_active"
_FIELDS = ("state", "active_on", "state_changed_at", "trial_outcome")


def trials_due(con: duckdb.DuckDBPyConnection, *, clock: Clock = LIVE) -> pd.DataFrame:
    """Pairs in trial whose trial check-in is due: id, both names, the trial's day, oldest trial first, and
    `answers`: each member's latest check-in answer in words, to judge the trial by ("no answer yet")."""
    since = clock.today() - timedelta(days=int(settings.get(con, "checkin_trial_days")))
    due = con.execute(
        "SELECT p.id, a.name AS a_name, b.name AS b_name, p.trial_on, date_diff('day', p.trial_on, $today) AS days "
        "FROM pairings p JOIN applicants a ON a.id = p.a_id JOIN applicants b ON b.id = p.b_id "
        "WHERE p.state = 'trial' AND p.trial_on <= $since ORDER BY p.trial_on, p.id",
        {"since": since, "today": clock.today()},
    ).df()
    latest = con.execute(
        """SELECT x.pairing_id, m.name, x.met, x.rating, x.time_problem FROM checkin_answers x
           JOIN applicants m ON m.id = x.applicant_id JOIN pairings p ON p.id = x.pairing_id
           WHERE x.pairing_id IN (SELECT unnest($ids))
           QUALIFY row_number() OVER (PARTITION BY x.pairing_id, x.applicant_id ORDER BY x.answered_at DESC) = 1
           ORDER BY x.pairing_id, x.applicant_id = p.b_id""",
        {"ids": [int(i) for i in due["id"]]},
    ).fetchall()
    said: dict[int, list[str]] = {}
    for pairing_id, name, met, rating, time_problem in latest:
        said.setdefault(int(pairing_id), []).append(_answer_words(name, met, rating, time_problem))
    return due.assign(answers=[" · ".join(said.get(int(i), [])) or "no answer yet" for i in due["id"]])


def _answer_words(name: str, met: bool, rating: int, time_problem: str | None) -> str:
    """'Ann met, 4/5' or 'Bo did not meet, 2/5, time a problem'."""
    time = {"yes": ", time a problem", "a-bit": ", time a bit of a problem"}.get(time_problem or "", "")
    return f"{first_name(name)} {'met' if met else 'did not meet'}, {rating}/5{time}"


def move_to_active(con: duckdb.DuckDBPyConnection, pairing_ids: Sequence[int], *, moderator: str = "local") -> int:
    """Move these trials to active in one transaction (all or none); returns how many moved."""
    ids = sorted({int(i) for i in pairing_ids})
    if not ids:
        raise InvalidInput("Tick at least one pair to move to active.")
    clock = Clock(at=db.now(), replay=True)  # joins this transaction; the audit line is written once below
    with db.transaction(con):
        before = _snapshot(con, ids)
        not_trial = [i for i in ids if before[str(i)]["state"] != "trial"]
        if not_trial:
            raise InvalidInput(f"Pairing {not_trial[0]} is no longer in trial; reload the page. Nothing was moved.")
        first_event = con.execute("SELECT coalesce(max(id), 0) FROM pairing_events").fetchone()[0]
        for pairing_id in ids:
            lifecycle.advance(con, pairing_id, "active", moderator=moderator, clock=clock)
        events = [r[0] for r in con.execute("SELECT id FROM pairing_events WHERE id > ?", [first_event]).fetchall()]
        undo = {"before": before, "after": _snapshot(con, ids), "events": events, "at": str(db.now())}
        db.set_setting(con, UNDO_KEY, undo | {"moderator": moderator})
        db.audit(con, "trials_to_active", {"pairing_ids": ids}, moderator=moderator)
    return len(ids)


def last_move(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The bulk move Undo would take back: how many pairs, when and by whom; None when there is none."""
    undo = db.get_setting(con, UNDO_KEY)
    if not undo:
        return None
    return {"pairs": len(undo["before"]), "at": pd.Timestamp(undo["at"]), "moderator": undo["moderator"]}


def undo_last_move(con: duckdb.DuckDBPyConnection, *, moderator: str = "local") -> int:
    """Put the pairs of the last bulk move back in trial exactly as they were; returns how many."""
    undo = db.get_setting(con, UNDO_KEY)
    if not undo:
        raise InvalidInput("There is no move to active to undo.")
    ids = [int(i) for i in undo["before"]]
    now = _snapshot(con, ids)
    changed = [i for i in ids if now.get(str(i)) != undo["after"][str(i)]]
    if changed:
        raise InvalidInput(f"Pairing {changed[0]} has changed since; undo only takes back a move nobody built on.")
    with db.transaction(con):
        for key, row in undo["before"].items():
            con.execute(
                "UPDATE pairings SET state = ?, active_on = CAST(? AS DATE), state_changed_at = CAST(? AS TIMESTAMP), "
                "trial_outcome = ? WHERE id = ?",
                [*(row[f] for f in _FIELDS), int(key)],
            )
        con.execute("DELETE FROM pairing_events WHERE list_contains(?, id)", [undo["events"]])
        db.set_setting(con, UNDO_KEY, None)
        db.audit(con, "undo_trials_to_active", {"pairing_ids": ids}, moderator=moderator)
    return len(ids)


def _snapshot(con: duckdb.DuckDBPyConnection, ids: list[int]) -> dict[str, dict]:
    rows = con.execute(f"SELECT id, {', '.join(_FIELDS)} FROM pairings WHERE list_contains(?, id)", [ids]).fetchall()
    return {str(r[0]): {f: None if v is None else str(v) for f, v in zip(_FIELDS, r[1:])} for r in rows}
