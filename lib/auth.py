"""Moderator authentication rules: password hashes, the loopback rule, throttling failed logins.

Plain Python (no Streamlit) so the rules are unit-tested; lib/ui.py applies them to every page.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Mapping

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from lib import config

FREE_ATTEMPTS = 3
MAX_WAIT_SECONDS = 300
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("timing equaliser for unknown moderator names")


def hash_password(password: str) -> str:
    """An argon2id hash of a password, to put in secrets.toml or the environment."""
    if len(password) < 8:
        raise ValueError("Choose a password of at least 8 characters.")
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether the password matches the stored hash (False for a malformed hash)."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def configured_hash(secrets: Mapping | None = None, environ: Mapping | None = None) -> str | None:
    """The moderator password hash: $MENTORING_PASSWORD_HASH first, else secrets.toml's entry."""
    return config.load(secrets or {}, environ).password_hash


def accounts(configuration: config.Config) -> dict[str, str]:
    """Moderator name -> password hash: secrets.toml's [moderators] table, plus the single legacy hash
    ($MENTORING_PASSWORD_HASH or moderator_password_hash) as the account "moderator"."""
    found = {k.strip().lower(): v.strip() for k, v in configuration.moderators.items() if v.strip()}
    if configuration.password_hash:
        found.setdefault("moderator", configuration.password_hash)
    return found


def check_login(table: dict[str, str], name: str, password: str) -> str | None:
    """The moderator's name when the password is theirs, else None (unknown names cost a hash too)."""
    key = (name or "").strip().lower() or ("moderator" if list(table) == ["moderator"] else "")
    stored = table.get(key)
    if stored is None:
        verify_password(_DUMMY, password or "x")
        return None
    return key if verify_password(stored, password or "") else None


def oidc_moderator(user: Mapping, allowed: list[str] | tuple[str, ...]) -> str | None:
    """The signed-in identity provider user's email when it is on the moderators' allow-list."""
    if not user or not user.get("is_logged_in"):
        return None
    email = str(user.get("email") or "").strip().lower()
    return email if email and email in {a.strip().lower() for a in allowed} else None


def expired(last_seen: float | None, now: float, idle_minutes: float) -> bool:
    """Whether a session has been idle longer than allowed."""
    return last_seen is not None and now - last_seen > idle_minutes * 60


def is_loopback(address: str | None) -> bool:
    """Whether a bind address only serves this computer (no address means every interface)."""
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


class Throttle:
    """Failed logins per key: the first few are free, then each must wait twice as long."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}

    def wait_seconds(self, key: str) -> float:
        """Seconds before this key may try again (0 when it may try now)."""
        with self._lock:
            count, last = self._failures.get(key, (0, 0.0))
        if count < FREE_ATTEMPTS:
            return 0.0
        delay = min(2 ** (count - FREE_ATTEMPTS + 1), MAX_WAIT_SECONDS)
        return max(0.0, last + delay - self._clock())

    def record_failure(self, key: str) -> None:
        """Count one more failed attempt."""
        with self._lock:
            count, _ = self._failures.get(key, (0, 0.0))
            self._failures[key] = (count + 1, self._clock())

    def reset(self, key: str) -> None:
        """Forget failures after a successful login."""
        with self._lock:
            self._failures.pop(key, None)
