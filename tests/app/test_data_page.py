"""Backups & privacy page under AppTest: restore an uploaded backup, erase a member, retention."""

from datetime import timedelta

from streamlit.testing.v1 import AppTest

from lib import startup
from lib.intake import importer
from lib.members import applicants
from lib.privacy import privacy
from lib.storage import backup, db
from tests.conftest import FIXTURES, ROOT, table_snapshot

GOOGLE = (FIXTURES / "csv" / "google_forms_bom.csv").read_bytes()


def _open():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/9_Data.py").run()
    assert not at.exception
    return at


def test_backup_zip_round_trips_and_restores_from_the_page(db_file):
    con = startup.open_database(db_file)
    importer.import_applications(con, GOOGLE, filename="f.csv")
    saved, before = backup.backup_zip(con), table_snapshot(con)
    applicants.set_status(con, ["felix@example.org"], "accepted")
    con.close()
    at = _open()
    at.file_uploader(key="data.restore_file").upload("mentoring-backup.zip", saved, "application/zip")
    at.run()
    at.checkbox(key="data.restore_sure").check().run()
    at.button(key="data.restore").click().run()
    assert not at.exception and "Restored" in at.success[0].value
    con = startup.open_database(db_file)
    assert table_snapshot(con) == before


def test_a_zip_that_is_not_a_backup_is_refused(db_file):
    startup.open_database(db_file).close()
    at = _open()
    at.file_uploader(key="data.restore_file").upload("x.zip", b"not a zip", "application/zip")
    at.run()
    at.checkbox(key="data.restore_sure").check().run()
    at.button(key="data.restore").click().run()
    assert "not a zip made by this dashboard" in at.error[0].value


def test_erase_and_retention_from_the_page(db_file):
    con = startup.open_database(db_file)
    importer.import_applications(con, GOOGLE, filename="f.csv")
    con.close()
    at = _open()
    at.text_input(key="data.email").input("zoe@example.com").run()
    at.checkbox(key="data.erase_sure").check().run()
    at.button(key="data.erase").click().run()
    assert "Erased" in at.toast[0].value and not at.exception
    assert at.text_input(key="data.email").value == ""
    at.number_input(key="data.retention").set_value(12).run()
    at.button(key="data.save_retention").click().run()
    con = startup.open_database(db_file)
    assert con.execute("SELECT count(*) FROM applicants WHERE email = 'zoe@example.com'").fetchone()[0] == 0
    assert db.get_setting(con, "retention_months") == 12


def test_retention_is_applied_each_day_while_the_dashboard_runs(db_file, monkeypatch):
    con = startup.open_database(db_file)
    importer.import_applications(con, GOOGLE, filename="f.csv")
    applicants.set_status(con, ["zoe@example.com"], "declined", reason="not a fit")
    privacy.set_retention(con, 12)
    con.close()
    at = _open()  # declined today: kept
    con = startup.open_database(db_file)
    zoe = "SELECT count(*) FROM applicants WHERE email = 'zoe@example.com'"
    assert con.execute(zoe).fetchone()[0] == 1
    later = db.now() + timedelta(days=400)
    monkeypatch.setattr(db, "now", lambda precise=False: later)
    at.run()  # the dashboard keeps running into a new day
    assert not at.exception
    assert con.execute(zoe).fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM applicants WHERE name = '(erased)'").fetchone()[0] == 1
