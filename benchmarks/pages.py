"""Page speed in a real browser: time from clicking a page's sidebar link to the page being fully drawn.

Run: `python -m benchmarks.pages [--members 20000] [--pairings 50000]` (with the demo: `--demo`; on a copy of
a database of your own, e.g. one built by benchmarks.matching with 20,000 members all waiting: `--db PATH`).
Prints, per page, the browser time and the server's script time (medians of 3 visits after a first
visit that warms the caches, which is also printed) and the dashboard process's memory.

"Fully drawn" means: the server has sent `script_finished` for the run the click started, Streamlit's
running indicator is gone, every visible chart has drawn its canvas or SVG, and two animation frames have
passed (Streamlit's `script_finished` message is read off the websocket with Streamlit's own protobuf
classes). The server's script time is the page script's run inside the dashboard process, written
by tools.timed_streamlit, which starts the dashboard for this benchmark.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.analytics import build
from lib import demo, startup, ui
from tools.dashboard_server import launch_browser, page_title, running_dashboard


class ScriptClock:
    """Watches Streamlit's websocket for the `script_finished` message that ends a run, and reads the
    server's own script times (tools.timed_streamlit appends one line per run to `times`)."""

    def __init__(self, page, times: Path) -> None:
        self.times = times
        self.finished = False
        self.seen = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def reset(self) -> None:
        self.finished = False
        self.seen = len(self._lines())

    def _lines(self) -> list[str]:
        return self.times.read_text().splitlines() if self.times.exists() else []

    def _frame(self, payload) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # noqa: BLE001 - a frame that is not a ForwardMsg is not ours to time
            return
        if msg.WhichOneof("type") == "script_finished":
            self.finished = True

    def script_ms(self) -> float:
        """Server time of the runs since the last reset (a click can start more than one run)."""
        return sum(float(line.split("\t")[0]) for line in self._lines()[self.seen :])


def drawn(page, clock: ScriptClock) -> None:
    """Wait until the run has finished on the server and the browser has drawn all of it."""
    deadline = time.perf_counter() + 300
    while not clock.finished:
        if time.perf_counter() > deadline:
            raise TimeoutError("the page never finished running")
        page.wait_for_timeout(5)
    page.wait_for_function(
        """() => {
            if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
            if (!document.querySelector('[data-testid="stAppViewContainer"]')) return false;
            return [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                .every(c => !c.checkVisibility() || c.querySelector('canvas, svg'));
        }""",
        timeout=300_000,
        polling="raf",
    )
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def visit(page, clock: ScriptClock, label: str) -> tuple[float, float]:
    """Click the page's sidebar link; browser ms until fully drawn and the server's script ms."""
    clock.reset()
    start = time.perf_counter()
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name=label, exact=True).click()
    page.get_by_role("heading", name=page_title(label), exact=True).first.wait_for(timeout=300_000)
    drawn(page, clock)
    return (time.perf_counter() - start) * 1000, clock.script_ms()


def measure(path: Path, *, visits: int = 3) -> list[tuple[str, float, float, float, float]]:
    """Visit every page (once cold, then `visits` times); print and return the table."""
    rows = []
    times = path.with_suffix(".times")
    with running_dashboard(path, timeout=120, script_times=times) as url, sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        clock = ScriptClock(page, times)
        page.goto(url)
        drawn(page, clock)
        print("| page | first visit ms | browser ms | server script ms |")
        print("|---|---:|---:|---:|")
        for _, label, _ in ui.NAV:
            first, _ = visit(page, clock, label)
            runs = [visit(page, clock, label) for _ in range(visits)]
            browser_ms = statistics.median(r[0] for r in runs)
            script_ms = statistics.median(r[1] for r in runs)
            rows.append((label, first, browser_ms, script_ms))
            print(f"| {label} | {first:.0f} | {browser_ms:.0f} | {script_ms:.0f} |", flush=True)
        pid_file = path.with_suffix(".server.pid")
        pid = int(pid_file.read_text()) if pid_file.exists() else None
        browser.close()
        if pid:
            print(f"\ndashboard process memory: {rss_mb(pid):.0f} MB")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--pairings", type=int, default=50_000)
    parser.add_argument("--demo", action="store_true", help="measure the demo community instead")
    parser.add_argument("--db", type=Path, help="measure a copy of this database instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pages.duckdb"
        if args.db:
            shutil.copyfile(args.db, path)
            print(f"a copy of {args.db}\n")
        elif args.demo:
            con = startup.open_database(path)
            demo.load_demo(con)
            con.close()
            print("demo community (320 applicants, about 155 pairings)\n")
        else:
            build(path, args.members, args.pairings)
            print(f"{args.members:,} members, {args.pairings:,} pairings\n")
        measure(path)


if __name__ == "__main__":
    main()
