"""The Message templates page under AppTest: problems refused with their sentence, a live preview, saving,
going back to the shipped text, and the farewell's feedback form link."""

from streamlit.testing.v1 import AppTest

from lib.messages import drafts, templates
from tests.conftest import ROOT

GOOD = "Subject: Welcome aboard, $first\n\nDear $name,\n\nglad to have you.\n\n$moderator_name\n"


def _open(kind: str = "welcome") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.switch_page("pages/11_Templates.py").run()
    at.selectbox(key="templates.kind").set_value(kind).run()
    assert not at.exception
    return at


def test_a_misspelt_placeholder_is_refused_with_the_sentence(con):
    at = _open()
    at.text_area(key="templates.text.welcome").input(GOOD.replace("$first", "$frist")).run()
    assert any("$frist is not filled in for this message" in w.value for w in at.warning)
    at.button(key="templates.save").click().run()
    assert any("$frist is not filled in for this message" in e.value for e in at.error)
    assert not templates.is_edited(con, "welcome")


def test_a_good_template_is_previewed_with_sample_values_and_saved(con):
    at = _open()
    at.text_area(key="templates.text.welcome").input(GOOD).run()
    assert not at.warning
    assert any("Welcome aboard, Ayşe" in m.value for m in at.markdown)
    assert any(t.value.startswith("Dear Ayşe Yılmaz,") for t in at.text)
    at.button(key="templates.save").click().run()
    assert templates.source(con, "welcome") == GOOD
    assert any("your own version" in c.value for c in at.caption)


def test_back_to_the_shipped_text(con):
    templates.save(con, "welcome", GOOD)
    at = _open()
    assert at.text_area(key="templates.text.welcome").value == GOOD
    at.button(key="templates.reset").click().run()
    assert not templates.is_edited(con, "welcome")
    assert at.text_area(key="templates.text.welcome").value == templates.shipped("welcome")


def test_each_kind_lists_its_placeholders(con):
    at = _open("introduction")
    listed = next(m.value for m in at.markdown if "$a_first" in m.value)
    assert all(f"`${name}`" in listed for name in templates.VARIABLES["introduction"])
    assert "$partner_first" not in listed


def test_the_feedback_form_link_is_checked_and_saved(con):
    at = _open()
    at.text_input(key="templates.form").input("ftp://forms.example.org/x")
    at.button(key="templates.save_form").click().run()
    assert any("must be a web address" in e.value for e in at.error)
    assert drafts.feedback_form(con) is None
    at.text_input(key="templates.form").input("https://forms.example.org/why")
    at.button(key="templates.save_form").click().run()
    assert drafts.feedback_form(con) == "https://forms.example.org/why"
