"""The weekly digest: who is new, what nobody offers, who waits, the numbers; never anything private."""

import json
import re
from datetime import datetime, timedelta

import pytest

from lib import demo
from lib.errors import InvalidInput
from lib.group import digest
from lib.intake import importer
from lib.members import applicants
from lib.messages import outbox, settings
from lib.pair_life import lifecycle, pairs
from lib.privacy import erasure, privacy
from lib.storage import db
from tests.conftest import make_csv, run_cli
from tests.mailserver import mail_server

GROUP = "peer-mentoring@googlegroups.com"
HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?"]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


@pytest.fixture
def frozen(monkeypatch):
    """The clock stands on Monday 7 December 2026, 9:00."""
    now = datetime(2026, 12, 7, 9, 0)
    monkeypatch.setattr(db, "now", lambda precise=False: now)
    return now


def _accept(con, rows, when: datetime, monkeypatch):
    """Import and accept these people at a given moment."""
    monkeypatch.setattr(db, "now", lambda precise=False: when)
    importer.import_applications(con, make_csv(HEADER, rows), filename="f.csv")
    applicants.set_status(con, [r[0] for r in rows], "accepted")


def test_new_members_are_those_accepted_in_the_7_days_before(con, monkeypatch):
    _accept(con, [["old@x.org", "Olga Ivanova", "Go", "Rust"]], datetime(2026, 11, 30, 8, 59), monkeypatch)
    _accept(con, [["new@x.org", "Ayşe Yılmaz", "Kubernetes, Go", "Rust"]], datetime(2026, 11, 30, 9, 1), monkeypatch)
    found = digest.new_members(con, datetime(2026, 12, 7, 9, 0))
    assert list(found["first"]) == ["Ayşe"]
    assert found["offers"].iloc[0] == ["Go", "Kubernetes"] and found["wants"].iloc[0] == ["Rust"]
    body = digest.compose(con, now=datetime(2026, 12, 7, 9, 0)).body
    assert "- Ayşe, who offers Go and Kubernetes and wants to learn Rust" in body
    assert "Olga" not in body.split("Still looking")[0]  # accepted 7 days and a minute ago: not new


def test_no_new_member_says_so(con, frozen):
    assert "No new members joined this week" in digest.compose(con).body


def test_gaps_are_asked_as_questions_most_wanted_first(con, monkeypatch):
    rows = [
        ["a@x.org", "Ana Pereira", "Python", "Elixir, Haskell"],
        ["b@x.org", "Bruno Santos", "SQL", "Elixir"],
        ["c@x.org", "Clara Weber", "Go", "Python"],
    ]
    _accept(con, rows, datetime(2026, 12, 1, 9), monkeypatch)
    body = digest.compose(con).body
    assert (
        "- Can anyone help with Elixir? (2 members want to learn it)\n- Can anyone help with Haskell? (1 member wants"
        in body
    )
    assert "help with Python" not in body  # Ana offers it


def test_waiting_lists_unpaired_unpaused_members_longest_waiting_first(con, monkeypatch):
    _accept(con, [["w1@x.org", "Wei Chen", "Go", "Rust"]], datetime(2026, 10, 1, 9), monkeypatch)
    _accept(con, [["w2@x.org", "Nia Mensah", "Rust", "Go"], ["w3@x.org", "Omar Haddad", "SQL", "CSS"],
                  ["w4@x.org", "Lina Berg", "CSS", "SQL"]], datetime(2026, 11, 1, 9), monkeypatch)  # fmt: skip
    pairs.confirm_pair(con, "w3@x.org", "w4@x.org")
    pairs.pause_member(con, "w2@x.org", datetime(2027, 1, 1).date())
    waiting = digest.compose(con).body.split("Still looking")[1]
    assert "- Wei, who offers Go" in waiting
    assert "Nia" not in waiting and "Omar" not in waiting and "Lina" not in waiting


def test_numbers_count_pairs_started_in_the_last_30_days(con, monkeypatch):
    rows = [[f"p{i}@x.org", f"P{i} Test", "Go" if i % 2 else "Rust", "Rust" if i % 2 else "Go"] for i in range(4)]
    _accept(con, rows, datetime(2026, 10, 1, 9), monkeypatch)
    pairs.confirm_pair(con, "p0@x.org", "p1@x.org")  # 1 October: more than 30 days before the digest
    monkeypatch.setattr(db, "now", lambda precise=False: datetime(2026, 11, 20, 9))
    pairs.confirm_pair(con, "p2@x.org", "p3@x.org")
    text = digest.numbers(con, datetime(2026, 12, 7, 9))
    assert text.startswith("In the last 30 days 1 new pair started, and 2 pairs are meeting now.")


def test_drafting_needs_the_group_address(con):
    with pytest.raises(InvalidInput, match="No group address is set.*settings set group_address"):
        digest.draft_digest(con)
    assert outbox.listing(con).empty


def test_a_new_digest_replaces_the_unsent_one(con, frozen):
    settings.set_value(con, "group_address", GROUP)
    first = digest.draft_digest(con)
    second = digest.draft_digest(con)
    statuses = dict(con.execute("SELECT id, status FROM messages").fetchall())
    assert statuses == {first: "discarded", second: "draft"}


def _plant(con):
    """Private things a digest must never show, planted in the demo community."""
    demo.load_demo(con)
    rows = [["planted.secret@evil.test", "Zephyrine Quaxley-Marsh", "Haskell, mail me at leak@evil.test", "Rust"]]
    importer.import_applications(con, make_csv(HEADER, rows), filename="f.csv")
    applicants.set_status(con, ["planted.secret@evil.test"], "accepted")  # new this week: in the welcome
    applicants.set_notes(con, "planted.secret@evil.test", "NOTE-SECRET-4711 said her manager is difficult")
    open_pair = int(pairs.list_pairings(con, state="active")["id"].iloc[0])
    lifecycle.end_pairing(con, open_pair, by="a", reason="time commitment", feedback="FEEDBACK-SECRET-0815")
    applicants.set_status(con, ["planted.secret@evil.test"], "accepted")


def test_the_digest_never_shows_an_address_surname_note_or_feedback(con):
    _plant(con)
    settings.set_value(con, "group_address", GROUP)
    made = digest.draft_digest(con)
    text = " ".join(outbox.message(con, made)[k] for k in ("subject", "body"))
    assert "Zephyrine" in text  # she is named, by her first name only
    assert EMAIL.findall(text) == []
    private = digest.private_words(con)
    assert "Quaxley-Marsh" in private["surnames"] and "FEEDBACK-SECRET-0815" in private["feedback"]
    for kind, words in private.items():
        leaked = [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]
        assert leaked == [], f"{kind} in the digest: {leaked[:5]}"
    assert "SECRET" not in text


def test_the_digest_arrives_at_exactly_the_group_address(con, db_file, monkeypatch):
    demo.load_demo(con)
    settings.set_value(con, "group_address", "Peer-Mentoring@GoogleGroups.com")
    con.close()
    drafted = run_cli(db_file, "group", "digest")
    assert drafted.returncode == 0, drafted.stderr
    listed = json.loads(run_cli(db_file, "outbox", "--json").stdout)
    mine = [m for m in listed if m["kind"] == "digest"]
    assert len(mine) == 1 and mine[0]["to"] == [GROUP]
    monkeypatch.setenv("MENTORING_MAIL_FROM", "Moderator <mod@example.org>")
    with mail_server() as server:
        monkeypatch.setenv("MENTORING_SMTP", server.url())
        sent = run_cli(db_file, "send", str(mine[0]["id"]), "--json")
    assert sent.returncode == 0, sent.stderr
    [received] = server.received
    assert received.rcpt_tos == [GROUP]
    assert received.message["To"].addresses[0].addr_spec == GROUP
    assert received.message["Subject"].startswith("This week in peer mentoring")
    body = received.message.get_body(("plain",)).get_content()
    assert "Still looking for a partner" in body and EMAIL.findall(body) == []


def test_cli_digest_without_an_address_is_refused_in_one_sentence(db_file, con):
    con.close()
    run = run_cli(db_file, "group", "digest")
    assert run.returncode == 2 and run.stdout == "" and run.stderr.strip().count("\n") == 0
    assert "No group address is set" in run.stderr


def test_erasing_a_member_deletes_the_digest_naming_them_and_their_roster_row(con, frozen, monkeypatch):
    _accept(con, [["zoe@x.org", "Zoë Lefèvre", "Go", "Rust"]], frozen - timedelta(days=1), monkeypatch)
    monkeypatch.setattr(db, "now", lambda precise=False: frozen)
    con.execute(
        "INSERT INTO group_roster_imports VALUES (1, ?, ?, 'import time', 'm.csv', 'x', 'Google Groups', 1, 'local')",
        [frozen, frozen],
    )
    con.execute("INSERT INTO group_roster VALUES ('zoe@x.org', 'Zoë Lefèvre', 'member', NULL, 1)")
    settings.set_value(con, "group_address", GROUP)
    digest.draft_digest(con)
    assert privacy.export_member(con, "zoe@x.org")["google_group"][0]["nickname"] == "Zoë Lefèvre"
    assert len(privacy.export_member(con, "zoe@x.org")["messages"]) == 2  # her welcome and the digest
    erasure.erase_member(con, "zoe@x.org")
    assert con.execute("SELECT count(*) FROM messages WHERE kind = 'digest'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM group_roster").fetchone()[0] == 0


def test_sessions_come_from_check_in_answers_and_count_a_pair_once(con, monkeypatch):
    rows = [[f"s{i}@x.org", f"S{i} Test", "Go" if i % 2 else "Rust", "Rust" if i % 2 else "Go"] for i in range(4)]
    _accept(con, rows, datetime(2026, 11, 1, 9), monkeypatch)
    first = pairs.confirm_pair(con, "s0@x.org", "s1@x.org")["id"]
    second = pairs.confirm_pair(con, "s2@x.org", "s3@x.org")["id"]
    now = datetime(2026, 12, 7, 9)
    assert "session" not in digest.numbers(con, now)  # no answer yet: nothing said about sessions
    con.execute("INSERT INTO checkins (id, pairing_id, kind, due_on, created_at, moderator) VALUES "
                "(1, ?, 'trial', '2026-11-20', ?, 'x'), (2, ?, 'trial', '2026-11-20', ?, 'x')",
                [first, now, second, now])  # fmt: skip
    answer = "INSERT INTO checkin_answers (checkin_id, pairing_id, applicant_id, answered_at, met, rating, source, recorded_at, moderator) VALUES (?, ?, ?, ?, ?, 4, 'form', ?, 'x')"  # noqa: E501
    ids = dict(con.execute("SELECT email, id FROM applicants").fetchall())
    con.execute(answer, [1, first, ids["s0@x.org"], datetime(2026, 11, 25), True, now])
    con.execute(answer, [1, first, ids["s1@x.org"], datetime(2026, 11, 26), True, now])  # same pair: once
    con.execute(answer, [2, second, ids["s2@x.org"], datetime(2026, 11, 26), False, now])
    assert digest.numbers(con, now).endswith("Check-ins report at least 1 session held.")


def test_the_digest_is_due_on_its_weekday_until_one_is_drafted(con, frozen):
    assert frozen.strftime("%A") == "Monday" and digest.due(con)  # Monday is the default day
    settings.set_value(con, "digest_weekday", "tue")
    assert not digest.due(con)
    settings.set_value(con, "digest_weekday", "Monday")
    settings.set_value(con, "group_address", GROUP)
    made = digest.draft_digest(con)
    assert not digest.due(con)
    outbox.discard(con, [made])
    assert digest.due(con)  # a discarded digest does not count
    assert not digest.due(con, now=frozen + timedelta(days=1))


def test_only_the_given_name_is_shown_whatever_the_name_looks_like(con, monkeypatch):
    rows = [
        ["c1@x.org", "Okafor, Amara", "Go", "Rust"],
        ["c2@x.org", "Dr. Jane Whitfield", "Rust", "Go"],
        ["c3@x.org", "Madonna", "SQL", "CSS"],
    ]
    _accept(con, rows, datetime(2026, 12, 6, 9), monkeypatch)
    body = digest.compose(con, now=datetime(2026, 12, 7, 9)).body
    assert "- Amara, who offers Go" in body and "- Jane, who offers Rust" in body and "- Madonna, who" in body
    assert not re.search(r"Okafor|Whitfield|Dr\.", body)
