"""The real Streamlit pages under AppTest, against a real DuckDB file."""

import pytest
from streamlit.testing.v1 import AppTest

from lib import demo, ui
from lib.intake import importer
from lib.members import applicants
from tests.app.queue import edit_queue, tick
from tests.conftest import FIXTURES, ROOT

PAGES = [*sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]
GOOGLE = (FIXTURES / "csv" / "google_forms_bom.csv").read_bytes()


def open_app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def frame_with(at, column: str):
    """The first table on the page that has this column (st.dataframe exposes no key to AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def texts(at) -> str:
    parts = [e.value for e in (*at.markdown, *at.info, *at.warning, *at.error, *at.success, *at.caption)]
    # Member text is Markdown-escaped (lib.ui.safe); compare with what the moderator reads.
    return "\n".join(str(p) for p in parts).replace("\\", "")


@pytest.mark.parametrize("page", [None, *PAGES])
def test_every_page_opens_on_an_empty_database(page):
    at = open_app(page)
    assert not at.exception
    assert "Local mode" in texts(at)


EMPTY_SAYS = {  # what an empty database's page tells the moderator to do next
    "pages/5_Matching.py": "Nobody is waiting for a partner: accept members on the Applicants page",
    "pages/8_Analytics.py": "No endings recorded for these filters yet",
}
EMPTY_TABS = {
    "Duration": "No pairings for these filters yet. Pairs are confirmed on the Matching page.",
    "Growth": "No applications yet. Bring them in on the Import page.",
    "Skills": "No pairings for these filters yet.",
}


@pytest.mark.parametrize("page", sorted(EMPTY_SAYS))
def test_empty_pages_say_what_to_do_next(page):
    at = open_app(page)
    assert EMPTY_SAYS[page] in texts(at)
    if page == "pages/8_Analytics.py":
        for tab, says in EMPTY_TABS.items():
            at.session_state["analytics.tab"] = tab
            at.run()
            assert not at.exception and says in texts(at), tab
            assert not at.dataframe and not [e for e in at.get("vega_lite_chart")], tab


@pytest.mark.parametrize("page", [None, *PAGES])
def test_every_page_opens_with_the_demo_community(con, page):
    demo.load_demo(con)
    at = open_app(page)
    assert not at.exception
    assert "Demo data" in texts(at)


def test_empty_home_offers_import_and_demo_then_demo_can_be_removed(con):
    at = open_app()
    assert "No applications yet" in texts(at)
    at.button(key="home.load_demo").click().run()
    assert not at.exception
    accepted = next(m for m in at.metric if m.label == "Accepted")
    assert int(accepted.value) > 150
    at.button(key="home.remove_demo").click().run()
    assert "No applications yet" in texts(at)
    assert con.execute("SELECT count(*) FROM applicants").fetchone()[0] == 0


def test_home_shows_stage_counts_and_the_last_import(con):
    from lib.intake import importer

    importer.import_applications(con, GOOGLE, filename="form.csv")
    at = open_app()
    assert next(m for m in at.metric if m.label == "Applied").value == "3"
    assert "3 new" in texts(at) and "form.csv" in texts(at)


def test_import_page_maps_previews_imports_and_shows_rejects(con, monkeypatch):
    reads = []
    real_preview = importer.preview_import
    monkeypatch.setattr(
        importer, "preview_import", lambda data, **kw: reads.append(len(data)) or real_preview(data, **kw)
    )
    at = open_app("pages/1_Import.py")
    at.file_uploader(key="import.file").upload("form.csv", GOOGLE, "text/csv")
    at.run()
    assert not at.exception
    mapped = {s.label: s.value for s in at.selectbox if s.key and s.key.startswith("import.map.")}
    assert mapped["Email Address"] == "Email" and mapped["How did you hear about us?"].startswith("(keep")
    preview = frame_with(at, "Email")
    assert "Skills offered" in preview.columns and len(preview) == 5
    # correct one column: the goals column becomes an extra answer instead
    goals_key = next(s.key for s in at.selectbox if s.label == "What do you want to get out of it?")
    at.selectbox(key=goals_key).set_value("(keep as extra answer)").run()
    assert "Extra: What do you want to get out of it?" in frame_with(at, "Email").columns
    assert reads == [len(GOOGLE)], "the file is read once, not again for each mapping change"
    at.button(key="import.go").click().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Inserted"] == "3"
    rejects = frame_with(at, "Problem")
    assert list(rejects["Row"]) == [4, 5, 7, 9]
    assert con.execute("SELECT goals FROM applicants WHERE email = 'felix@example.org'").fetchone()[0] is None


def test_import_page_refuses_a_file_without_emails(con):
    at = open_app("pages/1_Import.py")
    at.file_uploader(key="import.file").upload("x.csv", b"Name,Skills\r\nAnn,Go\r\n", "text/csv")
    at.run()
    assert "No column holds email" in texts(at)
    assert not [b for b in at.button if b.key == "import.go"]


def test_applicants_page_accepts_the_ticked_applicant(con):
    importer.import_applications(con, GOOGLE, filename="form.csv")
    at = open_app("pages/2_Applicants.py")
    assert len(frame_with(at, "days_waiting")) == 3
    tick(at, con, ["felix@example.org"])
    at.button(key="applicants.accept").click().run()
    assert not at.exception
    assert applicants.get_applicant(con, "felix@example.org")["status"] == "accepted"
    assert applicants.get_applicant(con, "zoe@example.com")["status"] == "applied"
    assert "Last change: accepted 1 applicant" in texts(at)
    assert len(frame_with(at, "days_waiting")) == 2  # the queue shows who still needs a decision


def test_decline_needs_a_reason_from_the_list_and_the_boxes_empty_after_use(con):
    importer.import_applications(con, GOOGLE, filename="form.csv")
    at = open_app("pages/2_Applicants.py")
    tick(at, con, ["zoe@example.com"])
    assert at.button(key="applicants.decline").disabled  # no reason chosen yet
    assert (at.button(key="applicants.accept").proto.type, at.button(key="applicants.decline").proto.type) == (
        "primary",
        "secondary",
    )
    at.radio(key="applicants.decline_reason").set_value("Applied twice").run()
    # declining now: the blue button is Decline, so a hurried click does not accept
    assert (at.button(key="applicants.accept").proto.type, at.button(key="applicants.decline").proto.type) == (
        "secondary",
        "primary",
    )
    at.text_input(key="applicants.decline_sentence").input("second form in May")
    at.button(key="applicants.decline").click().run()
    assert applicants.get_applicant(con, "zoe@example.com")["decline_reason"] == "Applied twice: second form in May"
    assert at.radio(key="applicants.decline_reason").value is None
    assert at.text_input(key="applicants.decline_sentence").value == ""


def test_declining_in_the_table_without_a_reason_is_refused(con):
    importer.import_applications(con, GOOGLE, filename="form.csv")
    at = open_app("pages/2_Applicants.py")
    edit_queue(at, con, {"zoe@example.com": {"status": "declined"}})
    at.button(key="applicants.save").click().run()
    assert "needs a reason" in texts(at)
    assert applicants.get_applicant(con, "zoe@example.com")["status"] == "applied"


def test_notes_written_in_the_table_are_saved_and_undone(con):
    importer.import_applications(con, GOOGLE, filename="form.csv")
    at = open_app("pages/2_Applicants.py")
    edit_queue(at, con, {"zoe@example.com": {"notes": "Strong Go background"}})
    at.button(key="applicants.save").click().run()
    assert applicants.get_applicant(con, "zoe@example.com")["notes"] == "Strong Go background"
    at.button(key="applicants.undo").click().run()
    assert applicants.get_applicant(con, "zoe@example.com")["notes"] is None
    assert not [b for b in at.button if b.key == "applicants.undo"]


def test_tick_all_acts_on_every_row_the_filters_show(con):
    importer.import_applications(con, GOOGLE, filename="form.csv")
    at = open_app("pages/2_Applicants.py")
    at.text_input(key="applicants.search").input("kafka").run()
    at.checkbox(key="applicants.all").check().run()
    at.selectbox(key="applicants.to").set_value("screened")
    at.button(key="applicants.move").click().run()
    screened = set(applicants.list_applicants(con, status="screened")["email"])
    assert screened == {"felix@example.org", "amara.okafor@example.com"}
    assert applicants.get_applicant(con, "zoe@example.com")["status"] == "applied"


def test_applicants_page_filters_by_stage_and_search(con):
    importer.import_applications(con, GOOGLE, filename="form.csv")
    applicants.set_status(con, ["zoe@example.com"], "screened")
    at = open_app("pages/2_Applicants.py")
    at.selectbox(key="applicants.stage").set_value("screened").run()
    assert list(frame_with(at, "days_waiting")["email"]) == ["zoe@example.com"]
    at.selectbox(key="applicants.stage").set_value("all")
    at.text_input(key="applicants.search").input("kafka").run()
    assert set(frame_with(at, "days_waiting")["email"]) == {"felix@example.org", "amara.okafor@example.com"}


def test_missing_profile_links_are_empty_cells_not_none(con):
    importer.import_applications(con, GOOGLE, filename="form.csv")
    at = open_app("pages/2_Applicants.py")
    at.selectbox(key="applicants.stage").set_value("all").run()
    table = frame_with(at, "linkedin").set_index("email")
    assert table.loc["felix@example.org", "linkedin"] == ""  # the form left it blank: the grid would print None
    assert table.loc["felix@example.org", "github"] == "https://github.com/felixb"
    assert table.loc["amara.okafor@example.com", "linkedin"] == "https://www.linkedin.com/in/amara"


def test_sidebar_links_every_page():
    from lib import ui

    assert sorted(target for target, _, _ in ui.NAV) == sorted(["app.py", *PAGES])


def test_member_text_is_never_rendered_as_markdown_or_html(con):
    from lib.intake import importer

    name = "**Bold** <img src=x onerror=alert(1)> :material/home:"
    importer.import_applications(con, f'Email,Name\r\nx@x.org,"{name}"\r\n'.encode(), filename="<b>f</b>.csv")
    at = open_app("pages/2_Applicants.py")
    tick(at, con, ["x@x.org"])
    shown = [h.value for h in at.subheader]
    assert r"\*\*Bold\*\* \<img src=x onerror=alert\(1\)\> \:material/home\:" in shown
    home = open_app()
    assert any(r"\<b\>f\</b\>\.csv" in m.value for m in home.markdown)


def test_long_lists_are_cut_with_a_sentence_and_searchable(con, monkeypatch):
    demo.load_demo(con)
    monkeypatch.setattr(ui, "MAX_ROWS", 5)
    monkeypatch.setattr(ui, "MAX_CHOICES", 3)
    at = open_app("pages/2_Applicants.py")
    at.selectbox(key="applicants.stage").set_value("all").run()
    assert len(frame_with(at, "email")) == 5
    assert any("The first 5 of 320 applicants are shown" in c.value for c in at.caption)
    at = open_app("pages/6_Pairs.py")
    total = con.execute("SELECT count(*) FROM pairings").fetchone()[0]
    assert len(frame_with(at, "weeks")) == 5  # the pairs table (the trials past their date come first)
    assert any(f"of {total:,} pairings are shown" in c.value for c in at.caption)
    assert len(at.selectbox(key="pairs.pick").options) == 3
    name = con.execute("SELECT a.name FROM pairings p JOIN applicants a ON a.id = p.a_id LIMIT 1").fetchone()[0]
    at.text_input(key="pairs.search").input(name.lower()).run()
    found = frame_with(at, "weeks")
    assert len(found) >= 1 and ((found["a_name"] == name) | (found["b_name"] == name)).all()
    at.text_input(key="pairs.search").input("nobody-by-this-name").run()
    assert "No pairings match. Clear the search" in texts(at)


def test_find_a_partner_opens_the_member_on_the_matching_page(con):
    demo.load_demo(con)
    at = open_app()
    at.session_state["home.list.waiting"] = True  # open the "waiting" list
    at.run()
    button = next(b for b in at.button if b.key and b.key.startswith("home.waiting."))
    button.click().run()
    assert not at.exception
    assert at.session_state["match.tab"] == "For one member"
    member_id = int(button.key.rsplit(".", 1)[1])
    email = con.execute("SELECT email FROM applicants WHERE id = ?", [member_id]).fetchone()[0]
    assert at.selectbox(key="match.member").value == email
    partners = [d for d in at.dataframe if "b_name" in d.value.columns]
    assert partners or any("Nobody eligible" in i.value for i in at.info)
