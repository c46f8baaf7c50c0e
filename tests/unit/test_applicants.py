import pytest

from lib.errors import InvalidInput, NotFound
from lib.intake import importer
from lib.members import applicants
from tests.conftest import make_csv


@pytest.fixture
def people(con):
    data = make_csv(
        ["Email", "Name", "Skills you can offer", "Skills to learn"],
        [["a@x.org", "Ann", "Kafka, Go", "Rust"], ["b@x.org", "Bo", "Rust", "Go"], ["c@x.org", "Cy", "SQL", "Go"]],
    )
    importer.import_applications(con, data, filename="p.csv")
    return con


def test_moving_many_applicants_records_each_change(people):
    moved = applicants.set_status(people, ["a@x.org", "B@x.org "], "accepted")
    assert moved == 2
    assert list(applicants.list_applicants(people, status="accepted")["email"]) == ["a@x.org", "b@x.org"]
    history = applicants.status_history(people, "a@x.org")
    assert list(history["to_status"]) == ["applied", "accepted"]


def test_declining_needs_a_reason(people):
    with pytest.raises(InvalidInput, match="reason"):
        applicants.set_status(people, ["a@x.org"], "declined")
    applicants.set_status(people, ["a@x.org"], "declined", reason="Looking for a job, not mentoring")
    assert applicants.get_applicant(people, "a@x.org")["decline_reason"] == "Looking for a job, not mentoring"


def test_unknown_email_changes_nothing(people):
    with pytest.raises(NotFound, match="nobody@x.org"):
        applicants.set_status(people, ["a@x.org", "nobody@x.org"], "accepted")
    assert applicants.get_applicant(people, "a@x.org")["status"] == "applied"


def test_unknown_stage_is_refused(people):
    with pytest.raises(InvalidInput, match="not a stage"):
        applicants.set_status(people, ["a@x.org"], "hired")


def test_search_finds_names_emails_and_skills(people):
    assert list(applicants.list_applicants(people, search="kafka")["email"]) == ["a@x.org"]
    assert list(applicants.list_applicants(people, search="BO")["email"]) == ["b@x.org"]
    assert len(applicants.list_applicants(people, search="")) == 3


def test_listing_carries_skill_words_in_order(people):
    row = applicants.list_applicants(people, search="a@x.org").iloc[0]
    assert list(row["offers"]) == ["Kafka", "Go"] and list(row["wants"]) == ["Rust"]


def test_notes_are_kept_and_audited(people):
    applicants.set_notes(people, "c@x.org", "Wants a project partner")
    assert applicants.get_applicant(people, "c@x.org")["notes"] == "Wants a project partner"
    assert people.execute("SELECT count(*) FROM audit_log WHERE action = 'set_notes'").fetchone()[0] == 1


def test_stage_counts_include_empty_stages(people):
    applicants.set_status(people, ["c@x.org"], "screened")
    counts = dict(applicants.stage_counts(people).itertuples(index=False))
    assert counts == {
        **{"applied": 2, "screened": 1, "interviewed": 0, "accepted": 0, "declined": 0, "withdrawn": 0},
        "erased": 0,  # the final stage since issue 20
    }


def test_one_member_lookup_ignores_case_and_names_an_unknown_email(people):
    from lib.members.directory import member_by_email

    assert member_by_email(people, "  A@X.org ")["name"] == "Ann"
    with pytest.raises(NotFound, match="No applicant has the email zed@x.org"):
        member_by_email(people, "zed@x.org")


def test_one_stage_rule_for_moves_and_filters(people):
    from lib.members import stages

    assert stages.STAGES[0] == "applied" and set(stages.STAGE_HELP) == set(stages.STAGES)
    with pytest.raises(InvalidInput, match="'hired' is not a stage"):
        applicants.list_applicants(people, status="hired")
    with pytest.raises(InvalidInput, match="Declining needs a reason"):
        stages.check_move("declined", reason="  ")
    with pytest.raises(InvalidInput, match="use some of"):
        stages.check_stages(["accepted", "hired"])


def test_a_compound_skill_word_is_listed_once_with_every_skill_it_names(con):
    from lib.intake import importer
    from tests.conftest import make_csv

    header = ["Email", "Name", "Skills you can offer", "What would you like to learn?"]
    importer.import_applications(con, make_csv(header, [["c@x.org", "Cem", "HTML/CSS, Go", "Rust"]]), filename="c.csv")
    row = applicants.list_applicants(con).iloc[0]
    assert list(row["offers"]) == ["HTML/CSS", "Go"]
    assert sorted(row["offers_canonical"]) == ["CSS", "Go", "HTML"]


def test_days_waiting_is_counted_only_for_people_waiting_for_a_decision(people):
    # Issue 21: declined and withdrawn people showed days "waiting" in the list and the CSV export.
    emails = list(applicants.list_applicants(people)["email"])
    applicants.set_status(people, emails[:1], "accepted")
    applicants.set_status(people, emails[1:2], "declined", reason="not now")
    table = applicants.list_applicants(people).set_index("email")
    assert table.loc[emails[:2], "days_waiting"].isna().all()
    assert (table.loc[emails[2:], "days_waiting"] >= 0).all()
