"""SIGKILL in the middle of an import, a run of merges and a round of confirms leaves all or none."""

from tools import crash_check


def test_killed_operations_leave_all_or_none():
    results = crash_check.main(["--kills", "4", "--seed", "7"])
    for kind, tally in results.items():
        assert tally["problems"] == [], kind
        assert tally["ok"] == tally["tried"] == 4
    assert sum(t["killed"] for t in results.values()) >= 6
