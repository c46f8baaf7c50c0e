"""A year of made-up pair history for the demo community: most pairs end within weeks, some last months.

Reasons follow what peer-mentoring communities report (time commitment most common), with feedback
sentences. Written inside the demo loader's transaction; every row belongs to demo members.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

import duckdb
import pandas as pd

from lib.matching import candidates, rounds, score
from lib.storage import db

REASONS = {
    "time commitment": 34,
    "schedule clash or time zones": 15,
    "partner unresponsive": 12,
    "life or work change": 12,
    "skill mismatch": 8,
    "level mismatch": 7,
    "goals met": 9,
    "other": 3,
}
FEEDBACK = {
    "time commitment": [
        "An hour a week turned out to be too much with my new project.",
        "Work got busy and I kept cancelling; better to stop than to flake.",
        "I underestimated the prep time for my half of the session.",
    ],
    "schedule clash or time zones": [
        "Our only overlap was late evening for me.",
        "Daylight saving moved our slot into my commute.",
        "We could never find a regular time.",
    ],
    "partner unresponsive": [
        "My partner stopped answering after the second session.",
        "Messages went unanswered for three weeks.",
    ],
    "life or work change": [
        "New baby at home, I will be back next year!",
        "I changed jobs and relocated.",
        "Moving countries this summer.",
    ],
    "skill mismatch": [
        "What I wanted was frontend React, my partner knew React Native.",
        "Turned out we both wanted to learn, not teach, that topic.",
    ],
    "level mismatch": [
        "My partner was far ahead; I felt I was slowing them down.",
        "Too basic for me, but a lovely person.",
    ],
    "goals met": [
        "I shipped my first Rust CLI, thank you!",
        "Passed the interview I was preparing for.",
        "We covered everything we planned; great experience.",
    ],
    "other": ["Hard to say, it just fizzled out."],
}


def add_history(con: duckdb.DuckDBPyConnection, rng: random.Random, moderator: str) -> int:
    """Simulate a year of weekly matching among the demo's accepted members; returns pairings made."""
    pool = candidates.eligible_members(con)
    cands = candidates.candidate_pairs(con, pool)
    if cands.empty:
        return 0
    scored = score.score_pairs(cands, pool, score.load_settings(con))
    described = rounds.describe_pairs(con, scored, pool).set_index(["a", "b"])
    accepted = _accepted_on(con)
    today = db.now().date()
    busy_until: dict[int, date] = {}
    made = 0
    edges = list(scored.sample(frac=1, random_state=rng.randint(0, 10**6)).itertuples())
    for week in range(52, 0, -1):
        start = today - timedelta(weeks=week, days=rng.randint(0, 6))
        for _ in range(rng.randint(2, 5)):
            edge = _free_edge(edges, busy_until, accepted, start)
            if edge is None:
                break
            ended_on, gone = _simulate(con, edge, described, start, today, rng, moderator)
            for member in (edge.a, edge.b):
                busy_until[member] = date.max if member in gone or not ended_on else ended_on
            made += 1
    # A few pairs that stalled recently, so the home page has something to nudge.
    for days, fate in ((17, "stalled proposal"), (19, "stalled proposal"), (40, "stalled trial")):
        edge = _free_edge(edges, busy_until, accepted, today - timedelta(days=days))
        if edge is not None:
            _simulate(con, edge, described, today - timedelta(days=days), today, rng, moderator, fate=fate)
            busy_until[edge.a] = busy_until[edge.b] = date.max
            made += 1
    # Members whose last pairing ended and who are still here wait with priority.
    con.execute(
        """
        UPDATE applicants SET requeued_at = last.ended FROM (
            SELECT m, max(CAST(ended_on AS TIMESTAMP)) AS ended FROM (
                SELECT a_id AS m, ended_on FROM pairings WHERE is_demo UNION ALL SELECT b_id, ended_on FROM pairings WHERE is_demo
            ) GROUP BY m HAVING count(*) = count(ended_on)
        ) last
        WHERE applicants.id = last.m AND applicants.status = 'accepted'
          AND applicants.id NOT IN (SELECT applicant_id FROM open_pair_members)
        """
    )
    return made


def _free_edge(edges: list, busy_until: dict, accepted: dict, start: date):
    for index, edge in enumerate(edges):
        if all(busy_until.get(m, date.min) < start and accepted.get(m, date.max) <= start for m in (edge.a, edge.b)):
            return edges.pop(index)
    return None


def _simulate(
    con,
    edge,
    described: pd.DataFrame,
    start: date,
    today: date,
    rng: random.Random,
    moderator: str,
    fate: str | None = None,
):
    fate = fate or rng.choices(["no trial", "trial no-go", "active ends", "still going"], [18, 24, 43, 15])[0]
    trial_on = start + timedelta(days=rng.randint(3, 12)) if fate not in ("no trial", "stalled proposal") else None
    active_on = trial_on + timedelta(days=rng.randint(2, 10)) if fate in ("active ends", "still going") else None
    weeks = {
        "no trial": rng.randint(1, 3),
        "trial no-go": rng.randint(2, 5),
        "active ends": int(rng.expovariate(1 / 9)) + 3,
    }
    ended_on = start + timedelta(weeks=weeks[fate]) if fate in weeks else None
    if fate.startswith("stalled"):
        fate = "still going"
    elif ended_on and ended_on >= today or (active_on and active_on >= today) or (trial_on and trial_on >= today):
        fate, ended_on = "still going", None
        active_on = active_on if active_on and active_on < today else None
        trial_on = trial_on if trial_on and trial_on < today else None
    state = "ended" if ended_on else "active" if active_on else "trial" if trial_on else "proposed"
    pairing_id = _insert_pairing(
        con, edge, described.loc[(edge.a, edge.b)], start, trial_on, active_on, state, moderator
    )
    for when, old, new in ((trial_on, "proposed", "trial"), (active_on, "trial" if trial_on else "proposed", "active")):
        if when:
            _event(con, pairing_id, old, new, when, moderator)
    if active_on:
        for week in range(1, ((ended_on or today) - active_on).days // 7, rng.choice([3, 4, 6])):
            con.execute(
                "INSERT INTO pairing_checkins (pairing_id, checked_on, note, recorded_at, moderator) "
                "VALUES (?, ?, ?, ?, ?)",
                [pairing_id, active_on + timedelta(weeks=week), f"met {week} times, going well", db.now(), moderator],
            )
    gone: list[int] = []
    if ended_on:
        gone = _end(
            con,
            pairing_id,
            edge,
            state_before="active" if active_on else "trial" if trial_on else "proposed",
            ended_on=ended_on,
            rng=rng,
            moderator=moderator,
        )
    else:
        con.execute(
            "INSERT INTO open_pair_members VALUES (?, ?), (?, ?)", [int(edge.a), pairing_id, int(edge.b), pairing_id]
        )
    return ended_on, gone


def _insert_pairing(con, edge, described: pd.Series, start, trial_on, active_on, state, moderator) -> int:
    when = pd.Timestamp(start).to_pydatetime().replace(hour=10)
    changed = pd.Timestamp(active_on or trial_on or start).to_pydatetime().replace(hour=10)
    pairing_id = con.execute(
        "INSERT INTO pairings (a_id, b_id, state, score, reasons, a_teaches_b, b_teaches_a, created_at, state_changed_at, "
        "moderator, is_demo, started_on, trial_on, active_on, trial_outcome) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, ?, ?, ?, ?) RETURNING id",
        [
            int(edge.a),
            int(edge.b),
            state,
            float(described["score"]),
            json.dumps(list(described["reasons"])),
            json.dumps(list(described["a_teaches_b"])),
            json.dumps(list(described["b_teaches_a"])),
            when,
            changed,
            moderator,
            start,
            trial_on,
            active_on,
            "go" if trial_on and active_on else None,
        ],
    ).fetchone()[0]
    _event(con, pairing_id, None, "proposed", start, moderator)
    return pairing_id


def _end(
    con, pairing_id: int, edge, *, state_before: str, ended_on: date, rng: random.Random, moderator: str
) -> list[int]:
    reason = rng.choices(list(REASONS), list(REASONS.values()))[0]
    by = rng.choices(["a", "b", "both", "moderator"], [35, 35, 15, 15])[0]
    kind = "ended" if state_before == "active" else "no-go"
    left = [side for side in ("a", "b") if by in (side, "both") and rng.random() < 0.3 and reason != "goals met"]
    con.execute(
        "UPDATE pairings SET state = 'ended', ended_on = ?, ended_by = ?, end_reason = ?, state_changed_at = ?, "
        "trial_outcome = CASE WHEN ? = 'no-go' THEN 'no-go' ELSE trial_outcome END WHERE id = ?",
        [ended_on, by, reason, pd.Timestamp(ended_on).to_pydatetime(), kind, pairing_id],
    )
    event = _event(con, pairing_id, state_before, "ended", ended_on, moderator, reason)
    members = [int(edge.a), int(edge.b)]
    before = [
        [i, status, str(changed), None if requeued is None else str(requeued)]
        for i, status, changed, requeued in con.execute(
            "SELECT id, status, status_changed_at, requeued_at FROM applicants WHERE list_contains(?, id)", [members]
        ).fetchall()
    ]
    added_history = []
    for side in left:
        member = int(edge.a if side == "a" else edge.b)
        con.execute(
            "UPDATE applicants SET status = 'withdrawn', status_changed_at = ? WHERE id = ?",
            [pd.Timestamp(ended_on).to_pydatetime(), member],
        )
        added_history.append(
            con.execute(
                "INSERT INTO status_history (applicant_id, from_status, to_status, reason, changed_at, moderator) "
                "VALUES (?, 'accepted', 'withdrawn', ?, ?, ?) RETURNING id",
                [member, reason, pd.Timestamp(ended_on).to_pydatetime(), moderator],
            ).fetchone()[0]
        )
    if reason != "goals met":
        con.execute(
            "INSERT INTO never_pair VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [
                min(int(edge.a), int(edge.b)),
                max(int(edge.a), int(edge.b)),
                f"pairing {pairing_id} ended: {reason}",
                db.now(),
            ],
        )
    previous = {
        "applicants": before,
        "pairing": {
            "id": pairing_id,
            "state": state_before,
            "ended_on": None,
            "ended_by": None,
            "end_reason": None,
            "state_changed_at": str(db.now()),
            "trial_outcome": None,
        },
        "open_members": [int(edge.a), int(edge.b)],
        "never_pair_existed": reason == "goals met",
        "never_pair": [min(int(edge.a), int(edge.b)), max(int(edge.a), int(edge.b))],
        "added": {"pairing_events": [event], "status_history": added_history},
    }
    feedback = rng.choice(FEEDBACK[reason]) if rng.random() < 0.8 else None
    con.execute(
        "INSERT INTO endings (kind, pairing_id, ended_by, reason, secondary_reasons, feedback, feedback_source, ended_on, "
        "left_service, recorded_at, moderator, previous) VALUES (?, ?, ?, ?, '[]', ?, ?, ?, ?, ?, ?, ?)",
        [
            kind,
            pairing_id,
            by,
            reason,
            feedback,
            rng.choice(["member", "moderator"]),
            ended_on,
            json.dumps(left),
            pd.Timestamp(ended_on).to_pydatetime(),
            moderator,
            json.dumps(previous),
        ],
    )
    return [int(edge.a if side == "a" else edge.b) for side in left]


def _event(con, pairing_id: int, old, new: str, when: date, moderator: str, note: str | None = None) -> int:
    return con.execute(
        "INSERT INTO pairing_events (pairing_id, from_state, to_state, happened_on, recorded_at, moderator, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [pairing_id, old, new, when, pd.Timestamp(when).to_pydatetime(), moderator, note],
    ).fetchone()[0]


def _accepted_on(con: duckdb.DuckDBPyConnection) -> dict[int, date]:
    rows = con.execute(
        "SELECT applicant_id, min(changed_at) FROM status_history WHERE to_status = 'accepted' GROUP BY applicant_id"
    ).fetchall()
    return {int(i): when.date() for i, when in rows}
