"""Matching benchmark: the round at 2,000 / 20,000 / 50,000 eligible members (issue 22), and how near it is
to the best possible.

The community is drawn like real ones (`--shape issue`, the default): 300 skills with Zipf popularity, 2-5
offered and 1-4 wanted per member, ten time zones; SHARE of the members (default 0.8; 0 turns it off) gave
free times (2-4 weekly slots: evenings, mornings, lunchtimes or weekend blocks in their local time) and a
weekly budget. `--shape wide` is the earlier generator (3-8 skills from the whole vocabulary, 21 zones).
Seeds are fixed.

Each size is built into its own database, then measured in a fresh process (so the peak memory, from
`resource.getrusage`, is the round's: Python, DuckDB and the libraries included). Per size it prints the
mutual candidate pairs before and after pruning, the time of each step of `suggest_round` and of the whole
round, one member's suggestions (`suggest --member`, in-process, median of 5), pairs and people left out,
and quality: up to `--exact-max` members (default 3,000) the large-pool method (pruned, forced) against the
exact solver on every candidate pair (same pairs? share of the best total score); above, the share of the
double-cover upper bound computed on every candidate pair (scored in chunks), up to `--bound-max` members.

Run: `python -m benchmarks.matching [--sizes 2000 20000 50000] [--shape issue|wide] [--availability SHARE]`.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from lib import demo, startup
from lib.intake import importer, skills
from lib.matching import candidates, rounds, score, solve, why_not
from lib.storage import db

ISSUE_ZONES = [
    "Europe/London",
    "Europe/Berlin",
    "Europe/Helsinki",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Australia/Sydney",
]
HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone", "Years"]


def issue_csv(size: int, seed: int = 22) -> bytes:
    """`size` accepted members drawn as issue 22 describes: 300 Zipf-popular skills, 2-5 offered, 1-4 wanted."""
    rng = random.Random(seed)
    names = [name for name, _, _ in skills.load_vocabulary().entries]
    rng.shuffle(names)
    names = (names * 2)[:300]  # the vocabulary has about 300 canonical skills
    weights = [1 / (rank + 1) for rank in range(len(names))]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(size):
        offered, wanted = rng.randint(2, 5), rng.randint(1, 4)
        drawn: list[str] = []
        while len(drawn) < offered + wanted:
            pick = rng.choices(names, weights)[0]
            if pick not in drawn:
                drawn.append(pick)
        years = str(max(1, int(rng.lognormvariate(1.7, 0.6))))
        row = [f"m{n}@bench.example", f"Member {n}", ", ".join(drawn[:offered]), ", ".join(drawn[offered:])]
        writer.writerow([*row, rng.choice(ISSUE_ZONES), years])
    return out.getvalue().encode()


def community_csv(size: int, seed: int = 11) -> bytes:
    """`size` accepted members with 3-8 Zipf-popular skills, zones and experience."""
    rng = random.Random(seed)
    names = [name for name, _, _ in skills.load_vocabulary().entries]
    rng.shuffle(names)
    weights = [1 / (rank + 1) for rank in range(len(names))]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone", "Years"])
    for n in range(size):
        drawn: list[str] = []
        while len(drawn) < rng.randint(3, 8):
            pick = rng.choices(names, weights)[0]
            if pick not in drawn:
                drawn.append(pick)
        cut = rng.randint(1, len(drawn) - 1)
        writer.writerow(
            [
                f"m{n}@bench.example",
                f"Member {n}",
                ", ".join(drawn[:cut]),
                ", ".join(drawn[cut:]),
                rng.choices(demo.ZONES, demo._ZONE_WEIGHTS)[0],
                str(max(1, int(rng.lognormvariate(1.7, 0.6)))),
            ]
        )
    return out.getvalue().encode()


FREE_SLOTS = [
    *[{"day": d, "start": "18:00", "end": "22:00"} for d in ("mon", "tue", "wed", "thu", "fri")],
    *[{"day": d, "start": "07:00", "end": "09:00"} for d in ("mon", "tue", "wed", "thu", "fri")],
    *[{"day": d, "start": "12:00", "end": "13:00"} for d in ("mon", "wed", "fri")],
    *[{"day": d, "start": t, "end": e} for d in ("sat", "sun") for t, e in (("09:00", "12:00"), ("14:00", "18:00"))],
]


def give_free_times(con, share: float, seed: int = 12) -> int:
    """Give `share` of the members 2-4 weekly slots and a budget (0.5-2 hours); returns how many."""
    rng = random.Random(seed)
    ids = [r[0] for r in con.execute("SELECT id FROM applicants ORDER BY id").fetchall()]
    chosen = [i for i in ids if rng.random() < share]
    rows = [
        [json.dumps(rng.sample(FREE_SLOTS, rng.randint(2, 4))), rng.choice([0.5, 1.0, 1.0, 1.5, 2.0]), i]
        for i in chosen
    ]
    if rows:
        con.executemany("UPDATE applicants SET availability = ?, hours_per_week = ? WHERE id = ?", rows)
    return len(rows)


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def build(size: int, path: Path, shape: str, availability: float) -> None:
    """A database of `size` accepted members of the chosen shape, `availability` of them with free times."""
    con = startup.open_database(path)
    data = issue_csv(size) if shape == "issue" else community_csv(size)
    importer.import_applications(con, data, filename="bench.csv", status="accepted")
    give_free_times(con, availability)
    con.close()


def large_round(con, pool: pd.DataFrame, settings: score.Settings, steps: dict) -> pd.DataFrame:
    """suggest_round's large-pool path, step by step (timed into `steps`): the pruned pairs come scored from the
    database, so "scoring" is the exact score of the pairs chosen."""
    raw, steps["candidates"] = timed(lambda: candidates.pruned_pairs(con, pool, rounds.PRUNE_KEEP, settings))
    steps["kept"] = len(raw)
    (chosen, _), steps["matching"] = timed(lambda: rounds._best_round(raw, rounds.EXACT_LIMIT + 1, None))
    rest, steps["left out repaired"] = timed(
        lambda: rounds._pair_the_rest(con, pool, raw, chosen, settings, most_people=True)
    )
    raw_left, scored_left, chosen = rest
    chosen, steps["scoring"] = timed(lambda: rounds.rescored(chosen, pool, settings))
    steps["_left"] = (raw_left, scored_left)
    return chosen


def exact_round(con, pool: pd.DataFrame, settings: score.Settings, steps: dict) -> pd.DataFrame:
    """suggest_round's exact path, step by step (what the dashboard does up to rounds.EXACT_LIMIT members)."""
    raw, steps["candidates"] = timed(lambda: candidates.candidate_pairs(con, pool))
    steps["kept"] = len(raw)
    scored, steps["scoring"] = timed(lambda: score.score_pairs(raw, pool, settings))
    (chosen, _), steps["matching"] = timed(lambda: rounds._best_round(scored, len(pool), None))
    steps["left out repaired"] = 0.0
    steps["_left"] = (raw, scored)
    return chosen


def mutual_pairs(con, pool: pd.DataFrame) -> int:
    """How many mutual candidate pairs there are before any pruning (counted in DuckDB)."""
    db.register(con, "_pool_ids", pool[["id"]].reset_index(drop=True))
    try:
        sql = f"""WITH {candidates._MUTUAL} SELECT count(*) FROM (SELECT p.m, q.m FROM keys p JOIN keys q
                  ON p.x = q.y AND p.y = q.x WHERE p.m < q.m GROUP BY 1, 2)"""
        return con.execute(sql).fetchall()[0][0]
    finally:
        db.unregister(con, "_pool_ids")


def every_pair_scored(con, pool: pd.DataFrame, settings: score.Settings, chunk: int = 4000) -> pd.DataFrame:
    """Every candidate pair the score can suggest, with its score only, scored a chunk of members at a time."""
    parts = []
    ids = pool.index.to_numpy()
    for start in range(0, len(ids), chunk):
        mine = ids[start : start + chunk].tolist()
        raw = candidates.pairs_touching(con, pool, mine)
        raw = raw[raw["a"].isin(mine)]  # each pair once: in the chunk of its smaller id
        scored = score.score_pairs(raw, pool, settings)
        parts.append(scored[["a", "b", "score"]].astype({"a": "int32", "b": "int32", "score": "float32"}))
    return pd.concat(parts, ignore_index=True).astype({"score": "float64"})


def thousandths(pairs: pd.DataFrame) -> int:
    return int(np.rint(pairs["score"].to_numpy() * 1000).sum())


def measure(path: Path, exact_max: int, bound_max: int) -> dict:
    """One size, measured in this (fresh) process: steps, whole round, one member, peak memory, quality."""
    con = startup.open_database(path)
    settings = score.load_settings(con)
    candidates.eligible_members(con)  # time-zone data is read once per process, as in the running dashboard
    steps: dict = {}
    pool, steps["pool"] = timed(lambda: candidates.eligible_members(con))
    large = len(pool) > rounds.EXACT_LIMIT
    chosen = (large_round if large else exact_round)(con, pool, settings, steps)
    raw_left, scored_left = steps.pop("_left")
    matched = set(chosen["a"]) | set(chosen["b"])
    _, steps["reasons"] = timed(lambda: rounds.describe_pairs(con, chosen, pool))
    _, steps["why not"] = timed(lambda: why_not.why_unmatched(con, pool, raw_left, scored_left, matched, settings))
    found, t_round = timed(lambda: rounds.suggest_round(con, settings=settings))
    email = pool["email"].iloc[len(pool) // 2]
    member = sorted(timed(lambda: rounds.suggest_partners(con, email, settings=settings))[1] for _ in range(5))[2]
    row = {
        "size": len(pool),
        "large": large,
        "steps": steps,
        "t_round": t_round,
        "t_member": member,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "pairs": len(found.pairs),
        "left_out": len(found.unmatched),
        "total": thousandths(chosen),
        "same_as_round": len(chosen) == len(found.pairs),
    }
    row["mutual"] = mutual_pairs(con, pool)
    if len(pool) <= exact_max:
        every = score.score_pairs(candidates.candidate_pairs(con, pool), pool, settings)
        exact = solve.max_weight_pairs(every)
        forced = large_round(con, pool, settings, {})
        row["quality"] = {"exact_pairs": len(exact), "exact_total": thousandths(exact)}
        row["quality"] |= {"pruned_pairs": len(forced), "pruned_total": thousandths(forced)}
    elif len(pool) <= bound_max:
        every = every_pair_scored(con, pool, settings)
        row["quality"] = {"bound": solve.double_cover_bound(every) * 1000, "scored_pairs": len(every)}
    con.close()
    return row


def quality_words(r: dict) -> str:
    q = r.get("quality")
    if not q:
        return "not measured"
    if "exact_total" in q:
        same = (
            "same pairs"
            if q["pruned_pairs"] == q["exact_pairs"]
            else f"{q['pruned_pairs']} vs {q['exact_pairs']} pairs"
        )
        return (
            f"pruned large-pool method vs exact: {same}, {q['pruned_total'] / q['exact_total']:.2%} of the best score"
        )
    return (
        f">= {r['total'] / q['bound']:.2%} of the best score (double-cover bound over all {q['scored_pairs']:,} pairs)"
    )


STEPS = ["pool", "candidates", "scoring", "matching", "left out repaired", "reasons", "why not"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000, 50000], help="eligible members")
    parser.add_argument("--shape", choices=["issue", "wide"], default="issue", help="how members are drawn")
    parser.add_argument("--availability", type=float, default=0.8, help="share of members who gave free times")
    parser.add_argument("--exact-max", type=int, default=3000, help="largest size compared with the exact solver")
    parser.add_argument("--bound-max", type=int, default=50000, help="largest size given the double-cover bound")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process: one database
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.exact_max, args.bound_max)))
        return
    print(
        f"Shape: {args.shape}; members who gave free times: {args.availability:.0%}; keep {rounds.PRUNE_KEEP} "
        f"partners each above {rounds.EXACT_LIMIT:,} members.\n"
    )
    print(
        "| members | mutual pairs | pairs kept | " + " | ".join(f"{s} s" for s in STEPS) + " | whole round s "
        "| vs the first size | one member ms | peak memory MB | pairs (left out) | quality |"
    )
    print("|" + "---:|" * (len(STEPS) + 9) + "---|")
    first = None
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"match_{size}.duckdb"
            build(size, path, args.shape, args.availability)
            child = [sys.executable, "-m", "benchmarks.matching", "--measure", str(path)]
            child += ["--exact-max", str(args.exact_max), "--bound-max", str(args.bound_max)]
            out = subprocess.run(child, capture_output=True, text=True, check=True, env=os.environ).stdout
            r = json.loads(out.strip().splitlines()[-1])
            first = first or r["t_round"]
            cells = [f"{r['steps'][s]:.2f}" for s in STEPS]
            print(
                f"| {r['size']:,} | {r['mutual']:,} | {r['steps']['kept']:,} | {' | '.join(cells)} | {r['t_round']:.2f} "
                f"| {r['t_round'] / first:.1f}x | {r['t_member'] * 1000:.0f} | {r['peak_mb']:,.0f} "
                f"| {r['pairs']:,} ({r['left_out']:,}) | {quality_words(r)} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
