"""Demo benchmark: loading the demo community (320 applicants and a year of pair history), as the home page's
"Load the demo community" button does, in a fresh process each time.

Run: `python -m benchmarks.demo_load [--runs 5]`. Prints the median and the slowest of the runs, for the first
load into an empty database (what a newcomer waits for) and for loading it again over itself.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_ONE_RUN = """
import json, sys, time
from lib import startup, demo
con = startup.open_database(sys.argv[1])
started = time.perf_counter(); demo.load_demo(con); first = time.perf_counter() - started
started = time.perf_counter(); demo.load_demo(con); again = time.perf_counter() - started
print(json.dumps({"first": first, "again": again}))
"""


def one_run(folder: Path) -> dict[str, float]:
    """Both loads timed in a new Python process (so nothing is warm that a newcomer's first click would not have)."""
    out = subprocess.run(
        [sys.executable, "-c", _ONE_RUN, str(folder / "demo.duckdb")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="how many fresh processes to time (default 5)")
    args = parser.parse_args(argv)
    runs = []
    for n in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            runs.append(one_run(Path(folder)))
            print(f"run {n + 1}: first {runs[-1]['first']:.2f} s, again {runs[-1]['again']:.2f} s", file=sys.stderr)
    print("| load | median | slowest |\n|---|---|---|")
    for key, label in (("first", "into an empty database"), ("again", "again, over the loaded demo")):
        times = [r[key] for r in runs]
        print(f"| {label} | {statistics.median(times):.2f} s | {max(times):.2f} s |")


if __name__ == "__main__":
    main()
