"""Regenerate docs/screenshots/*.png from the real dashboard with the demo community (`make screenshots`)."""

from __future__ import annotations

import re
import tempfile
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright

from lib import demo, startup
from lib.group import roster
from lib.messages import settings
from lib.pair_life import pace, pairs
from lib.storage import db
from tools.dashboard_server import (
    ROOT,
    SLOW_MS,
    charts_drawn,
    launch_browser,
    running_dashboard,
    settled,
    widgets_drawn,
)

OUT = ROOT / "docs" / "screenshots"
PAGES = {
    "home": "",
    "import": "Import",
    "applicants": "Applicants",
    "skills": "Skills",
    "vocabulary": "Vocabulary",
    "matching": "Matching",
    "pairs": "Pairs",
    "outbox": "Outbox",
    "templates": "Templates",
    "group": "Group",
    "analytics": "Analytics",
    "audit": "Audit",
    "data": "Data",
}
# tabs that only draw when opened: file name -> (page, tab)
TABS = {
    "skills_gaps": ("Skills", "Gaps and surplus"),
    "skills_exchanges": ("Skills", "Exchanges"),
    "analytics_duration": ("Analytics", "Duration"),
    "analytics_growth": ("Analytics", "Growth"),
    "analytics_skills": ("Analytics", "Skills"),
    "analytics_time": ("Analytics", "Time and drop-outs"),
}
WIDTH, HEIGHT = 1280, 900


def _settle(page) -> None:
    settled(page)
    widgets_drawn(page)
    charts_drawn(page)


def _shoot(page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main area, so grow the window to the content first."""
    tall = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    height = max(HEIGHT, min(int(tall) + 40, 8000))
    page.set_viewport_size({"width": WIDTH, "height": height})
    page.wait_for_function("h => window.innerHeight === h", arg=height, timeout=SLOW_MS)
    widgets_drawn(page)
    charts_drawn(page)  # charts redraw at the new size
    page.screenshot(path=str(OUT / f"{name}.png"))
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    print(f"saved {OUT / f'{name}.png'}")


def _snooze_a_pair(con) -> int:
    """Snooze one active demo pair for two weeks, so the pictures show a snooze; returns its id."""
    active = pairs.list_pairings(con, state="active")
    chosen = int(active["id"].iloc[0])
    pace.snooze(con, chosen, db.now().date() + timedelta(days=14), note="holidays")
    return chosen


def _open_a_pair(page, url: str, chosen: int) -> None:
    """The Pairs page with the snoozed pair opened: its history, pace and actions."""
    page.goto(f"{url}/Pairs")
    _settle(page)
    page.get_by_role("combobox", name="Open a pairing", exact=True).click()
    page.keyboard.type(f"#{chosen} ")  # the list shows its first options only; typing narrows it
    page.get_by_role("option", name=re.compile(rf"^#{chosen} ")).first.click()
    page.get_by_text("Meets every").first.wait_for(timeout=SLOW_MS)
    _settle(page)
    _shoot(page, "pairs_open")


def _group_roster(con) -> None:
    """The demo's made-up member list, exported 12 days ago, and the group's address (so the digest can go)."""
    name = f"peer-mentoring members {db.now().date() - timedelta(days=12)}.csv"
    roster.import_roster(con, roster.demo_export(con), filename=name)
    settings.set_value(con, "group_address", "peer-mentoring@googlegroups.com")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.duckdb"
        con = startup.open_database(path)
        demo.load_demo(con)
        snoozed = _snooze_a_pair(con)
        _group_roster(con)
        con.close()
        with running_dashboard(path) as url, sync_playwright() as p:
            browser = launch_browser(p)
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            for name, route in PAGES.items():
                page.goto(f"{url}/{route}")
                page.get_by_role("heading").first.wait_for(timeout=SLOW_MS)
                _settle(page)
                _shoot(page, name)
            _open_a_pair(page, url, snoozed)
            for name, (route, tab) in TABS.items():
                page.goto(f"{url}/{route}")
                page.get_by_role("tab", name=tab).click()
                _settle(page)
                _shoot(page, name)
            browser.close()


if __name__ == "__main__":
    main()
