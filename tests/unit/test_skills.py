import pytest

from lib.errors import InvalidInput, NotFound
from lib.insight import coverage
from lib.intake import importer, skills
from lib.members import applicants
from lib.storage import db
from tests.conftest import make_csv, table_snapshot

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?"]


def _load(con, rows, status="accepted"):
    importer.import_applications(con, make_csv(HEADER, rows), filename="s.csv", status=status)


def _canonical(con, email, kind="offer"):
    return [
        r[0]
        for r in con.execute(
            "SELECT k.name FROM applicant_skills s JOIN skills k ON k.id = s.skill_id JOIN applicants a ON a.id = s.applicant_id "
            "WHERE a.email = ? AND s.kind = ? ORDER BY s.position",
            [email, kind],
        ).fetchall()
    ]


def _all_words(con):
    return con.execute("SELECT applicant_id, kind, position, raw FROM applicant_skills ORDER BY ALL").fetchall()


def test_import_maps_member_words_to_canonical_skills_keeping_their_words(con):
    _load(con, [["a@x.org", "Ann", "k8s, golang, React.js", "Kubernets"]])
    assert _canonical(con, "a@x.org") == ["Kubernetes", "Go", "React"]
    assert _canonical(con, "a@x.org", "want") == ["Kubernetes"]
    assert [w for *_, w in _all_words(con)] == ["k8s", "golang", "React.js", "Kubernets"]


def test_a_new_word_becomes_a_skill_of_its_own(con):
    _load(
        con,
        [["a@x.org", "Ann", "Underwater basket weaving", "Go"], ["b@x.org", "Bo", "underwater basket weaving", "Rust"]],
    )
    assert _canonical(con, "a@x.org") == ["Underwater basket weaving"] == _canonical(con, "b@x.org")
    assert con.execute("SELECT count(*) FROM skills WHERE source = 'member'").fetchone()[0] == 1


def test_merge_moves_members_and_is_remembered_for_future_imports(con):
    _load(con, [["a@x.org", "Ann", "Click-house database", "Go"]])
    skills.merge_skills(con, "Click-house database", "ClickHouse")
    assert _canonical(con, "a@x.org") == ["ClickHouse"]
    _load(con, [["b@x.org", "Bo", "click-house database", "Go"]])
    assert _canonical(con, "b@x.org") == ["ClickHouse"]
    skills.renormalise(con)
    assert _canonical(con, "a@x.org") == ["ClickHouse"]


def test_merge_and_undo_keep_every_members_words(con):
    _load(
        con, [["a@x.org", "Ann", "Click-house database, Go", "Rust"], ["b@x.org", "Bo", "Rust", "Click-house database"]]
    )
    before = table_snapshot(con)
    merge_id = skills.merge_skills(con, "Click-house database", "ClickHouse")
    assert _all_words(con) == [tuple(x) for x in _all_words(con)]
    assert _canonical(con, "b@x.org", "want") == ["ClickHouse"]
    skills.undo_merge(con, merge_id)
    assert _canonical(con, "b@x.org", "want") == ["Click-house database"]
    after = table_snapshot(con)
    for table in ("applicant_skills", "skill_aliases", "skills", "applicants"):
        assert after[table] == before[table], table
    with pytest.raises(InvalidInput, match="already undone"):
        skills.undo_merge(con, merge_id)


def test_merging_a_skill_into_itself_or_an_unknown_one_is_refused(con):
    _load(con, [["a@x.org", "Ann", "Go", "Rust"]])
    with pytest.raises(InvalidInput, match="already the same skill"):
        skills.merge_skills(con, "golang", "Go")
    with pytest.raises(NotFound, match="No skill is called 'Cobolt'"):
        skills.merge_skills(con, "Cobolt", "Go")


def test_rename_keeps_the_old_name_as_an_alias(con):
    _load(con, [["a@x.org", "Ann", "Underwater basket weaving", "Go"]])
    skills.rename_skill(con, "Underwater basket weaving", "Basket weaving (underwater)")
    assert _canonical(con, "a@x.org") == ["Basket weaving (underwater)"]
    _load(con, [["b@x.org", "Bo", "underwater basket weaving", "Go"]])
    assert _canonical(con, "b@x.org") == ["Basket weaving (underwater)"]
    with pytest.raises(InvalidInput, match="merge"):
        skills.rename_skill(con, "Basket weaving (underwater)", "golang")


def test_coverage_counts_accepted_members_and_sorts_by_unmet_demand(con):
    _load(
        con,
        [
            ["a@x.org", "Ann", "Go", "Rust, Haskell"],
            ["b@x.org", "Bo", "golang", "Rust"],
            ["c@x.org", "Cy", "Rust", "Go"],
        ],
    )
    _load(con, [["d@x.org", "Di", "Haskell", "Go"]], status="applied")
    table = coverage.coverage(con).set_index("skill")
    assert table.loc["Rust", ["offered", "wanted"]].tolist() == [1, 2]
    assert table.loc["Go", ["offered", "wanted"]].tolist() == [2, 1]
    assert table.index[0] in ("Rust", "Haskell") and table.loc["Haskell", "offered"] == 0
    everyone = coverage.coverage(con, stages=["accepted", "applied"]).set_index("skill")
    assert everyone.loc["Haskell", ["offered", "wanted"]].tolist() == [1, 1]


def test_gap_and_surplus_lists_name_the_right_skills_and_people(con):
    _load(con, [["a@x.org", "Ann", "Go, COBOL", "Haskell"], ["b@x.org", "Bo", "Rust", "Go, Haskell"]])
    gap = coverage.gaps(con)
    assert gap.to_dict("records") == [{"skill": "Haskell", "people": 2, "who": "Ann, Bo"}]
    assert set(coverage.surplus(con)["skill"]) == {"COBOL", "Rust"}


def test_exchange_counts_offer_want_pairs(con):
    _load(con, [["a@x.org", "Ann", "Go", "Rust"], ["b@x.org", "Bo", "golang", "Rust"], ["c@x.org", "Cy", "Rust", "Go"]])
    pairs = {(r.offers, r.wants): r.members for r in coverage.exchanges(con).itertuples()}
    assert pairs == {("Go", "Rust"): 2, ("Rust", "Go"): 1}


def test_likely_duplicates_propose_member_words_into_curated_skills(con):
    _load(
        con,
        [
            ["a@x.org", "Ann", "Basket weaving", "Go"],
            ["b@x.org", "Bo", "Basket weavng", "Go"],
            ["c@x.org", "Cy", "Basket weaving", "Go"],
            ["d@x.org", "Di", "Kotlin Multiplatfrom", "Go"],
        ],
    )
    proposals = coverage.likely_duplicates(con)
    assert proposals[["merge", "into", "merge_members", "into_members"]].values.tolist() == [
        ["Basket weavng", "Basket weaving", 1, 2]
    ]


def test_applicants_listing_carries_canonical_skills(con):
    _load(con, [["a@x.org", "Ann", "k8s, Kubernetes", "golang"]])
    row = applicants.list_applicants(con).iloc[0]
    assert list(row["offers_canonical"]) == ["Kubernetes"] and list(row["wants_canonical"]) == ["Go"]


def test_skill_summary_lists_aliases_and_counts(con):
    _load(con, [["a@x.org", "Ann", "k8s", "Go"]])
    summary = coverage.skill_summary(con).set_index("skill")
    assert summary.loc["Kubernetes", "offered"] == 1 and "k8s" in list(summary.loc["Kubernetes", "aliases"])


def test_a_skill_dropped_from_the_vocabulary_gives_its_words_to_the_parts(con):
    now = con.execute("SELECT now()::TIMESTAMP").fetchone()[0]
    old = con.execute(
        "INSERT INTO skills (name, category, source, created_at) VALUES ('C/C++', 'language', 'vocabulary', ?) "
        "RETURNING id",
        [now],
    ).fetchone()[0]
    con.execute("INSERT INTO skill_aliases VALUES ('ccplusplus', ?, 'C/C++', 'vocabulary')", [old])
    _load(con, [["a@x.org", "Ann", "C/C++", "Go"]])
    assert _canonical(con, "a@x.org") == ["C/C++"]
    db.set_setting(con, "vocabulary_sha256", "an older vocabulary")
    skills.ensure_vocabulary(con)
    assert sorted(_canonical(con, "a@x.org")) == ["C", "C++"]
    assert "C/C++" not in set(coverage.skill_summary(con)["skill"])
