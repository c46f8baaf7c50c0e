"""The Google group's member list: reading real exports, refusing what is not one, re-import, the diff."""

from datetime import date, datetime, timedelta

import pytest

from lib.errors import ImportRefused, NotFound
from lib.group import reconcile, roster
from lib.intake import importer
from lib.members import applicants
from lib.pair_life import lifecycle, pairs
from lib.storage import db
from tests.conftest import FIXTURES, make_csv

GROUP = FIXTURES / "group"
HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?"]
PEOPLE = [
    ["amara.okafor@example.org", "Amara Okafor", "Kafka", "Elixir"],
    ["felix@x.org", "Felix Braun", "Elixir", "Kafka"],
    ["ines@x.org", "Inès Costa", "Go", "Rust"],
    ["kenji@x.org", "Kenji Tanaka", "Rust", "Go"],
    ["priya@x.org", "Priya Sharma", "SQL", "Go"],
    ["lucas@x.org", "Lucas Silva", "CSS", "SQL"],
]


@pytest.fixture
def community(con):
    """Amara and Felix accepted, Inès accepted and paused, Kenji withdrew, Priya declined, Lucas applied."""
    importer.import_applications(con, make_csv(HEADER, PEOPLE), filename="form.csv", status="accepted")
    applicants.set_status(con, ["lucas@x.org"], "applied")
    applicants.set_status(con, ["priya@x.org"], "declined", reason="not a fit")
    lifecycle.withdraw(con, "kenji@x.org", reason="time commitment")
    pairs.pause_member(con, "ines@x.org", db.now().date() + timedelta(days=30))
    return con


def _import(con, name: str, *, as_name: str | None = None):
    return roster.import_roster(con, (GROUP / name).read_bytes(), filename=as_name or name)


def test_google_groups_export_with_its_title_line_is_read_lower_cased():
    read = roster.read_roster((GROUP / "google_groups_members.csv").read_bytes())
    assert read.source == roster.GROUPS
    emails = [m["email"] for m in read.members]
    assert emails == [
        "mod.erator@example.org", "amara.okafor@example.org", "kenji@x.org", "priya@x.org", "lucas@x.org",
        "stranger.42@gmail.com",
    ]  # fmt: skip
    owner = read.members[0]
    assert owner["role"] == "owner" and owner["joined_on"] == date(2024, 3, 1) and owner["nickname"] == "Moderator"
    assert read.warnings == [
        "Row 9: amara.okafor@example.org is listed twice; it counts once.",
        "Row 10: 'not an address' is not an email address; the row was skipped.",
    ]


def test_workspace_admin_console_export_in_utf16_is_read():
    read = roster.read_roster((GROUP / "workspace_admin_members_utf16.csv").read_bytes())
    assert read.source == roster.WORKSPACE and read.encoding == "utf-16"
    assert [(m["email"], m["role"], m["nickname"]) for m in read.members][2:] == [
        ("ines@x.org", "member", "Inès Costa"),
        ("joerg@x.org", "manager", "Jörg Müller"),
    ]


def test_windows_1252_semicolon_export_keeps_accented_nicknames():
    read = roster.read_roster((GROUP / "google_groups_members_cp1252_semicolon.csv").read_bytes())
    assert read.encoding == "windows-1252"
    assert [m["nickname"] for m in read.members] == ["Amara Okafor", "Félix Brâun", "Zoë Lefèvre"]
    assert read.members[1]["email"] == "felix@x.org"


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("not_a_roster_inventory.csv", "no column holds email addresses"),
        ("not_a_roster_donations.csv", "none of a group member list's columns"),
    ],
)
def test_a_file_that_is_not_a_roster_is_refused_and_nothing_is_stored(con, name, says):
    with pytest.raises(ImportRefused, match=says):
        _import(con, name)
    assert con.execute("SELECT count(*) FROM group_roster_imports").fetchone()[0] == 0


def test_the_application_form_export_is_refused_with_where_it_belongs(con):
    data = (FIXTURES / "csv" / "google_forms_bom.csv").read_bytes()
    with pytest.raises(ImportRefused, match="application form's answers.*Import page"):
        roster.import_roster(con, data, filename="responses.csv")


def test_a_list_without_members_is_refused(con):
    with pytest.raises(ImportRefused, match="holds no member"):
        roster.import_roster(con, b"Members for group x@googlegroups.com\nEmail address,Nickname\n", filename="m.csv")


def test_reimport_replaces_the_roster_and_keeps_its_date(con):
    first = _import(con, "google_groups_members.csv", as_name="members-2026-11-20.csv")
    assert first.as_json()["members"] == 6 and first.exported_at == datetime(2026, 11, 20)
    second = _import(con, "workspace_admin_members_utf16.csv", as_name="members 20261201.csv")
    stored = sorted(e for (e,) in con.execute("SELECT email FROM group_roster").fetchall())
    assert second.members == 4 and stored == [
        "amara.okafor@example.org",
        "ines@x.org",
        "joerg@x.org",
        "mod.erator@example.org",
    ]
    latest = roster.latest_import(con)
    assert latest["exported_at"] == datetime(2026, 12, 1) and latest["exported_from"] == "file name"
    assert con.execute("SELECT count(*) FROM group_roster_imports").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'import_group_roster'").fetchone()[0] == 2


def test_a_refused_reimport_leaves_the_stored_roster(con):
    _import(con, "google_groups_members.csv")
    with pytest.raises(ImportRefused):
        _import(con, "not_a_roster_donations.csv")
    assert con.execute("SELECT count(*) FROM group_roster").fetchone()[0] == 6


def test_export_date_from_the_name_else_the_moment_of_import():
    now = datetime(2026, 12, 4, 15, 30)
    assert roster.export_date("Members 2026-11-22.csv", now) == (datetime(2026, 11, 22), "file name", None)
    assert roster.export_date("peer-mentoring members.csv", now) == (now, "import time", None)
    later, how, warning = roster.export_date("members-2027-01-02.csv", now)
    assert (later, how) == (now, "import time") and "after today" in warning


def test_age_in_words():
    today = date(2026, 12, 4)
    assert roster.age_words(datetime(2026, 11, 22), "file name", today=today) == "exported 12 days ago"
    assert roster.age_words(datetime(2026, 12, 3, 9), "import time", today=today) == "imported yesterday"
    assert roster.age_words(datetime(2026, 12, 4, 9), "file name", today=today) == "exported today"


def test_diff_names_who_to_add_remove_and_who_is_unknown(community):
    _import(community, "google_groups_members.csv")
    found = reconcile.diff(community).as_json()
    assert found["to_add"] == ["felix@x.org", "ines@x.org"]  # Inès is paused: still a member
    assert found["to_remove"] == ["kenji@x.org", "priya@x.org"]  # withdrew; declined
    assert found["unknown"] == ["mod.erator@example.org", "stranger.42@gmail.com"]  # the owner first
    assert "lucas@x.org" not in sum((found[k] for k in ("to_add", "to_remove", "unknown")), [])
    assert list(reconcile.diff(community).screening["email"]) == ["lucas@x.org"]


def test_an_accepted_member_in_the_group_is_in_no_list(community):
    roster.import_roster(
        community, make_csv(["Email address", "Nickname"], [["Felix@X.ORG", "F"], ["ines@x.org", ""],
                            ["amara.okafor@example.org", ""]]), filename="m.csv",
    )  # fmt: skip
    found = reconcile.diff(community)
    assert found.empty and reconcile.counts(community) == {"to_add": 0, "to_remove": 0, "unknown": 0}


def test_diff_before_any_roster_is_a_sentence(community):
    with pytest.raises(NotFound, match="No member list"):
        reconcile.diff(community)
    assert reconcile.counts(community) is None


def test_paste_list_is_comma_separated():
    assert reconcile.paste_list(["a@x.org", "b@x.org"]) == "a@x.org, b@x.org"
