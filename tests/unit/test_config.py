"""Configuration precedence: environment variable, then secrets.toml, then the default."""

import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib import auth, cli, config
from lib.errors import MentoringError
from tests.conftest import ROOT


@pytest.fixture
def secrets_file(tmp_path, monkeypatch):
    """A real secrets.toml, standing in for the project's."""
    path = tmp_path / "secrets.toml"
    path.write_text(
        'moderator_password_hash = "from-file"\nsession_idle_minutes = 5\n[moderators]\nAlice = "alice-hash"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(config, "SECRETS_FILE", path)
    return path


def test_environment_variable_wins_over_secrets_file(secrets_file, monkeypatch):
    monkeypatch.setenv("MENTORING_PASSWORD_HASH", "from-env")
    assert config.load().password_hash == "from-env"


def test_secrets_file_wins_over_default(secrets_file, monkeypatch):
    monkeypatch.delenv("MENTORING_PASSWORD_HASH", raising=False)
    loaded = config.load()
    assert loaded.password_hash == "from-file"
    assert loaded.session_idle_minutes == 5
    assert loaded.moderators == {"Alice": "alice-hash"}


def test_defaults_when_nothing_is_set(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "SECRETS_FILE", tmp_path / "no-such.toml")
    monkeypatch.delenv("MENTORING_DB")
    loaded = config.load()
    assert loaded.db_path == Path("data/mentoring.duckdb")
    assert loaded.password_hash is None and loaded.moderators == {} and loaded.allowed_moderator_emails == []
    assert loaded.session_idle_minutes == 30 and loaded.identity_provider is None


def test_blank_environment_variable_counts_as_unset(secrets_file, monkeypatch):
    monkeypatch.setenv("MENTORING_PASSWORD_HASH", "  ")
    monkeypatch.setenv("MENTORING_DB", "")
    loaded = config.load()
    assert loaded.password_hash == "from-file"
    assert loaded.db_path == Path(config.DEFAULT_DB)


def test_database_path_comes_from_the_environment(secrets_file, monkeypatch, tmp_path):
    monkeypatch.setenv("MENTORING_DB", str(tmp_path / "elsewhere.duckdb"))
    assert config.load().db_path == tmp_path / "elsewhere.duckdb"


def test_secrets_passed_in_replace_the_file(secrets_file, monkeypatch):
    # The dashboard passes st.secrets (what Streamlit read, or what AppTest set) instead of the file.
    monkeypatch.delenv("MENTORING_PASSWORD_HASH", raising=False)
    loaded = config.load({"allowed_moderator_emails": ["mod@example.org"], "auth": {}})
    assert loaded.password_hash is None and loaded.moderators == {}
    assert loaded.allowed_moderator_emails == ["mod@example.org"] and loaded.identity_provider == {}


def test_a_broken_secrets_file_is_refused_with_a_sentence(tmp_path, monkeypatch):
    broken = tmp_path / "secrets.toml"
    broken.write_text('moderator_password_hash = "unclosed\n', encoding="utf-8")
    monkeypatch.setattr(config, "SECRETS_FILE", broken)
    with pytest.raises(MentoringError, match="not a valid TOML file"):
        config.load()


def test_accounts_join_the_moderators_table_and_the_single_hash(secrets_file, monkeypatch):
    monkeypatch.setenv("MENTORING_PASSWORD_HASH", "from-env")
    assert auth.accounts(config.load()) == {"alice": "alice-hash", "moderator": "from-env"}


def test_command_line_opens_the_configured_database(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(config, "SECRETS_FILE", tmp_path / "no-such.toml")
    monkeypatch.setenv("MENTORING_DB", str(tmp_path / "configured.duckdb"))
    assert cli.main(["applicants"]) == 0
    assert (tmp_path / "configured.duckdb").exists()


def test_a_setting_under_moderators_is_reported_not_an_account(tmp_path, monkeypatch):
    # README's example once put session_idle_minutes below [moderators], where it changed nothing.
    path = tmp_path / "secrets.toml"
    path.write_text('[moderators]\nalice = "$argon2id$v=19$x"\nsession_idle_minutes = 5\n', encoding="utf-8")
    monkeypatch.setattr(config, "SECRETS_FILE", path)
    loaded = config.load()
    assert loaded.session_idle_minutes == 30 and loaded.moderators == {"alice": "$argon2id$v=19$x"}
    assert loaded.warnings == (
        "secrets.toml: 'session_idle_minutes' is under [moderators], where it is ignored; "
        "move it above the [moderators] line.",
    )


def test_unknown_keys_and_values_that_are_no_hash_are_reported():
    found = config.check({"session_idle_minute": 5, "moderators": {"bob": "hunter2", "carol": 7}})
    assert len(found) == 3
    assert "'session_idle_minute' is not a setting" in found[0]
    assert "'bob' is not an argon2id password hash" in found[1] and "'carol'" in found[2]


def test_a_correct_secrets_file_has_no_warnings():
    good = {
        "moderator_password_hash": "$argon2id$v=19$a",
        "session_idle_minutes": 10,
        "allowed_moderator_emails": ["mod@example.org"],
        "auth": {"redirect_uri": "http://localhost:8501/oauth2callback"},
        "moderators": {"alice": "$argon2id$v=19$b"},
    }
    assert config.check(good) == [] and config.load(good).warnings == ()


def test_readme_secrets_example_has_no_ignored_keys():
    readme = (config.ROOT / "README.md").read_text(encoding="utf-8")
    examples = [block.split("```", 1)[0] for block in readme.split("```toml\n")[1:]]
    assert examples
    for example in examples:
        text = example.replace("$argon2id$...", "$argon2id$v=19$x")
        assert config.check(tomllib.loads(text)) == []


def test_the_command_line_prints_ignored_keys_on_stderr(tmp_path, monkeypatch, capsys):
    path = tmp_path / "secrets.toml"
    path.write_text("[moderators]\nsession_idle_minutes = 5\n", encoding="utf-8")
    monkeypatch.setattr(config, "SECRETS_FILE", path)
    assert cli.main(["--db", str(tmp_path / "x.duckdb"), "applicants"]) == 0
    assert capsys.readouterr().err.strip() == (
        "Warning: secrets.toml: 'session_idle_minutes' is under [moderators], where it is ignored; "
        "move it above the [moderators] line."
    )


def test_the_home_page_shows_ignored_keys(con):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.secrets["colour"] = "blue"
    at.run()
    assert [w.value for w in at.warning if "'colour' is not a setting" in w.value]
    plain = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    plain.run()
    assert not [w.value for w in plain.warning if "secrets.toml" in w.value]
