"""The dashboard needs nothing from outside this computer: the browser asks only 127.0.0.1."""

from pathlib import Path
from urllib.parse import urlparse

import pytest
import streamlit as st
from playwright.sync_api import expect, sync_playwright
from streamlit.testing.v1 import AppTest

from lib import startup
from tests.conftest import ROOT
from tests.e2e.browser import settled
from tools.dashboard_server import launch_browser, page_title, running_dashboard


@pytest.mark.parametrize("path", ["app.py", "pages/9_Data.py"])
def test_the_page_icon_is_a_local_file_not_a_material_icon(con, monkeypatch, path):
    icons, real = [], st.set_page_config

    def recorded(*args, **kwargs):
        icons.append(kwargs.get("page_icon"))
        return real(*args, **kwargs)

    monkeypatch.setattr(st, "set_page_config", recorded)
    AppTest.from_file(str(ROOT / path), default_timeout=30).run()
    assert icons and all(not str(i).startswith(":") and Path(i).is_file() for i in icons)


@pytest.mark.e2e
def test_loading_the_home_page_asks_no_other_host(db_file):
    startup.open_database(db_file).close()
    with running_dashboard(db_file) as url, sync_playwright() as p:
        browser = launch_browser(p)
        try:
            page = browser.new_page()
            hosts = []
            page.on("request", lambda request: hosts.append(urlparse(request.url).hostname))
            page.goto(url)
            expect(page.get_by_role("heading", name=page_title("Home"))).to_be_visible()
            settled(page)
            page.wait_for_load_state("networkidle")
            assert hosts and set(hosts) <= {"127.0.0.1", None}, sorted(set(hosts))
        finally:
            browser.close()
