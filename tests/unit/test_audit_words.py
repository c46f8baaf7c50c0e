"""The audit log in words: every action the code base audits has a sentence; filters by member and kind."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

from lib import demo
from lib.insight import audit_words
from lib.intake import skills
from lib.members import applicants
from lib.pair_life import lifecycle, pairs
from lib.privacy import erasure

ROOT = Path(__file__).resolve().parents[2]
_AUDIT_CALL = re.compile(r"\baudit\(\s*\w+,\s*(f?)\"([^\"]+)\"")


def audited_actions() -> set[str]:
    """Every action code written with db.audit or clock.audit anywhere in lib/ (f-strings expanded)."""
    found = set()
    for path in (ROOT / "lib").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for is_f, code in _AUDIT_CALL.findall(source):
            if is_f and "{kind}" in code:
                # pace.py: f"pair_{kind}" with the kinds its _change calls pass
                kinds = re.findall(r"_change\(\s*con,\s*\w+,\s*\"(\w+)\"", source)
                assert kinds, f"{path}: cannot tell which codes {code!r} makes"
                found |= {code.replace("{kind}", k) for k in kinds}
            else:
                assert "{" not in code, f"{path}: an audit code built at run time: {code!r}"
                found.add(code)
    return found


def test_every_audited_action_in_lib_has_a_sentence():
    actions = audited_actions()
    assert {"set_status", "record_ending", "pair_snooze", "import", "load_demo"} <= actions
    missing = sorted(actions - set(audit_words.WORDING))
    assert missing == [], f"add a sentence to lib/insight/audit_words.py WORDING for: {missing}"


def test_an_unknown_code_reads_as_words_not_json():
    names = audit_words.Names.__new__(audit_words.Names)
    names._by_id, names._by_email, names._pairs = {}, {}, {}
    text = audit_words.sentence("frobnicate_widgets", {"x": 1}, "alice", datetime(2020, 3, 4, 9, 5), names)
    assert text == "alice did “frobnicate widgets”, 4 Mar 2020 09:05"
    assert audit_words.kind_of("frobnicate_widgets") == "Other"


def test_real_changes_read_as_sentences_and_filter_by_member_and_kind(con):
    demo.load_demo(con)
    people = con.execute("SELECT email, name FROM applicants WHERE status = 'applied' ORDER BY id LIMIT 4").fetchall()
    (zoe, zoe_name), (ben, ben_name), (cleo, _), (dan, _) = people
    applicants.set_status(con, [zoe], "accepted", moderator="Ana")
    applicants.set_status(con, [ben, cleo], "declined", reason="Not a fit right now", moderator="Ana")
    applicants.set_notes(con, dan, "Chat on Friday", moderator="Ana")
    pairs.pause_member(con, zoe, date.today() + timedelta(days=30), moderator="Ana")
    active = con.execute("SELECT id FROM pairings WHERE state = 'active' ORDER BY id LIMIT 1").fetchone()[0]
    lifecycle.end_pairing(con, active, by="a", reason="time commitment", moderator="Ana")
    skills.merge_skills(con, "golang", "Rust", moderator="Ana")

    log = audit_words.entries(con)
    assert list(log.columns[:3]) == ["id", "sentence", "kind"]
    sentences = list(log["sentence"])
    assert re.fullmatch(rf"Ana accepted {re.escape(zoe_name)}, \d+ \w{{3}} \d\d:\d\d", sentences[5])
    assert any(
        s.startswith("Ana declined 2 applicants (") and ben_name in s and "“Not a fit right now”" in s
        for s in sentences
    )
    assert any(s.startswith("Ana recorded that ") and " ended (time commitment)" in s for s in sentences)
    assert any(s.startswith(f"Ana paused {zoe_name} until ") for s in sentences)
    assert any(s.startswith("You loaded the demo community (320 applicants, ") for s in sentences)
    for text in sentences:
        assert "{" not in text and "did “" not in text and "None" not in text, text

    about_zoe = audit_words.entries(con, member=zoe_name)
    assert len(about_zoe) == 2 and all(zoe_name in s for s in about_zoe["sentence"])
    assert set(audit_words.entries(con, member=ben.upper())["sentence"]) == {
        s for s in sentences if s.startswith("Ana declined")
    }
    assert set(audit_words.entries(con, kinds=["Skills"])["kind"]) == {"Skills"}
    assert len(audit_words.entries(con, kinds=["Demo", "Pairs"])) == 3
    assert audit_words.entries(con, moderators=["nobody"]).empty


def test_an_entry_whose_details_were_erased_keeps_its_sentence(con):
    demo.load_demo(con)
    email = con.execute("SELECT email FROM applicants WHERE status = 'applied' ORDER BY id LIMIT 1").fetchone()[0]
    applicants.set_status(con, [email], "accepted")
    erasure.erase_member(con, email)
    sentences = list(audit_words.entries(con)["sentence"])
    assert sentences[0].startswith("You erased a member's personal data, ")
    assert sentences[1].startswith("You changed an applicant's stage (details erased with a member), ")
