"""Moderator authentication rules: password hashes, the loopback rule, throttling failed logins.

Plain Python (no Streamlit) so the rules are unit-tested; lib/ui.py applies them to every page.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from lib import config
from lib.errors import MentoringError

FREE_ATTEMPTS = 3
MAX_WAIT_SECONDS = 300
# Failed logins of every account and session together, per minute, before everyone must wait.
FAILURES_PER_MINUTE = 30
# Password hashes checked at once (each argon2 check holds about 64 MB).
HASHES_AT_ONCE = 2
SLOT_WAIT_SECONDS = 5.0
# Accounts and sessions the throttle remembers; the least recently used are forgotten first.
MAX_KEYS = 10_000
T = TypeVar("T")
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


class LoginRefused(MentoringError):
    """A login attempt refused before its password was checked (too many tries, or too many at once)."""


class Throttle:
    """Failed logins per key (an account, a browser session) and in total, checked before the slow hash.

    The first FREE_ATTEMPTS failures of a key are free, then each must wait twice as long. An attempt is
    counted as a failure under the lock *before* its password is hashed (and forgotten on success), so
    parallel guesses cannot all slip through while the first ones are still hashing. Every key together
    may fail `per_minute` times a minute; at most `hashes_at_once` hashes run at once (argon2 needs about
    64 MB each); the table keeps the `max_keys` most recently used keys.
    """

    def __init__(
        self,
        clock=time.monotonic,
        *,
        per_minute: int = FAILURES_PER_MINUTE,
        hashes_at_once: int = HASHES_AT_ONCE,
        max_keys: int = MAX_KEYS,
        slot_wait: float = SLOT_WAIT_SECONDS,
    ) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: OrderedDict[str, tuple[int, float]] = OrderedDict()
        self._recent: deque[float] = deque(maxlen=per_minute)
        self._slots = threading.BoundedSemaphore(hashes_at_once)
        self._max_keys = max_keys
        self._slot_wait = slot_wait

    def __len__(self) -> int:
        return len(self._failures)

    def attempt(self, keys: list[str], check: Callable[[], T]) -> T:
        """`check()` (the password hash) when these keys may try now, its result; a falsy result counts as
        a failure of every key, a truthy one forgets them. Raises LoginRefused with a sentence instead."""
        reserved = self._reserve(keys)
        if not self._slots.acquire(timeout=self._slot_wait):
            self._release(keys, reserved)
            raise LoginRefused("Too many logins are being checked at this moment; try again in a few seconds.")
        try:
            result = check()
        except BaseException:
            self._release(keys, reserved)
            raise
        finally:
            self._slots.release()
        if result:
            self._release(keys, reserved, forget=True)
        else:
            self._restamp(keys)
        return result

    def wait_seconds(self, key: str) -> float:
        """Seconds before this key may try again (0 when it may try now)."""
        with self._lock:
            return self._wait(key, self._clock())

    def record_failure(self, key: str) -> None:
        """Count one more failed attempt."""
        with self._lock:
            self._count(key, self._clock())

    def reset(self, key: str) -> None:
        """Forget failures after a successful login."""
        with self._lock:
            self._failures.pop(key, None)

    def _reserve(self, keys: list[str]) -> float:
        with self._lock:
            now = self._clock()
            wait = max((self._wait(k, now) for k in keys), default=0.0)
            if wait > 0:
                raise LoginRefused(f"Too many wrong passwords. Wait {math.ceil(wait)} seconds, then try again.")
            if len(self._recent) == self._recent.maxlen and now - self._recent[0] < 60:
                raise LoginRefused(
                    "Too many wrong passwords on this dashboard in the last minute. "
                    f"Wait {math.ceil(self._recent[0] + 60 - now)} seconds, then try again."
                )
            for key in keys:
                self._count(key, now)
            self._recent.append(now)
            return now

    def _release(self, keys: list[str], reserved: float, *, forget: bool = False) -> None:
        # Undo a reservation whose password was never wrong: the hash was not run, or it was right.
        with self._lock:
            if reserved in self._recent:
                self._recent.remove(reserved)
            for key in keys:
                count, last = self._failures.get(key, (0, 0.0))
                if forget or count <= 1:
                    self._failures.pop(key, None)
                else:
                    self._failures[key] = (count - 1, last)

    def _restamp(self, keys: list[str]) -> None:
        # The wait starts when the wrong password is answered, not when its (slow) check began.
        with self._lock:
            now = self._clock()
            for key in keys:
                if key in self._failures:
                    self._failures[key] = (self._failures[key][0], now)

    def _wait(self, key: str, now: float) -> float:
        count, last = self._failures.get(key, (0, 0.0))
        if count < FREE_ATTEMPTS:
            return 0.0
        delay = min(2 ** (count - FREE_ATTEMPTS + 1), MAX_WAIT_SECONDS)
        return max(0.0, last + delay - now)

    def _count(self, key: str, now: float) -> None:
        count, _ = self._failures.pop(key, (0, 0.0))
        self._failures[key] = (count + 1, now)  # re-inserted: the table is ordered by last use
        while len(self._failures) > self._max_keys:
            self._failures.popitem(last=False)
