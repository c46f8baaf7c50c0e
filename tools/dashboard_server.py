"""Start the real dashboard on a free loopback port for browser tests, screenshots and benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# Each page's title where it differs from its sidebar label (lib.ui.NAV).
_TITLES = {"Home": "Peer mentoring: today", "Import": "Import applications"}


def page_title(label: str) -> str:
    """The heading a page shows, for its sidebar label."""
    return _TITLES.get(label, label)


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_dashboard(
    db_path: Path, *, env: dict[str, str] | None = None, timeout: float = 60, script_times: Path | None = None
) -> Iterator[str]:
    """Run `streamlit run app.py` on a free port until the block ends; yields the base URL.

    With `script_times`, each script run's server-side time is appended to that file (tools.timed_streamlit).
    """
    port = free_port()
    environ = {**os.environ, "MENTORING_DB": str(db_path), **(env or {})}
    if script_times:
        environ["MENTORING_SCRIPT_TIMES"] = str(script_times)
    command = [
        sys.executable,
        "-m",
        "tools.timed_streamlit" if script_times else "streamlit",
        "run",
        "app.py",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    log = open(db_path.with_suffix(".server.log"), "w")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    db_path.with_suffix(".server.pid").write_text(str(process.pid))
    try:
        _wait_healthy(url, process, timeout)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


# Sized for a busy 2-core machine: every browser wait in tests and tools uses this.
SLOW_MS = 60_000


def settled(page) -> None:
    """Wait until the app is connected and its script has finished running (Streamlit's own e2e signal)."""
    from playwright.sync_api import expect

    app = page.locator('[data-testid="stApp"]')
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=SLOW_MS)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=SLOW_MS)


def widgets_drawn(page) -> None:
    """Wait until no element is still a grey placeholder: Streamlit loads the code of tables, lists and radio
    buttons on first use and shows a skeleton meanwhile (a screenshot taken then shows grey boxes)."""
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]')""",
        timeout=SLOW_MS,
    )


def charts_drawn(page) -> None:
    """Wait until every Vega-Lite chart on the page has drawn its canvas or SVG."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                 .every(c => c.querySelector('canvas, svg'))""",
        timeout=SLOW_MS,
    )


def launch_browser(playwright):
    """Debian's Chromium, headless, with this machine's closed network in mind."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The dashboard exited with code {process.returncode} before it was ready.")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"The dashboard did not answer on {url} within {timeout:.0f} s.")
