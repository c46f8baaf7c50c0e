"""The check-in loop once in a real browser (issue 18): on the demo community the home page names the due
check-ins; the Outbox drafts and sends them through a real SMTP server in one step; the check-in form's
export is imported; the home page then lists the pair that struggles with time, with its one-click action."""

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from lib import demo, startup
from lib.pair_life import checkins
from tests.conftest import make_csv
from tests.e2e.browser import SLOW, open_page, settled
from tests.mailserver import mail_server
from tools.dashboard_server import launch_browser, running_dashboard

pytestmark = pytest.mark.e2e
FROM = "Loop Moderator <moderator@loop.example>"
HARMLESS = ("/_stcore/host-config", "/_stcore/health", "favicon", "Failed to load resource")
FORM = ["Timestamp", "Email Address", "Did you meet since the last check-in?", "How is it going? (1-5)",
        "Is finding the time a problem?", "Anything else?"]  # fmt: skip


@pytest.fixture
def due_pairs(db_file):
    con = startup.open_database(db_file)
    demo.load_demo(con)
    found = checkins.due(con)
    con.close()
    assert len(found) >= 3  # the demo leaves at least three check-ins due today
    return found


def test_the_check_in_loop_once(db_file, due_pairs, tmp_path):
    first = due_pairs.iloc[0]
    export = tmp_path / "checkin_answers.csv"
    rows = [
        ["", first["a"], "Yes", "4", "Yes, very hard", "Work is crazy"],
        ["", first["b"], "Yes", "5", "No", ""],
        ["", "stranger@elsewhere.example", "Yes", "5", "No", ""],
    ]
    export.write_bytes(make_csv(FORM, rows, encoding="cp1252"))
    errors = []
    with (
        mail_server() as smtp,
        running_dashboard(db_file, env={"MENTORING_SMTP": smtp.url(), "MENTORING_MAIL_FROM": FROM}) as url,
    ):  # noqa: E501
        with sync_playwright() as p:
            browser = launch_browser(p)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.set_default_timeout(SLOW)
            try:
                _loop(page, url, len(due_pairs), int(first["pair_id"]), export)
            except Exception:
                page.screenshot(path=str(tmp_path / "failed.png"), full_page=True)
                print(f"screenshot: {tmp_path / 'failed.png'}")
                raise
            finally:
                browser.close()
        sent = [m for m in smtp.received if m.message["Subject"].startswith("How is it going with")]
        assert len(sent) == 2 * len(due_pairs)
        assert {first["a"], first["b"]} <= {to for m in sent for to in m.rcpt_tos}
    assert [e for e in errors if not any(h in e for h in HARMLESS)] == []
    con = startup.open_database(db_file)
    said = checkins.answers(con, int(first["pair_id"]))
    latest = said[said["checkin_id"] == said["checkin_id"].max()]  # the check-in sent today
    assert sorted(latest["time_problem"]) == ["no", "yes"]
    cadence = con.execute("SELECT cadence_weeks FROM pairings WHERE id = ?", [int(first["pair_id"])]).fetchone()[0]
    con.close()
    assert cadence == 2


def _loop(page, url: str, due: int, pair: int, export) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name="Peer mentoring: today")).to_be_visible()
    expect(page.get_by_text(f"{due} check-ins due")).to_be_visible()
    page.get_by_role("link", name="Draft and send them").click()
    expect(page.get_by_role("heading", name=f"Check-ins due ({due})")).to_be_visible()
    settled(page)
    page.get_by_role("button", name="Draft and send them now").click()
    expect(page.get_by_text(f"Sent {2 * due} messages.")).to_be_visible()
    expect(page.get_by_role("heading", name="Check-ins due (0)")).to_be_visible()

    settled(page)
    page.get_by_text("Import answers from the check-in form").click()
    settled(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(export)
    expect(page.get_by_text("checkin_answers.csv")).to_be_visible()
    settled(page)
    expect(page.get_by_role("button", name="Import answers")).to_be_enabled()
    page.get_by_role("button", name="Import answers").click()
    expect(page.get_by_text("Recorded 2 answers; 1 address unknown, not stored.")).to_be_visible()
    expect(page.get_by_text("Not members: stranger@elsewhere.example")).to_be_visible()

    open_page(page, "Home", "Peer mentoring: today")
    time_list = page.get_by_text(re.compile(r"Finding time is a problem, they said: \d+"))
    expect(time_list).to_be_visible()
    row = page.get_by_text(re.compile(rf"^#{pair} .*finding time is a problem"))
    expect(row).to_be_visible()
    expect(page.get_by_text(re.compile(r"Silent pairs: nobody answered the check-in: [1-9]"))).to_be_visible()
    page.locator(f".st-key-home-fortnightly-{pair} button").click()
    expect(row).to_have_count(0)  # it meets every two weeks now: no longer listed
