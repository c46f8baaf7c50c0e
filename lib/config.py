"""Configuration for the dashboard and the command line, read in one place.

Each setting is taken from the first of these that sets it (an empty or blank value counts as unset):

1. its environment variable, for the settings that have one (`MENTORING_DB`, `MENTORING_PASSWORD_HASH`,
   `MENTORING_TEMPLATES`, `MENTORING_SMTP`, `MENTORING_MAIL_FROM`);
2. `.streamlit/secrets.toml`, for the settings that have a key there. The command line reads the file
   under the project; the dashboard passes in Streamlit's `st.secrets` instead (Streamlit reads the same
   file, and AppTest lets tests set their own);
3. its default.

SETTINGS lists every setting with its variable, key and default; the README's configuration section
says the same. A key of secrets.toml that is no setting (a typo, or a line under the wrong [table], such
as `session_idle_minutes` written below `[moderators]`) changes nothing: `check` says so in a sentence
per key, which the dashboard shows on its home page and the command line prints on stderr.
This module reads the environment and one TOML file, nothing else (no Streamlit).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lib.errors import MentoringError

ROOT = Path(__file__).resolve().parent.parent
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"
DB_ENV = "MENTORING_DB"
DEFAULT_DB = "data/mentoring.duckdb"
SMTP_KEYS = ("host", "port", "security", "username", "password", "from", "timeout")


@dataclass(frozen=True)
class Setting:
    """One setting: where it may come from and what it is when nothing sets it."""

    name: str
    env: str | None
    secret: str | None
    default: Any
    about: str


SETTINGS = (
    Setting("db_path", DB_ENV, None, DEFAULT_DB, "the database file (relative to the working folder)"),
    Setting(
        "password_hash",
        "MENTORING_PASSWORD_HASH",
        "moderator_password_hash",
        None,
        'the single shared password\'s argon2id hash (the account "moderator")',
    ),
    Setting("moderators", None, "moderators", {}, "moderator name -> argon2id password hash"),
    Setting("templates_dir", "MENTORING_TEMPLATES", None, None, "a folder holding your own introduction.txt"),
    Setting("allowed_moderator_emails", None, "allowed_moderator_emails", [], "who may sign in with Google"),
    Setting("session_idle_minutes", None, "session_idle_minutes", 30, "sign out after this many idle minutes"),
    Setting(
        "smtp",
        "MENTORING_SMTP",
        "smtp",
        None,
        "the mail account that sends the outbox: a URL such as smtp+starttls://user:app-password@smtp.gmail.com:587, "
        "or an [smtp] table (host, port, security, username, password, from, timeout)",
    ),
    Setting("mail_from", "MENTORING_MAIL_FROM", None, None, 'who the mail is from: "Name <address>"'),
    Setting("identity_provider", None, "auth", None, "Streamlit's [auth] section, for sign-in with Google"),
)


@dataclass(frozen=True)
class Config:
    """The settings in effect, each from its environment variable, secrets.toml or default."""

    db_path: Path
    password_hash: str | None
    moderators: dict[str, str]
    allowed_moderator_emails: list[str]
    session_idle_minutes: float
    identity_provider: dict | None
    templates_dir: Path | None = None
    smtp: str | dict | None = None
    mail_from: str | None = None
    warnings: tuple[str, ...] = ()


def load(secrets: Mapping | None = None, environ: Mapping | None = None) -> Config:
    """The configuration; `secrets` defaults to the project's secrets.toml, `environ` to os.environ."""
    environ = os.environ if environ is None else environ
    secrets = read_secrets() if secrets is None else secrets
    raw = {s.name: _value(s, secrets, environ) for s in SETTINGS}
    return Config(
        db_path=Path(raw["db_path"]),
        password_hash=_text(raw["password_hash"]),
        moderators={str(k): v for k, v in dict(raw["moderators"]).items() if isinstance(v, str)},
        allowed_moderator_emails=[str(e) for e in raw["allowed_moderator_emails"]],
        session_idle_minutes=float(raw["session_idle_minutes"]),
        identity_provider=None if raw["identity_provider"] is None else dict(raw["identity_provider"]),
        templates_dir=Path(raw["templates_dir"]) if _text(raw["templates_dir"]) else None,
        smtp=dict(raw["smtp"]) if isinstance(raw["smtp"], Mapping) else _text(raw["smtp"]),
        mail_from=_text(raw["mail_from"]),
        warnings=tuple(check(secrets)),
    )


def check(secrets: Mapping) -> list[str]:
    """A sentence for each key of secrets.toml that is ignored: not a setting, or not a password hash
    under [moderators] (a setting written below that line belongs above it)."""
    known = {s.secret for s in SETTINGS if s.secret}
    found = [
        f"secrets.toml: '{key}' is not a setting, so it is ignored (the settings are {', '.join(sorted(known))})."
        for key in secrets
        if key not in known
    ]
    smtp = secrets.get("smtp")
    if smtp is not None and not isinstance(smtp, Mapping):
        found.append("secrets.toml: 'smtp' must be an [smtp] table (host, port, security, username, password, from).")
    for key in dict(smtp) if isinstance(smtp, Mapping) else {}:
        if key not in SMTP_KEYS:
            found.append(
                f"secrets.toml: [smtp] '{key}' is not a mail setting, so it is ignored "
                f"(the keys are {', '.join(SMTP_KEYS)})."
            )
    moderators = secrets.get("moderators")
    if moderators is not None and not isinstance(moderators, Mapping):
        return [*found, "secrets.toml: 'moderators' must be a [moderators] table of name = password hash."]
    for name, value in dict(moderators or {}).items():
        if name in known:
            found.append(
                f"secrets.toml: '{name}' is under [moderators], where it is ignored; move it above the "
                "[moderators] line."
            )
        elif not (isinstance(value, str) and value.strip().startswith("$argon2")):
            found.append(
                f"secrets.toml: [moderators] '{name}' is not an argon2id password hash, so that account cannot "
                "log in; make one with `python -m lib hash-password`."
            )
    return found


def read_secrets(path: Path | None = None) -> dict:
    """A secrets.toml file (the project's by default) as a dict ({} when there is no such file)."""
    path = SECRETS_FILE if path is None else path
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MentoringError(f"{path} is not a valid TOML file ({exc}); fix it or move it away.") from exc


def _value(setting: Setting, secrets: Mapping, environ: Mapping) -> Any:
    for source, key in ((environ, setting.env), (secrets, setting.secret)):
        value = source.get(key) if key else None
        if not _blank(value):
            return value
    return setting.default


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str | None:
    return None if _blank(value) else str(value).strip()
