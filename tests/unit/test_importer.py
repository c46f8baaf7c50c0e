import pytest

from lib.errors import ImportRefused
from lib.intake import importer
from tests.conftest import FIXTURES, FORM_HEADER, make_csv, table_snapshot

GOOGLE = (FIXTURES / "csv" / "google_forms_bom.csv").read_bytes()


def _import(con, data, **kw):
    return importer.import_applications(con, data, filename="test.csv", **kw)


def _people(con):
    return dict(con.execute("SELECT email, name FROM applicants").fetchall())


def test_google_forms_export_maps_columns_by_their_wording():
    mapping = importer.preview_import(GOOGLE).mapping
    assert mapping["Email Address"] == "email"
    assert mapping["Full name"] == "name"
    assert mapping["Skills you can offer"] == "offers"
    assert mapping["What would you like to learn?"] == "wants"
    assert mapping["What do you want to get out of it?"] == "goals"
    assert mapping["Years of professional experience"] == "experience"
    assert mapping["How did you hear about us?"] is None


def test_google_forms_import_counts_and_rejects(con):
    result = _import(con, GOOGLE)
    assert (result.inserted, result.updated, result.unchanged, result.skipped) == (3, 0, 0, 1)
    assert result.rejected == [
        {"row": 4, "reason": "Email 'not-an-email' is not a valid address"},
        {"row": 5, "reason": "No email address"},
        {"row": 7, "reason": "No name"},
        {"row": 9, "reason": "Email '=HYPERLINK(\"http://x\")' is not a valid address"},
    ]


def test_resubmission_in_the_file_wins_by_submission_time(con):
    _import(con, GOOGLE)
    amara = con.execute(
        "SELECT offers_text, experience_years, submitted_at FROM applicants WHERE email = 'amara.okafor@example.com'"
    ).fetchone()
    assert amara[0] == "Kafka, Spark, Flink" and amara[1] == 7.0
    assert str(amara[2]) == "2024-03-06 11:30:00"


def test_multiline_answers_and_unmapped_columns_are_kept_verbatim(con):
    _import(con, GOOGLE)
    felix = con.execute(
        "SELECT offers_text, CAST(extra AS VARCHAR) FROM applicants WHERE email = 'felix@example.org'"
    ).fetchone()
    assert felix[0] == "Elixir, Erlang\nPhoenix"
    assert 'A friend said \\"try it\\"' in felix[1]


def test_skills_are_split_keeping_slashes_whole(con):
    _import(con, GOOGLE)
    words = [
        r[0]
        for r in con.execute(
            "SELECT raw FROM applicant_skills s JOIN applicants a ON a.id = s.applicant_id "
            "WHERE a.email = 'felix@example.org' ORDER BY kind, position"
        ).fetchall()
    ]
    assert words == ["Elixir", "Erlang", "Phoenix", "Kafka", "Spark", "CI/CD"]


def test_formula_like_name_is_stored_as_plain_text(con):
    _import(con, GOOGLE)
    assert _people(con)["zoe@example.com"] == '=HYPERLINK("http://evil")'


def test_reimport_changes_nothing(con):
    _import(con, GOOGLE)
    before = table_snapshot(con)
    again = _import(con, GOOGLE)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    after = table_snapshot(con)
    for table in ("applicants", "applicant_skills", "status_history"):
        assert after[table] == before[table]


def test_newer_export_updates_answers_but_not_moderator_decisions(con):
    first = make_csv(FORM_HEADER, [["2024-01-01 10:00:00", "a@x.org", "Ann", "Go", "Rust", "UTC", "3"]])
    _import(con, first)
    con.execute("UPDATE applicants SET status = 'accepted', notes = 'great chat'")
    newer = make_csv(FORM_HEADER, [["2024-02-01 10:00:00", "A@X.org ", "Ann Lee", "Go, SQL", "Rust", "UTC", "4"]])
    result = _import(con, newer)
    assert result.updated == 1
    row = con.execute("SELECT name, status, notes, experience_years FROM applicants").fetchone()
    assert row == ("Ann Lee", "accepted", "great chat", 4.0)
    assert con.execute("SELECT count(*) FROM applicant_skills WHERE kind = 'offer'").fetchone()[0] == 2


def test_older_submission_in_a_later_import_is_skipped(con):
    _import(con, make_csv(FORM_HEADER, [["2024-02-01 10:00:00", "a@x.org", "New Ann", "Go", "", "", ""]]))
    result = _import(con, make_csv(FORM_HEADER, [["2024-01-01 10:00:00", "a@x.org", "Old Ann", "Go", "", "", ""]]))
    assert (result.updated, result.skipped) == (0, 1)
    assert _people(con)["a@x.org"] == "New Ann"


def test_without_timestamps_the_last_row_wins(con):
    header = ["Email", "Name"]
    result = _import(con, make_csv(header, [["a@x.org", "First"], ["a@x.org", "Second"]]))
    assert (result.inserted, result.skipped) == (1, 1)
    assert _people(con)["a@x.org"] == "Second"


def test_semicolon_windows_1252_excel_export(con):
    result = _import(con, (FIXTURES / "csv" / "excel_semicolon_cp1252.csv").read_bytes())
    assert result.inserted == 3 and [r["row"] for r in result.rejected] == [4]
    names = _people(con)
    assert names["jose.muller@example.es"] == "José Müller"
    assert names["sam@example.co.uk"] == "Sam “Smart” O’Neil"


def test_first_and_last_name_columns_are_joined(con):
    data = make_csv(["E-mail", "First name", "Last name"], [["a@x.org", "Ann", "Lee"]])
    _import(con, data)
    assert _people(con) == {"a@x.org": "Ann Lee"}


def test_corrected_mapping_is_used(con):
    data = make_csv(["Contact", "Who", "Stuff"], [["a@x.org", "Ann", "Go; Rust"]])
    mapping = {"Contact": "email", "Who": "name", "Stuff": "offers"}
    _import(con, data, mapping=mapping)
    assert con.execute("SELECT count(*) FROM applicant_skills").fetchone()[0] == 2


def test_status_option_applies_to_new_people_only(con):
    _import(con, make_csv(["Email", "Name"], [["a@x.org", "Ann"]]))
    _import(con, make_csv(["Email", "Name"], [["a@x.org", "Ann"], ["b@x.org", "Bo"]]), status="accepted")
    assert dict(con.execute("SELECT email, status FROM applicants").fetchall()) == {
        "a@x.org": "applied",
        "b@x.org": "accepted",
    }


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03binary\xff\xfe" * 50, "binary"),
        (make_csv(["Name", "Skills"], [["Ann", "Go"]]), "No column holds email"),
        (make_csv(["Email", "Skills"], [["a@x.org", "Go"]]), "No column holds the applicants' names"),
    ],
)
def test_refused_files_leave_the_database_exactly_as_it_was(con, data, words):
    _import(con, GOOGLE)
    before = table_snapshot(con)
    with pytest.raises(ImportRefused, match=words):
        _import(con, data)
    assert table_snapshot(con) == before


def test_failure_midway_rolls_back_everything(con, monkeypatch):
    before = table_snapshot(con)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "_store_rejects", broken)
    with pytest.raises(RuntimeError):
        _import(con, GOOGLE)
    assert table_snapshot(con) == before


def test_two_columns_mapped_to_one_field_are_refused(con):
    data = make_csv(["Email", "Name", "Other"], [["a@x.org", "Ann", "b@x.org"]])
    with pytest.raises(ImportRefused, match="Two columns"):
        _import(con, data, mapping={"Email": "email", "Name": "name", "Other": "email"})


def test_import_history_records_file_hash_and_counts(con):
    _import(con, GOOGLE)
    history = importer.import_history(con)
    assert history.iloc[0]["sha256"] == __import__("hashlib").sha256(GOOGLE).hexdigest()
    assert (history.iloc[0]["inserted"], history.iloc[0]["rejected"]) == (3, 4)


def test_rejects_table_gives_back_the_original_columns(con):
    result = _import(con, GOOGLE)
    table = importer.rejects_table(con, result.import_id)
    assert list(table["Row"]) == [4, 5, 7, 9]
    assert table.iloc[0]["Email Address"] == "not-an-email"


@pytest.mark.parametrize(
    "text, years",
    [
        ("5", 5.0),
        ("3-5 years", 4.0),
        ("10+", 10.0),
        ("less than a year", 0.5),
        ("18 months", 1.5),
        ("", None),
        ("lots", None),
        ("7,5", 7.5),
        ("2 to 4", 3.0),
    ],
)
def test_experience_is_read_from_free_text(text, years):
    assert importer.parse_experience(text) == years


def test_progress_is_reported_until_done(con):
    seen = []
    _import(con, GOOGLE, progress=lambda fraction, text: seen.append(fraction))
    assert seen[0] < seen[-1] == 1.0


def test_rows_shorter_than_the_header_are_padded_not_refused(con):
    result = _import(con, b"Email,Name,Skills you can offer\r\na@x.org,Ann\r\n")
    assert result.inserted == 1
