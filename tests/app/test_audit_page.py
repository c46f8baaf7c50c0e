"""Audit log page under AppTest: the log as sentences, filtered by member and by kind."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from lib import demo
from lib.members import applicants

ROOT = Path(__file__).resolve().parents[2]


def test_the_audit_page_shows_sentences_and_filters(con):
    demo.load_demo(con)
    email, name = con.execute("SELECT email, name FROM applicants WHERE status = 'applied' LIMIT 1").fetchone()
    applicants.set_status(con, [email], "accepted")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    at.switch_page("pages/7_Audit.py").run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert list(shown.columns) == ["sentence"] and shown["sentence"].iloc[0].startswith(f"You accepted {name}, ")
    at.text_input(key="audit.member").set_value(name).run()
    assert list(at.dataframe[0].value["sentence"].str.startswith(f"You accepted {name}")) == [True]
    at.text_input(key="audit.member").set_value("").run()
    at.multiselect(key="audit.kinds").set_value(["Demo"]).run()
    assert at.dataframe[0].value["sentence"].str.startswith("You loaded the demo").all()
