"""The published `import` interface: option names, JSON keys, stderr warnings, exit codes."""

import json

from lib import cli
from tests.conftest import make_csv

HEADER = ["Timestamp", "Email", "Name", "Things", "Time zone", "GitHub"]
ROWS = [["01/02/2026 09:00:00", "a@x.org", "Ann", "Go", "Mars base", "github.com/ann"]]


def _run(db_file, tmp_path, capsys, *args, rows=ROWS):
    path = tmp_path / "export.csv"
    path.write_bytes(make_csv(HEADER, rows))
    code = cli.main(["--db", str(db_file), "import", str(path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_has_the_published_keys(db_file, tmp_path, capsys):
    code, out, err = _run(db_file, tmp_path, capsys, "--map", "offers=Things", "--dates", "dmy", "--json")
    report = json.loads(out)
    assert code == 0 and err == ""
    assert report["mapping"] == {"submitted_at": "Timestamp", "email": "Email", "name": "Name", "offers": "Things",
                                 "timezone": "Time zone", "github": "GitHub"}  # fmt: skip
    assert report["unmapped_columns"] == [] and report["date_order"] == "dmy" and report["encoding"] == "utf-8"
    assert report["missing_fields"] == ["wants", "experience", "goals"]
    assert report["unknown_timezones"][0]["answer"] == "Mars base"
    assert all(isinstance(w, str) for w in report["warnings"])


def test_warnings_go_to_stderr_without_json(db_file, tmp_path, capsys):
    code, out, err = _run(db_file, tmp_path, capsys)
    assert code == 0 and "1 inserted" in out
    assert "Warning: All 1 dates in 'Timestamp'" in err and "--dates dmy" in err
    assert "time-zone answers were not understood" in err


def test_encoding_option_overrides_detection(db_file, tmp_path, capsys):
    code, out, _ = _run(db_file, tmp_path, capsys, "--encoding", "windows-1254", "--json")
    assert code == 0 and json.loads(out)["encoding"] == "windows-1254"


def test_bad_options_exit_2_with_one_sentence(db_file, tmp_path, capsys):
    code, _, err = _run(db_file, tmp_path, capsys, "--map", "skills=Things")
    assert code == 2 and "'skills' is not a field" in err
    code, _, err = _run(db_file, tmp_path, capsys, "--map", "offers=Nope")
    assert code == 2 and "no column 'Nope'" in err
    code, _, err = _run(db_file, tmp_path, capsys, "--encoding", "klingon")
    assert code == 2 and "'klingon' is not a text encoding" in err


def test_map_is_remembered_for_the_next_import(db_file, tmp_path, capsys):
    _run(db_file, tmp_path, capsys, "--map", "offers=Things")
    _, out, _ = _run(db_file, tmp_path, capsys, "--json", rows=[["01/02/2026 10:00:00", "b@x.org", "Bo", "C", "", ""]])
    assert json.loads(out)["mapping"]["offers"] == "Things"


def test_applicants_json_keeps_its_keys_with_zones_and_absolute_links(db_file, tmp_path, capsys):
    rows = [["13/01/2026 09:00:00", "a@x.org", "Ann", "Go", "Europe/Berlin", "github.com/ann"]]
    _run(db_file, tmp_path, capsys, rows=rows)
    assert cli.main(["--db", str(db_file), "applicants", "--json"]) == 0
    person = json.loads(capsys.readouterr().out)[0]
    assert set(person) == {"email", "name", "status", "linkedin", "github", "timezone", "experience_years", "offers",
                           "wants", "offers_canonical", "wants_canonical", "applied_at", "hours_per_week",
                           "availability"}  # fmt: skip
    assert (person["timezone"], person["github"], person["linkedin"]) == (
        "Europe/Berlin",
        "https://github.com/ann",
        None,
    )


GRID = "When are you usually free for a call? (your local time)"


def test_import_json_maps_a_grid_to_availability_and_a_budget_column(db_file, tmp_path, capsys):
    header = ["Email", "Name", f"{GRID} [Monday]", f"{GRID} [Saturday]", "How much time per week can you give?"]
    path = tmp_path / "grid.csv"
    path.write_bytes(make_csv(header, [["a@x.org", "Ann", "Evening (18:00-22:00)", "Morning (8:00-12:00)", "1 hour"]]))
    assert cli.main(["--db", str(db_file), "import", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["mapping"]["availability"] == [f"{GRID} [Monday]", f"{GRID} [Saturday]"]
    assert report["mapping"]["budget"] == "How much time per week can you give?"
    assert report["unmapped_columns"] == [] and "availability" not in report["missing_fields"]


def test_applicants_json_gives_hours_per_week_and_local_slots_or_empty_when_unknown(db_file, tmp_path, capsys):
    header = ["Email", "Name", "When are you free?", "Hours per week"]
    rows = [["a@x.org", "Ann", "Sat mornings, Mon 18-22", "1-2 hours"], ["b@x.org", "Bo", "not sure", "depends"]]
    path = tmp_path / "free.csv"
    path.write_bytes(make_csv(header, rows))
    assert cli.main(["--db", str(db_file), "import", str(path)]) == 0
    capsys.readouterr()
    assert cli.main(["--db", str(db_file), "applicants", "--json"]) == 0
    people = {p["email"]: p for p in json.loads(capsys.readouterr().out)}
    assert people["a@x.org"]["hours_per_week"] == 1.0
    assert people["a@x.org"]["availability"] == [
        {"day": "mon", "start": "18:00", "end": "22:00"},
        {"day": "sat", "start": "08:00", "end": "12:00"},
    ]
    assert people["b@x.org"]["hours_per_week"] is None and people["b@x.org"]["availability"] == []
