import pytest

from lib.errors import ImportRefused
from lib.intake.csvfile import parse_csv_bytes
from tests.conftest import FIXTURES, make_csv

HEADER = ["Email", "Name", "Skills"]


def test_utf8_bom_is_stripped_from_first_column():
    parsed = parse_csv_bytes((FIXTURES / "csv" / "google_forms_bom.csv").read_bytes())
    assert parsed.encoding == "utf-8-sig"
    assert parsed.header[0] == "Timestamp"


def test_utf16_with_bom_and_tabs():
    data = make_csv(HEADER, [["a@x.org", "Zoë", "Go"]], delimiter="\t", encoding="utf-16")
    parsed = parse_csv_bytes(data)
    assert parsed.encoding == "utf-16" and parsed.delimiter == "\t"
    assert parsed.records == [["a@x.org", "Zoë", "Go"]]


def test_utf16_without_bom_is_detected():
    data = make_csv(HEADER, [["a@x.org", "Zoë", "Go"]]).decode().encode("utf-16-le")
    assert parse_csv_bytes(data).records[0][1] == "Zoë"


def test_windows_1252_semicolon_excel_export():
    data = (FIXTURES / "csv" / "excel_semicolon_cp1252.csv").read_bytes()
    parsed = parse_csv_bytes(data)
    assert parsed.encoding == "windows-1252" and parsed.delimiter == ";"
    assert any("José Müller" in r for r in parsed.records)


def test_quoted_newlines_quotes_and_commas_keep_spreadsheet_row_numbers():
    data = make_csv(HEADER, [["a@x.org", 'Ann "the, quick" Lee', "Go,\nRust"], ["b@x.org", "Bo", "C"]])
    parsed = parse_csv_bytes(data)
    assert parsed.records[0] == ["a@x.org", 'Ann "the, quick" Lee', "Go,\nRust"]
    assert parsed.row_numbers == [2, 3]


def test_blank_rows_are_skipped_but_counted_in_row_numbers():
    data = b"Email,Name\r\na@x.org,A\r\n,\r\n\r\nb@x.org,B\r\n"
    assert parse_csv_bytes(data).row_numbers == [2, 5]


def test_semicolon_file_with_ragged_rows_is_not_read_as_one_column():
    rows = [["a@x.org", "A", "Go"]] * 5 + [["b@x.org", "B", "Go", "surplus"]]
    parsed = parse_csv_bytes(make_csv(HEADER, rows, delimiter=";"))
    assert parsed.delimiter == ";" and len(parsed.records) == 6


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"   \r\n\r\n", "empty"),
        (b"PK\x03\x04\x14\x00\x06\x00", "workbook"),
        (bytes(range(256)) * 4, "binary"),
        (b"Email,Name\r\n\x81\x8d\x8f\x90\x9d,x\r\n", "cannot be read"),
    ],
)
def test_unreadable_files_are_refused_with_a_sentence(data, words):
    with pytest.raises(ImportRefused, match=words):
        parse_csv_bytes(data)


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    from lib.intake import csvfile

    monkeypatch.setattr(csvfile, "MAX_BYTES", 1000)
    with pytest.raises(ImportRefused, match="the limit is 0 MB"):
        parse_csv_bytes(b"Email,Name\r\n" + b"a@x.org,Ann\r\n" * 200)
