"""The published outbox commands: `outbox --json`, `send (--all | ID ...) [--json]`, `discard ID ...`."""

import json

import pytest

from lib import startup
from lib.intake import importer
from lib.pair_life import lifecycle, pairs
from tests.conftest import make_csv, run_cli
from tests.mailserver import mail_server, refusing_port

KEYS = {"id", "kind", "to", "subject", "body", "status", "created_at", "sent_at", "error", "pair_id", "message_id"}
HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone"]
ROWS = [
    ["amara@x.org", "Amara Okafor", "Kafka", "Elixir", "UTC"],
    ["felix@x.org", "Felix Braun", "Elixir", "Kafka", "UTC"],
]


@pytest.fixture
def drafted(db_file, monkeypatch):
    """A database with an introduction and, after a drop-out, a partner's notice and a farewell."""
    con = startup.open_database(db_file)
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="c.csv", status="accepted")
    pairing = pairs.confirm_pair(con, "amara@x.org", "felix@x.org")["id"]
    lifecycle.end_pairing(con, pairing, by="b", reason="time commitment", left_service=["b"])
    con.close()
    monkeypatch.setenv("MENTORING_MAIL_FROM", "Moderator <mod@example.org>")
    return db_file


def _outbox(db_file, *args) -> list[dict]:
    run = run_cli(db_file, "outbox", *args, "--json")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_outbox_json_has_exactly_the_published_keys(drafted):
    found = _outbox(drafted)
    assert [set(m) for m in found] == [KEYS] * 3
    by_kind = {m["kind"]: m for m in found}
    assert by_kind["introduction"]["to"] == ["amara@x.org", "felix@x.org"] and by_kind["introduction"]["pair_id"] == 1
    assert by_kind["partner_left"]["to"] == ["amara@x.org"] and by_kind["farewell"]["to"] == ["felix@x.org"]
    assert {m["status"] for m in found} == {"draft"} and all(m["sent_at"] is None for m in found)
    assert _outbox(drafted, "--status", "sent") == []
    wrong = run_cli(drafted, "outbox", "--status", "queued", "--json")
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr


def test_send_without_a_mail_account_is_one_sentence_and_keeps_the_drafts(drafted):
    run = run_cli(drafted, "send", "--all", "--json")
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.strip().count("\n") == 0 and "MENTORING_SMTP" in run.stderr
    assert {m["status"] for m in _outbox(drafted)} == {"draft"}


def test_send_all_then_again_sends_each_message_once(drafted, monkeypatch):
    with mail_server() as server:
        monkeypatch.setenv("MENTORING_SMTP", server.url())
        first = run_cli(drafted, "send", "--all", "--json")
        assert first.returncode == 0, first.stderr
        assert json.loads(first.stdout) == {"sent": 3, "failed": 0, "left": 0}
        again = run_cli(drafted, "send", "--all", "--json")
        assert json.loads(again.stdout) == {"sent": 0, "failed": 0, "left": 0} and again.returncode == 0
        assert sorted(len(r.rcpt_tos) for r in server.received) == [1, 1, 2]
    sent = _outbox(drafted, "--status", "sent")
    assert len(sent) == 3 and all(m["message_id"] and m["sent_at"] for m in sent)
    assert {m["message_id"] for m in sent} == {r.message["Message-ID"] for r in server.received}


def test_a_failed_send_exits_2_with_a_sentence_and_loses_nothing(drafted, monkeypatch):
    with refusing_port() as port:
        monkeypatch.setenv("MENTORING_SMTP", f"smtp://127.0.0.1:{port}")
        run = run_cli(drafted, "send", "1", "--json")
    assert run.returncode == 2 and json.loads(run.stdout) == {"sent": 0, "failed": 1, "left": 0}
    assert (
        run.stderr.strip()
        == f"1 message not sent: Nothing answers at 127.0.0.1:{port}; the mail server is down or the host or port is wrong."
    )
    failed = _outbox(drafted, "--status", "failed")
    assert [m["id"] for m in failed] == [1] and failed[0]["error"].startswith("Nothing answers")
    assert len(_outbox(drafted, "--status", "draft")) == 2


def test_discard_and_the_refusals(drafted, monkeypatch):
    assert run_cli(drafted, "discard", "2", "3").returncode == 0
    assert sorted(m["id"] for m in _outbox(drafted, "--status", "discarded")) == [2, 3]
    missing = run_cli(drafted, "discard", "42")
    assert missing.returncode == 2 and missing.stderr.strip() == "There is no message number 42; nothing was discarded."
    monkeypatch.setenv("MENTORING_SMTP", "smtp://127.0.0.1:1")
    unknown = run_cli(drafted, "send", "42")
    assert unknown.returncode == 2 and "no message number 42" in unknown.stderr
    neither = run_cli(drafted, "send")
    assert neither.returncode == 2 and "--all" in neither.stderr
    both = run_cli(drafted, "send", "--all", "1")
    assert both.returncode == 2


def test_a_bad_smtp_url_is_refused_without_echoing_the_password(drafted, monkeypatch):
    monkeypatch.setenv("MENTORING_SMTP", "smtp://user:hunter2@smtp.example.org:25")
    run = run_cli(drafted, "send", "--all")
    assert run.returncode == 2 and "hunter2" not in run.stderr + run.stdout and "relay on this machine" in run.stderr


def test_a_note_and_a_farewell_reply_from_the_command_line(drafted):
    note = run_cli(drafted, "note", "amara@x.org", "felix@x.org", "--subject", "Hello", "--body", "Hi $first!")
    assert note.returncode == 0, note.stderr
    bodies = {m["to"][0]: m["body"] for m in _outbox(drafted, "--status", "draft") if m["kind"] == "note"}
    assert bodies == {"amara@x.org": "Hi Amara!", "felix@x.org": "Hi Felix!"}
    farewell = next(m for m in _outbox(drafted) if m["kind"] == "farewell")
    reply = run_cli(drafted, "farewell-reply", str(farewell["id"]), "Too little time in spring.")
    assert reply.returncode == 0, reply.stderr
    listed = json.loads(run_cli(drafted, "pairs", "--json").stdout)
    assert listed[0]["feedback"] == "Too little time in spring."
