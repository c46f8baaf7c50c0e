"""CSV exports never start a formula on any line of any cell, and keep the table's shape."""

import csv
import io
import os
import re

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.storage import exports

FORMULA = ("=", "+", "-", "@", "\t", "\r")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
cells = st.text(alphabet=st.sampled_from(list("=+-@\t\r\n,\"' aZ1é李")), max_size=12)


def _parse(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _lines(cell: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", cell)


def test_a_lone_carriage_return_cannot_start_a_formula_line():
    frame = pd.DataFrame({"name": ['Innocent\r=HYPERLINK("http://evil.test")', "Ann\n+1", "Bo\r\n@SUM(A1)"]})
    rows = _parse(exports.to_csv_bytes(frame))
    assert len(rows) == 4 and all(len(r) == 1 for r in rows)
    assert rows[1][0] == 'Innocent\r\'=HYPERLINK("http://evil.test")'
    assert rows[2][0] == "Ann\n'+1" and rows[3][0] == "Bo\r\n'@SUM(A1)"


def test_ordinary_text_is_kept_as_written():
    frame = pd.DataFrame({"name": ["Zoë Ñuño", "李雷", "O'Brien, Pat"], "n": [1, -2, 3]})
    rows = _parse(exports.to_csv_bytes(frame))
    assert rows[1:] == [["Zoë Ñuño", "1"], ["李雷", "-2"], ["O'Brien, Pat", "3"]]


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.lists(st.lists(cells, min_size=2, max_size=2), min_size=1, max_size=6), st.lists(cells, min_size=2, max_size=2)
)
def test_random_cells_keep_their_shape_and_never_start_a_formula(rows, header):
    frame = pd.DataFrame(rows, columns=[f"{h}#{i}" for i, h in enumerate(header)])
    parsed = _parse(exports.to_csv_bytes(frame))
    assert len(parsed) == len(rows) + 1
    assert all(len(row) == 2 for row in parsed)
    for row in parsed:
        for cell in row:
            assert not any(line.startswith(FORMULA) for line in _lines(cell)), repr(cell)


def test_no_line_after_any_unicode_line_separator_starts_a_formula():
    cells = ["a\u2028=1+1", "b\x85@SUM(A1)", "c\x0b-2", "d\x0c+3", "e\x1c=4", "f\u2029=5"]
    rows = _parse(exports.to_csv_bytes(pd.DataFrame({"name": cells})))
    assert len(rows) == len(cells) + 1
    lines = [line for (cell,) in rows[1:] for line in cell.splitlines()]
    assert [line for line in lines if line[:1] in ("=", "+", "-", "@", "\t")] == []
