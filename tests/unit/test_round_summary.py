"""The round's confirmation says how many accepted members stay unpaired, and why."""

from datetime import date, timedelta

import pandas as pd

from lib.intake import importer
from lib.matching import round_summary, rounds
from lib.pair_life import pairs
from tests.conftest import make_csv

HEADER = ["Email", "Name", "Skills you can offer", "Skills to learn"]
ROWS = [["a@x.org", "Ann", "Go", "Rust"], ["b@x.org", "Bo", "Rust", "Go"], ["c@x.org", "Cy", "SQL", "Java"]]
ROWS += [["d@x.org", "Di", "Java", "SQL"], ["e@x.org", "Ed", "Lua", "Haskell"], ["f@x.org", "Fi", "C", "C++"]]


def test_unpaired_members_are_counted_by_cause_unticked_and_paused(con):
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="m.csv", status="accepted")
    pairs.pause_member(con, "f@x.org", date.today() + timedelta(days=30))
    found = rounds.suggest_round(con)
    assert len(found.pairs) == 2
    plan = round_summary.plan(found.pairs, ["a@x.org|b@x.org"])
    assert plan == {"pairs": 1, "introductions": 1, "unticked_members": 2}
    causes = round_summary.not_paired(con, found.unmatched, plan["unticked_members"])
    assert sorted(causes) == sorted(
        [
            ("had their suggested pair left out by you", 2),
            ("wanted only skills no other eligible member offers", 1),
            ("on a pause", 1),
        ]
    )
    said = round_summary.sentence(1, causes)
    assert said.startswith("Confirmed 1 pair; their introductions are drafted in the Outbox. 4 accepted members are")


def test_everyone_paired_says_so():
    assert round_summary.sentence(3, []).endswith("Every accepted member waiting is now paired.")
    assert round_summary.plan(pd.DataFrame({"a_email": ["a"], "b_email": ["b"]}), ["a|b"])["unticked_members"] == 0
