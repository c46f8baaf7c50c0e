import shutil

import pytest

from lib import startup
from lib.errors import DatabaseBusy
from lib.storage import db
from tests.conftest import FIXTURES


def _v1_rows(con) -> dict[str, list]:
    tables = con.execute(
        "SELECT table_name, list(column_name ORDER BY ordinal_position) FROM information_schema.columns "
        "WHERE table_schema = 'main' GROUP BY table_name"
    ).fetchall()
    return {t: cols for t, cols in tables}


def test_new_file_gets_the_latest_schema(db_file):
    con = startup.open_database(db_file)
    assert db.schema_version(con) == db.latest_version()
    assert db.migrate(con) == []


def test_schema_v1_file_is_upgraded_in_place_without_losing_a_row(tmp_path):
    path = tmp_path / "old.duckdb"
    shutil.copy(FIXTURES / "schema_v1.duckdb", path)
    old = startup.open_database(path, read_only=True)
    assert db.schema_version(old) == 1
    columns = _v1_rows(old)
    before = {
        t: sorted(old.execute(f'SELECT {", ".join(c)} FROM "{t}"').fetchall(), key=repr) for t, c in columns.items()
    }
    old.close()
    con = startup.open_database(path)
    assert db.schema_version(con) == db.latest_version()
    for table, cols in columns.items():
        if table == "schema_version":
            continue
        after = con.execute(f'SELECT {", ".join(cols)} FROM "{table}"').fetchall()
        assert set(before[table]) <= set(after), table
        if table == "applicant_skills":  # a compound word ("C/C++") now has one row per part, same words
            assert set(after) == set(before[table]), table
        elif table != "settings":
            assert sorted(after, key=repr) == before[table], table
    unresolved = con.execute("SELECT count(*) FROM applicant_skills WHERE skill_id IS NULL").fetchone()[0]
    assert unresolved == 0
    assert (
        con.execute("SELECT notes FROM applicants WHERE email = 'felix@example.org'").fetchone()[0]
        == "Made with schema v1"
    )


def test_second_process_gets_a_sentence_not_a_traceback(db_file):
    import subprocess
    import sys

    startup.open_database(db_file).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(db_file)!r}); print('ok', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(DatabaseBusy, match="open in another program"):
            startup.open_database(db_file)
    finally:
        holder.kill()
        holder.wait()


def test_transaction_rolls_back_on_error(con):
    with pytest.raises(ValueError):
        with db.transaction(con):
            db.set_setting(con, "x", 1)
            raise ValueError("boom")
    assert db.get_setting(con, "x") is None


def test_default_path_comes_from_environment(monkeypatch):
    monkeypatch.setenv("MENTORING_DB", "/somewhere/else.duckdb")
    assert str(db.db_path()) == "/somewhere/else.duckdb"
    monkeypatch.delenv("MENTORING_DB")
    assert str(db.db_path()) == "data/mentoring.duckdb"
