"""Every page stays usable at 800 px: nothing wider than the window, the title and the first control
in view, no error box. (1280 px is covered by the journey and the screenshots.)"""

import pytest
from playwright.sync_api import expect, sync_playwright

from lib import demo, startup, ui
from tests.e2e.browser import SLOW, settled
from tools.dashboard_server import launch_browser, page_title, running_dashboard, widgets_drawn

pytestmark = pytest.mark.e2e
WIDTH = 800
PATHS = {"app.py": ""}


@pytest.fixture
def server(db_file):
    con = startup.open_database(db_file)
    demo.load_demo(con)
    con.close()
    with running_dashboard(db_file) as url:
        yield url


def test_every_page_fits_800_pixels(server, tmp_path):
    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": WIDTH, "height": 900})
        page.set_default_timeout(SLOW)
        try:
            for target, label, _ in ui.NAV:
                # local mode (no password), so a deep link opens the page directly
                slug = PATHS.get(target, target.split("_", 1)[-1].removesuffix(".py"))
                page.goto(f"{server}/{slug}")
                heading = page.get_by_role("heading", name=page_title(label), exact=True).first
                expect(heading).to_be_visible()
                settled(page)
                # the script has finished before the browser has drawn everything: lists and buttons appear
                # once their code is loaded (a skeleton meanwhile), and a check run then sees half a page
                widgets_drawn(page)
                expect(page.locator('[data-testid="stException"]')).to_have_count(0)
                wide = page.evaluate(
                    """() => [...document.querySelectorAll('[data-testid="stMain"] *')]
                        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                                  && getComputedStyle(e).visibility !== 'hidden'
                                  && !e.closest('[data-testid="stDataFrame"], [data-testid="stVegaLiteChart"]'))
                        .map(e => e.tagName + '.' + (e.getAttribute('data-testid') || e.className)).slice(0, 5)"""
                )
                cut = page.evaluate(
                    """() => [...document.querySelectorAll('[data-testid="stMain"] button')]
                        .filter(b => b.checkVisibility())
                        .flatMap(b => [...b.querySelectorAll('*')])
                        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""
                )
                assert cut == [], (label, "button labels cut short", cut)
                assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, label
                assert wide == [], (label, wide)
                box = heading.bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (label, box)
                page.screenshot(path=str(tmp_path / f"{label}.png"), full_page=True)
        finally:
            browser.close()
