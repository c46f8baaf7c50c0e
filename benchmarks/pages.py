"""Page speed in a real browser: time from clicking a page's sidebar link to the page being fully drawn.

Run: `python -m benchmarks.pages [--members 20000] [--pairings 50000]` (and with the demo: `--demo`).
Prints, per page, the browser time (median of 3 visits) and the dashboard process's memory.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks.analytics import build
from lib import db, demo, ui
from tools.dashboard_server import launch_browser, running_dashboard

HEADINGS = {
    "Home": "Peer mentoring: today",
    "Import": "Import applications",
    "Skill vocabulary": "Skill vocabulary",
    "Audit log": "Audit log",
}


def drawn(page) -> None:
    """Wait until Streamlit has finished running the script and drawing."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]') && "
        "document.querySelector('[data-testid=\"stAppViewContainer\"]')",
        timeout=300_000,
    )
    page.wait_for_timeout(50)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(path: Path) -> None:
    with running_dashboard(path, timeout=120) as url, sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url)
        drawn(page)
        print("| page | browser ms (median of 3) |")
        print("|---|---:|")
        for _, label, _ in ui.NAV:
            times = []
            for _ in range(3):
                start = time.perf_counter()
                page.locator('[data-testid="stSidebar"]').get_by_role("link", name=label, exact=True).click()
                page.get_by_role("heading", name=HEADINGS.get(label, label), exact=True).first.wait_for(timeout=300_000)
                drawn(page)
                times.append((time.perf_counter() - start) * 1000)
            print(f"| {label} | {statistics.median(times):.0f} |", flush=True)
        pid = (
            int(Path(path.with_suffix(".server.pid")).read_text()) if path.with_suffix(".server.pid").exists() else None
        )
        browser.close()
        if pid:
            print(f"\ndashboard process memory: {rss_mb(pid):.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--pairings", type=int, default=50_000)
    parser.add_argument("--demo", action="store_true", help="measure the demo community instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pages.duckdb"
        if args.demo:
            con = db.connect(path)
            demo.load_demo(con)
            con.close()
            print("demo community (320 applicants, about 155 pairings)\n")
        else:
            build(path, args.members, args.pairings)
            print(f"{args.members:,} members, {args.pairings:,} pairings\n")
        measure(path)


if __name__ == "__main__":
    main()
