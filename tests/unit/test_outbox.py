"""The outbox against a real SMTP server on loopback (aiosmtpd): drafts, delivery, exactly once, outages, safety."""

import threading
from datetime import timedelta

import pytest

from lib import config
from lib.errors import InvalidInput, NotFound
from lib.intake import importer
from lib.members import applicants
from lib.messages import drafts, mail, outbox, templates
from lib.pair_life import lifecycle, pairs
from lib.privacy import erasure, privacy
from lib.storage import db
from tests.conftest import make_csv
from tests.mailserver import mail_server, refusing_port, silent_port

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone", "Years of experience"]
ROWS = [
    ["ayse@x.org", "Ayşe Yılmaz", "Kubernetes", "Rust", "Europe/Istanbul", "6"],
    ["joerg@x.org", "Jörg Müller", "Rust", "Kubernetes", "Europe/Berlin", "7"],
    ["chen@x.org", "陈静", "Rust", "Kubernetes", "Asia/Shanghai", "5"],
]
FROM = "Community Moderator <mod@example.org>"


@pytest.fixture
def members(con):
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="m.csv", status="accepted")
    return con


@pytest.fixture
def pair(members):
    return pairs.confirm_pair(members, "ayse@x.org", "joerg@x.org")["id"]


@pytest.fixture
def server():
    with mail_server() as running:
        yield running


def _account(url: str) -> mail.Account:
    return mail.account(url, FROM)


def _drafts(con, kind=None):
    found = outbox.listing(con, status="draft")
    return found if kind is None else found[found["kind"] == kind]


def test_a_confirm_drafts_one_introduction_to_both_members(members, pair):
    intro = _drafts(members, "introduction")
    assert len(intro) == 1
    row = intro.iloc[0]
    assert row["to"] == ["ayse@x.org", "joerg@x.org"] and row["pair_id"] == pair
    assert row["subject"] == "Ayşe and Jörg: your peer-mentoring match"
    assert "Ayşe can help Jörg with: Kubernetes" in row["body"] and "Split it in two halves" in row["body"]
    assert row["body"].rstrip().endswith("The moderator")


def test_send_delivers_once_with_every_header_and_a_second_send_sends_nothing(members, pair, server):
    done = outbox.send(members, None, _account(server.url()))
    assert done.as_json() == {"sent": 1, "failed": 0, "left": 0}
    assert len(server.received) == 1
    got = server.received[0]
    assert got.mail_from == "mod@example.org" and got.rcpt_tos == ["ayse@x.org", "joerg@x.org"]
    message = got.message
    assert message["From"] == FROM
    assert [a.addr_spec for a in message["To"].addresses] == ["ayse@x.org", "joerg@x.org"]
    assert [a.display_name for a in message["To"].addresses] == ["Ayşe Yılmaz", "Jörg Müller"]
    assert message["Subject"] == "Ayşe and Jörg: your peer-mentoring match"
    assert message["Date"] and message["Message-ID"].endswith("@example.org>")
    stored = outbox.message(members, 1)
    assert stored["status"] == "sent" and stored["message_id"] == message["Message-ID"] and stored["sent_at"]
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == stored["body"]
    assert "Ayşe can help Jörg" in message.get_body(("html",)).get_content()
    assert outbox.send(members, None, _account(server.url())).as_json() == {"sent": 0, "failed": 0, "left": 0}
    assert outbox.send(members, [1], _account(server.url())).sent == 0
    assert len(server.received) == 1
    audit = members.execute("SELECT details FROM audit_log WHERE action = 'send_message'").fetchall()
    assert len(audit) == 1 and "ayse@x.org" not in audit[0][0]


def test_an_outage_keeps_the_message_and_the_next_send_retries_it(members, pair):
    with refusing_port() as port:
        done = outbox.send(members, None, _account(f"smtp://127.0.0.1:{port}"))
    assert done.as_json() == {"sent": 0, "failed": 1, "left": 0}
    [sentence] = done.problems
    assert sentence.startswith(f"Nothing answers at 127.0.0.1:{port}")
    failed = outbox.message(members, 1)
    assert failed["status"] == "failed" and failed["error"] == sentence and "Split it" in failed["body"]
    with mail_server() as server:
        assert outbox.send(members, None, _account(server.url())).sent == 1
        assert len(server.received) == 1
    assert outbox.message(members, 1)["status"] == "sent" and outbox.message(members, 1)["error"] is None
    audit = members.execute(
        "SELECT action, CAST(details AS VARCHAR) FROM audit_log WHERE action LIKE 'send%'"
    ).fetchall()
    assert [a for a, _ in audit] == ["send_failed", "send_message"] and "x.org" not in str(audit)


def test_a_server_that_never_answers_times_out_with_a_sentence(members, pair):
    with silent_port() as port:
        done = outbox.send(members, None, _account(f"smtp://127.0.0.1:{port}?timeout=1"))
    assert done.failed == 1 and "did not answer in time" in next(iter(done.problems))
    assert outbox.message(members, 1)["status"] == "failed"


def test_starttls_with_a_self_signed_certificate_and_a_login(members, pair, tmp_path, monkeypatch):
    with mail_server(tls=True, logins={"mod@example.org": "app pass/1"}, tmp=tmp_path) as server:
        monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))
        refused = outbox.send(members, None, _account(server.url("mod@example.org", "wrong")))
        assert refused.failed == 1 and not server.received
        sentence = next(iter(refused.problems))
        assert "refused the login of mod@example.org" in sentence and "wrong" not in sentence
        assert outbox.send(members, None, _account(server.url("mod@example.org", "app pass/1"))).sent == 1
        assert server.received[0].rcpt_tos == ["ayse@x.org", "joerg@x.org"]


def test_a_certificate_nobody_vouches_for_is_refused(members, pair, tmp_path):
    with mail_server(tls=True, tmp=tmp_path) as server:  # no SSL_CERT_FILE: the test CA is not trusted
        done = outbox.send(members, None, _account(server.url()))
    assert done.failed == 1 and "secure connection" in next(iter(done.problems)) and not server.received


def test_account_urls_ports_and_secrets(monkeypatch):
    starttls = mail.account("smtp+starttls://me%40gmail.com:abcd%20efgh@smtp.gmail.com", FROM)
    assert (starttls.host, starttls.port, starttls.security) == ("smtp.gmail.com", 587, "starttls")
    assert (starttls.username, starttls.password) == ("me@gmail.com", "abcd efgh")
    assert "abcd" not in repr(starttls) and "abcd" not in starttls.describe()
    assert mail.account("smtps://u:p@smtp.example.org", FROM).port == 465
    relay = mail.account("smtp://localhost:2525", FROM)
    assert (relay.security, relay.username) == ("plain", None)
    with pytest.raises(InvalidInput, match="only go to a relay on this machine"):
        mail.account("smtp://smtp.example.org:25", FROM)
    with pytest.raises(InvalidInput) as bad:
        mail.account("http://u:secret-pw@smtp.example.org", FROM)
    assert "secret-pw" not in str(bad.value)
    with pytest.raises(mail.NotConfigured, match="MENTORING_SMTP"):
        mail.account(None, FROM)
    with pytest.raises(InvalidInput, match="MENTORING_MAIL_FROM"):
        mail.account("smtp://127.0.0.1:25", None)
    table = {"smtp": {"host": "smtp.example.org", "port": 465, "security": "tls", "username": "u", "password": "p"}}
    from_secrets = config.load(table | {}, environ={"MENTORING_MAIL_FROM": FROM})
    assert mail.account(from_secrets.smtp, from_secrets.mail_from).port == 465
    env = config.load(table, environ={"MENTORING_SMTP": "smtp://127.0.0.1:2525", "MENTORING_MAIL_FROM": FROM})
    assert mail.account(env.smtp, env.mail_from).security == "plain"  # the environment wins
    assert config.check({"smtp": {"hots": "x"}}) == [
        "secrets.toml: [smtp] 'hots' is not a mail setting, so it is ignored "
        "(the keys are host, port, security, username, password, from, timeout)."
    ]


def test_a_name_from_a_form_never_adds_a_header_or_a_recipient(con, server):
    rows = [
        ["eve@x.org", "Eve\r\nBcc: x@evil.test", "Go", "Rust", "UTC", "5"],
        ["finn@x.org", "Finn <finn@evil.test>, x@evil.test", "Rust", "Go", "UTC", "5"],
    ]
    importer.import_applications(con, make_csv(HEADER, rows), filename="evil.csv", status="accepted")
    pairs.confirm_pair(con, "eve@x.org", "finn@x.org")
    # a name stored before import cleaned names, still holding a line break
    con.execute(
        "UPDATE applicants SET name = 'Eve' || chr(13) || chr(10) || 'Bcc: y@evil.test' WHERE email = 'eve@x.org'"
    )
    drafts.note(con, ["eve@x.org"], "Hi\r\nBcc: z@evil.test", "Hello $first")
    assert outbox.send(con, None, _account(server.url())).sent == 2
    for got in server.received:
        assert set(got.rcpt_tos) <= {"eve@x.org", "finn@x.org"}
        assert {a.addr_spec for a in got.message["To"].addresses} == set(got.rcpt_tos)
        assert "Bcc" not in got.message.keys()
    intro = server.received[0].message
    assert [a.display_name for a in intro["To"].addresses][1] == "Finn <finn@evil.test>, x@evil.test"
    assert server.received[1].message["Subject"] == "Hi Bcc: z@evil.test"


def test_member_text_is_escaped_in_the_html_part(members, server):
    drafts.note(members, ["ayse@x.org"], "Hello", "<script>alert(1)</script> & <b>bold</b>")
    outbox.send(members, None, _account(server.url()))
    html = server.received[0].message.get_body(("html",)).get_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in html and "<script>" not in html


def test_two_senders_at_once_never_send_a_message_twice(members, server, db_file):
    drafts.note(members, ["ayse@x.org", "joerg@x.org", "chen@x.org"], "Hello", "one")
    for n in range(7):
        drafts.note(members, ["ayse@x.org", "joerg@x.org", "chen@x.org"], f"Round {n}", "again")
    total = len(_drafts(members))
    assert total == 24
    results, barrier = [], threading.Barrier(2)

    def sender():
        cursor = members.cursor()
        barrier.wait()
        results.append(outbox.send(cursor, None, _account(server.url())))

    threads = [threading.Thread(target=sender) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    ids = [r.message["Message-ID"] for r in server.received]
    assert len(ids) == len(set(ids)) == total == sum(r.sent for r in results)
    assert (outbox.listing(members)["status"] == "sent").all()


def test_a_sender_that_stopped_mid_send_leaves_the_message_uncertain(members, pair, server):
    members.execute("UPDATE messages SET claimed_at = ? WHERE id = 1", [db.now() - timedelta(hours=1)])
    stopped = outbox.send(members, None, _account(server.url()))
    assert (stopped.sent, stopped.failed, list(stopped.problems)) == (0, 1, [outbox.UNCERTAIN])
    held = outbox.message(members, 1)
    assert held["status"] == "failed" and held["uncertain"] and "Sent folder" in held["error"]
    assert not server.received
    assert outbox.send(members, [1], _account(server.url())).sent == 1  # by its number, after a look
    assert len(server.received) == 1


def test_a_claim_in_progress_is_not_sent_by_another_sender(members, pair, server):
    members.execute("UPDATE messages SET claimed_at = ? WHERE id = 1", [db.now()])
    assert outbox.send(members, None, _account(server.url())).sent == 0 and not server.received
    assert outbox.message(members, 1)["status"] == "draft"


def test_the_hourly_cap_holds_the_rest_and_says_when(members, server):
    outbox.set_hourly_cap(members, 2)
    drafts.note(members, ["ayse@x.org", "joerg@x.org", "chen@x.org"], "Hello", "text")
    first = outbox.send(members, None, _account(server.url()))
    assert first.as_json() == {"sent": 2, "failed": 0, "left": 1}
    sent_times = sorted(outbox.listing(members, status="sent")["sent_at"])
    assert first.next_at == sent_times[0] + timedelta(hours=1) and "can go from" in first.summary()
    assert outbox.send(members, None, _account(server.url())).as_json() == {"sent": 0, "failed": 0, "left": 1}
    members.execute("UPDATE messages SET sent_at = sent_at - INTERVAL 2 HOUR")
    assert outbox.send(members, None, _account(server.url())).as_json() == {"sent": 1, "failed": 0, "left": 0}
    with pytest.raises(InvalidInput, match="between 1 and 2,000"):
        outbox.set_hourly_cap(members, 0)


def test_a_drop_out_drafts_the_partners_notice_and_the_leavers_farewell(members, pair):
    lifecycle.advance(members, pair, "active")
    ending = lifecycle.end_pairing(members, pair, by="a", reason="time commitment", left_service=["a"])
    notice, farewell = _drafts(members, "partner_left").iloc[0], _drafts(members, "farewell").iloc[0]
    assert notice["to"] == ["joerg@x.org"] and "Ayşe has had to step back" in notice["body"]
    assert "priority" in notice["body"]
    assert farewell["to"] == ["ayse@x.org"] and farewell["ending_id"] == ending
    assert "Just reply to this email" in farewell["body"] and "time commitment" not in farewell["body"]
    outbox.record_reply(members, int(farewell["id"]), "Work got busy; 30 minutes a fortnight would have worked.")
    row = members.execute("SELECT feedback, feedback_source FROM endings WHERE id = ?", [ending]).fetchone()
    assert row == ("Work got busy; 30 minutes a fortnight would have worked.", "member")
    with pytest.raises(InvalidInput, match="not a farewell"):
        outbox.record_reply(members, int(notice["id"]), "text")


def test_undoing_an_ending_discards_its_unsent_notices(members, pair):
    lifecycle.end_pairing(members, pair, by="b", reason="skill mismatch")
    assert set(_drafts(members)["kind"]) == {"introduction", "partner_left", "farewell"}
    lifecycle.undo_last_ending(members)
    assert set(_drafts(members)["kind"]) == {"introduction"}
    assert set(outbox.listing(members, status="discarded")["kind"]) == {"partner_left", "farewell"}


def test_happy_and_moderator_endings_draft_nothing_and_a_withdrawal_gets_a_farewell(members, pair):
    lifecycle.end_pairing(members, pair, by="both", reason="goals met")
    assert list(_drafts(members)["kind"]) == ["introduction"]
    lifecycle.withdraw(members, "chen@x.org", reason="life or work change")
    assert _drafts(members, "farewell").iloc[0]["to"] == ["chen@x.org"]


def test_a_feedback_form_link_goes_into_the_farewell(members):
    drafts.set_feedback_form(members, "https://forms.gle/abc123")
    lifecycle.withdraw(members, "chen@x.org", reason="time commitment")
    assert "https://forms.gle/abc123" in _drafts(members, "farewell").iloc[0]["body"]
    with pytest.raises(InvalidInput, match="web address"):
        drafts.set_feedback_form(members, "javascript:alert(1)")


def test_undoing_a_confirm_discards_its_unsent_introduction(members, pair, server):
    lifecycle.undo_confirm(members, pair)
    assert outbox.message(members, 1)["status"] == "discarded"
    assert members.execute("SELECT count(*) FROM pairings").fetchone()[0] == 0
    assert members.execute("SELECT count(*) FROM open_pair_members").fetchone()[0] == 0
    again = pairs.confirm_pair(members, "ayse@x.org", "joerg@x.org")["id"]
    outbox.send(members, None, _account(server.url()))
    lifecycle.undo_confirm(members, again)  # its introduction was sent: it stays sent
    assert outbox.message(members, 2)["status"] == "sent"
    third = pairs.confirm_pair(members, "ayse@x.org", "joerg@x.org")["id"]
    lifecycle.advance(members, third, "trial")
    with pytest.raises(InvalidInput, match="End the pairing instead"):
        lifecycle.undo_confirm(members, third)


def test_welcome_and_decline_are_drafted_and_the_reason_is_never_in_them(con):
    rows = [["new@x.org", "Nia Obi", "Go, SQL", "Rust", "UTC", "3"], ["no@x.org", "Noe Li", "Go", "Rust", "UTC", "3"]]
    importer.import_applications(con, make_csv(HEADER, rows), filename="n.csv")
    applicants.set_status(con, ["new@x.org"], "accepted")
    applicants.set_status(con, ["no@x.org"], "declined", reason="Looking for a job, not mentoring")
    applicants.set_status(con, ["new@x.org"], "accepted")  # no move, no second welcome
    welcome, declined = _drafts(con, "welcome"), _drafts(con, "declined")
    assert len(welcome) == 1 and "You offered to help with: Go, SQL" in welcome.iloc[0]["body"]
    assert declined.iloc[0]["to"] == ["no@x.org"] and "job" not in declined.iloc[0]["body"].lower()


def test_discard_keeps_the_message_listed_and_refuses_what_cannot_be_discarded(members, pair, server):
    drafts.note(members, ["chen@x.org"], "Hello", "text")
    assert outbox.discard(members, [2]) == 1
    assert outbox.listing(members, status="discarded")["id"].tolist() == [2]
    assert outbox.send(members, [2], _account(server.url())).sent == 0 and not server.received
    outbox.send(members, [1], _account(server.url()))
    with pytest.raises(InvalidInput, match="already sent"):
        outbox.discard(members, [1])
    with pytest.raises(NotFound, match="no message number 99"):
        outbox.discard(members, [99])
    with pytest.raises(InvalidInput, match="only a draft or a failed message"):
        outbox.edit(members, 1, subject="x", body="y")


def test_an_erased_members_messages_are_erased_and_an_export_lists_them(members, pair):
    drafts.note(members, ["chen@x.org"], "Hello", "Dear $first")
    exported = privacy.export_member(members, "ayse@x.org")["messages"]
    assert [m["kind"] for m in exported] == ["introduction"] and "ayse@x.org" in exported[0]["recipients"]
    erasure.erase_member(members, "ayse@x.org")
    left = outbox.listing(members)
    assert "ayse@x.org" not in str(left.to_dict("records")) and "Ayşe" not in str(left.to_dict("records"))
    assert list(left["kind"]) == ["note"]  # chen's note stays
    assert members.execute("SELECT count(*) FROM message_members WHERE applicant_id = 1").fetchone()[0] == 0


def test_templates_refuse_unknown_placeholders_and_the_saved_one_wins(members, tmp_path, monkeypatch):
    with pytest.raises(InvalidInput, match=r"\$frist is not filled in"):
        templates.save(members, "welcome", "Subject: Hi $frist\n\nHello")
    with pytest.raises(InvalidInput, match="first line must be the subject"):
        templates.save(members, "welcome", "Hello $first")
    (tmp_path / "welcome.txt").write_text("Subject: From the folder, $first\n\nHi\n")
    monkeypatch.setenv("MENTORING_TEMPLATES", str(tmp_path))
    assert templates.source(members, "welcome").startswith("Subject: From the folder")
    templates.save(members, "welcome", "Subject: Saved, $first\n\nWelcome $name, you offer $offers.\n")
    applicants.set_status(members, ["chen@x.org"], "interviewed")
    applicants.set_status(members, ["chen@x.org"], "accepted")
    row = _drafts(members, "welcome").iloc[0]
    assert (row["subject"], row["body"]) == ("Saved, 陈静", "Welcome 陈静, you offer Rust.\n")
    assert templates.preview("welcome", templates.source(members, "welcome"))[0] == "Saved, Ayşe"
    templates.reset(members, "welcome")
    assert templates.source(members, "welcome").startswith("Subject: From the folder")


def test_the_demo_leaves_drafts_to_look_at_and_removing_it_removes_them(con):
    from lib import demo

    demo.load_demo(con)
    kinds = set(outbox.listing(con)["kind"])
    assert "introduction" in kinds and {"partner_left", "farewell"} <= kinds
    assert outbox.listing(con)["to"].map(lambda to: all("@example." in a for a in to)).all()
    demo.remove_demo(con)
    assert outbox.listing(con).empty
