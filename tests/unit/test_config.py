"""Configuration precedence: environment variable, then secrets.toml, then the default."""

from pathlib import Path

import pytest

from lib import auth, cli, config
from lib.errors import MentoringError


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
