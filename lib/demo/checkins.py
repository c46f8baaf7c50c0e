"""The demo community's year of check-ins and answers, so every check-in list and chart has something to show.

Each demo pairing is asked on the days the rules of lib.pair_life.checkins would have asked it (a trial
check-in, then a pulse every few weeks while active, until it ended); each check-in is taken as sent that day.
Members answer about three times in four; pairs that end badly within the next 8 weeks answer less often and
rate lower, so the Analytics tab shows answers predicting drop-outs. Today's open pairs get roles, so the home
page has every list: a few have their next check-in due today and need nothing else, two fell silent, two
said time is a problem, one rated it low, and one has a member who left three check-ins unanswered.
Everything is written in two bulk INSERTs from DataFrames (the demo loads in one transaction).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import duckdb
import pandas as pd

from lib.pair_life import checkins
from lib.storage import db

DUE_TODAY = 4  # open pairs left with a check-in due today (the loop has something to send)
ROLES = {"silent": 2, "time": 2, "low": 1, "unanswered": 1}
_DEMO_PAIRS = (
    "SELECT id FROM pairings WHERE a_id IN (SELECT id FROM applicants WHERE is_demo) "
    "OR b_id IN (SELECT id FROM applicants WHERE is_demo)"
)


@dataclass(frozen=True)
class _Pair:
    id: int
    state: str
    a_id: int
    b_id: int
    started_on: date
    trial_on: date | None
    active_on: date | None
    ended_on: date | None
    cadence: int
    doomed_on: date | None  # ended for a reason that is not a happy one


def add(con: duckdb.DuckDBPyConnection, rng: random.Random, *, moderator: str) -> int:
    """Write the demo's check-ins and answers (inside the demo loader's transaction); returns check-ins written."""
    rules, today = checkins.rules(con), db.now().date()
    found = _pairs(con)
    asked = {p.id: schedule(p, rules, today) for p in found}
    roles = _roles(found, asked, rules, today, rng)
    rows, answers = [], []
    ids = iter(r[0] for r in con.execute("SELECT nextval('checkin_round_id_seq') FROM range(?)", [
        sum(len(v) for v in asked.values())]).fetchall())  # fmt: skip
    for pair in found:
        role = roles.get(pair.id) or ("ok" if pair.ended_on is None else None)
        days = asked[pair.id][:-1] if role == "due" else asked[pair.id]
        for number, (kind, day) in enumerate(days):
            checkin_id = next(ids)
            moment = datetime.combine(day, time(10))
            rows.append((checkin_id, pair.id, kind, day, moment, moment, moment, moderator))
            last = len(days) - 1 - number  # 0 for the pair's latest check-in
            answers += _answers(pair, checkin_id, day, role, last, rng)
    _insert(con, rows, answers, moderator)
    return len(rows)


def delete(con: duckdb.DuckDBPyConnection) -> None:
    """Delete the demo pairs' check-ins and answers (inside the demo loader's transaction)."""
    con.execute(f"DELETE FROM checkin_answers WHERE pairing_id IN ({_DEMO_PAIRS})")
    con.execute(f"DELETE FROM checkins WHERE pairing_id IN ({_DEMO_PAIRS})")


def schedule(pair: _Pair, rules: checkins.Rules, today: date) -> list[tuple[str, date]]:
    """The days the check-in rules ask this pair, up to today or its end: (kind, day)."""
    end = min(pair.ended_on or today + timedelta(days=1), today + timedelta(days=1))
    first = pair.started_on + timedelta(days=rules.trial_days)
    if pair.trial_on and pair.trial_on <= first:
        first = pair.trial_on + timedelta(days=rules.trial_days)
    if first >= end:
        return []
    days, last = [("trial", first)], first
    while pair.active_on and pair.active_on < end:
        last = max(last, pair.active_on) + timedelta(days=rules.pulse_days * pair.cadence)
        if last >= end:
            break
        days.append(("pulse", last))
    return days


def _pairs(con: duckdb.DuckDBPyConnection) -> list[_Pair]:
    rows = con.execute(
        f"""
        SELECT p.id, p.state, p.a_id, p.b_id, p.started_on, p.trial_on, p.active_on, p.ended_on,
               coalesce(p.cadence_weeks, 1),
               CASE WHEN p.ended_on IS NOT NULL AND NOT coalesce(r.happy, false) THEN p.ended_on END
        FROM pairings p LEFT JOIN end_reasons r ON r.label = p.end_reason
        WHERE p.id IN ({_DEMO_PAIRS}) AND p.snoozed_until IS NULL ORDER BY p.id
        """
    ).fetchall()
    return [_Pair(*row) for row in rows]


def _roles(found: list[_Pair], asked: dict, rules: checkins.Rules, today: date, rng: random.Random) -> dict:
    """Which open pairs end up due today, silent, struggling with time, rating low or with a silent member."""
    open_pairs = [p for p in found if p.ended_on is None and asked[p.id] and not _stalled(p, today)]
    roles: dict[int, str] = {}
    # due today: the next check-in came in the last days, so nothing else is late for these pairs
    recent = sorted(
        (p for p in open_pairs if _recent(p, asked[p.id], rules, today)), key=lambda p: (p.state != "active", -p.id)
    )
    for pair in recent[:DUE_TODAY]:
        roles[pair.id] = "due"
    rest = [p for p in open_pairs if p.id not in roles]
    rng.shuffle(rest)
    for role, count in ROLES.items():
        fits = [p for p in rest if p.id not in roles and _fits(role, p, asked[p.id], rules, today)]
        for pair in fits[:count]:
            roles[pair.id] = role
    return roles


def _recent(pair: _Pair, days: list, rules: checkins.Rules, today: date) -> bool:
    """Whether leaving out the pair's latest check-in makes it due today and late for nothing else: the answer
    before it is under 6 weeks old (the "no check-in" list) and a proposal or trial is not stalled by then."""
    age = (today - days[-1][1]).days
    if len(days) == 1:  # the trial check-in: due on the same day by the rule once the trial date is known
        return age < 7 and (pair.trial_on is None or pair.trial_on <= pair.started_on + timedelta(rules.trial_days))
    return age + rules.pulse_days * pair.cadence < 40


def _fits(role: str, pair: _Pair, days: list, rules: checkins.Rules, today: date) -> bool:
    age = (today - days[-1][1]).days
    if role == "silent":
        return age >= rules.silent_days
    if role == "unanswered":
        return len(days) >= 3 and age >= rules.silent_days
    return age >= 2


def _stalled(pair: _Pair, today: date) -> bool:
    """A pair the home page lists as stalled already (the demo's stalled proposal and trial)."""
    return (pair.state == "proposed" and (today - pair.started_on).days > 14) or (
        pair.state == "trial" and pair.trial_on is not None and (today - pair.trial_on).days > 21
    )


def _answers(pair: _Pair, checkin_id: int, day: date, role, last: int, rng: random.Random) -> list:
    """Both members' answers to one check-in (none, one or two); an open pair's last three are answered well
    unless its role says otherwise."""
    doomed = pair.doomed_on is not None and (pair.doomed_on - day).days <= 56
    found = []
    for member in (pair.a_id, pair.b_id):
        if role in ("silent",) and last == 0 or role == "unanswered" and last <= 2 and member == pair.a_id:
            continue
        forced = role in ("due", "time", "low", "unanswered") or (role in ("silent", "ok") and last <= 2)
        if not forced and rng.random() > (0.45 if doomed else 0.8):
            continue
        rating = rng.choices([1, 2, 3, 4], [2, 3, 3, 2])[0] if doomed else rng.choices([2, 3, 4, 5], [1, 2, 4, 3])[0]
        met = rng.random() < (0.55 if doomed else 0.92)
        worry = rng.choices(["no", "a-bit", "yes"], [3, 4, 3] if doomed else [7, 2, 1])[0]
        if forced:
            rating, met, worry = max(rating, 3), True, "no"
        if last == 0 and role == "time" and member == pair.a_id:
            worry = "yes"
        if last == 0 and role == "low" and member == pair.b_id:
            rating = 2
        answered = datetime.combine(day, time(19)) + timedelta(days=rng.randint(0, 3), minutes=rng.randint(0, 180))
        answered = min(answered, db.now() - timedelta(minutes=1))
        found.append((checkin_id, pair.id, member, answered, met, rating, worry, _note(rating, worry, rng)))
    return found


def _note(rating: int, worry: str, rng: random.Random) -> str | None:
    if rng.random() < 0.6:
        return None
    if worry == "yes":
        return rng.choice(["Work is crazy this month.", "We keep moving our slot.", "Hard to find an hour lately."])
    if rating <= 2:
        return rng.choice(["We are not on the same page.", "Sessions feel a bit aimless.", "My partner seems busy."])
    return rng.choice(["Going great, thanks!", "Learning a lot.", "We set up a small project together.", None])


def _insert(con: duckdb.DuckDBPyConnection, rows: list, answers: list, moderator: str) -> None:
    asked = pd.DataFrame(rows, columns=["id", "pairing_id", "kind", "due_on", "drafted_at", "sent_at", "created_at",
                                        "moderator"])  # fmt: skip
    said = pd.DataFrame(answers, columns=["checkin_id", "pairing_id", "applicant_id", "answered_at", "met", "rating",
                                          "time_problem", "note"])  # fmt: skip
    db.register(con, "_demo_checkins", asked)
    db.register(con, "_demo_answers", said)
    try:
        con.execute("INSERT INTO checkins BY NAME SELECT * FROM _demo_checkins")
        con.execute(
            "INSERT INTO checkin_answers (checkin_id, pairing_id, applicant_id, answered_at, met, rating, time_problem, "
            "note, source, recorded_at, moderator) SELECT *, 'demo', answered_at, ? FROM _demo_answers",
            [moderator],
        )
    finally:
        db.unregister(con, "_demo_checkins")
        db.unregister(con, "_demo_answers")
