"""Skills benchmark: normalising members' words and the coverage page's queries at scale.

Run: `python -m benchmarks.skills [--sizes 10000 100000]`. Prints a table.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import tempfile
import time
from pathlib import Path

from lib import demo, startup
from lib.insight import coverage
from lib.intake import importer, skills
from lib.storage import db


def _median_ms(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def long_tail_export(size: int) -> bytes:
    """The demo export with a realistic long tail: a third of members write one word their own way."""
    rng = random.Random(7)
    rows = list(csv.reader(io.StringIO(demo.demo_csv(size).decode())))
    for row in rows[1:]:
        if rng.random() < 0.33:
            word = rng.choice(demo.SKILLS)
            row[6] += ", " + rng.choice(
                [
                    word.upper(),
                    f"{word} (basics)",
                    _typo(word, rng),
                    f"{word} {rng.randint(1, 5000)}",
                    _made_up_word(rng),
                ]
            )
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def _made_up_word(rng: random.Random) -> str:
    syllables = ["ka", "lo", "mi", "tren", "dra", "vos", "ul", "pex", "qua", "zin", "bor", "ety"]
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize() + " framework"


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def measure(size: int, folder: Path) -> dict:
    con = startup.open_database(folder / f"skills_{size}.duckdb")
    importer.import_applications(con, long_tail_export(size), filename="bench.csv", status="accepted")
    words = con.execute("SELECT count(*), count(DISTINCT raw) FROM applicant_skills").fetchone()
    start = time.perf_counter()
    with db.transaction(con):
        con.execute("UPDATE applicant_skills SET skill_id = NULL")
        skills.normalise(con)
    normalise_s = time.perf_counter() - start
    queries = {
        "coverage": lambda: coverage.coverage(con),
        "gaps": lambda: coverage.gaps(con),
        "surplus": lambda: coverage.surplus(con),
        "exchanges": lambda: coverage.exchanges(con),
        "duplicates": lambda: coverage.likely_duplicates(con),
    }
    timings = {name: _median_ms(fn) for name, fn in queries.items()}
    con.close()
    return {"size": size, "rows": words[0], "distinct": words[1], "normalise": normalise_s, **timings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    print(
        "| applicants | skill rows | distinct words | normalise s | per 10k skills s | coverage ms | gaps ms "
        "| surplus ms | exchanges ms | duplicates ms |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            r = measure(size, Path(tmp))
            print(
                f"| {r['size']:,} | {r['rows']:,} | {r['distinct']:,} | {r['normalise']:.2f} | "
                f"{r['normalise'] / r['rows'] * 10_000:.3f} | {r['coverage']:.0f} | {r['gaps']:.0f} | "
                f"{r['surplus']:.0f} | {r['exchanges']:.0f} | {r['duplicates']:.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
