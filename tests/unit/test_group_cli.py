"""The published group commands: `group import FILE [--json]`, `group diff --json`, `group digest`."""

import json

import pytest

from lib import startup
from lib.intake import importer
from lib.members import applicants
from tests.conftest import FIXTURES, make_csv, run_cli

GROUP = FIXTURES / "group"
HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?"]
ROWS = [
    ["Amara.Okafor@example.org", "Amara Okafor", "Kafka", "Elixir"],
    ["Felix@X.org", "Felix Braun", "Elixir", "Kafka"],
    ["kenji@x.org", "Kenji Tanaka", "Rust", "Go"],
]


@pytest.fixture
def community(db_file):
    con = startup.open_database(db_file)
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="f.csv", status="accepted")
    applicants.set_status(con, ["kenji@x.org"], "withdrawn")
    con.close()
    return db_file


def test_import_json_has_exactly_members_and_warnings(community):
    run = run_cli(community, "group", "import", GROUP / "google_groups_members.csv", "--json")
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert set(result) == {"members", "warnings"} and result["members"] == 6 and len(result["warnings"]) == 2


def test_import_without_json_says_what_it_stored_and_warns_on_stderr(community):
    run = run_cli(community, "group", "import", GROUP / "google_groups_members.csv")
    assert run.returncode == 0 and "Stored 6 group members (Google Groups, dated today)" in run.stdout
    assert "Row 10" in run.stderr


def test_diff_json_is_lower_cased_with_the_export_date(community, tmp_path):
    export = tmp_path / "members-2026-11-22.csv"
    export.write_bytes((GROUP / "google_groups_members.csv").read_bytes())
    assert run_cli(community, "group", "import", export).returncode == 0
    run = run_cli(community, "group", "diff", "--json")
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert set(found) == {"to_add", "to_remove", "unknown", "exported_at"}
    assert found["to_add"] == ["felix@x.org"] and found["to_remove"] == ["kenji@x.org"]
    assert found["unknown"] == ["mod.erator@example.org", "lucas@x.org", "priya@x.org", "stranger.42@gmail.com"]
    assert found["exported_at"] == "2026-11-22T00:00:00"


def test_diff_before_an_import_is_refused_in_one_sentence(community):
    run = run_cli(community, "group", "diff", "--json")
    assert run.returncode == 2 and run.stdout == "" and run.stderr.strip().count("\n") == 0
    assert "No member list of the Google group has been imported yet" in run.stderr


@pytest.mark.parametrize("name", ["not_a_roster_inventory.csv", "not_a_roster_donations.csv"])
def test_a_file_that_is_not_a_roster_exits_2_and_keeps_the_stored_one(community, name):
    assert run_cli(community, "group", "import", GROUP / "workspace_admin_members_utf16.csv").returncode == 0
    run = run_cli(community, "group", "import", GROUP / name, "--json")
    assert run.returncode == 2 and run.stdout == "" and run.stderr.strip().count("\n") == 0
    found = json.loads(run_cli(community, "group", "diff", "--json").stdout)
    assert "joerg@x.org" in found["unknown"]  # the Workspace list is still the stored one


def test_digest_drafts_to_the_address_set_from_the_command_line(community):
    assert run_cli(community, "settings", "set", "group_address", "Mentoring@GoogleGroups.com").returncode == 0
    run = run_cli(community, "group", "digest")
    assert run.returncode == 0, run.stderr
    listed = json.loads(run_cli(community, "outbox", "--json").stdout)
    digest = [m for m in listed if m["kind"] == "digest"]
    assert len(digest) == 1 and digest[0]["to"] == ["mentoring@googlegroups.com"]
    assert "Felix, who offers Elixir and wants to learn Kafka" in digest[0]["body"]


def test_the_readme_documents_every_community_setting():
    from lib.messages import settings
    from tests.conftest import ROOT

    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Community settings")[1].split("\n## ")[0]
    documented = [line.split("`")[1] for line in section.splitlines() if line.startswith("| `")]
    assert sorted(documented) == sorted(settings.KNOWN)
