"""Erasure that is real: the member leaves every live list, their words leave every table, the bytes go."""

import pytest

from lib import startup
from lib.errors import InvalidInput, NotFound
from lib.intake import importer
from lib.matching import candidates
from lib.members import applicants
from lib.pair_life import lifecycle, pairs
from lib.privacy import erasure, privacy
from lib.storage import backup
from tests.conftest import make_csv, run_cli

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone"]
ROWS = [
    ["quentin.secret@x.org", "Quentin Zyxwort", "Go", "Rust", "Europe/Berlin"],
    ["felix@x.org", "Felix Braun", "Rust", "Go", "Europe/Berlin"],
    ["noor@x.org", "Noor Haddad", "Rust", "Go", "Europe/Berlin"],
    ["ines@x.org", "Ines Duarte", "Go", "Rust", "Europe/Berlin"],
]
SECRETS = (b"quentin.secret@x.org", b"Quentin Zyxwort", b"Zyxwort")


def _community(con):
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="c.csv", status="accepted")
    bad = make_csv(HEADER, [["not-an-email", "Quentin Zyxwort", "Go", "Rust", ""]])
    importer.import_applications(con, bad, filename="bad.csv")  # a rejected row holding his name
    other = pairs.confirm_pair(con, "noor@x.org", "ines@x.org")["id"]
    lifecycle.check_in(con, other, note="Noor says Quentin Zyxwort recommended Ines")
    pairs.mark_never_pair(con, "noor@x.org", "felix@x.org", reason="Quentin Zyxwort asked to keep them apart")
    return pairs.confirm_pair(con, "quentin.secret@x.org", "felix@x.org")["id"]


def test_erased_member_leaves_every_live_list_and_partner_is_requeued(con):
    open_pair = _community(con)
    erasure.erase_member(con, "quentin.secret@x.org")
    assert pairs.pairing(con, open_pair)["state"] == "ended"
    felix = applicants.get_applicant(con, "felix@x.org")
    assert felix["status"] == "accepted" and felix["requeued_at"] is not None
    pool = candidates.eligible_members(con)
    assert "(erased)" not in set(pool["name"]) and len(pool) == 1  # only Felix waits now
    erased_email = con.execute("SELECT email FROM applicants WHERE name = '(erased)'").fetchone()[0]
    with pytest.raises(InvalidInput):
        pairs.confirm_pair(con, erased_email, "felix@x.org")
    with pytest.raises(InvalidInput, match="erased"):
        applicants.set_status(con, [erased_email], "accepted")
    with pytest.raises(InvalidInput, match="Erase"):
        applicants.set_status(con, ["felix@x.org"], "erased")


def test_his_words_leave_notes_reasons_audit_and_rejected_rows(con):
    _community(con)
    erasure.erase_member(con, "quentin.secret@x.org")
    for table in ("pairing_checkins", "never_pair", "audit_log", "import_rejects", "applicants", "endings"):
        text = repr(con.execute(f"SELECT * FROM {table}").fetchall())
        assert "Zyxwort" not in text and "quentin.secret" not in text, table
    note = con.execute("SELECT note FROM pairing_checkins").fetchone()[0]
    assert note == "Noor says (erased) recommended Ines"  # the partner's own note keeps its sense
    kept = con.execute("SELECT CAST(details AS VARCHAR) FROM audit_log WHERE action = 'never_pair'").fetchall()
    assert kept == [('{"redacted": true}',)]  # the event stays, its personal words go


def test_the_database_file_and_its_snapshots_lose_the_bytes(db_file):
    con = startup.open_database(db_file)
    _community(con)
    backup.snapshot_before(con, "before-import")
    con.execute("CHECKPOINT")
    con.close()
    assert any(s in db_file.read_bytes() for s in SECRETS)  # the check below can fail
    erasure.erase_everywhere(db_file, "quentin.secret@x.org")
    data = db_file.read_bytes()
    assert [s for s in SECRETS if s in data] == []
    shots = backup.snapshots(db_file)
    assert shots and all(s.get("rewritten") for s in shots)
    for folder in backup.snapshot_folder(db_file).iterdir():
        for file in folder.iterdir():
            assert [s for s in SECRETS if s in file.read_bytes()] == [], file
    con = startup.open_database(db_file)
    assert con.execute("SELECT count(*) FROM applicants").fetchone()[0] == 4


def test_export_member_before_and_after_shows_the_difference(con):
    _community(con)
    before = privacy.export_member(con, "quentin.secret@x.org")
    assert before["applicant"]["name"] == "Quentin Zyxwort"
    erased = erasure.erase_member(con, "quentin.secret@x.org")
    with pytest.raises(NotFound):
        privacy.export_member(con, "quentin.secret@x.org")
    after = privacy.export_member(con, f"erased-{erased.applicant_id}@erased.invalid")
    assert after["applicant"]["name"] == "(erased)" and after["applicant"]["status"] == "erased"
    assert "Zyxwort" not in repr(after)


def test_erasing_twice_is_refused_with_a_sentence(con):
    _community(con)
    erased = erasure.erase_member(con, "quentin.secret@x.org")
    with pytest.raises(InvalidInput, match="already been erased"):
        erasure.erase_member(con, f"erased-{erased.applicant_id}@erased.invalid")


def test_cli_erase_rewrites_the_file(db_file):
    con = startup.open_database(db_file)
    _community(con)
    con.close()
    result = run_cli(db_file, "erase", "quentin.secret@x.org")
    assert result.returncode == 0 and "rewritten" in result.stdout
    assert [s for s in SECRETS if s in db_file.read_bytes()] == []


def test_a_name_or_email_written_twice_in_a_row_is_scrubbed_both_times(con):
    _community(con)
    pair = con.execute("SELECT id FROM pairings WHERE state <> 'ended' ORDER BY id LIMIT 1").fetchone()[0]
    lifecycle.check_in(con, pair, note="Quentin Zyxwort Quentin Zyxwort; quentin.secret@x.org,quentin.secret@x.org")
    erasure.erase_member(con, "quentin.secret@x.org")
    text = repr(con.execute("SELECT note FROM pairing_checkins").fetchall())
    assert "Zyxwort" not in text and "quentin.secret" not in text
    assert "(erased) (erased); (erased),(erased)" in text
