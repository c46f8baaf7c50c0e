import pytest

from lib import demo, startup
from lib.errors import InvalidInput
from lib.intake import importer, skills
from lib.storage import backup
from tests.conftest import FIXTURES, run_cli, table_snapshot

GOOGLE = (FIXTURES / "csv" / "google_forms_bom.csv").read_bytes()


def test_backup_and_restore_round_trip_every_table(db_file, tmp_path):
    con = startup.open_database(db_file)
    demo.load_demo(con)
    before = table_snapshot(con)
    backup.backup(con, tmp_path / "saved")
    con.execute("DELETE FROM endings")
    con.execute("UPDATE applicants SET name = 'changed'")
    con.close()
    kept = backup.restore(db_file, tmp_path / "saved")
    con = startup.open_database(db_file)
    after = table_snapshot(con)
    assert after == before
    assert "before-restore" in kept.name
    next_id = con.execute("SELECT nextval('applicant_id_seq')").fetchone()[0]
    assert next_id > con.execute("SELECT max(id) FROM applicants").fetchone()[0]


def test_restore_refuses_a_folder_that_is_not_a_backup(db_file, tmp_path):
    startup.open_database(db_file).close()
    (tmp_path / "random").mkdir()
    (tmp_path / "random" / "notes.txt").write_text("hello")
    with pytest.raises(InvalidInput, match="not a backup"):
        backup.restore(db_file, tmp_path / "random")


def test_backup_refuses_a_folder_with_files(con, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(InvalidInput, match="not empty"):
        backup.backup(con, tmp_path / "full")


def test_imports_and_merges_take_a_snapshot_first_and_old_ones_are_pruned(db_file, monkeypatch):
    con = startup.open_database(db_file)
    importer.import_applications(con, GOOGLE, filename="f.csv")
    skills.merge_skills(con, "Flink", "Spark")
    reasons = [s["reason"] for s in backup.snapshots(db_file)]
    assert reasons == ["before-merge", "before-import"]
    monkeypatch.setattr(backup, "KEEP_SNAPSHOTS", 2)
    importer.import_applications(con, GOOGLE, filename="f.csv")
    assert [s["reason"] for s in backup.snapshots(db_file)] == ["before-import", "before-merge"]


def test_schema_upgrade_takes_a_snapshot(tmp_path):
    import shutil

    path = tmp_path / "old.duckdb"
    shutil.copy(FIXTURES / "schema_v1.duckdb", path)
    startup.open_database(path).close()
    assert [s["reason"] for s in backup.snapshots(path)] == ["before-upgrade-from-v1"]


def test_cli_backup_and_restore(db_file, tmp_path):
    def cli(*args):
        return run_cli(db_file, *args)

    cli("import", FIXTURES / "csv" / "google_forms_bom.csv")
    assert cli("backup", tmp_path / "b").returncode == 0
    cli("set-status", "--to", "accepted", "felix@example.org")
    restored = cli("restore", tmp_path / "b")
    assert restored.returncode == 0, restored.stderr
    assert '"status": "applied"' in cli("applicants", "--json").stdout
    bad = cli("restore", tmp_path)
    assert bad.returncode == 2 and "not a backup" in bad.stderr
