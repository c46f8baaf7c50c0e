"""Backups & privacy page under AppTest: the guarded backup download, restore an uploaded backup, erase a
member, retention."""

import io
import zipfile
from datetime import timedelta

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from lib import auth, startup, ui
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


def _downloads(monkeypatch) -> list:
    """Every deferred download callable the pages register, as (file name, callable), newest last."""
    drawn, real = [], MediaFileManager.add_deferred

    def add_deferred(self, data_callable, *args, file_name=None, **kwargs):
        drawn.append((file_name, data_callable))
        return real(self, data_callable, *args, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return drawn


def _backup_callable(drawn):
    return [fn for name, fn in drawn if name == "mentoring-backup.zip"][-1]


def test_backup_download_works_once_and_not_after_logging_out(db_file, monkeypatch):
    startup.open_database(db_file).close()
    monkeypatch.setenv("MENTORING_PASSWORD_HASH", auth.hash_password("a moderator's secret"))
    drawn = _downloads(monkeypatch)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.text_input(key="login.password").input("a moderator's secret")
    at.button(key="login.submit").click().run()
    at.switch_page("pages/9_Data.py").run()
    first = _backup_callable(drawn)
    assert "schema_version" in " ".join(zipfile.ZipFile(io.BytesIO(first())).namelist())
    with pytest.raises(ui.DownloadRefused, match="made already"):
        first()
    at.run()
    before_logout = _backup_callable(drawn)
    assert before_logout is not first
    at.button(key="auth.logout").click().run()
    assert at.text_input(key="login.password")
    with pytest.raises(ui.DownloadRefused, match="signed out"):
        before_logout()


def _signed_in(monkeypatch, who="alice") -> ui.SignedIn:
    state = ui.SignedIn(who)
    monkeypatch.setattr(ui.st, "session_state", {"auth.signed_in": state})
    return state


def test_a_guarded_download_is_single_use(monkeypatch):
    _signed_in(monkeypatch)
    download = ui.guarded_download(lambda: b"zip", minutes=5)
    assert download() == b"zip"
    with pytest.raises(ui.DownloadRefused, match="made already"):
        download()


def test_a_guarded_download_is_refused_after_signing_out(monkeypatch):
    state = _signed_in(monkeypatch)
    download = ui.guarded_download(lambda: b"zip", minutes=5)
    state.active = False
    with pytest.raises(ui.DownloadRefused, match="signed out"):
        download()


def test_a_guarded_download_expires(monkeypatch):
    _signed_in(monkeypatch)
    now = [1000.0]
    late = ui.guarded_download(lambda: b"zip", minutes=5, clock=lambda: now[0])
    in_time = ui.guarded_download(lambda: b"zip", minutes=5, clock=lambda: now[0])
    now[0] += 4 * 60
    assert in_time() == b"zip"
    now[0] += 2 * 60
    with pytest.raises(ui.DownloadRefused, match="expired"):
        late()


def test_a_download_drawn_for_nobody_is_refused(monkeypatch):
    monkeypatch.setattr(ui.st, "session_state", {})
    with pytest.raises(ui.DownloadRefused, match="signed out"):
        ui.guarded_download(lambda: b"zip")()


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
