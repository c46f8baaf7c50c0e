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
                           "wants", "offers_canonical", "wants_canonical", "applied_at"}  # fmt: skip
    assert (person["timezone"], person["github"], person["linkedin"]) == (
        "Europe/Berlin",
        "https://github.com/ann",
        None,
    )
