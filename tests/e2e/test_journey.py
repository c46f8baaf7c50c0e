"""The moderator's week in a real browser: log in, import, screen, skills, match, send the introductions
through a real SMTP server, pair, drop-out (and its drafted messages), analytics."""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from lib import auth
from tests.conftest import FIXTURES
from tests.e2e.browser import SLOW, choose, open_page
from tests.mailserver import mail_server
from tools.dashboard_server import launch_browser, running_dashboard

pytestmark = pytest.mark.e2e
PASSWORD = "the moderator's password"
SHOTS = Path(tempfile.gettempdir()) / "journey-screenshots"
HARMLESS = ("/_stcore/host-config", "/_stcore/health", "favicon", "Failed to load resource")


def go(page, link: str, heading: str) -> None:
    """Open a page from the sidebar and keep a screenshot of it."""
    open_page(page, link, heading)
    page.screenshot(path=str(SHOTS / f"{link.lower().replace(' ', '_')}.png"), full_page=True)


FROM = "Journey Moderator <moderator@journey.example>"


@pytest.fixture
def smtp():
    with mail_server() as running:
        yield running


@pytest.fixture
def server(db_file, smtp):
    env = {"MENTORING_PASSWORD_HASH": auth.hash_password(PASSWORD), "MENTORING_SMTP": smtp.url()}
    with running_dashboard(db_file, env=env | {"MENTORING_MAIL_FROM": FROM}) as url:
        yield url


def test_the_moderators_week(server, smtp):
    SHOTS.mkdir(exist_ok=True)
    errors = []
    with sync_playwright() as p:
        browser = launch_browser(p)
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
            permissions=["clipboard-read", "clipboard-write"],
        )
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.set_default_timeout(SLOW)
        try:
            _journey(page, server, smtp)
        finally:
            browser.close()
    assert [e for e in errors if not any(h in e for h in HARMLESS)] == []


def _journey(page, url, smtp):
    # log in
    page.goto(url)
    expect(page.get_by_role("heading", name="Peer mentoring: moderator login")).to_be_visible()
    page.get_by_label("Moderator password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Peer mentoring: today")).to_be_visible()

    # import a Google Forms export, correcting one column
    go(page, "Import", "Import applications")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        FIXTURES / "csv" / "journey_form.csv"
    )
    expect(page.get_by_role("heading", name="Which column is which?")).to_be_visible()
    choose(page, "What do you want to get out of it?", "(keep as extra answer)")
    expect(page.get_by_text("Extra: What do you want to get out of it?").first).to_be_attached()
    page.get_by_role("button", name=re.compile(r"Import 8 rows")).click()
    expect(page.get_by_role("heading", name="Rejected rows")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download rejected rows (CSV)").click()
    assert "not-an-email" in open(download.value.path(), encoding="utf-8-sig").read()

    # screening: the queue holds the seven valid applicants; tick them all and accept them at once
    go(page, "Applicants", "Applicants")
    page.get_by_text("Tick all 7 shown").click()
    expect(page.get_by_text("7 applicants ticked")).to_be_visible()
    page.get_by_role("button", name="Accept 7").click()
    expect(page.get_by_text("accepted: 7")).to_be_visible()
    expect(page.get_by_text("Nobody waits for a decision.")).to_be_visible()

    # skills: the coverage chart and one skill's members
    go(page, "Skills", "Skills")
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    expect(chart).to_be_visible()
    # click Rust's "wanted" bar in the chart (Vega draws SVG with each bar's data in its aria-label)
    chart.locator('path[aria-label*="skill: Rust;"][aria-label*="side: wanted"]').first.click()
    expect(page.get_by_text("Rust: 1 offering, 2 wanting.")).to_be_visible()

    # merge two duplicate skills
    go(page, "Skill vocabulary", "Skill vocabulary")
    expect(page.get_by_text("looks like").first).to_be_visible()
    page.get_by_role("button", name="Merge", exact=True).first.click()
    expect(page.get_by_text("Undo", exact=True).first).to_be_visible()

    # matching: read a pair's reasons, confirm the round, see the introduction
    go(page, "Matching", "Matching")
    expect(page.get_by_text(re.compile(r"3 pairs, 1 member left out"))).to_be_visible()
    choose(page, "Or confirm just one pair", re.compile(r"Amara Okafor \+ Felix Braun"))
    expect(page.get_by_text("Why Amara Okafor + Felix Braun")).to_be_visible()
    why = page.locator('[data-testid="stMarkdown"] li')
    expect(why.filter(has_text=re.compile(r"^Amara teaches Felix \w"))).to_be_visible()
    expect(why.filter(has_text=re.compile(r"^Felix teaches Amara \w"))).to_be_visible()
    # untick Kenji's pair in the round's table (the picker lists the pairs in the table's order)
    page.get_by_role("combobox", name="Or confirm just one pair", exact=True).click()
    expect(page.get_by_role("option", name=re.compile("Kenji Tanaka")).first).to_be_visible()  # the list is drawn
    order = [o.inner_text() for o in page.get_by_role("option").all()]
    page.keyboard.press("Escape")
    row = next(i for i, text in enumerate(order) if "Kenji Tanaka" in text)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.evaluate("element => element.scrollIntoView({block: 'center'})")
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 30, box["y"] + 35 + 35 * row + 17)
    page.get_by_role("button", name="Confirm 2 pairs").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("(2 because you unticked their pair)", exact=False)).to_be_visible()
    dialog.get_by_role("button", name="Confirm 2 pairs").click()
    expect(page.get_by_text("their introductions are drafted in the Outbox").first).to_be_visible()

    # send both introductions from the Matching page through the real SMTP server
    page.get_by_role("button", name="Send these 2 introductions").click()
    expect(page.get_by_text("Sent 2 messages.")).to_be_visible()
    _check_introductions(smtp.received)

    # pairs: Amara + Felix become active, then Felix drops out
    go(page, "Pairs", "Pairs")
    choose(page, "Open a pairing", re.compile(r"Amara Okafor \+ Felix Braun \(proposed\)"))
    page.get_by_role("button", name="Committed to a weekly hour (active)").click()
    choose(page, "Open a pairing", re.compile(r"Amara Okafor \+ Felix Braun \(active\)"))
    page.get_by_role("button", name="Record a drop-out or ending").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_text("Felix Braun", exact=True).click()
    dialog.get_by_label("Feedback, in their words").fill("New job, no time in the evenings")
    dialog.get_by_role("button", name="Record the ending").click()
    expect(page.get_by_text(re.compile(r"Last recorded: ended of Amara"))).to_be_visible()

    # the drop-out drafted a notice for Amara and a farewell for Felix; nothing more was sent
    go(page, "Outbox", "Outbox")
    expect(page.get_by_text("Partner left to Amara Okafor")).to_be_visible()
    expect(page.get_by_text("Farewell to Felix Braun")).to_be_visible()
    # with the seven welcomes drafted when they were accepted
    expect(page.get_by_role("button", name="Send all drafts (9)")).to_be_visible()
    assert len(smtp.received) == 2

    # Amara is back in the suggestions; analytics counts the new reason
    go(page, "Matching", "Matching")
    page.get_by_role("tab", name="For one member").click()
    choose(page, "Member", "Amara Okafor <amara@journey.example>")  # only members waiting are listed
    partner = page.get_by_role("combobox", name="Partner", exact=True)
    expect(partner).to_be_visible()  # she has suggestions again ...
    partner.click()
    expect(page.get_by_role("option").first).to_be_visible()
    expect(page.get_by_role("option", name="Noor Haddad")).to_be_visible()  # Noor, left out before
    expect(page.get_by_role("option", name="Felix Braun")).to_have_count(0)  # ... but never Felix again
    page.keyboard.press("Escape")
    go(page, "Analytics", "Analytics")
    expect(page.get_by_text(re.compile(r"1 endings; the most common reason is time commitment"))).to_be_visible()

    # log out
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Peer mentoring: moderator login")).to_be_visible()


def _check_introductions(received) -> None:
    """Two introductions, each to exactly its pair's two addresses, with the headers a mail client needs."""
    assert len(received) == 2
    pairs = []
    for got in received:
        message = got.message
        to = sorted(a.addr_spec for a in message["To"].addresses)
        assert sorted(got.rcpt_tos) == to and len(set(to)) == 2, (got.rcpt_tos, message["To"])
        assert message["From"].addresses[0].addr_spec == "moderator@journey.example"
        assert message["Subject"].endswith("your peer-mentoring match")
        assert message["Date"] and message["Message-ID"].startswith("<")
        pairs.append(to)
    assert ["amara@journey.example", "felix@journey.example"] in pairs
    assert len({a for pair in pairs for a in pair}) == 4  # two pairs, four different members
    assert "kenji@journey.example" not in {a for pair in pairs for a in pair}  # left out on the page
