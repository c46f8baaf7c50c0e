"""The command line refuses odd input with one sentence and exit code 2, before reading it."""

import subprocess
import sys

from lib import cli
from tests.conftest import ROOT


def test_importing_dev_zero_is_refused_before_reading(db_file, capsys):
    assert cli.main(["--db", str(db_file), "import", "/dev/zero"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "/dev/zero is not a regular file; give the CSV file itself."


def test_importing_a_4_gib_file_is_refused_by_its_size(db_file, tmp_path, capsys):
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as f:
        f.truncate(4 * 2**30)  # sparse: no disk used, but reading it would need 4 GiB of memory
    assert cli.main(["--db", str(db_file), "import", str(huge)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("The file is 4,096 MB; the limit is 50 MB.") and len(err.splitlines()) == 1


def test_a_missing_file_is_one_sentence(db_file, tmp_path, capsys):
    assert cli.main(["--db", str(db_file), "import", str(tmp_path / "nope.csv")]) == 2
    assert capsys.readouterr().err.strip() == f"Cannot read {tmp_path / 'nope.csv'}: No such file or directory."


def test_a_database_path_that_is_not_utf8_is_one_sentence(tmp_path):
    path = bytes(tmp_path) + b"/x\xff.duckdb"
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"lib", b"--db", path, b"applicants"],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    err = done.stderr.decode("utf-8", "backslashreplace").strip()
    assert done.returncode == 2 and "bad_cast" not in err and "Traceback" not in err
    assert err.endswith("is not valid UTF-8 text; choose a path of ordinary characters.") and len(err.splitlines()) == 1
