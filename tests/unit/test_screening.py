"""The screening queue: who needs a decision, many changes in one go, and undo that restores exactly."""

import pytest

from lib.errors import InvalidInput
from lib.intake import importer
from lib.members import applicants, screening
from lib.messages import outbox, settings
from lib.pair_life import pairs
from lib.privacy import erasure
from tests.conftest import make_csv

HEADER = ["Timestamp", "Email", "Name", "Skills you can offer", "Skills to learn"]


def _import(con, rows, name):
    importer.import_applications(con, make_csv(HEADER, rows), filename=name)


@pytest.fixture
def people(con):
    _import(
        con,
        [["2026-11-01 10:00", "a@x.org", "Ann", "Go", "Rust"], ["2026-11-02 10:00", "b@x.org", "Bo", "Rust", "Go"]],
        "1.csv",
    )
    _import(
        con,
        [["2026-11-20 10:00", "c@x.org", "Cy", "SQL", "Go"], ["2026-11-21 10:00", "d@x.org", "Di", "Go", "SQL"]],
        "2.csv",
    )
    return con


def ids(con, *emails):
    return [applicants.get_applicant(con, e)["id"] for e in emails]


def test_queue_lists_undecided_newest_first_and_marks_the_last_import(people):
    applicants.set_status(people, ["a@x.org"], "accepted")
    queue = screening.queue(people)
    assert list(queue["email"]) == ["d@x.org", "c@x.org", "b@x.org"]
    assert list(queue["is_new"]) == [True, True, False]
    assert list(screening.queue(people, view="new")["email"]) == ["d@x.org", "c@x.org"]


def test_days_waiting_only_for_people_who_wait(people):
    applicants.set_status(people, ["a@x.org"], "declined", reason="Applied twice")
    table = screening.queue(people, view="all").set_index("email")
    assert table.loc["a@x.org", "days_waiting"] != table.loc["a@x.org", "days_waiting"]  # NaN
    assert table.loc["b@x.org", "days_waiting"] >= 0


def test_one_change_accepts_declines_and_notes_in_one_go(people):
    a, b, c = ids(people, "a@x.org", "b@x.org", "c@x.org")
    change = screening.Change(notes={c: "Great chat"}, moves={a: "accepted", b: "declined"}, reason="Applied twice")
    done = screening.apply(people, change)
    assert done == {"accepted": 1, "declined": 1, "moved": 0, "notes": 1}
    assert applicants.get_applicant(people, "b@x.org")["decline_reason"] == "Applied twice"
    assert applicants.get_applicant(people, "c@x.org")["notes"] == "Great chat"
    kinds = sorted(outbox.listing(people)["kind"])
    assert kinds == ["declined", "welcome"]


def test_declining_without_a_reason_changes_nothing(people):
    a, b = ids(people, "a@x.org", "b@x.org")
    with pytest.raises(InvalidInput, match="reason"):
        screening.apply(people, screening.Change(moves={a: "accepted", b: "declined"}))
    assert applicants.get_applicant(people, "a@x.org")["status"] == "applied"
    assert screening.last_change(people) is None


def test_undo_restores_exactly_and_discards_unsent_drafts(people):
    a, b, c = ids(people, "a@x.org", "b@x.org", "c@x.org")
    applicants.set_notes(people, "c@x.org", "old note")
    before = people.execute("SELECT * FROM applicants ORDER BY id").fetchall()
    history = people.execute("SELECT count(*) FROM status_history").fetchone()[0]
    change = screening.Change(notes={c: "new note"}, moves={a: "accepted", b: "declined"}, reason="Applied twice")
    screening.apply(people, change)
    undone = screening.undo_last(people)
    assert undone["accepted"] == 1 and undone["already_sent"] == 0
    assert people.execute("SELECT * FROM applicants ORDER BY id").fetchall() == before
    assert people.execute("SELECT count(*) FROM status_history").fetchone()[0] == history
    assert set(outbox.listing(people)["status"]) == {"discarded"}
    with pytest.raises(InvalidInput, match="no screening change"):
        screening.undo_last(people)


def test_undo_is_refused_after_someone_built_on_the_change(people):
    a, b = ids(people, "a@x.org", "b@x.org")
    screening.apply(people, screening.Change(moves={a: "accepted", b: "accepted"}))
    pairs.confirm_pair(people, "a@x.org", "b@x.org")
    with pytest.raises(InvalidInput, match="paired since"):
        screening.undo_last(people)
    assert applicants.get_applicant(people, "a@x.org")["status"] == "accepted"


def test_undo_is_refused_after_a_later_stage_change(people):
    (a,) = ids(people, "a@x.org")
    screening.apply(people, screening.Change(moves={a: "screened"}))
    applicants.set_status(people, ["a@x.org"], "interviewed")
    with pytest.raises(InvalidInput, match="Ann has been changed since"):
        screening.undo_last(people)


def test_nothing_to_change_is_refused(people):
    (a,) = ids(people, "a@x.org")
    with pytest.raises(InvalidInput, match="Nothing to save"):
        screening.apply(people, screening.Change())
    with pytest.raises(InvalidInput, match="Nothing changed"):
        screening.apply(people, screening.Change(moves={a: "applied"}))


def test_erasing_a_member_forgets_an_undo_that_holds_their_notes(people):
    (c,) = ids(people, "c@x.org")
    screening.apply(people, screening.Change(notes={c: "talked about her divorce"}))
    erasure.erase_member(people, "c@x.org")
    assert screening.last_change(people) is None
    text = people.execute("SELECT string_agg(value, ' ') FROM settings").fetchone()[0] or ""
    assert "divorce" not in text


def test_decline_reason_reads_choice_then_sentence():
    assert screening.decline_reason("Applied twice", "  second form in May ") == "Applied twice: second form in May"
    assert screening.decline_reason("Applied twice", "") == "Applied twice"
    assert screening.decline_reason(None, "") is None


def test_decline_reasons_are_an_editable_list(con):
    assert settings.get(con, "decline_reasons") == settings.DECLINE_REASONS
    assert settings.set_value(con, "decline_reasons", "Too junior, Applied twice, ,Applied twice") == [
        "Too junior",
        "Applied twice",
    ]
    with pytest.raises(InvalidInput, match="short phrases"):
        settings.set_value(con, "decline_reasons", " , ")


def test_describe_counts_in_words():
    assert screening.describe({"accepted": 8, "declined": 1, "moved": 0, "notes": 2}) == (
        "accepted 8 applicants, declined 1 applicant, notes on 2 applicants"
    )
