"""Kill the command line with SIGKILL in the middle of an import, a run of merges and a round of confirms,
many times, and check that each operation left all or none of itself.

Run: `python -m tools.crash_check [--kills 20]` (kills per operation). The test suite runs a few.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lib import db, demo

ROOT = Path(__file__).resolve().parent.parent
IMPORT_ROWS = 30_000
BASE_PAIRINGS = 0
SCRIPTS = {
    "import": "import sys; from lib import db, importer; from pathlib import Path; "
    "con = db.connect(sys.argv[1]); importer.import_applications(con, Path(sys.argv[2]).read_bytes(), "
    "filename='big.csv', status='accepted')",
    "merge": "import sys; from lib import db, skills; con = db.connect(sys.argv[1]); "
    "[skills.merge_skills(con, s, 'General programming') for s in sys.argv[2].split('|')]",
    "round": "import sys; from lib import db, matching, pairs; con = db.connect(sys.argv[1]); "
    "r = matching.suggest_round(con); pairs.confirm_pairs(con, list(zip(r.pairs.a_email, r.pairs.b_email)))",
}


def prepare(folder: Path) -> tuple[Path, Path, str]:
    """A base database (the demo community) and a big export to import."""
    base = folder / "base.duckdb"
    con = db.connect(base)
    demo.load_demo(con)
    global BASE_PAIRINGS
    BASE_PAIRINGS = con.execute("SELECT max(id) FROM pairings").fetchone()[0] or 0
    merge_names = [
        n
        for (n,) in con.execute(
            "SELECT DISTINCT k.name FROM skills k JOIN applicant_skills s ON s.skill_id = k.id "
            "WHERE k.name <> 'General programming' ORDER BY 1 LIMIT 80"
        ).fetchall()
    ]
    con.close()
    big = folder / "big.csv"
    big.write_bytes(demo.demo_csv(IMPORT_ROWS).replace(b"@example.", b"@big.example."))
    return base, big, "|".join(merge_names)


def run_once(kind: str, base: Path, big: Path, merges: str, folder: Path, delay: float) -> tuple[bool, str]:
    """Copy the base, start the operation, SIGKILL it after `delay` s; return (killed mid-way, verdict)."""
    path = folder / f"trial-{kind}.duckdb"
    for stale in folder.glob(f"trial-{kind}.duckdb*"):
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    shutil.copy(base, path)
    argument = str(big) if kind == "import" else merges
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPTS[kind], str(path), argument],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    finished = process.poll() is not None
    if not finished:
        process.send_signal(signal.SIGKILL)
    process.wait()
    return not finished, check(kind, path)


def check(kind: str, path: Path) -> str:
    """'ok' when the database holds all or none of the operation, else what is wrong."""
    con = db.connect(path)
    try:
        if kind == "import":
            big = con.execute("SELECT count(*) FROM applicants WHERE email LIKE '%@big.example.%'").fetchone()[0]
            skills_rows = con.execute(
                "SELECT count(*) FROM applicant_skills s JOIN applicants a ON a.id = s.applicant_id "
                "WHERE a.email LIKE '%@big.example.%'"
            ).fetchone()[0]
            logged = con.execute("SELECT count(*) FROM imports WHERE filename = 'big.csv'").fetchone()[0]
            if (big, logged) == (0, 0) and skills_rows == 0:
                return "ok"
            return "ok" if big == IMPORT_ROWS and logged == 1 and skills_rows > big else f"partial import: {big} rows"
        if kind == "merge":
            broken = con.execute(
                "SELECT count(*) FROM skills k WHERE (k.merged_into IS NOT NULL) <> EXISTS "
                "(SELECT 1 FROM skill_merges m WHERE m.from_skill_id = k.id AND m.undone_at IS NULL) "
                "OR (k.merged_into IS NOT NULL AND EXISTS (SELECT 1 FROM applicant_skills s WHERE s.skill_id = k.id))"
            ).fetchone()[0]
            return "ok" if broken == 0 else f"{broken} half-merged skills"
        made = con.execute("SELECT count(*) FROM pairings WHERE id > ?", [BASE_PAIRINGS]).fetchone()[0]
        rows = con.execute("SELECT count(*) FROM open_pair_members").fetchone()[0]
        open_pairs = con.execute("SELECT count(*) FROM pairings WHERE state <> 'ended'").fetchone()[0]
        if rows != 2 * open_pairs:
            return f"{rows} open members for {open_pairs} open pairs"
        return "ok" if made == 0 or made > 10 else f"only {made} pairs of the round were written"
    finally:
        con.close()


def main(argv: list[str] | None = None) -> dict[str, dict[str, int]]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=20, help="kill points per operation")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    results: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base, big, merges = prepare(folder)
        print("| operation | kill points tried | killed mid-way | all-or-none held |")
        print("|---|---:|---:|---:|")
        for kind, window in (("import", (0.8, 4.0)), ("merge", (0.8, 5.0)), ("round", (0.8, 4.0))):
            tally = {"tried": 0, "killed": 0, "ok": 0, "problems": []}
            for _ in range(args.kills):
                killed, verdict = run_once(kind, base, big, merges, folder, rng.uniform(*window))
                tally["tried"] += 1
                tally["killed"] += killed
                if verdict == "ok":
                    tally["ok"] += 1
                else:
                    tally["problems"].append(verdict)
            results[kind] = tally
            print(f"| {kind} | {tally['tried']} | {tally['killed']} | {tally['ok']} |", flush=True)
    return results


if __name__ == "__main__":
    outcome = main()
    sys.exit(0 if all(t["ok"] == t["tried"] for t in outcome.values()) else 1)
