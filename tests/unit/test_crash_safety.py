"""SIGKILL in the middle of an import, a run of merges and a round of confirms leaves all or none,
whether the command line or the dashboard process is killed."""

import pytest

from tools import crash_check


def test_killed_command_line_operations_leave_all_or_none():
    results = crash_check.main(["--kills", "4", "--dashboard-kills", "0", "--seed", "7"])
    for kind, tally in results.items():
        assert tally["problems"] == [], kind
        assert tally["ok"] == tally["tried"] == 4
    assert sum(t["killed"] for t in results.values()) >= 6


@pytest.mark.e2e
def test_killed_dashboard_leaves_all_or_none():
    results = crash_check.main(["--kills", "0", "--dashboard-kills", "3", "--seed", "3"])
    for kind in ("dashboard import", "dashboard merge", "dashboard round"):
        assert results[kind]["problems"] == [], kind
        assert results[kind]["ok"] == results[kind]["tried"] == 3
    assert sum(results[k]["killed"] for k in results) >= 1
