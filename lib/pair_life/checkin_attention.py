"""What the check-in answers ask of the moderator: the four check-in lists of the home page's needs-attention.

Decided (README "Check-ins"):
- **time**: in the pair's latest answered check-in a member said finding time is a problem ("a bit" or
  "yes"). Suggests meeting every two weeks or a snooze; gone once the pair's pace changed after that answer.
- **struggling**: in the pair's latest answered check-in a member rated it low (1 or 2 of 5), or in each of
  its last two answered check-ins a member said they did not meet. The pair needs a word from the moderator;
  gone once the moderator notes a check-in (Pairs page) on or after that answer's day, or a newer answer
  is fine.
- **silent**: the pair's current check-in is *missed*: sent `checkin_silent_days` ago and nobody answered.
- **unanswered**: a member left their last three check-ins (each sent at least `checkin_silent_days` ago)
  unanswered, in whatever pairs. Proposes pausing that member (the existing member pause) and, once the
  pair is over, a new partner for the one left behind; gone once the member is paused or answers.
Snoozed pairs are in none of these lists until their snooze date; ended pairs never.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from lib.pair_life import checkins

LOW_RATING = 2  # a rating of 1 or 2 out of 5 is low
IN_A_ROW = 3  # check-ins in a row a member left unanswered before a pause is proposed
TITLES = {
    "checkin_time": "Finding time is a problem, they said",
    "checkin_struggling": "Struggling: a low rating, or no meeting twice",
    "checkin_silent": "Silent pairs: nobody answered the check-in",
    "checkin_unanswered": "Members who left three check-ins in a row unanswered",
}
NUDGES = {
    "checkin_time": "Hi {a_first} and {b_first}, thank you for your answers! Finding the time is hard for everyone "
    "sometimes. Would meeting every two weeks work better, or a short break and then back? Either is fine.",
    "checkin_struggling": "Hi {a_first} and {b_first}, thank you for your answers. It sounds like it has not been "
    "easy lately. Shall we have a quick chat about what would help? I am happy to adjust things.",
    "checkin_silent": "Hi {a_first} and {b_first}, I sent a short check-in last week and have not heard back. "
    "A one-line reply is plenty: how are your sessions going?",
}
_PAIR = """
    SELECT p.id, a.name AS a_name, b.name AS b_name, a.email AS a, b.email AS b, p.state,
           coalesce(p.cadence_weeks, 1) AS cadence_weeks
    FROM pairings p JOIN applicants a ON a.id = p.a_id JOIN applicants b ON b.id = p.b_id
    WHERE p.state <> 'ended' AND (p.snoozed_until IS NULL OR p.snoozed_until <= $today)"""
_ANSWERED = """
    answered AS (
        SELECT a.pairing_id, a.checkin_id, max(a.answered_at) AS answered_at, min(a.rating) AS low,
               bool_or(NOT a.met) AS no_meeting, min(a.answered_at) FILTER (WHERE a.time_problem IN ('a-bit', 'yes'))
               AS time_said, max(CASE a.time_problem WHEN 'yes' THEN 2 WHEN 'a-bit' THEN 1 ELSE 0 END) AS time_level
        FROM checkin_answers a WHERE a.answered_at <= $end GROUP BY 1, 2
        QUALIFY row_number() OVER (PARTITION BY a.pairing_id ORDER BY a.checkin_id DESC) <= 2
    ),
    latest AS (
        SELECT l.*, coalesce(o.no_meeting, false) AS no_meeting_before
        FROM (SELECT * FROM answered QUALIFY row_number() OVER (PARTITION BY pairing_id ORDER BY checkin_id DESC) = 1) l
        LEFT JOIN answered o ON o.pairing_id = l.pairing_id AND o.checkin_id < l.checkin_id
    )"""


def lists(con: duckdb.DuckDBPyConnection, today: date) -> dict[str, pd.DataFrame]:
    """Each check-in list as of `today`, keyed as in TITLES; rows have `since`, `days` and `why`."""
    params = {"today": today, "end": checkins._end_of(today)}
    return {
        "checkin_time": _with_days(_time(con, params), today),
        "checkin_struggling": _with_days(_struggling(con, params), today),
        "checkin_silent": _with_days(_silent(con, today), today),
        "checkin_unanswered": _with_days(_unanswered(con, params, checkins.rules(con).silent_days), today),
    }


def _time(con: duckdb.DuckDBPyConnection, params: dict) -> pd.DataFrame:
    return con.execute(
        f"""
        WITH {_ANSWERED}
        SELECT p.*, CAST(l.time_said AS DATE) AS since,
               CASE WHEN l.time_level = 2 THEN 'finding time is a problem' ELSE 'finding time is a bit of a problem'
               END AS why
        FROM ({_PAIR}) p JOIN latest l ON l.pairing_id = p.id
        WHERE l.time_level > 0 AND NOT EXISTS (
            SELECT 1 FROM pace_changes c WHERE c.pairing_id = p.id AND c.undone_at IS NULL AND c.changed_at >= l.time_said)
        ORDER BY since, p.id
        """,
        params,
    ).df()


def _struggling(con: duckdb.DuckDBPyConnection, params: dict) -> pd.DataFrame:
    return con.execute(
        f"""
        WITH {_ANSWERED}
        SELECT p.*, CAST(l.answered_at AS DATE) AS since,
               CASE WHEN l.low <= {LOW_RATING} THEN 'rated it ' || l.low || ' of 5'
                    ELSE 'did not meet, two check-ins in a row' END AS why
        FROM ({_PAIR}) p JOIN latest l ON l.pairing_id = p.id
        WHERE (l.low <= {LOW_RATING} OR (l.no_meeting AND l.no_meeting_before)) AND NOT EXISTS (
            SELECT 1 FROM pairing_checkins n WHERE n.pairing_id = p.id AND n.checked_on >= CAST(l.answered_at AS DATE))
        ORDER BY since, p.id
        """,
        params,
    ).df()


def _silent(con: duckdb.DuckDBPyConnection, today: date) -> pd.DataFrame:
    found = checkins.current(con, as_of=today)
    missed = found[found["status"] == "missed"]
    pairs = con.execute(f"SELECT * FROM ({_PAIR}) WHERE list_contains($ids, id)", {
        "today": today, "ids": [int(i) for i in missed["pair_id"]]}).df()  # fmt: skip
    sent = missed.set_index("pair_id")["sent_on"]
    frame = pairs.assign(since=pairs["id"].map(sent), why="nobody answered the check-in")
    return frame.sort_values(["since", "id"]).reset_index(drop=True)


def _unanswered(con: duckdb.DuckDBPyConnection, params: dict, silent_days: int) -> pd.DataFrame:
    return con.execute(
        f"""
        WITH {checkins.asked_sql()},
        asked_member AS (
            SELECT m.applicant_id, q.id AS checkin_id, q.sent_on,
                   EXISTS (SELECT 1 FROM checkin_answers x WHERE x.checkin_id = q.id
                           AND x.applicant_id = m.applicant_id AND x.answered_at <= $end) AS answered
            FROM asked q JOIN pairings p ON p.id = q.pairing_id,
                 LATERAL (SELECT unnest([p.a_id, p.b_id]) AS applicant_id) m
            WHERE q.sent_on IS NOT NULL AND q.sent_on + $silent <= $today
            QUALIFY row_number() OVER (PARTITION BY m.applicant_id ORDER BY q.sent_on DESC, q.id DESC) <= {IN_A_ROW}
        ),
        silent AS (
            SELECT applicant_id, min(sent_on) AS since FROM asked_member GROUP BY 1
            HAVING count(*) = {IN_A_ROW} AND NOT bool_or(answered)
        )
        SELECT m.id, m.name, m.email, o.pairing_id AS pair_id, x.name AS partner_name, x.email AS partner,
               s.since, 'left ' || {IN_A_ROW} || ' check-ins in a row unanswered' AS why
        FROM silent s JOIN applicants m ON m.id = s.applicant_id
        JOIN open_pair_members o ON o.applicant_id = m.id JOIN pairings p ON p.id = o.pairing_id
        JOIN applicants x ON x.id = CASE WHEN p.a_id = m.id THEN p.b_id ELSE p.a_id END
        WHERE m.id NOT IN (SELECT applicant_id FROM member_pauses WHERE until > $today)
          AND (p.snoozed_until IS NULL OR p.snoozed_until <= $today)
        ORDER BY s.since, m.id
        """,
        {**params, "silent": silent_days},
    ).df()


def _with_days(frame: pd.DataFrame, today: date) -> pd.DataFrame:
    return frame.assign(days=[checkins.days_since(d, today) for d in frame["since"]])
