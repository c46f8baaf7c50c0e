"""The login gate applies on every page, including deep links."""

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from lib import auth, demo, ui
from tests.conftest import ROOT

PAGES = ["app.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]
PASSWORD = "let me in please"


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv("MENTORING_PASSWORD_HASH", auth.hash_password(PASSWORD))


@pytest.fixture
def still_clock(monkeypatch):
    """A login throttle whose clock stands still, so its waits do not run out while AppTest works."""
    throttle = auth.Throttle(clock=lambda: 1000.0)
    monkeypatch.setattr(ui, "_throttle", lambda: throttle)
    return throttle


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


def test_wrong_passwords_are_refused_then_slowed_down(con, password, still_clock):
    at = _page("app.py")
    for _ in range(auth.FREE_ATTEMPTS):
        at.text_input(key="login.password").input("guess")
        at.button(key="login.submit").click().run()
        assert "do not match" in at.error[0].value
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


def _with_accounts():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.secrets["moderators"] = {
        "alice": auth.hash_password("alice's password"),
        "bob": auth.hash_password("bob's password"),
    }
    at.run()
    return at


def test_each_moderator_logs_in_with_their_own_account_and_the_audit_log_says_who(con):
    at = _with_accounts()
    at.text_input(key="login.name").input("Bob")
    at.text_input(key="login.password").input("alice's password")
    at.button(key="login.submit").click().run()
    assert "do not match" in at.error[0].value
    at.text_input(key="login.password").input("bob's password")
    at.button(key="login.submit").click().run()
    assert "Signed in as bob" in [c.value for c in at.sidebar.caption]
    at.button(key="home.load_demo").click().run()
    assert con.execute("SELECT moderator FROM audit_log WHERE action = 'load_demo'").fetchone()[0] == "bob"


def test_throttling_is_per_account(con, still_clock):
    at = _with_accounts()
    for _ in range(auth.FREE_ATTEMPTS):
        at.text_input(key="login.name").input("alice")
        at.text_input(key="login.password").input("wrong")
        at.button(key="login.submit").click().run()
    at.text_input(key="login.password").input("alice's password")
    at.button(key="login.submit").click().run()
    assert "Wait" in at.error[0].value
    fresh = _with_accounts()
    fresh.text_input(key="login.name").input("alice")
    fresh.text_input(key="login.password").input("alice's password")
    fresh.button(key="login.submit").click().run()
    assert "Wait" in fresh.error[0].value
    # AppTest gives every session the same id, so also check that the account itself is what waits
    assert still_clock.wait_seconds("account:alice") > 0 and still_clock.wait_seconds("account:bob") == 0


def test_an_idle_session_expires(con, monkeypatch):
    import time as clock

    at = _with_accounts()
    at.text_input(key="login.name").input("alice")
    at.text_input(key="login.password").input("alice's password")
    at.button(key="login.submit").click().run()
    assert not at.text_input
    later = clock.time() + 31 * 60
    monkeypatch.setattr(clock, "time", lambda: later)
    at.run()
    assert at.text_input(key="login.password")
    assert "without activity" in at.info[0].value


def test_identity_provider_sign_in_is_limited_to_the_allow_list(con):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.secrets["allowed_moderator_emails"] = ["mod@community.org"]
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x"}
    at.user = {"is_logged_in": True, "email": "stranger@gmail.com"}
    at.run()
    assert "not on the moderators' list" in at.error[0].value and not at.metric
    at.user = {"is_logged_in": True, "email": "Mod@Community.org"}
    at.run()
    assert "Signed in as mod@community.org" in [c.value for c in at.sidebar.caption]
