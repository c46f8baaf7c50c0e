"""Import benchmark: whole import of generated Google Forms exports vs DuckDB's bare read_csv.

Run: `make bench` (or `python -m benchmarks.import_csv [--sizes 10000 100000]`). Prints a table.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import duckdb

from lib import demo, startup
from lib.intake import importer


def generate_export(rows: int) -> bytes:
    """A realistic export: the demo generator's columns, rows and skill words, at any size."""
    return demo.demo_csv(rows)


def measure(rows: int, folder: Path) -> dict:
    data = generate_export(rows)
    path = folder / f"export_{rows}.csv"
    path.write_bytes(data)
    bare = _best(lambda: _bare_read(path))
    timings = []
    for attempt in range(3):
        con = startup.open_database(folder / f"bench_{rows}_{attempt}.duckdb")
        start = time.perf_counter()
        result = importer.import_applications(con, data, filename=path.name)
        timings.append(time.perf_counter() - start)
        con.close()
    whole = min(timings)
    assert result.inserted == rows, result
    return {"rows": rows, "mb": len(data) / 1e6, "whole": whole, "bare": bare}


def _bare_read(path: Path) -> None:
    """DuckDB's own read_csv of the same file into a table (what the aim compares against)."""
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}', header = true, all_varchar = true)")
    con.close()


def _best(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    print("| rows | file MB | whole import s | rows/s | bare read_csv s | ratio |")
    print("|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.sizes:
            r = measure(rows, Path(tmp))
            print(
                f"| {r['rows']:,} | {r['mb']:.1f} | {r['whole']:.2f} | {r['rows'] / r['whole']:,.0f} | "
                f"{r['bare']:.3f} | {r['whole'] / r['bare']:.1f}x |",
                flush=True,
            )


if __name__ == "__main__":
    main()
