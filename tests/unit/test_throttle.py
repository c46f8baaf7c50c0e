"""The login throttle holds under parallel attempts, caps hashes at once and remembers a bounded table."""

import threading

import pytest

from lib import auth

HASH = auth.hash_password("the right password")


def _counting(monkeypatch) -> list:
    """Count every real password check (auth.verify_password wrapped, still hashing)."""
    calls = []
    real = auth.verify_password

    def counted(stored, password):
        calls.append(password)
        return real(stored, password)

    monkeypatch.setattr(auth, "verify_password", counted)
    return calls


def _at_once(count: int, attempt) -> list:
    """Run `attempt(i)` in `count` threads released together; what each returned or raised."""
    start, results = threading.Barrier(count), [None] * count

    def run(i):
        start.wait()
        try:
            results[i] = attempt(i)
        except auth.LoginRefused as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_sixteen_parallel_wrong_passwords_check_at_most_the_free_attempts(monkeypatch):
    calls, throttle = _counting(monkeypatch), auth.Throttle(clock=lambda: 1000.0)
    table = {"alice": HASH}
    results = _at_once(
        16, lambda i: throttle.attempt(["account:alice", f"session:{i}"], lambda: auth.check_login(table, "alice", "x"))
    )
    assert len(calls) <= auth.FREE_ATTEMPTS
    refused = [r for r in results if isinstance(r, auth.LoginRefused)]
    assert len(refused) >= 16 - auth.FREE_ATTEMPTS and "Wait" in str(refused[0])


def test_parallel_attempts_on_many_accounts_hash_at_most_two_at_once():
    running, most, refused, lock, release = [0], [0], [0], threading.Lock(), threading.Event()

    def slow_check():
        # Hold the slot until every other attempt has been turned away: no timing involved.
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        release.wait(timeout=60)
        with lock:
            running[0] -= 1
        return None

    def attempt(i):
        try:
            return throttle.attempt([f"account:{i}"], slow_check)
        except auth.LoginRefused:
            with lock:
                refused[0] += 1
                if refused[0] == 14:
                    release.set()
            raise

    throttle = auth.Throttle(hashes_at_once=2, slot_wait=0.01)
    results = _at_once(16, attempt)
    assert most[0] <= 2
    busy = [r for r in results if isinstance(r, auth.LoginRefused)]
    assert busy and "at this moment" in str(busy[0])
    assert all(throttle.wait_seconds(f"account:{i}") == 0 for i in range(16))


def test_failures_of_every_account_together_are_capped_per_minute():
    now = [1000.0]
    throttle = auth.Throttle(clock=lambda: now[0], per_minute=5)
    for i in range(5):
        assert throttle.attempt([f"account:{i}"], lambda: None) is None
    with pytest.raises(auth.LoginRefused, match="on this dashboard in the last minute"):
        throttle.attempt(["account:someone-else"], lambda: "someone-else")
    now[0] += 61
    assert throttle.attempt(["account:someone-else"], lambda: "someone-else") == "someone-else"


def test_a_hundred_thousand_keys_keep_the_table_bounded():
    throttle = auth.Throttle(max_keys=1_000)
    for i in range(100_000):
        throttle.record_failure(f"session:{i}")
    assert len(throttle) <= 1_000
    assert throttle.wait_seconds("session:99999") == 0  # one failure of the newest is still remembered
    default = auth.Throttle()
    for i in range(100_000):
        default.record_failure(f"account:{i}")
    assert len(default) <= auth.MAX_KEYS


def test_the_right_password_resets_the_keys():
    throttle = auth.Throttle(clock=lambda: 1000.0)
    keys = ["account:alice", "session:s"]
    for _ in range(auth.FREE_ATTEMPTS - 1):
        assert throttle.attempt(keys, lambda: None) is None
    assert throttle.attempt(keys, lambda: "alice") == "alice"
    assert len(throttle) == 0
    for _ in range(auth.FREE_ATTEMPTS):
        throttle.attempt(keys, lambda: None)
    with pytest.raises(auth.LoginRefused, match="Wait 2 seconds"):
        throttle.attempt(keys, lambda: "alice")
