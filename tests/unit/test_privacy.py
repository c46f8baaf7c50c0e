import csv
import io
import json
from datetime import datetime, timedelta

from lib.intake import importer
from lib.members import applicants
from lib.pair_life import lifecycle, pairs
from lib.privacy import erasure, privacy
from lib.storage import db
from tests.conftest import make_csv, run_cli

HEADER = [
    "Email",
    "Name",
    "LinkedIn",
    "Skills you can offer",
    "What would you like to learn?",
    "Time zone",
    "What do you want to get out of it?",
]
ROWS = [
    [
        "amara@x.org",
        "Amara Okafor",
        "https://linkedin.com/in/amara",
        "golang, Underwater basket weaving",
        "Rust",
        "CET",
        "A secret goal",
    ],
    ["felix@x.org", "Felix Braun", "", "Rust", "Go", "UTC", "Learn Go"],
]


def _community(con):
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="p.csv", status="accepted")
    pair = pairs.confirm_pair(con, "amara@x.org", "felix@x.org")["id"]
    lifecycle.end_pairing(con, pair, by="a", reason="time commitment", feedback="Amara: too busy at Acme Corp")
    applicants.set_notes(con, "amara@x.org", "Lovely chat about Amara's kids")
    return pair


def _all_text(con) -> str:
    tables = [
        t
        for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
    ]
    return "\n".join(repr(con.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables)


def test_erase_removes_personal_data_everywhere_but_keeps_counts(con):
    _community(con)
    before_counts = (
        con.execute("SELECT count(*) FROM pairings").fetchone()[0],
        con.execute("SELECT count(*) FROM endings").fetchone()[0],
    )
    erasure.erase_member(con, "amara@x.org")
    text = _all_text(con)
    for secret in ("Amara", "amara@x.org", "linkedin.com/in/amara", "A secret goal", "Underwater", "Acme Corp", "kids"):
        assert secret not in text, secret
    assert (
        con.execute("SELECT count(*) FROM pairings").fetchone()[0],
        con.execute("SELECT count(*) FROM endings").fetchone()[0],
    ) == before_counts
    erased = con.execute("SELECT status, timezone FROM applicants WHERE name = '(erased)'").fetchone()
    assert erased == ("erased", "CET")  # a final stage since issue 20 (was: stayed accepted)
    assert (
        con.execute(
            "SELECT raw FROM applicant_skills s JOIN applicants a ON a.id = s.applicant_id "
            "WHERE a.name = '(erased)' AND kind = 'offer'"
        ).fetchone()[0]
        == "Go"
    )
    felix = applicants.get_applicant(con, "felix@x.org")
    assert felix["name"] == "Felix Braun" and felix["goals"] == "Learn Go"
    last = con.execute("SELECT action, CAST(details AS VARCHAR) FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert last[0] == "erase_member" and "amara" not in last[1].lower()


def test_export_member_holds_everything_about_them(con):
    _community(con)
    data = privacy.export_member(con, "amara@x.org")
    assert data["applicant"]["name"] == "Amara Okafor" and data["applicant"]["goals"] == "A secret goal"
    assert [s["their_words"] for s in data["skills"]] == ["golang", "Underwater basket weaving", "Rust"]
    assert data["pairings"][0]["partner"] == "Felix Braun" and data["endings"][0]["feedback"].startswith("Amara")
    json.dumps(data)


def test_retention_erases_old_declined_applicants(con, monkeypatch):
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="p.csv")
    applicants.set_status(con, ["felix@x.org"], "declined", reason="Not a fit")
    privacy.set_retention(con, 6)
    assert privacy.apply_retention(con) == 0
    later = datetime.now() + timedelta(days=200)
    monkeypatch.setattr(db, "now", lambda precise=False: later)
    assert privacy.apply_retention(con) == 1
    assert "Felix" not in _all_text(con)


def test_cli_exports_are_formula_safe_and_erase_works(db_file, tmp_path):
    def cli(*args):
        return run_cli(db_file, *args)

    export = tmp_path / "in.csv"
    export.write_bytes(
        make_csv(["Email", "Name", "Skills you can offer"], [["a@x.org", '=HYPERLINK("http://x")', "@SUM(1)"]])
    )
    cli("import", export)
    assert cli("export", "applicants", tmp_path / "out.csv").returncode == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0]["name"] == '\'=HYPERLINK("http://x")' and rows[0]["offers"] == "'@SUM(1)"
    for what in ("pairs", "feedback"):
        assert cli("export", what, tmp_path / f"{what}.csv").returncode == 0
    assert cli("export-member", "a@x.org", tmp_path / "a.json").returncode == 0
    assert json.loads((tmp_path / "a.json").read_text())["applicant"]["email"] == "a@x.org"
    assert cli("erase", "a@x.org").returncode == 0
    missing = cli("erase", "a@x.org")
    assert missing.returncode == 2 and "No applicant" in missing.stderr
