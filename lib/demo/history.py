"""A year of made-up pair history for the demo community: most pairs end within weeks, some last months.

Reasons follow what peer-mentoring communities report (time commitment most common), with feedback
sentences. Every change goes through the same lifecycle functions as the pages and the command line,
on a replay clock set to the day it happened, inside the demo loader's one transaction.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta

import duckdb

from lib.matching import candidates, rounds, score
from lib.pair_life import replay
from lib.pair_life.replay import Story
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
    """Simulate a year of weekly matching among the demo's accepted members and store it; returns pairings made.

    The year is decided in Python first (each member's next pair starts after their last one ended) and then
    stored in a few statements by lib.pair_life.replay, the same rows the lifecycle functions would write."""
    return replay.write(con, stories(con, rng), is_demo=True, moderator=moderator)


def stories(con: duckdb.DuckDBPyConnection, rng: random.Random) -> list[Story]:
    """The demo's made-up pairings, oldest first (deterministic for a given seed and day)."""
    pool = candidates.eligible_members(con)
    cands = candidates.candidate_pairs(con, pool)
    if cands.empty:
        return []
    scored = score.score_pairs(cands, pool, score.load_settings(con))
    described = rounds.describe_pairs(con, scored, pool).set_index(["a", "b"]).to_dict("index")
    accepted = _accepted_on(con)
    today = db.now().date()
    busy_until: dict[int, date] = {}
    made: list[Story] = []
    edges = list(scored.sample(frac=1, random_state=rng.randint(0, 10**6)).itertuples())
    for week in range(52, 0, -1):
        start = today - timedelta(weeks=week, days=rng.randint(0, 6))
        for _ in range(rng.randint(2, 5)):
            edge = _free_edge(edges, busy_until, accepted, start)
            if edge is None:
                break
            story = _simulate(edge, described, start, today, rng)
            gone = [edge.a if side == "a" else edge.b for side in story.left]
            for member in (edge.a, edge.b):
                busy_until[member] = date.max if member in gone or not story.ended_on else story.ended_on
            made.append(story)
    # A few pairs that stalled recently, so the home page has something to nudge.
    for days, fate in ((17, "stalled proposal"), (19, "stalled proposal"), (40, "stalled trial")):
        edge = _free_edge(edges, busy_until, accepted, today - timedelta(days=days))
        if edge is not None:
            made.append(_simulate(edge, described, today - timedelta(days=days), today, rng, fate=fate))
            busy_until[edge.a] = busy_until[edge.b] = date.max
    return made


def _free_edge(edges: list, busy_until: dict, accepted: dict, start: date):
    never, early = date.min, date.max
    for index, edge in enumerate(edges):
        a, b = edge.a, edge.b
        if (
            busy_until.get(a, never) < start
            and busy_until.get(b, never) < start
            and accepted.get(a, early) <= start
            and accepted.get(b, early) <= start
        ):
            return edges.pop(index)
    return None


def _simulate(edge, described: dict, start: date, today: date, rng: random.Random, fate: str | None = None) -> Story:
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
    checkins = []
    if active_on:
        for week in range(1, ((ended_on or today) - active_on).days // 7, rng.choice([3, 4, 6])):
            checkins.append((active_on + timedelta(weeks=week), f"met {week} times, going well"))
    story = Story(
        int(edge.a), int(edge.b), described[(edge.a, edge.b)], start, trial_on, active_on, tuple(checkins), ended_on
    )
    return _end(story, rng) if ended_on else story


def _end(story: Story, rng: random.Random) -> Story:
    reason = rng.choices(list(REASONS), list(REASONS.values()))[0]
    by = rng.choices(["a", "b", "both", "moderator"], [35, 35, 15, 15])[0]
    left = [side for side in ("a", "b") if by in (side, "both") and rng.random() < 0.3 and reason != "goals met"]
    feedback = rng.choice(FEEDBACK[reason]) if rng.random() < 0.8 else None
    return dataclasses.replace(
        story,
        ended_by=by,
        reason=reason,
        feedback=feedback,
        feedback_source=rng.choice(["member", "moderator"]),
        left=tuple(left),
    )


def _accepted_on(con: duckdb.DuckDBPyConnection) -> dict[int, date]:
    rows = con.execute(
        "SELECT applicant_id, min(changed_at) FROM status_history WHERE to_status = 'accepted' GROUP BY applicant_id"
    ).fetchall()
    return {int(i): when.date() for i, when in rows}
