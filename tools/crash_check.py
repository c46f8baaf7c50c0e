"""Kill the command line, and the dashboard process itself, with SIGKILL in the middle of an import, a run
of merges and a round of confirms, many times, and check that each operation left all or none of itself.

Run: `python -m tools.crash_check [--kills 20] [--dashboard-kills 10]` (kill points per operation). The
command line runs the operations through lib directly; the dashboard is the real `streamlit run app.py`
driven by Chromium (upload and "Import" on the Import page, "Confirm N pairs" on the Matching page),
killed at a random moment after the click. The test suite runs a few of each.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lib import demo, startup
from lib.matching import rounds

ROOT = Path(__file__).resolve().parent.parent
IMPORT_ROWS = 30_000
BASE_PAIRINGS = 0
ROUND_PAIRS = 0  # pairs in the base's round, set by prepare()
SCRIPTS = {
    "import": "import sys; from lib import startup; from lib.intake import importer; from pathlib import Path; "
    "con = startup.open_database(sys.argv[1]); importer.import_applications(con, Path(sys.argv[2]).read_bytes(), "
    "filename='big.csv', status='accepted')",
    "merge": "import sys; from lib import startup; from lib.intake import skills; con = startup.open_database(sys.argv[1]); "
    "[skills.merge_skills(con, s, 'General programming') for s in sys.argv[2].split('|')]",
    "round": "import sys; from lib import startup; from lib.matching import rounds; from lib.pair_life import pairs; con = startup.open_database(sys.argv[1]); "
    "r = rounds.suggest_round(con); pairs.confirm_pairs(con, list(zip(r.pairs.a_email, r.pairs.b_email)))",
}


def prepare(folder: Path) -> tuple[Path, Path, str]:
    """A base database (the demo community) and a big export to import."""
    base = folder / "base.duckdb"
    con = startup.open_database(base)
    demo.load_demo(con)
    global BASE_PAIRINGS, ROUND_PAIRS
    BASE_PAIRINGS = con.execute("SELECT max(id) FROM pairings").fetchone()[0] or 0
    ROUND_PAIRS = len(rounds.suggest_round(con).pairs)  # what a whole round writes: all of it, or none
    if ROUND_PAIRS < 2:
        raise RuntimeError(f"The demo's round has {ROUND_PAIRS} pairs: too few to tell all from part.")
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


def run_dashboard_once(kind: str, base: Path, big: Path, folder: Path, delay: float, browser) -> tuple[bool, str]:
    """Copy the base, start the dashboard on it, start the operation from its page, SIGKILL the dashboard
    `delay` s after the click; return (killed before the page showed it done, verdict)."""
    from playwright.sync_api import expect

    from tools.dashboard_server import running_dashboard

    path = folder / f"dash-{kind}.duckdb"
    for stale in folder.glob(f"dash-{kind}.*"):
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    shutil.copy(base, path)
    with running_dashboard(path, timeout=120) as url:
        pid = int(path.with_suffix(".server.pid").read_text())
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(120_000)
        try:
            if kind == "import":
                page.goto(f"{url}/Import")
                page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(big)
                button = page.get_by_role("button", name=f"Import {IMPORT_ROWS:,} rows")
                done = page.get_by_text("Imported big.csv", exact=False)
            elif kind == "merge":  # the demo's one proposed duplicate, merged with its button
                page.goto(f"{url}/Vocabulary")
                button = page.get_by_role("button", name="Merge", exact=True).first
                done = page.get_by_text("Undo", exact=True).first
            else:
                page.goto(f"{url}/Matching")
                button = page.get_by_role("button", name=re.compile(r"^Confirm \d+ pairs$"))
                done = page.get_by_text("their introductions are drafted in the Outbox").first
            expect(button).to_be_enabled(timeout=120_000)  # a busy 2-core machine; never the 5 s default
            button.click()
            time.sleep(delay)
            finished = done.is_visible()
            os.kill(pid, signal.SIGKILL)
        finally:
            page.close()
    return not finished, check(kind, path)


def check(kind: str, path: Path) -> str:
    """'all' or 'none' when the database holds all or none of the operation, else what is wrong."""
    kind = kind.removeprefix("dashboard ")
    con = startup.open_database(path)
    try:
        if kind == "import":
            big = con.execute("SELECT count(*) FROM applicants WHERE email LIKE '%@big.example.%'").fetchone()[0]
            skills_rows = con.execute(
                "SELECT count(*) FROM applicant_skills s JOIN applicants a ON a.id = s.applicant_id "
                "WHERE a.email LIKE '%@big.example.%'"
            ).fetchone()[0]
            logged = con.execute("SELECT count(*) FROM imports WHERE filename = 'big.csv'").fetchone()[0]
            if (big, logged) == (0, 0) and skills_rows == 0:
                return "none"
            return "all" if big == IMPORT_ROWS and logged == 1 and skills_rows > big else f"partial import: {big} rows"
        if kind == "merge":
            broken = con.execute(
                "SELECT count(*) FROM skills k WHERE (k.merged_into IS NOT NULL) <> EXISTS "
                "(SELECT 1 FROM skill_merges m WHERE m.from_skill_id = k.id AND m.undone_at IS NULL) "
                "OR (k.merged_into IS NOT NULL AND EXISTS (SELECT 1 FROM applicant_skills s WHERE s.skill_id = k.id))"
            ).fetchone()[0]
            if broken:
                return f"{broken} half-merged skills"
            # a run of merges is many operations (one transaction each): each found must be whole
            done = con.execute("SELECT count(*) FROM skill_merges WHERE undone_at IS NULL").fetchone()[0]
            return "none" if done == 0 else "all"
        made = con.execute("SELECT count(*) FROM pairings WHERE id > ?", [BASE_PAIRINGS]).fetchone()[0]
        rows = con.execute("SELECT count(*) FROM open_pair_members").fetchone()[0]
        open_pairs = con.execute("SELECT count(*) FROM pairings WHERE state <> 'ended'").fetchone()[0]
        if rows != 2 * open_pairs:
            return f"{rows} open members for {open_pairs} open pairs"
        if made == 0:
            return "none"
        return "all" if made == ROUND_PAIRS else f"{made} of the round's {ROUND_PAIRS} pairs were written"
    finally:
        con.close()


def main(argv: list[str] | None = None) -> dict[str, dict[str, int]]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=20, help="kill points per operation")
    parser.add_argument("--dashboard-kills", type=int, default=10, help="kill points per dashboard operation")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    results: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base, big, merges = prepare(folder)
        print("| operation | kill points tried | killed before done | all-or-none held | found all | found none |")
        print("|---|---:|---:|---:|---:|---:|")
        for kind, window in (("import", (0.8, 4.0)), ("merge", (0.8, 5.0)), ("round", (0.8, 4.0))):
            if not args.kills:
                break
            tally = _tally(args.kills, lambda k=kind, w=window: run_once(k, base, big, merges, folder, rng.uniform(*w)))
            results[kind] = tally
            _row(f"{kind} (command line)", tally)
        if args.dashboard_kills:
            results.update(_dashboard_trials(args.dashboard_kills, rng, base, big, folder))
    return results


def _tally(kills: int, attempt) -> dict:
    """Run `attempt()` (returning (killed before done, verdict)) `kills` times and count the outcomes."""
    tally = {"tried": 0, "killed": 0, "ok": 0, "all": 0, "none": 0, "problems": []}
    for _ in range(kills):
        killed, verdict = attempt()
        tally["tried"] += 1
        tally["killed"] += killed
        if verdict in ("all", "none"):
            tally["ok"] += 1
            tally[verdict] += 1
        else:
            tally["problems"].append(verdict)
    return tally


def _row(name: str, t: dict) -> None:
    print(f"| {name} | {t['tried']} | {t['killed']} | {t['ok']} | {t['all']} | {t['none']} |", flush=True)


def _dashboard_trials(kills: int, rng: random.Random, base: Path, big: Path, folder: Path) -> dict:
    from playwright.sync_api import sync_playwright

    from tools.dashboard_server import launch_browser

    results = {}
    with sync_playwright() as p:
        browser = launch_browser(p)
        try:
            for kind, window in (("import", (0.0, 4.0)), ("merge", (0.0, 0.4)), ("round", (0.0, 2.0))):
                tally = _tally(
                    kills, lambda k=kind, w=window: run_dashboard_once(k, base, big, folder, rng.uniform(*w), browser)
                )
                results[f"dashboard {kind}"] = tally
                _row(f"{kind} (dashboard)", tally)
        finally:
            browser.close()
    return results


if __name__ == "__main__":
    outcome = main()
    sys.exit(0 if all(t["ok"] == t["tried"] for t in outcome.values()) else 1)
