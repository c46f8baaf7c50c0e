"""Reading a CSV export as it really is: detect encoding and delimiter, keep every record.

DuckDB's sniffer can silently fall back to one column or drop rows, and DuckDB has no
Windows-1252 decoder offline, so the file is decoded and split here with Python's csv module,
which also gives exact spreadsheet row numbers for records holding quoted newlines.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from lib.errors import ImportRefused

DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_SAMPLE_RECORDS = 50
_SAMPLE_CHARS = 256 * 1024
csv.field_size_limit(1 << 30)


@dataclass
class ParsedCSV:
    """A decoded, split CSV file: header, data records and their spreadsheet row numbers."""

    header: list[str]
    records: list[list[str]]
    row_numbers: list[int]
    encoding: str
    delimiter: str

    @property
    def delimiter_name(self) -> str:
        """The delimiter in words, for the import page."""
        return _DELIMITER_NAMES[self.delimiter]


MAX_BYTES = 50 * 1024 * 1024  # the same 50 MB as server.maxUploadSize in .streamlit/config.toml


def parse_csv_bytes(data: bytes) -> ParsedCSV:
    """Decode and split a CSV export; refuse with one sentence what cannot be one."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            f"The file is {len(data) / 1024 / 1024:.0f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB. "
            "Export fewer responses (for example by date) and import them in parts."
        )
    text, encoding = decode_bytes(data)
    delimiter = detect_delimiter(text)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=False)
    header: list[str] | None = None
    records: list[list[str]] = []
    numbers: list[int] = []
    for number, row in enumerate(rows, start=1):
        if header is None:
            if _is_blank(row):
                raise ImportRefused("The first row of the file is empty; it must hold the column names.")
            header = unique_header(row)
            continue
        if _is_blank(row):
            continue
        records.append(row)
        numbers.append(number)
    if header is None:
        raise ImportRefused("The file is empty: there is no header row and no application in it.")
    return ParsedCSV(header, records, numbers, encoding, delimiter)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) for UTF-8 (with or without BOM), UTF-16 or Windows-1252."""
    if not data.strip():
        raise ImportRefused("The file is empty: there is no header row and no application in it.")
    if data.startswith(b"PK\x03\x04"):
        raise ImportRefused(
            "This is a spreadsheet workbook (.xlsx or .ods), not a CSV file; "
            "save or download it as CSV and import that."
        )
    for bom, name in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _decode_or_refuse(data, name), name
    if b"\x00" in data[:4096]:
        name = _utf16_without_bom(data)
        return _decode_or_refuse(data, name), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_or_refuse(data, "cp1252"), "windows-1252"


def detect_delimiter(text: str) -> str:
    """The delimiter (comma, semicolon or tab) that splits the first records most consistently."""
    best, best_key = ",", (-1.0, 0)
    head = text[:_SAMPLE_CHARS]
    for delimiter in DELIMITERS:
        sample = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter, strict=False)
        counts = []
        for row in sample:
            if not _is_blank(row):
                counts.append(len(row))
            if len(counts) > _SAMPLE_RECORDS:
                break
        if not counts or counts[0] < 2:
            continue
        same = sum(1 for c in counts[1:] if c == counts[0])
        consistency = same / (len(counts) - 1) if len(counts) > 1 else 1.0
        key = (consistency, counts[0])
        if key > best_key:
            best, best_key = delimiter, key
    return best


def unique_header(row: list[str]) -> list[str]:
    """Header names trimmed, blanks named by position, repeats numbered so each is unique."""
    seen: dict[str, int] = {}
    names = []
    for index, raw in enumerate(row, start=1):
        name = raw.strip() or f"Column {index}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        names.append(name)
    return names


def _decode_or_refuse(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            f"The file cannot be read as text (byte {exc.start} is not valid {encoding}); "
            "export it again as CSV (UTF-8)."
        ) from exc
    if "\x00" in text:
        raise ImportRefused("The file holds binary data, not text; export the form's answers as CSV and import that.")
    return text


def _utf16_without_bom(data: bytes) -> str:
    head = data[:4096]
    even_zeros = head[0::2].count(0)
    odd_zeros = head[1::2].count(0)
    if odd_zeros > len(head) // 4 and even_zeros == 0:
        return "utf-16-le"
    if even_zeros > len(head) // 4 and odd_zeros == 0:
        return "utf-16-be"
    raise ImportRefused("The file holds binary data, not text; export the form's answers as CSV and import that.")


def _is_blank(row: list[str]) -> bool:
    return not "".join(row).strip()
