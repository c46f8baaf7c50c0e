"""The login gate applies on every page, including deep links."""

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from lib import auth, demo
from tests.conftest import ROOT

PAGES = ["app.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]
PASSWORD = "let me in please"


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv("MENTORING_PASSWORD_HASH", auth.hash_password(PASSWORD))


def _shown(at) -> str:
    return "\n".join(str(e.value) for e in (*at.markdown, *at.info, *at.warning, *at.error, *at.caption, *at.code))


def _page(path):
    at = AppTest.from_file(str(ROOT / path), default_timeout=30)
    at.run()
    return at


@pytest.mark.parametrize("path", PAGES)
def test_page_opened_directly_asks_for_the_password_and_shows_no_data(con, password, path):
    demo.load_demo(con)
    at = _page(path)
    assert at.text_input(key="login.password")
    assert not at.dataframe and not at.metric and not at.multiselect
    assert "example." not in _shown(at)


def test_right_password_opens_the_page(con, password):
    at = _page("app.py")
    at.text_input(key="login.password").input(PASSWORD)
    at.button(key="login.submit").click().run()
    assert not at.exception
    assert not [t for t in at.text_input if t.key == "login.password"]
    assert "Signed in as moderator" in [c.value for c in at.caption]


def test_wrong_passwords_are_refused_then_slowed_down(con, password):
    at = _page("app.py")
    for _ in range(auth.FREE_ATTEMPTS):
        at.text_input(key="login.password").input("guess")
        at.button(key="login.submit").click().run()
        assert "not right" in at.error[0].value
    at.text_input(key="login.password").input(PASSWORD)
    at.button(key="login.submit").click().run()
    assert "Wait" in at.error[0].value
    assert at.text_input(key="login.password")


def test_no_password_on_a_public_address_shows_only_how_to_set_one(con):
    demo.load_demo(con)
    st_config.set_option("server.address", "0.0.0.0")
    at = _page("pages/2_Applicants.py")
    assert at.title[0].value == "Set a moderator password first"
    assert not at.dataframe and not at.text_input and "example." not in _shown(at)


def test_no_password_on_loopback_is_local_mode(con):
    at = _page("app.py")
    at.switch_page("pages/2_Applicants.py").run()
    assert "Local mode" in at.sidebar.info[0].value
