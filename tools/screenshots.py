"""Regenerate docs/screenshots/*.png from the real dashboard with the demo community (`make screenshots`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from lib import demo, startup
from tools.dashboard_server import ROOT, SLOW_MS, charts_drawn, launch_browser, running_dashboard, settled

OUT = ROOT / "docs" / "screenshots"
PAGES = {
    "home": "",
    "import": "Import",
    "applicants": "Applicants",
    "skills": "Skills",
    "vocabulary": "Vocabulary",
    "matching": "Matching",
    "pairs": "Pairs",
    "analytics": "Analytics",
    "audit": "Audit",
    "data": "Data",
}
# tabs that only draw when opened: file name -> (page, tab)
TABS = {
    "skills_gaps": ("Skills", "Gaps and surplus"),
    "skills_exchanges": ("Skills", "Exchanges"),
    "analytics_duration": ("Analytics", "How long pairs last"),
    "analytics_growth": ("Analytics", "Growth and waiting"),
    "analytics_skills": ("Analytics", "Skills and outcomes"),
}
WIDTH, HEIGHT = 1280, 900


def _settle(page) -> None:
    settled(page)
    charts_drawn(page)


def _shoot(page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main area, so grow the window to the content first."""
    tall = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    height = max(HEIGHT, min(int(tall) + 40, 8000))
    page.set_viewport_size({"width": WIDTH, "height": height})
    page.wait_for_function("h => window.innerHeight === h", arg=height, timeout=SLOW_MS)
    charts_drawn(page)  # charts redraw at the new size
    page.screenshot(path=str(OUT / f"{name}.png"))
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    print(f"saved {OUT / f'{name}.png'}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.duckdb"
        con = startup.open_database(path)
        demo.load_demo(con)
        con.close()
        with running_dashboard(path) as url, sync_playwright() as p:
            browser = launch_browser(p)
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            for name, route in PAGES.items():
                page.goto(f"{url}/{route}")
                page.get_by_role("heading").first.wait_for(timeout=SLOW_MS)
                _settle(page)
                _shoot(page, name)
            for name, (route, tab) in TABS.items():
                page.goto(f"{url}/{route}")
                page.get_by_role("tab", name=tab).click()
                _settle(page)
                _shoot(page, name)
            browser.close()


if __name__ == "__main__":
    main()
