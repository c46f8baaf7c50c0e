"""Regenerate docs/screenshots/*.png from the real dashboard with the demo community (`make screenshots`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from lib import db, demo
from tools.dashboard_server import ROOT, launch_browser, running_dashboard

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


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.duckdb"
        con = db.connect(path)
        demo.load_demo(con)
        con.close()
        with running_dashboard(path) as url, sync_playwright() as p:
            browser = launch_browser(p)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for name, route in PAGES.items():
                page.goto(f"{url}/{route}")
                page.get_by_role("heading").first.wait_for()
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(800)
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
                print(f"saved {OUT / f'{name}.png'}")
            browser.close()


if __name__ == "__main__":
    main()
