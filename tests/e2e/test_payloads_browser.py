"""Member text never runs in the browser: HTML and Markdown payloads show literally on every page.

Payloads sit in names, goals, skills, notes, feedback and an import's file name; each one would set
`window.__xss` or draw bold text if it were rendered. Every page is opened in Chromium; on each we
check that nothing ran and nothing was injected, and where the page shows member text as prose we
check it is there, character for character.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect, sync_playwright

from lib import demo, startup, ui
from lib.intake import importer
from lib.members import applicants
from lib.pair_life import lifecycle, pairs
from lib.storage import db
from tests.conftest import make_csv
from tests.e2e.browser import SLOW, choose, open_page, settled
from tools.dashboard_server import launch_browser, page_title, running_dashboard, widgets_drawn

pytestmark = pytest.mark.e2e

IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=2</script>"
BOLD = "**payloadbold**"
LINK = "[click](javascript:window.__xss=3)"
NAME = f"{IMG} {BOLD} Eve"
FILENAME = f"{BOLD}<img src=x onerror=window.__xss=4>.csv"

INJECTED = """() => {
    // text may sit literally in a title or aria-label; an event handler or an <img src=x> would be injected
    const attrs = [...document.querySelectorAll('*')].some(
        e => [...e.attributes].some(a => a.name.startsWith('on') && a.value.includes('__xss')))
        || document.querySelectorAll('img[src="x"]').length > 0;
    const scripts = [...document.querySelectorAll('script')].some(s => s.textContent.includes('__xss'));
    const bold = [...document.querySelectorAll('strong, b, em, i')].some(e => e.textContent === 'payloadbold');
    const links = [...document.querySelectorAll('a')].some(a => (a.getAttribute('href') || '').startsWith('javascript'));
    return {ran: window.__xss ?? null, attrs, scripts, bold, links};
}"""


@pytest.fixture
def server(db_file):
    con = startup.open_database(db_file)
    demo.load_demo(con)
    rows = [
        ["eve@payload.example", NAME, f"Go, {BOLD}", f"Rust, {SCRIPT}", f"{LINK} {IMG}"],
        ["mal@payload.example", f"{SCRIPT} Mal", "Rust", f"Go, {BOLD}", BOLD],
        ["new@payload.example", f"{BOLD} {IMG} Newcomer", "Go", "Rust", SCRIPT],
    ]
    data = make_csv(["Email", "Name", "Skills you can offer", "What would you like to learn?", "Goals"], rows)
    importer.import_applications(con, data, filename=FILENAME)
    applicants.set_status(con, ["eve@payload.example", "mal@payload.example"], "accepted")
    applicants.set_notes(con, "eve@payload.example", f"Notes {IMG} {BOLD}")
    # the newcomer applied long ago, so the home page lists them as unscreened
    con.execute(
        "UPDATE applicants SET applied_at = $t WHERE email = 'new@payload.example'",
        {"t": db.now() - timedelta(days=60)},
    )
    made = pairs.confirm_pair(con, "eve@payload.example", "mal@payload.example")
    lifecycle.end_pairing(con, made["id"], by="a", reason="time commitment", feedback=f"{IMG} {BOLD} {SCRIPT}")
    con.close()
    with running_dashboard(db_file) as url:
        yield url


def test_payloads_show_literally_on_every_page(server):
    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(SLOW)
        try:
            page.goto(server)
            expect(page.get_by_role("heading", name="Peer mentoring: today")).to_be_visible()
            for _, label, _ in ui.NAV:
                open_page(page, label, page_title(label))
                settled(page)
                widgets_drawn(page)  # every list and table drawn, so the check sees the whole page
                _assert_inert(page, label)
                _check_literal_text(page, label)
        finally:
            browser.close()


def _assert_inert(page, where: str) -> None:
    found = page.evaluate(INJECTED)
    assert found == {"ran": None, "attrs": False, "scripts": False, "bold": False, "links": False}, (where, found)


def _check_literal_text(page, label: str) -> None:
    """Open the views that show member text as prose and look for it, exactly as written."""
    main = page.locator('[data-testid="stMain"]')
    if label == "Home":
        expect(main.get_by_text(FILENAME, exact=False).first).to_be_visible()
        _open_list(page, "Applications not screened")
        expect(main.get_by_text(f"{BOLD} {IMG} Newcomer", exact=False).first).to_be_visible()
    elif label == "Import":  # the import history table (a data grid keeps its cells' text for screen readers)
        expect(main.get_by_text(FILENAME, exact=False).first).to_be_attached()
    elif label == "Applicants":
        page.get_by_label("Search names, emails and skills").fill("eve@payload.example")
        page.keyboard.press("Enter")
        choose(page, "Show", "Everyone")  # Eve is accepted: not in the queue of who needs a decision
        page.get_by_text("Tick all 1 shown").click()  # one ticked applicant opens below the table
        expect(main.get_by_role("heading", name=NAME)).to_be_visible()
        expect(main.get_by_text(f"{LINK} {IMG}", exact=False).first).to_be_visible()
    elif label == "Pairs":
        expect(main.get_by_text(NAME, exact=False).first).to_be_visible()
    elif label == "Matching":  # who the round leaves out: a table that draws its cells as Markdown
        box = main.locator('[data-testid="stExpander"] details', has_text="Left out this round").first
        box.locator("summary").click()
        left_out = box.locator('[data-testid="stTable"]')
        expect(left_out.get_by_text(NAME, exact=False).first).to_be_visible()
        expect(left_out).not_to_contain_text("\\")  # escaped, not shown with the escaping's backslashes
    _assert_inert(page, f"{label} (after opening member text)")


def _open_list(page, title: str) -> None:
    """Open one of the home page's lists unless it is open already."""
    box = page.locator('[data-testid="stExpander"] details', has_text=title).first
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    expect(box).to_have_attribute("open", re.compile(".*"))
