"""Import page under AppTest: warnings before and after importing, the remembered mapping, encodings."""

from streamlit.testing.v1 import AppTest

from lib import startup
from lib.intake import importer
from tests.conftest import ROOT, make_csv

HEADER = ["Timestamp", "Email", "Name", "Things", "Time zone"]
AMBIGUOUS = make_csv(HEADER, [["01/02/2026 09:00:00", "a@x.org", "Ann", "Go", "Mars base"]])
CLEAR = make_csv(HEADER, [["13/02/2026 09:00:00", "a@x.org", "Ann", "Go", "Europe/Berlin"]])


def _upload(data: bytes) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.switch_page("pages/1_Import.py").run()
    at.file_uploader(key="import.file").upload("form.csv", data, "text/csv")
    return at.run()


def _warnings(at) -> str:
    return "\n".join(w.value for w in at.warning).replace("\\", "")


def test_warnings_show_before_and_after_import():
    at = _upload(AMBIGUOUS)
    assert "can be read day-first or month-first" in _warnings(at)
    at.button(key="import.go").click().run()
    assert "time-zone answers were not understood" in _warnings(at)


def test_unambiguous_dates_raise_no_date_warning():
    at = _upload(CLEAR)
    assert "day-first or month-first" not in _warnings(at)


def test_the_remembered_mapping_is_prefilled(db_file):
    con = startup.open_database(db_file)
    importer.import_applications(con, CLEAR, filename="f.csv", choices={"offers": "Things"})
    con.close()
    at = _upload(CLEAR)
    assert at.selectbox(key="import.map.3").value == importer.FIELDS["offers"]
    assert any("as you chose them last time" in i.value for i in at.info)


def test_without_a_remembered_mapping_the_guess_is_shown():
    at = _upload(CLEAR)
    assert at.selectbox(key="import.map.3").value == "(keep as extra answer)"
    assert not any("last time" in i.value for i in at.info)


def test_the_encoding_can_be_chosen_and_is_shown():
    at = _upload(make_csv(HEADER, [["13/02/2026 09:00:00", "s@x.org", "Şükrü", "Go", ""]], encoding="cp1254"))
    assert "Read as Windows-1254 (Turkish)" in "\n".join(m.value for m in at.markdown).replace("\\", "")
    at.selectbox(key="import.encoding").set_value("windows-1252").run()
    assert "Read as Windows-1252" in "\n".join(m.value for m in at.markdown).replace("\\", "")
