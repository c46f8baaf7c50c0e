"""A backup is data, never code: tampered, oversized or odd backups run nothing and change nothing."""

import io
import json
import os
import zipfile

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lib import demo, startup
from lib.errors import InvalidInput, MentoringError
from lib.storage import backup, db
from tests.conftest import table_snapshot


@pytest.fixture
def saved(db_file, tmp_path):
    """A demo database and a backup of it; the database then changes, so a restore is visible."""
    con = startup.open_database(db_file)
    demo.load_demo(con, size=40)
    state = table_snapshot(con)
    folder = backup.backup(con, tmp_path / "saved")
    con.execute("UPDATE applicants SET name = 'changed'")
    changed = table_snapshot(con)
    con.close()
    return folder, state, changed


def _current(db_file):
    con = startup.open_database(db_file)
    try:
        return table_snapshot(con)
    finally:
        con.close()


def _attack_sql(tmp_path) -> str:
    return (
        f"COPY (SELECT 'owned') TO '{tmp_path}/copied.csv';\n"
        f"ATTACH '{tmp_path}/attached.duckdb' AS evil;\n"
        f"CREATE TABLE evil.t AS SELECT * FROM read_csv('/etc/passwd');\n"
        "UPDATE applicants SET name = 'pwned';\n"
    )


def test_sql_appended_to_a_backup_never_runs(saved, db_file, tmp_path):
    folder, state, _ = saved
    for name in ("schema.sql", "load.sql"):
        (folder / name).write_text(_attack_sql(tmp_path))
    backup.restore(db_file, folder)
    assert not (tmp_path / "copied.csv").exists() and not (tmp_path / "attached.duckdb").exists()
    assert _current(db_file) == state


def test_a_backup_made_by_export_database_still_restores_without_its_sql(saved, db_file, tmp_path):
    _, _, changed = saved
    legacy = tmp_path / "legacy"
    raw = duckdb.connect(str(db_file))
    raw.execute(f"EXPORT DATABASE '{legacy}' (FORMAT parquet)")
    raw.close()
    (legacy / backup.MARKER).write_text(json.dumps({"schema_version": db.latest_version()}))
    (legacy / "load.sql").write_text(_attack_sql(tmp_path))
    backup.restore(db_file, legacy)
    assert _current(db_file) == changed
    assert not (tmp_path / "copied.csv").exists()


def test_marker_with_empty_sql_files_is_refused_and_nothing_changes(saved, db_file, tmp_path):
    _, _, changed = saved
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / backup.MARKER).write_text(json.dumps({"schema_version": 1}))
    (fake / "schema.sql").write_text("")
    (fake / "load.sql").write_text("")
    with pytest.raises(InvalidInput, match="lacks the tables"):
        backup.restore(db_file, fake)
    assert _current(db_file) == changed
    assert not db_file.with_name(db_file.name + ".restoring").exists()


@pytest.mark.parametrize(
    "tamper, sentence",
    [
        (lambda f: pq.write_table(pa.table({"x": [1]}), f / "secrets.parquet"), "does not know"),
        (lambda f: pq.write_table(pa.table({"key": ["a"]}), f / "settings.parquet"), "has the columns"),
        (lambda f: (f / "notes.txt").write_text("hi"), "unexpected file"),
        (lambda f: os.symlink("/etc/passwd", f / "end_reasons.parquet.lnk"), "not a plain file"),
        (lambda f: (f / backup.MARKER).write_text(json.dumps({"schema_version": 999})), "newer release"),
        (lambda f: (f / backup.MARKER).write_text("{not json"), "cannot be read"),
        (lambda f: (f / "applicants.parquet").write_bytes(b"PAR1 not really"), "not a readable Parquet"),
    ],
)
def test_odd_backups_are_refused_with_a_sentence(saved, db_file, tamper, sentence):
    folder, _, changed = saved
    tamper(folder)
    with pytest.raises(InvalidInput, match=sentence):
        backup.restore(db_file, folder)
    assert _current(db_file) == changed
    assert not db_file.with_name(db_file.name + ".restoring").exists()


def test_a_column_of_the_wrong_type_is_refused(saved, db_file):
    folder, _, changed = saved
    rows = pq.read_table(folder / "applicants.parquet")
    bad = rows.set_column(rows.column_names.index("applied_at"), "applied_at", pa.array(["soon"] * rows.num_rows))
    pq.write_table(bad, folder / "applicants.parquet")
    with pytest.raises(InvalidInput, match="applicants.applied_at holds string"):
        backup.restore(db_file, folder)
    assert _current(db_file) == changed


def _set_column(folder, table, column, values):
    rows = pq.read_table(folder / f"{table}.parquet")
    at = rows.column_names.index(column)
    pq.write_table(rows.set_column(at, column, pa.array(values)), folder / f"{table}.parquet")


@pytest.mark.parametrize(
    "values, held",
    [
        (lambda n: [str(i + 1) for i in range(n)], "string"),  # '12' is text, not an id
        (lambda n: [float(i + 1) for i in range(n)], "double"),  # even a whole float is not an id
    ],
)
def test_an_id_of_another_kind_is_refused_even_when_it_would_cast(saved, db_file, values, held):
    folder, _, changed = saved
    _set_column(folder, "applicants", "id", values(pq.read_metadata(folder / "applicants.parquet").num_rows))
    with pytest.raises(InvalidInput, match=f"applicants.id holds {held}"):
        backup.restore(db_file, folder)
    assert _current(db_file) == changed


def test_a_huge_id_restores_at_once_and_the_next_id_follows_it(saved, db_file):
    folder, _, _ = saved
    rows = pq.read_metadata(folder / "audit_log.parquet").num_rows
    _set_column(folder, "audit_log", "id", [2**40 + i for i in range(rows)])  # the sequence once looped 2**40 times
    backup.restore(db_file, folder)
    con = startup.open_database(db_file)
    db.audit(con, "probe", {})
    assert con.execute("SELECT max(id) FROM audit_log").fetchone()[0] > 2**40 + rows - 1
    con.close()


def test_rows_breaking_the_rules_are_refused_with_that_sentence_not_a_conflict(saved, db_file):
    folder, _, changed = saved
    rows = pq.read_table(folder / "applicants.parquet")
    pq.write_table(pa.concat_tables([rows, rows.slice(0, 1)]), folder / "applicants.parquet")  # one id twice
    with pytest.raises(InvalidInput, match="rows of table applicants break its rules"):
        backup.restore(db_file, folder)
    assert _current(db_file) == changed


def test_a_marker_nested_too_deep_is_refused_with_a_sentence(saved, db_file):
    folder, _, changed = saved
    (folder / backup.MARKER).write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InvalidInput, match="cannot be read"):
        backup.restore(db_file, folder)
    assert _current(db_file) == changed


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")  # the duplicate is the point of the test
def test_a_zip_naming_one_file_twice_is_refused(saved, db_file):
    folder, _, changed = saved
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in [*folder.iterdir(), folder / "applicants.parquet"]:
            archive.write(file, file.name)
    with pytest.raises(InvalidInput, match="'applicants.parquet' twice"):
        backup.restore_zip(db_file, buffer.getvalue())
    assert _current(db_file) == changed


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(saved, db_file):
    _, _, changed = saved
    bomb = _zip({backup.MARKER: b'{"schema_version": 4}', "applicants.parquet": bytes(200 * 2**20)})
    assert len(bomb) < 2**20
    with pytest.raises(InvalidInput, match="more than 100 MB"):
        backup.restore_zip(db_file, bomb)
    assert _current(db_file) == changed


@pytest.mark.parametrize("name", ["../escape.parquet", "/abs.parquet", "sub/dir/x.parquet", ".hidden"])
def test_zip_members_outside_one_plain_folder_are_refused(saved, db_file, name):
    with pytest.raises(InvalidInput, match="not a plain file of one folder"):
        backup.restore_zip(db_file, _zip({backup.MARKER: b'{"schema_version": 4}', name: b"x"}))


def test_the_downloadable_zip_round_trips(saved, db_file):
    folder, state, _ = saved
    data = _zip({p.name: p.read_bytes() for p in folder.iterdir()})
    backup.restore_zip(db_file, data)
    assert _current(db_file) == state


def test_a_half_written_snapshot_is_pruned_and_never_listed(con, db_file):
    root = backup.snapshot_folder(db_file)
    (root / ".partial-20260101-000000-000000-before-import").mkdir(parents=True)
    (root / "20260101-000000-000001-before-merge").mkdir()  # killed before its marker was written
    assert backup.snapshots(db_file) == []
    backup.snapshot(con, db_file, "before-import")
    assert [p.name.endswith("before-import") for p in root.iterdir()] == [True]


def test_the_connection_refuses_files_extensions_and_settings(con, tmp_path):
    for sql in (
        "SELECT * FROM read_csv('/etc/passwd')",
        f"COPY (SELECT 1) TO '{tmp_path}/out.csv'",
        f"ATTACH '{tmp_path}/other.duckdb' AS other",
        "INSTALL httpfs",
        "SET enable_external_access = true",
    ):
        with pytest.raises(duckdb.Error):
            con.execute(sql)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("mentoring")) == []


def test_a_failed_restore_leaves_no_staging_copy(saved, db_file, monkeypatch):
    folder, _, changed = saved

    def broken(*args, **kwargs):
        raise MentoringError("disk full")

    monkeypatch.setattr(backup, "snapshot", broken)
    with pytest.raises(MentoringError, match="disk full"):
        backup.restore(db_file, folder)
    assert not db_file.with_name(db_file.name + ".restoring").exists()
    assert _current(db_file) == changed
