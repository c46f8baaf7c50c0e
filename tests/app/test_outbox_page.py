"""The Outbox page under AppTest, sending through a real SMTP server on loopback."""

import pytest
from streamlit.testing.v1 import AppTest

from lib.intake import importer
from lib.messages import drafts, mail, outbox
from lib.pair_life import lifecycle, pairs
from tests.conftest import ROOT, make_csv
from tests.mailserver import mail_server, refusing_port

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone"]
ROWS = [["a@x.org", "Ann Lee", "Go", "Rust", "UTC"], ["b@x.org", "Bo Kim", "Rust", "Go", "UTC"]]
FROM = "Moderator <mod@example.org>"


@pytest.fixture
def introduction(con) -> dict:
    """A confirmed pair's drafted introduction."""
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="o.csv", status="accepted")
    made = pairs.confirm_pair(con, "a@x.org", "b@x.org")["id"]
    drafted = outbox.listing(con, status="draft")
    return drafted[drafted["pair_id"] == made].iloc[0].to_dict()


@pytest.fixture
def server(monkeypatch):
    with mail_server() as running:
        monkeypatch.setenv("MENTORING_SMTP", running.url())
        monkeypatch.setenv("MENTORING_MAIL_FROM", FROM)
        yield running


def _open() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.switch_page("pages/10_Outbox.py").run()
    assert not at.exception
    return at


def _said(at) -> str:
    # lib.ui.safe escapes Markdown characters; compare with what the moderator reads
    return "\n".join(e.value for e in (*at.success, *at.warning, *at.error, *at.info, *at.caption)).replace("\\", "")


def test_send_reaches_the_server_once_and_a_second_click_sends_nothing(con, introduction, server):
    first, stale = _open(), _open()  # two browser tabs showing the same draft
    first.button(key=f"outbox.send.{introduction['id']}").click().run()
    assert "Sent 1 message." in _said(first)
    assert "127.0.0.1" in _said(first) and "mod@example.org" in _said(first)  # the account line
    assert len(server.received) == 1
    got = server.received[0]
    assert sorted(got.rcpt_tos) == ["a@x.org", "b@x.org"]
    assert got.message["Subject"] == introduction["subject"]
    stored = outbox.message(con, introduction["id"])
    assert stored["status"] == "sent" and stored["message_id"] == got.message["Message-ID"]
    stale.button(key=f"outbox.send.{introduction['id']}").click().run()
    assert not stale.exception
    assert len(server.received) == 1
    sent = next(d.value for d in first.dataframe if "message_id" in d.value.columns)
    assert list(sent["message_id"]) == [got.message["Message-ID"]]
    first.selectbox(key="outbox.sent.read").set_value(introduction["id"]).run()
    assert f"Message-ID {got.message['Message-ID']}" in _said(first).replace("`", "")


def test_the_edited_text_is_what_goes_out(con, introduction, server):
    at = _open()
    at.text_input(key=f"outbox.subject.{introduction['id']}").input("Meet your partner")
    at.text_area(key=f"outbox.body.{introduction['id']}").input("Hello both, here you are.")
    at.button(key=f"outbox.send.{introduction['id']}").click().run()
    message = server.received[0].message
    assert message["Subject"] == "Meet your partner"
    assert message.get_body(("plain",)).get_content().strip() == "Hello both, here you are."


def test_send_all_asks_first_then_sends_every_draft(con, introduction, server):
    drafts.note(con, ["a@x.org"], "A note", "Hi $first")
    at = _open()
    at.button(key="outbox.send_all").click().run()
    assert server.received == []
    assert "Send 2 messages now" in _said(at)
    at.button(key="outbox.send_all.yes").click().run()
    assert "Sent 2 messages." in _said(at)
    assert sorted(m.message["Subject"] for m in server.received) == sorted([introduction["subject"], "A note"])
    assert outbox.waiting(con) == {"drafts": 0, "failed": 0}


def test_send_all_can_be_cancelled(con, introduction, server):
    at = _open()
    at.button(key="outbox.send_all").click().run()
    at.button(key="outbox.send_all.no").click().run()
    assert server.received == [] and outbox.waiting(con)["drafts"] == 1
    assert not [b for b in at.button if b.key == "outbox.send_all.yes"]


def test_discard_keeps_the_message_listed_as_discarded(con, introduction, server):
    at = _open()
    at.button(key=f"outbox.discard.{introduction['id']}").click().run()
    assert outbox.message(con, introduction["id"])["status"] == "discarded"
    assert [e.label for e in at.expander if e.label.startswith("Discarded")] == ["Discarded (1)"]
    assert "Drafts (0)" in [h.value for h in at.subheader]
    assert server.received == []


def test_without_a_mail_account_the_page_says_how_and_keeps_the_draft(con, introduction):
    at = _open()
    assert any(mail.HOW_TO_CONFIGURE in i.value for i in at.info)
    at.button(key=f"outbox.send.{introduction['id']}").click().run()
    assert any("No mail account is set up, so nothing can be sent" in e.value for e in at.error)
    assert outbox.message(con, introduction["id"])["status"] == "draft"


def test_a_failed_send_shows_why_and_can_be_sent_again(con, introduction, monkeypatch):
    monkeypatch.setenv("MENTORING_MAIL_FROM", FROM)
    with refusing_port() as port:
        monkeypatch.setenv("MENTORING_SMTP", f"smtp://127.0.0.1:{port}?timeout=3")
        at = _open()
        at.button(key=f"outbox.send.{introduction['id']}").click().run()
    assert "1 failed (kept, to try again)" in _said(at)
    assert f"Nothing answers at 127.0.0.1:{port}" in _said(at)
    assert "Not sent (1)" in [h.value for h in at.subheader]
    with mail_server() as server:
        monkeypatch.setenv("MENTORING_SMTP", server.url())
        at = _open()
        again = at.button(key=f"outbox.send.{introduction['id']}")
        assert again.label == "Send again"
        again.click().run()
        assert len(server.received) == 1
    assert outbox.message(con, introduction["id"])["status"] == "sent"


def test_a_pasted_reply_to_a_farewell_becomes_the_endings_feedback(con, introduction, server):
    lifecycle.end_pairing(con, introduction["pair_id"], by="b", reason="time commitment")
    farewell = outbox.listing(con, status="draft").query("kind == 'farewell'").iloc[0]
    outbox.send(con, [int(farewell["id"])], mail.account(server.url(), FROM))
    at = _open()
    assert at.selectbox(key="outbox.reply_to").value == farewell["id"]
    at.text_area(key="outbox.reply").input("My new job left no evenings free.")
    at.button(key="outbox.save_reply").click().run()
    assert not at.exception
    feedback = con.execute("SELECT feedback, feedback_source FROM endings").fetchone()
    assert feedback == ("My new job left no evenings free.", "member")


def test_the_hourly_cap_is_saved(con):
    at = _open()
    assert at.number_input(key="outbox.cap").value == outbox.DEFAULT_CAP
    at.number_input(key="outbox.cap").set_value(20)
    at.button(key="outbox.save_cap").click().run()
    assert outbox.hourly_cap(con) == 20
