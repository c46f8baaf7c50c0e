"""Finding a leaving member's running pair from what the moderator typed (lib.pair_life.leaving)."""

import pytest

from lib.errors import InvalidInput
from lib.intake import importer
from lib.pair_life import leaving, lifecycle, pairs
from tests.conftest import make_csv

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone"]
ROWS = [
    ["zoe@x.org", "Zoë  Adeyemi", "Go", "Rust", "UTC"],
    ["bo@x.org", "Bo Kim", "Rust", "Go", "UTC"],
    ["ann@x.org", "Ann Lee", "Go", "Rust", "UTC"],
    ["anne@x.org", "Ann Leeson", "Rust", "Go", "UTC"],
    ["cy@x.org", "Cy Öztürk", "Go", "Rust", "UTC"],
    ["dee@x.org", "Dee Park", "Rust", "Go", "UTC"],
]


@pytest.fixture
def running(con):
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="l.csv", status="accepted")
    made = {}
    for a, b in [("zoe", "bo"), ("ann", "anne"), ("cy", "dee")]:
        made[a] = pairs.confirm_pair(con, f"{a}@x.org", f"{b}@x.org")["id"]
    return made


def test_a_whole_email_finds_the_member_and_their_side(con, running):
    found = leaving.find(con, "  BO@x.org ")
    assert (found.pairing_id, found.side, found.name, found.partner) == (
        running["zoe"],
        "b",
        "Bo Kim",
        "Zoë Adeyemi",
    )  # names are tidied on import


def test_case_accents_and_spaces_do_not_matter(con, running):
    assert leaving.find(con, "zoe adeyemi").pairing_id == running["zoe"]
    assert leaving.find(con, "ZOË").side == "a"
    assert leaving.find(con, "ozturk").name == "Cy Öztürk"


def test_a_whole_name_wins_over_the_longer_names_it_is_part_of(con, running):
    assert leaving.find(con, "ann lee").name == "Ann Lee"
    assert leaving.find(con, "Ann Leeson").name == "Ann Leeson"


def test_several_members_are_refused_with_the_pairs_listed(con, running):
    with pytest.raises(InvalidInput) as refused:
        leaving.find(con, "ann")
    said = str(refused.value)
    assert said.startswith("2 running pairs match 'ann'")
    assert f"Ann Lee (pair #{running['ann']} with Ann Leeson)" in said and "Type more of the name" in said


def test_nobody_and_nothing_are_refused_with_what_to_do(con, running):
    with pytest.raises(InvalidInput, match="Nobody in a running pair matches 'Xavier'.*without being in a pair"):
        leaving.find(con, "Xavier")
    with pytest.raises(InvalidInput, match="Type the name or email"):
        leaving.find(con, "   ")
    with pytest.raises(InvalidInput, match="Nobody"):
        leaving.find(con, "bo@x.or")  # an email must be whole


def test_ended_pairs_are_not_running(con, running):
    lifecycle.end_pairing(con, running["cy"], by="a", reason="time commitment")
    with pytest.raises(InvalidInput, match="Nobody in a running pair matches 'Dee'"):
        leaving.find(con, "Dee")


def test_a_member_in_two_running_pairs_is_refused(con, running):
    con.execute(
        "INSERT INTO pairings (id, a_id, b_id, state, started_on, state_changed_at, created_at, moderator, a_teaches_b, b_teaches_a) "
        "SELECT 999, a.id, b.id, 'active', current_date, now(), now(), 'local', [], [] FROM applicants a, applicants b "
        "WHERE a.email = 'bo@x.org' AND b.email = 'dee@x.org'"
    )
    with pytest.raises(InvalidInput, match=r"2 running pairs match 'Bo Kim'.*pair #999 with Dee Park"):
        leaving.find(con, "Bo Kim")
