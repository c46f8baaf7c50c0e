"""Messages where the moderator works: the home page counts them, Matching sends the introductions it
drafted, Pairs undoes a confirm and writes notes, Applicants lists a member's messages and writes notes."""

import pytest
from streamlit.testing.v1 import AppTest

from lib import ui
from lib.intake import importer
from lib.messages import mail, outbox
from lib.pair_life import pairs
from tests.app.queue import tick
from tests.conftest import ROOT, make_csv
from tests.mailserver import mail_server

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone"]
ROWS = [
    ["a@x.org", "Ann Lee", "Go", "Rust", "UTC"],
    ["b@x.org", "Bo Kim", "Rust", "Go", "UTC"],
    ["c@x.org", "Cy Ng", "SQL", "Haskell", "UTC"],
]


@pytest.fixture
def members(con):
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="m.csv", status="accepted")
    return con


def _open(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception
    return at


def _texts(at) -> str:
    return "\n".join(e.value for e in (*at.markdown, *at.success, *at.error, *at.caption)).replace("\\", "")


def test_home_counts_drafts_and_failed_sends(members):
    assert "waiting to be sent" not in _texts(_open())
    pairs.confirm_pair(members, "a@x.org", "b@x.org")
    ui.forget_reads()  # written behind the dashboard's back
    home = _open()
    assert "**1 draft** waiting to be sent." in _texts(home)
    assert any(link.proto.label == "Open the Outbox" and link.proto.page == "Outbox" for link in home.get("page_link"))
    members.execute("UPDATE messages SET status = 'failed', error = 'down'")
    ui.forget_reads()
    assert "**1 message** not sent (failed)." in _texts(_open())


def test_matching_sends_the_introductions_it_just_drafted(members, monkeypatch):
    with mail_server() as server:
        monkeypatch.setenv("MENTORING_SMTP", server.url())
        monkeypatch.setenv("MENTORING_MAIL_FROM", "Moderator <mod@example.org>")
        at = _open("pages/5_Matching.py")
        at.button(key="match.confirm_round").click().run()
        at.button(key="match.confirm_go").click().run()
        drafted = next(d.value for d in at.dataframe if "status" in d.value.columns)
        assert [(list(r.to), r.status) for r in drafted.itertuples()] == [(["a@x.org", "b@x.org"], "draft")]
        send = at.button(key="match.send")
        assert send.label == "Send this introduction"
        send.click().run()
        assert "Sent 1 message." in _texts(at)
        assert [sorted(m.rcpt_tos) for m in server.received] == [["a@x.org", "b@x.org"]]
        assert at.button(key="match.send").disabled  # nothing left to send from here


def test_undo_confirm_on_the_pairs_page_discards_the_introduction(members):
    made = pairs.confirm_pair(members, "a@x.org", "b@x.org")["id"]
    at = _open("pages/6_Pairs.py")
    at.selectbox(key="pairs.pick").set_value(made).run()
    at.button(key="pairs.undo_confirm").click().run()
    assert not at.exception
    assert pairs.list_pairings(members).empty
    assert list(outbox.listing(members)["status"]) == ["discarded"]


def test_undo_confirm_is_offered_only_while_proposed(members):
    from lib.pair_life import lifecycle

    made = pairs.confirm_pair(members, "a@x.org", "b@x.org")["id"]
    lifecycle.advance(members, made, "trial")
    at = _open("pages/6_Pairs.py")
    at.selectbox(key="pairs.pick").set_value(made).run()
    assert not [b for b in at.button if b.key == "pairs.undo_confirm"]


def test_a_note_from_the_pairs_page_to_one_member(members):
    made = pairs.confirm_pair(members, "a@x.org", "b@x.org")["id"]
    at = _open("pages/6_Pairs.py")
    at.selectbox(key="pairs.pick").set_value(made).run()
    at.radio(key="pairs.note.to").set_value(2)  # the second member alone
    at.text_area(key="pairs.note.body").input("Hi $first, how is it going?")
    at.button(key="pairs.note.draft").click().run()
    notes = outbox.listing(members, status="draft").query("kind == 'note'")
    assert list(notes["to"]) == [["b@x.org"]] and notes.iloc[0]["body"] == "Hi Bo, how is it going?"


def test_a_note_from_applicants_drafts_one_message_per_member(members):
    at = _open("pages/2_Applicants.py")
    tick(at, members, ["a@x.org", "c@x.org"], view="all")
    at.text_input(key="applicants.note.subject").input("Hello")
    at.text_area(key="applicants.note.body").input("Dear $name, welcome.")
    at.button(key="applicants.note.draft").click().run()
    assert not at.exception
    notes = outbox.listing(members, status="draft").query("kind == 'note'").sort_values("subject")
    assert sorted(map(tuple, notes["to"])) == [("a@x.org",), ("c@x.org",)]
    assert sorted(notes["body"]) == ["Dear Ann Lee, welcome.", "Dear Cy Ng, welcome."]


def test_an_empty_note_is_refused_and_nothing_is_drafted(members):
    at = _open("pages/2_Applicants.py")
    tick(at, members, ["a@x.org"], view="all")
    at.text_area(key="applicants.note.body").input("  ")
    at.button(key="applicants.note.draft").click().run()
    assert "Write the note first." in _texts(at)
    assert outbox.listing(members).empty


def test_one_applicant_shows_their_messages(members):
    pairs.confirm_pair(members, "a@x.org", "b@x.org")
    with mail_server() as server:
        outbox.send(members, None, mail.account(server.url(), "Mod <mod@example.org>"))
    at = _open("pages/2_Applicants.py")
    tick(at, members, ["a@x.org"], view="all")
    shown = next(d.value for d in at.dataframe if "sent_at" in d.value.columns)
    assert list(shown["status"]) == ["sent"] and list(shown["kind"]) == ["Introduction"]
    at.session_state["applicants.generation"] += 1  # a fresh table, as after any change
    at.run()
    tick(at, members, ["c@x.org"], view="all")
    assert "No messages to or about them yet." in _texts(at)
