"""Matching benchmark: candidates, scores and the round at 200 / 2,000 / 20,000 eligible members.

The round pairs as many people as possible, then has the best score (the default); the table also shows
the score-first round (setting "max % of total score given up" = 0) for pairs and total score.

Run: `python -m benchmarks.matching [--sizes 200 2000 20000] [--networkx-max 2000] [--exact-check]
[--availability SHARE]`. Skills are drawn from a Zipf-like distribution over the vocabulary's canonical
skills. SHARE of the members (default 0.8; 0 turns it off) gave free times (2-4 weekly slots: evenings,
mornings, lunchtimes or weekend blocks in their local time) and a weekly budget, so the round scores
shared free time and drops pairs that share no hour, as it does for a real community. Prints a table.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

from lib import demo, startup
from lib.intake import importer, skills
from lib.matching import candidates, rounds, score, solve


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


def measure(size: int, folder: Path, networkx_max: int, exact_check: bool, availability: float = 0.8) -> dict:
    con = startup.open_database(folder / f"match_{size}.duckdb")
    importer.import_applications(con, community_csv(size), filename="bench.csv", status="accepted")
    give_free_times(con, availability)
    settings = score.load_settings(con)
    pool, t_pool = timed(lambda: candidates.eligible_members(con))
    cands, t_cand = timed(lambda: candidates.candidate_pairs(con, pool))
    scored, t_score = timed(lambda: score.score_pairs(cands, pool, settings))
    large = len(pool) > rounds.EXACT_LIMIT
    solver = solve.large_pool_pairs if large else solve.max_weight_pairs
    chosen, t_match = timed(lambda: solver(scored))
    total = int(np.rint(chosen["score"].to_numpy() * 1000).sum())
    score_first, t_score_first = timed(lambda: solver(scored, most_people=False))
    score_first_total = int(np.rint(score_first["score"].to_numpy() * 1000).sum())
    row = {
        "size": size,
        "candidates": len(cands),
        "large": large,
        "t_pool": t_pool,
        "t_cand": t_cand,
        "t_score": t_score,
        "t_match": t_match,
        "total": total,
        "pairs": len(chosen),
        "left_out": len(pool) - 2 * len(chosen),
        "t_score_first": t_score_first,
        "score_first_pairs": len(score_first),
        "score_first_total": score_first_total,
    }
    _, row["t_round"] = timed(lambda: rounds.suggest_round(con, settings=settings))
    email = pool["email"].iloc[len(pool) // 2]
    member_times = [timed(lambda: rounds.suggest_partners(con, email, settings=settings))[1] for _ in range(5)]
    row["t_member"] = sorted(member_times)[2]
    row["nx_time"] = row["nx_total"] = None
    if size <= networkx_max:
        graph = nx.Graph()
        graph.add_weighted_edges_from((int(r.a), int(r.b), int(round(r.score * 1000))) for r in scored.itertuples())
        found, row["nx_time"] = timed(lambda: nx.max_weight_matching(graph, maxcardinality=True))
        row["nx_total"] = sum(graph[u][v]["weight"] for u, v in found)
        row["nx_pairs"] = len(found)
    row["bound"] = solve.double_cover_bound(scored) * 1000 if large else None
    row["exact_total"] = None
    if exact_check and large:
        exact, row["t_exact"] = timed(lambda: solve.max_weight_pairs(scored))
        row["exact_total"] = int(np.rint(exact["score"].to_numpy() * 1000).sum())
        row["exact_pairs"] = len(exact)
    con.close()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    parser.add_argument("--networkx-max", type=int, default=2000, help="largest size to also solve with networkx")
    parser.add_argument("--exact-check", action="store_true", help="also solve the large graph exactly (very slow)")
    parser.add_argument("--availability", type=float, default=0.8, help="share of members who gave free times")
    args = parser.parse_args()
    print(f"Members who gave free times and a budget: {args.availability:.0%}.\n")
    print(
        "| members | candidate pairs | candidates s | scoring s | matching s | score-first matching s | whole round s "
        "| one member ms (median of 5) | pairs (left out) | score-first pairs | total score vs score-first "
        "| networkx s | networkx (max cardinality) pairs and total = ours | vs exact |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            r = measure(size, Path(tmp), args.networkx_max, args.exact_check, args.availability)
            nx_time = f"{r['nx_time']:.2f}" if r["nx_time"] is not None else "not run"
            same = ""
            if r["nx_total"] is not None:
                agree = (r["nx_pairs"], r["nx_total"]) == (r["pairs"], r["total"])
                same = "yes" if agree else f"NO ({r['nx_pairs']} pairs, {r['nx_total']})"
            ratio = "exact"
            if r["large"]:
                ratio = f">= {r['total'] / r['bound']:.4f} of the best score (double-cover upper bound)"
                if r["exact_total"]:
                    ratio += (
                        f"; {r['pairs']} vs {r['exact_pairs']} pairs, score {r['total'] / r['exact_total']:.4f} "
                        f"vs exact ({r['t_exact']:.0f} s)"
                    )
            versus = r["total"] / r["score_first_total"] if r["score_first_total"] else 1.0
            print(
                f"| {size:,} | {r['candidates']:,} | {r['t_cand']:.2f} | {r['t_score']:.2f} | "
                f"{r['t_match']:.2f} | {r['t_score_first']:.2f} | {r['t_round']:.2f} | {r['t_member'] * 1000:.0f} | "
                f"{r['pairs']:,} ({r['left_out']:,}) | {r['score_first_pairs']:,} | {versus:.4f} | {nx_time} | "
                f"{same} | {ratio} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
