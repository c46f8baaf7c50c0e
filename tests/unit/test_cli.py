import json
import subprocess
import sys

import pytest

from lib import startup
from tests.conftest import FIXTURES, run_cli, table_snapshot

GOOGLE = FIXTURES / "csv" / "google_forms_bom.csv"


cli = run_cli
# issue 15: the report gains these keys (their shapes are tested in tests/unit/test_cli_import.py)
NEW_REPORT_KEYS = {"mapping", "unmapped_columns", "missing_fields", "encoding", "date_order", "warnings"}
NEW_REPORT_KEYS |= {"unknown_timezones"}


def test_import_json_shape_and_exit_code(db_file):
    run = cli(db_file, "import", GOOGLE, "--json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert set(out) == {"inserted", "updated", "unchanged", "skipped", "rejected", *NEW_REPORT_KEYS}
    assert (out["inserted"], out["skipped"]) == (3, 1)
    assert out["rejected"][0] == {"row": 4, "reason": "Email 'not-an-email' is not a valid address"}
    again = json.loads(cli(db_file, "import", GOOGLE, "--json").stdout)
    assert (again["inserted"], again["unchanged"]) == (0, 3)


@pytest.mark.parametrize("content", [b"", b"Name,Skills\r\nAnn,Go\r\n", b"\x00\xff" * 300])
def test_refused_import_exits_2_with_one_line_and_writes_nothing(db_file, tmp_path, content):
    cli(db_file, "import", GOOGLE)
    con = startup.open_database(db_file)
    before = table_snapshot(con)
    con.close()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    run = cli(db_file, "import", bad, "--json")
    assert run.returncode == 2 and run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    con = startup.open_database(db_file)
    assert table_snapshot(con) == before


def test_missing_file_is_one_sentence(db_file, tmp_path):
    run = cli(db_file, "import", tmp_path / "nope.csv")
    assert run.returncode == 2 and "nope.csv" in run.stderr and "Traceback" not in run.stderr


def test_import_as_accepted_then_list_as_json(db_file):
    cli(db_file, "import", GOOGLE, "--status", "accepted")
    people = json.loads(cli(db_file, "applicants", "--status", "accepted", "--json").stdout)
    assert {p["email"] for p in people} == {"felix@example.org", "amara.okafor@example.com", "zoe@example.com"}
    felix = next(p for p in people if p["email"] == "felix@example.org")
    for key in (
        "email",
        "name",
        "status",
        "linkedin",
        "github",
        "timezone",
        "experience_years",
        "offers",
        "wants",
        "applied_at",
    ):
        assert key in felix
    assert felix["offers"] == ["Elixir", "Erlang", "Phoenix"] and felix["linkedin"] is None
    assert felix["experience_years"] == 7.0 and felix["applied_at"].startswith("2024-03-02")


def test_set_status_and_its_refusals(db_file):
    cli(db_file, "import", GOOGLE)
    assert cli(db_file, "set-status", "--to", "screened", "felix@example.org", "zoe@example.com").returncode == 0
    statuses = {p["email"]: p["status"] for p in json.loads(cli(db_file, "applicants", "--json").stdout)}
    assert statuses["felix@example.org"] == "screened" and statuses["amara.okafor@example.com"] == "applied"
    refused = cli(db_file, "set-status", "--to", "declined", "felix@example.org")
    assert refused.returncode == 2 and "reason" in refused.stderr
    unknown = cli(db_file, "set-status", "--to", "accepted", "ghost@example.org")
    assert unknown.returncode == 2 and "ghost@example.org" in unknown.stderr


def test_demo_loads(db_file):
    assert cli(db_file, "demo").returncode == 0
    assert len(json.loads(cli(db_file, "applicants", "--json").stdout)) == 320


def test_database_held_by_another_process_is_one_sentence(db_file):
    startup.open_database(db_file).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(db_file)!r}); print('ok', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        run = cli(db_file, "applicants")
        assert run.returncode == 2 and "open in another program" in run.stderr and "Traceback" not in run.stderr
    finally:
        holder.kill()
        holder.wait()


def test_skills_json_and_merge_skill(db_file, tmp_path):
    export = tmp_path / "s.csv"
    export.write_text(
        'Email,Name,Skills you can offer,Skills to learn\na@x.org,Ann,"k8s, Click-house database",golang\n'
    )
    cli(db_file, "import", export, "--status", "accepted")
    listed = {s["skill"]: s for s in json.loads(cli(db_file, "skills", "--json").stdout)}
    assert set(listed["Kubernetes"]) == {"skill", "offered", "wanted", "aliases"}
    assert listed["Kubernetes"]["offered"] == 1 and "k8s" in listed["Kubernetes"]["aliases"]
    assert listed["Go"]["wanted"] == 1
    assert cli(db_file, "merge-skill", "Click-house database", "ClickHouse").returncode == 0
    listed = {s["skill"]: s for s in json.loads(cli(db_file, "skills", "--json").stdout)}
    assert "Click-house database" not in listed and listed["ClickHouse"]["offered"] == 1
    refused = cli(db_file, "merge-skill", "Nonsense words", "Go")
    assert refused.returncode == 2 and "No skill is called" in refused.stderr
    people = json.loads(cli(db_file, "applicants", "--json").stdout)
    assert people[0]["offers_canonical"] == ["Kubernetes", "ClickHouse"] and people[0]["wants_canonical"] == ["Go"]


def test_suggest_confirm_pause_and_never_pair(db_file, tmp_path):
    export = tmp_path / "m.csv"
    export.write_text(
        "Email,Name,Skills you can offer,Skills to learn,Time zone\n"
        'a@x.org,Amara O,"Kafka, Spark",Elixir,Europe/Berlin\nf@x.org,Felix B,Elixir,Kafka,Europe/London\n'
        "g@x.org,Gus G,Elixir,Spark,UTC\nh@x.org,Hal H,Rust,Go,UTC\n"
    )
    cli(db_file, "import", export, "--status", "accepted")
    one = json.loads(cli(db_file, "suggest", "--member", "a@x.org", "--limit", "1", "--json").stdout)
    assert len(one) == 1 and set(one[0]) == {
        "partner",
        "score",
        "a_teaches_b",
        "b_teaches_a",
        "reasons",
        "shared_hours",
    }
    assert one[0]["b_teaches_a"] == ["Elixir"] and 0 <= one[0]["score"] <= 100
    whole = json.loads(cli(db_file, "suggest", "--round", "--json").stdout)
    assert set(whole) == {"pairs", "unmatched"} and len(whole["pairs"]) == 1
    assert set(whole["pairs"][0]) == {"a", "b", "a_teaches_b", "b_teaches_a", "score", "reasons", "shared_hours"}
    assert {u["email"] for u in whole["unmatched"]} >= {"h@x.org"}
    made = cli(db_file, "confirm", "a@x.org", "f@x.org", "--json")
    assert made.returncode == 0 and json.loads(made.stdout)["state"] == "proposed"
    again = cli(db_file, "confirm", "a@x.org", "g@x.org", "--json")
    assert again.returncode == 2 and "already in an open pairing" in again.stderr and again.stdout == ""
    assert cli(db_file, "pause", "g@x.org", "--until", "2099-03-01").returncode == 0
    assert "paused until" in cli(db_file, "suggest", "--member", "g@x.org").stderr
    assert cli(db_file, "never-pair", "g@x.org", "h@x.org").returncode == 0
    bad = cli(db_file, "pause", "g@x.org", "--until", "March")
    assert bad.returncode == 2 and "not a date" in bad.stderr


def test_pair_life_on_the_command_line(db_file, tmp_path):
    export = tmp_path / "p.csv"
    export.write_text(
        "Email,Name,Skills you can offer,Skills to learn\na@x.org,Ann A,Go,Rust\nb@x.org,Bo B,Rust,Go\n"
        "c@x.org,Cy C,SQL,Go\n"
    )
    cli(db_file, "import", export, "--status", "accepted")
    pair_id = json.loads(cli(db_file, "confirm", "a@x.org", "b@x.org", "--json").stdout)["id"]
    assert cli(db_file, "advance", pair_id, "--to", "trial").returncode == 0
    assert cli(db_file, "advance", pair_id, "--to", "active").returncode == 0
    unknown = cli(db_file, "end-pair", pair_id, "--by", "a", "--reason", "bored")
    assert unknown.returncode == 2 and "time commitment" in unknown.stderr
    early = cli(db_file, "end-pair", pair_id, "--by", "a", "--reason", "time commitment", "--date", "2001-01-01")
    assert early.returncode == 2 and "before the pairing started" in early.stderr
    ended = cli(
        db_file,
        "end-pair",
        pair_id,
        "--by",
        "a",
        "--reason",
        "Time Commitment",
        "--feedback",
        "too busy",
        "--left-service",
        "a",
    )
    assert ended.returncode == 0, ended.stderr
    listed = json.loads(cli(db_file, "pairs", "--state", "ended", "--json").stdout)
    assert listed == [
        {
            "id": pair_id,
            "a": "a@x.org",
            "b": "b@x.org",
            "state": "ended",
            "started": listed[0]["started"],
            "ended": listed[0]["ended"],
            "ended_by": "a",
            "reason": "time commitment",
            "feedback": "too busy",
            "cadence_weeks": 1,
            "snoozed_until": None,
        }
    ]
    assert listed[0]["started"] == listed[0]["ended"]
    people = {p["email"]: p["status"] for p in json.loads(cli(db_file, "applicants", "--json").stdout)}
    assert people["a@x.org"] == "withdrawn" and people["b@x.org"] == "accepted"
    assert cli(db_file, "withdraw", "c@x.org", "--reason", "other", "--feedback", "moving").returncode == 0
    assert json.loads(cli(db_file, "pairs", "--state", "active", "--json").stdout) == []


def test_report_dropouts_json(db_file):
    cli(db_file, "demo")
    run = cli(db_file, "report", "dropouts", "--json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert set(report) == {"pairs", "ended", "active", "reasons", "median_weeks"}
    assert report["reasons"][0]["reason"] == "time commitment" and set(report["reasons"][0]) == {
        "reason",
        "count",
        "share",
    }
    assert abs(sum(r["share"] for r in report["reasons"]) - 1) < 0.01 and report["ended"] <= report["pairs"]
    window = json.loads(cli(db_file, "report", "dropouts", "--from", "2099-01-01", "--json").stdout)
    assert window == {"pairs": 0, "ended": 0, "active": 0, "reasons": [], "median_weeks": None}
    bad = cli(db_file, "report", "dropouts", "--to", "yesterday")
    assert bad.returncode == 2 and "not a date" in bad.stderr
