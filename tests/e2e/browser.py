"""Helpers for driving the real dashboard in Chromium."""

from __future__ import annotations

from playwright.sync_api import expect

from tools.dashboard_server import SLOW_MS as SLOW
from tools.dashboard_server import settled as settled  # the tests import it from here

# Every expect() in the browser tests waits this long by default (a busy 2-core machine).
expect.set_options(timeout=SLOW)


def choose(page, label: str, option) -> None:
    """Pick an option (text or pattern) of a Streamlit selectbox or multiselect by its label."""
    box = page.get_by_role("combobox", name=label, exact=True)
    exact = {"exact": True} if isinstance(option, str) else {}
    wanted = page.get_by_role("option", name=option, **exact)
    for _ in range(3):
        settled(page)
        box.click()
        try:
            wanted.first.wait_for(timeout=10_000)
            break
        except Exception:  # noqa: BLE001 - the dropdown sometimes needs a second click while the page redraws
            page.keyboard.press("Escape")
    wanted.first.click()


def open_page(page, link: str, heading: str) -> None:
    """Open a page from the sidebar (a new URL would start a new, logged-out session)."""
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name=link, exact=True).click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=SLOW)
    settled(page)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
