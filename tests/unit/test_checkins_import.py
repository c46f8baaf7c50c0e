"""Importing the check-in form's CSV export (issue 18 item 3): encodings, localized headers, unknown addresses,
a member who answered twice, the remembered mapping; and the command line's check-in commands."""

import json
from datetime import datetime, timedelta

import pytest

from lib.errors import InvalidInput
from lib.intake import importer
from lib.pair_life import checkin_answers, checkins, lifecycle, pairs
from lib.storage import db
from tests.conftest import make_csv, run_cli

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone"]
ROWS = [
    ["ayse@x.org", "Ayşe Yılmaz", "Go", "Rust", "UTC"],
    ["joerg@x.org", "Jörg Müller", "Rust", "Go", "UTC"],
    ["cy@x.org", "Cy Twombly", "SQL", "Go", "UTC"],
    ["dee@x.org", "Dee Dee", "Go", "SQL", "UTC"],
]
START = datetime(2026, 10, 1, 12, 0)
GERMAN = [
    "Zeitstempel",
    "E-Mail-Adresse",
    "Paar (bitte nicht ändern)",
    "Habt ihr euch seit dem letzten Check-in getroffen?",
    "Wie läuft es? (1-5)",
    "Ist es schwierig, Zeit zu finden?",
    "Sonst noch etwas?",
]


@pytest.fixture
def two_pairs(con, monkeypatch):
    monkeypatch.setattr(db, "now", lambda precise=False: START)
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="p.csv", status="accepted")
    first = pairs.confirm_pair(con, "ayse@x.org", "joerg@x.org")["id"]
    second = pairs.confirm_pair(con, "cy@x.org", "dee@x.org")["id"]
    lifecycle.advance(con, first, "active")
    monkeypatch.setattr(db, "now", lambda precise=False: START + timedelta(days=30))
    return first, second


def answers_of(con, pair):
    said = checkins.answers(con, pair)
    return sorted(zip(said["member"], said["met"], said["rating"], said["time_problem"].fillna("-"), said["note"]))


def test_a_german_windows_1252_export_with_a_stranger_and_a_member_who_answered_twice(con, two_pairs):
    first, second = two_pairs
    rows = [
        ["15.10.2026 18:01:10", "ayse@x.org", str(first), "Ja", "4", "Nein", "Läuft gut"],
        ["16.10.2026 09:12:00", "Joerg@X.org ", str(first), "Nein", "2 - eher schlecht", "Ein bisschen", "Zu müde"],
        ["20.10.2026 21:30:00", "joerg@x.org", str(first), "Ja", "3", "Nein", "Jetzt besser"],
        ["17.10.2026 10:00:00", "fremd@example.com", "", "Ja", "5", "Nein", ""],
        ["18.10.2026 10:00:00", "cy@x.org", "", "Ja", "5", "", ""],
    ]
    data = make_csv(GERMAN, rows, delimiter=";", encoding="cp1252")
    result = checkin_answers.import_answers(con, data, filename="checkin.csv")
    assert result.as_json() == {"recorded": 3, "unknown": ["fremd@example.com"], "skipped": 1, "warnings": []}
    assert answers_of(con, first) == [
        ("Ayşe Yılmaz", True, 4, "no", "Läuft gut"),
        ("Jörg Müller", True, 3, "no", "Jetzt besser"),  # the newer of his two answers
    ]
    assert answers_of(con, second) == [("Cy Twombly", True, 5, "-", None)]  # his open pair, found by date
    again = checkin_answers.import_answers(con, data)
    assert (again.recorded, again.skipped) == (0, 4)  # the same export twice changes nothing


def test_an_older_answer_in_a_later_file_changes_nothing(con, two_pairs):
    first, _ = two_pairs
    header = ["Timestamp", "Email Address", "Did you meet since the last check-in?", "How is it going?",
              "Is finding the time a problem?", "Anything else?"]  # fmt: skip
    new = make_csv(header, [["10/20/2026 9:00:00", "ayse@x.org", "Yes", "5", "No", "great"]])
    old = make_csv(header, [["10/13/2026 9:00:00", "ayse@x.org", "No", "1", "Yes", "awful"]])
    checkin_answers.import_answers(con, new)
    assert checkin_answers.import_answers(con, old).as_json()["skipped"] == 1
    assert answers_of(con, first) == [("Ayşe Yılmaz", True, 5, "no", "great")]


def test_spanish_utf16_and_turkish_utf8_bom_headers_are_read(con, two_pairs):
    first, _ = two_pairs
    spanish = ["Marca temporal", "Dirección de correo electrónico", "¿Os habéis reunido desde el último check-in?",
               "¿Cómo va todo? (1-5)", "¿Encontrar tiempo es un problema?", "¿Algo más?"]  # fmt: skip
    data = make_csv(spanish, [["14/10/2026 10:00:00", "ayse@x.org", "Sí", "3", "Un poco", "bien"]], encoding="utf-16")
    assert checkin_answers.import_answers(con, data).recorded == 1
    turkish = ["Zaman damgası", "E-posta adresi", "Son check-in'den beri buluştunuz mu?", "Nasıl gidiyor? (1-5)",
               "Zaman bulmak sorun mu?", "Eklemek istediğiniz bir şey var mı?"]  # fmt: skip
    data = make_csv(turkish, [["15.10.2026 11:00:00", "joerg@x.org", "Hayır", "2", "Evet", "çok yoğunum"]])
    assert checkin_answers.import_answers(con, b"\xef\xbb\xbf" + data).recorded == 1
    assert answers_of(con, first) == [
        ("Ayşe Yılmaz", True, 3, "a-bit", "bien"),
        ("Jörg Müller", False, 2, "yes", "çok yoğunum"),
    ]


def test_a_column_named_by_hand_is_remembered_and_a_missing_one_refused(con, two_pairs):
    header = ["Timestamp", "Email Address", "Q1", "Q2"]
    data = make_csv(header, [["10/20/2026 9:00:00", "ayse@x.org", "yes", "4"]])
    with pytest.raises(InvalidInput, match="No column holds Did you meet, How is it going"):
        checkin_answers.import_answers(con, data)
    assert checkin_answers.import_answers(con, data, choices=["met=Q1", "rating=Q2"]).recorded == 1
    assert checkin_answers.choose_mapping(con, header)["Q1"] == "met"  # remembered for the same header
    with pytest.raises(InvalidInput, match="not a check-in field"):
        checkin_answers.import_answers(con, data, choices=["mood=Q1"])


def test_unreadable_answers_are_skipped_with_their_row(con, two_pairs):
    header = ["Email Address", "Did you meet?", "How is it going (1-5)?"]
    data = make_csv(header, [["ayse@x.org", "maybe", "4"], ["joerg@x.org", "yes", "great!"]])
    result = checkin_answers.import_answers(con, data)
    assert (result.recorded, result.skipped) == (0, 2)
    assert [w[:6] for w in result.warnings] == ["Row 2:", "Row 3:"]


def test_the_command_line_lists_drafts_records_imports_and_reports(con, two_pairs, db_file, tmp_path):
    first, second = two_pairs
    con.close()
    listed = json.loads(run_cli(db_file, "checkins", "--as-of", "2026-10-09", "--json").stdout)
    assert {"pair_id": first, "kind": "trial", "due_on": "2026-10-08", "status": "due"} in listed
    assert all(set(item) == {"pair_id", "kind", "due_on", "status"} for item in listed)
    drafted = run_cli(db_file, "checkins", "draft")
    assert drafted.returncode == 0 and "Drafted 4 check-in messages (2 pairs)" in drafted.stdout
    done = run_cli(db_file, "checkins", "record", first, "ayse@x.org", "--met", "no", "--rating", "2",
                   "--time-problem", "a-bit", "--note", "busy")  # fmt: skip
    assert done.returncode == 0, done.stderr
    refused = run_cli(db_file, "checkins", "record", first, "cy@x.org", "--met", "yes", "--rating", "3")
    assert refused.returncode == 2 and "not a member of pair" in refused.stderr
    export = tmp_path / "answers.csv"
    export.write_bytes(make_csv(["Email Address", "Did you meet?", "Rating"], [["nobody@x.org", "yes", "4"]]))
    imported = json.loads(run_cli(db_file, "checkins", "import", export, "--json").stdout)
    assert imported == {"recorded": 0, "unknown": ["nobody@x.org"], "skipped": 0, "warnings": []}
    kinds = {i["kind"] for i in json.loads(run_cli(db_file, "attention", "--json").stdout)}
    assert "checkin_struggling" in kinds and "checkin_time" in kinds
    report = json.loads(run_cli(db_file, "report", "checkins", "--json").stdout)
    assert set(report) == {"periods", "dropouts"}
