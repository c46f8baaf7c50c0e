"""Skills and Skill vocabulary pages under AppTest, on a small community whose answers are known."""

import pytest
from streamlit.testing.v1 import AppTest

from lib.intake import importer
from tests.conftest import ROOT, chart_frames, make_csv

ROWS = [
    ["a@x.org", "Ann", "Go, Kafka", "Rust, Haskell"],
    ["b@x.org", "Bo", "golang", "Rust"],
    ["c@x.org", "Cy", "Rust, Basket weaving", "Go"],
    ["d@x.org", "Di", "Basket weavng", "Haskell"],
]


@pytest.fixture
def community(con):
    data = make_csv(["Email", "Name", "Skills you can offer", "What would you like to learn?"], ROWS)
    importer.import_applications(con, data, filename="c.csv", status="accepted")
    return con


def _open(page, tab: str | None = None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.switch_page(page).run()
    if tab:
        at.session_state["skills.tab"] = tab
        at.run()
    assert not at.exception
    return at


def test_coverage_chart_carries_the_known_counts(community):
    at = _open("pages/3_Skills.py")
    data = chart_frames(at, "skills.chart")[0]
    counts = {(r.skill, r.side): r.members for r in data.itertuples()}
    assert counts[("Rust", "offered")] == 1 and counts[("Rust", "wanted")] == 2
    assert counts[("Go", "offered")] == 2 and counts[("Haskell", "offered")] == 0
    assert list(dict.fromkeys(data["skill"]))[0] in ("Rust", "Haskell")


def test_stage_filter_changes_the_counts(community):
    importer.import_applications(
        community, make_csv(["Email", "Name", "Skills to learn"], [["e@x.org", "Ed", "Rust"]]), filename="e.csv"
    )
    at = _open("pages/3_Skills.py")
    before = {(r.skill, r.side): r.members for r in chart_frames(at, "skills.chart")[0].itertuples()}
    at.multiselect(key="skills.stages").set_value(["accepted", "applied"]).run()
    after = {(r.skill, r.side): r.members for r in chart_frames(at, "skills.chart")[0].itertuples()}
    assert (before[("Rust", "wanted")], after[("Rust", "wanted")]) == (2, 3)


def test_gap_list_names_the_right_skills_and_people(community):
    at = _open("pages/3_Skills.py", "Gaps and surplus")
    gaps = next(d.value for d in at.dataframe if "people" in d.value.columns and "Haskell" in set(d.value["skill"]))
    assert gaps.to_dict("records") == [{"skill": "Haskell", "people": 2, "who": "Ann, Di"}]


def test_choosing_a_skill_lists_its_members(community):
    at = _open("pages/3_Skills.py")
    at.selectbox(key="skills.pick").set_value("Rust").run()
    members = next(d.value for d in at.dataframe if "side" in d.value.columns)
    assert sorted(zip(members["side"], members["name"])) == [("offers", "Cy"), ("wants", "Ann"), ("wants", "Bo")]


def test_exchange_heatmap_has_the_pairs(community):
    at = _open("pages/3_Skills.py", "Exchanges")
    pairs = {(r.offers, r.wants): r.members for r in chart_frames(at, "Skill exchange")[0].itertuples()}
    assert pairs[("Go", "Rust")] == 2
    assert not chart_frames(at, "skills.chart"), "the closed Coverage tab should not run"


def test_only_the_open_tab_runs(community):
    at = _open("pages/3_Skills.py")
    assert chart_frames(at, "skills.chart") and not chart_frames(at, "Skill exchange")


def test_proposed_duplicate_merges_in_one_click_and_can_be_undone(community):
    at = _open("pages/4_Vocabulary.py")
    merge = next(b for b in at.button if b.key and b.key.startswith("vocab.dup."))
    merge.click().run()
    assert not at.exception
    named = dict(
        community.execute(
            "SELECT a.name, k.name FROM applicant_skills s JOIN skills k ON k.id = s.skill_id "
            "JOIN applicants a ON a.id = s.applicant_id WHERE s.raw LIKE 'Basket%'"
        ).fetchall()
    )
    assert named == {"Cy": "Basket weaving", "Di": "Basket weaving"}
    undo = next(b for b in at.button if b.key and b.key.startswith("vocab.undo."))
    undo.click().run()
    restored = community.execute(
        "SELECT k.name FROM applicant_skills s JOIN skills k ON k.id = s.skill_id WHERE s.raw = 'Basket weavng'"
    ).fetchone()
    assert restored == ("Basket weavng",)


def test_merge_by_hand_and_refused_rename(community):
    at = _open("pages/4_Vocabulary.py")
    at.selectbox(key="vocab.from").set_value("Basket weavng")
    at.selectbox(key="vocab.into").set_value("Basket weaving").run()
    at.button(key="vocab.merge").click().run()
    assert "Basket weavng" not in at.selectbox(key="vocab.from").options
    at.selectbox(key="vocab.rename_skill").set_value("Basket weaving")
    at.text_input(key="vocab.rename_to").input("golang").run()
    at.button(key="vocab.rename").click().run()
    assert "merge the two skills instead" in at.error[0].value
