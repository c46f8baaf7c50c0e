"""Analytics benchmark: every Analytics-page query on 20,000 members and 50,000 pairings of history.

Run: `python -m benchmarks.analytics [--members 20000] [--pairings 50000]`. Prints a table (median of 5).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.matching import community_csv
from lib import startup
from lib.demo import history as demo_history
from lib.insight import analytics
from lib.intake import importer
from lib.storage import db

QUERIES = {
    "dropout_reasons": lambda con: analytics.dropout_reasons(con),
    "reason_totals": lambda con: analytics.reason_totals(con),
    "reasons_by_month": lambda con: analytics.reasons_by_month(con),
    "feedback (keyword)": lambda con: analytics.feedback(con, keyword="busy"),
    "retention (all)": lambda con: analytics.retention(con),
    "retention by time-zone gap": lambda con: analytics.retention(con, factor="timezone_gap"),
    "funnel": lambda con: analytics.funnel(con),
    "waiting_times": lambda con: analytics.waiting_times(con),
    "skill_outcomes": lambda con: analytics.skill_outcomes(con),
    "filtered reasons (gap <= 3 h)": lambda con: analytics.reason_totals(con, analytics.Filters(max_timezone_gap=3)),
}


def build(path: Path, members: int, pairings: int) -> None:
    """Members through the real importer; pairings and endings written in bulk with realistic shapes."""
    con = startup.open_database(path)
    importer.import_applications(con, community_csv(members), filename="bench.csv", status="accepted")
    rng = np.random.default_rng(5)
    ids = np.array([i for (i,) in con.execute("SELECT id FROM applicants ORDER BY id").fetchall()])
    today = db.now().date()
    a, b = rng.choice(ids, pairings), rng.choice(ids, pairings)
    b = np.where(a == b, np.roll(ids, 1)[np.searchsorted(ids, a)], b)
    started = [today - timedelta(days=int(d)) for d in rng.integers(7, 730, pairings)]
    lasted = rng.exponential(60, pairings).astype(int) + 3
    ended = [
        s + timedelta(days=int(d)) if s + timedelta(days=int(d)) < today else None for s, d in zip(started, lasted)
    ]
    reasons = list(demo_history.REASONS)
    frame = pd.DataFrame(
        {
            "a_id": a,
            "b_id": b,
            "started_on": started,
            "ended_on": ended,
            "trial_on": [s + timedelta(days=5) if rng.random() < 0.7 else None for s in started],
            "reason": rng.choice(
                reasons, pairings, p=np.array(list(demo_history.REASONS.values())) / sum(demo_history.REASONS.values())
            ),
            "ender": rng.choice(["a", "b", "both", "moderator"], pairings),
            "feedback": rng.choice(
                [s for texts in demo_history.FEEDBACK.values() for s in texts] + ["too busy"], pairings
            ),
        }
    )
    frame["active_on"] = [
        t + timedelta(days=4) if t and (e is None or t + timedelta(days=4) < e) else None
        for t, e in zip(frame["trial_on"], frame["ended_on"])
    ]
    db.register(con, "_bench", frame)
    with db.transaction(con):
        con.execute("""
            INSERT INTO pairings (a_id, b_id, state, score, reasons, a_teaches_b, b_teaches_a, created_at, state_changed_at,
                                  moderator, started_on, trial_on, active_on, ended_on, ended_by, end_reason)
            SELECT a_id, b_id, CASE WHEN ended_on IS NOT NULL THEN 'ended' WHEN active_on IS NOT NULL THEN 'active'
                                    WHEN trial_on IS NOT NULL THEN 'trial' ELSE 'proposed' END,
                   70, '[]', '["Python"]', '["Go"]', started_on, started_on, 'bench', started_on, trial_on, active_on,
                   ended_on, CASE WHEN ended_on IS NOT NULL THEN ender END, CASE WHEN ended_on IS NOT NULL THEN reason END
            FROM _bench
        """)
        con.execute(
            """
            INSERT INTO endings (kind, pairing_id, ended_by, reason, secondary_reasons, feedback, feedback_source, ended_on,
                                 left_service, recorded_at, moderator, previous)
            SELECT CASE WHEN active_on IS NULL THEN 'no-go' ELSE 'ended' END, id, ended_by, end_reason, '[]', ?,
                   'member', ended_on, '[]', ended_on, 'bench', ?
            FROM pairings WHERE ended_on IS NOT NULL
        """,
            ["too busy with work", json.dumps({"applicants": [], "added": {}})],
        )
    db.unregister(con, "_bench")
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--pairings", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "analytics.duckdb"
        build(path, args.members, args.pairings)
        con = startup.open_database(path)
        print(
            f"{args.members:,} members, {args.pairings:,} pairings "
            f"({con.execute('SELECT count(*) FROM endings').fetchone()[0]:,} endings)\n"
        )
        print("| query | median ms | rows |")
        print("|---|---:|---:|")
        for name, query in QUERIES.items():
            times = []
            for _ in range(5):
                start = time.perf_counter()
                rows = len(query(con))
                times.append((time.perf_counter() - start) * 1000)
            print(f"| {name} | {statistics.median(times):.0f} | {rows:,} |", flush=True)


if __name__ == "__main__":
    main()
