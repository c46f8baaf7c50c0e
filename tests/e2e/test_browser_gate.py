"""The real dashboard in Chromium: deep links are gated, and logging in shows the data."""

import pytest
from playwright.sync_api import expect, sync_playwright

from lib import auth, demo, startup
from tools.dashboard_server import launch_browser, running_dashboard

pytestmark = pytest.mark.e2e
PASSWORD = "a moderator's secret"


@pytest.fixture
def server(db_file):
    con = startup.open_database(db_file)
    demo.load_demo(con)
    con.close()
    with running_dashboard(db_file, env={"MENTORING_PASSWORD_HASH": auth.hash_password(PASSWORD)}) as url:
        yield url


def test_deep_link_asks_for_password_then_shows_applicants(server):
    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page()
        try:
            page.goto(f"{server}/Applicants")
            expect(page.get_by_role("heading", name="Peer mentoring: moderator login")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("example.", exact=False)).to_have_count(0)
            page.get_by_label("Moderator password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            expect(page.get_by_role("heading", name="Applicants")).to_be_visible(timeout=30_000)
            expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        finally:
            browser.close()
