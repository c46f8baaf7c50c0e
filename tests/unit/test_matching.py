import random
import threading
from datetime import date, datetime, timedelta

import networkx as nx
import pytest

from lib import startup
from lib.errors import InvalidInput
from lib.intake import importer, timezones
from lib.matching import candidates, rounds, score, solve
from lib.pair_life import pairs
from tests.conftest import ROOT, make_csv

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone", "Years of experience"]
ONLY_EXPERIENCE = score.Settings({"reciprocity": 0, "experience": 1, "timezone": 0, "waiting": 0})


def _community(con, rows):
    importer.import_applications(con, make_csv(HEADER, rows), filename="c.csv", status="accepted")


def _pairs(result):
    return {frozenset((p.a_email, p.b_email)) for p in result.pairs.itertuples()}


def test_normalisation_decides_the_pair(con):
    _community(
        con,
        [
            ["a@x.org", "Ann Lee", "golang", "Rust", "UTC", "5"],
            ["b@x.org", "Bo Kim", "Rust", "Go", "UTC", "5"],
            ["c@x.org", "Cy Ng", "Rust", "Python", "UTC", "5"],
        ],
    )
    result = rounds.suggest_round(con)
    assert _pairs(result) == {frozenset({"a@x.org", "b@x.org"})}
    pair = result.pairs.iloc[0]
    assert (list(pair.a_teaches_b), list(pair.b_teaches_a)) == (["Go"], ["Rust"])


def test_greedy_choice_is_wrong_and_the_optimal_round_differs(con):
    # A-B, B-C and C-D are the only mutual pairs; B-C alone scores best, A-B + C-D is worth more.
    _community(
        con,
        [
            ["a@x.org", "Ann A", "Kafka", "Rust", "", "1"],
            ["b@x.org", "Bo B", "Rust, Go", "Kafka, Haskell", "", "5"],
            ["c@x.org", "Cy C", "Haskell, Elixir", "Go, Scala", "", "5"],
            ["d@x.org", "Di D", "Scala", "Elixir", "", "9"],
        ],
    )
    scored = score.score_pairs(
        candidates.candidate_pairs(con, candidates.eligible_members(con)),
        candidates.eligible_members(con),
        ONLY_EXPERIENCE,
    )
    assert scored["score"].max() == 100 and len(scored) == 3
    result = rounds.suggest_round(con, settings=ONLY_EXPERIENCE)
    assert _pairs(result) == {frozenset({"a@x.org", "b@x.org"}), frozenset({"c@x.org", "d@x.org"})}
    assert result.pairs["score"].sum() == 120


def test_odd_count_leaves_one_out_with_a_reason(con):
    _community(
        con,
        [
            ["a@x.org", "Ann A", "Go", "Rust", "UTC", "5"],
            ["b@x.org", "Bo B", "Rust", "Go", "UTC", "5"],
            ["c@x.org", "Cy C", "Rust", "Go", "UTC", "5"],
        ],
    )
    result = rounds.suggest_round(con)
    assert len(result.pairs) == 1 and len(result.unmatched) == 1
    reason = result.unmatched.iloc[0]["reason"]
    assert reason.startswith("Odd one out this round: the one possible partner for "), reason
    assert reason.endswith("is paired with someone else (their score together would be 85)."), reason


def test_why_not_names_missing_skills_and_one_sided_offers(con):
    _community(
        con,
        [
            ["a@x.org", "Ann A", "Go", "Rust", "UTC", "5"],
            ["b@x.org", "Bo B", "Rust", "Go", "UTC", "5"],
            ["i@x.org", "Ines Ruiz", "Elixir", "Haskell, Scala", "UTC", "5"],
            ["s@x.org", "Sam S", "Scala", "Go", "UTC", "5"],
            ["t@x.org", "Tim T", "Scala", "Rust", "UTC", "5"],
            ["n@x.org", "Nia N", "Go", "", "UTC", "5"],
        ],
    )
    reasons = dict(zip(rounds.suggest_round(con).unmatched["email"], rounds.suggest_round(con).unmatched["reason"]))
    assert reasons["i@x.org"] == (
        "The 2 eligible members who offer Scala want to learn nothing Ines offers; "
        "no other eligible member offers Haskell."
    )
    assert reasons["n@x.org"] == "Nia listed nothing to learn; ask what they would like to learn."


def test_pair_reasons_read_like_a_sentence(con):
    _community(
        con,
        [
            ["a@x.org", "Amara Okafor", "Kafka, Spark", "Elixir", "Europe/Berlin", "6"],
            ["f@x.org", "Felix Braun", "Elixir", "Kafka, Spark", "Europe/London", "8"],
        ],
    )
    reasons = rounds.suggest_partners(con, "a@x.org").iloc[0]["reasons"]
    assert reasons[:4] == [
        "Amara teaches Felix Kafka, Spark",
        "Felix teaches Amara Elixir",
        "both 6-8 years",
        "1 h apart (13 h of shared daytime)",
    ]
    assert reasons[-1].endswith("waited 0 days")
    assert score.beside_skills(reasons)[:2] == ["both 6-8 years", "1 h apart (13 h of shared daytime)"]


def test_paused_paired_and_never_pair_members_are_not_suggested(con):
    _community(
        con,
        [
            ["a@x.org", "Ann A", "Go", "Rust", "UTC", "5"],
            ["b@x.org", "Bo B", "Rust", "Go", "UTC", "5"],
            ["c@x.org", "Cy C", "Rust", "Go", "UTC", "5"],
            ["d@x.org", "Di D", "Rust", "Go", "UTC", "5"],
        ],
    )
    pairs.pause_member(con, "b@x.org", date.today() + timedelta(days=60), note="away until March")
    pairs.mark_never_pair(con, "a@x.org", "c@x.org")
    partners = set(rounds.suggest_partners(con, "a@x.org")["b_email"])
    assert partners == {"d@x.org"}
    pairs.confirm_pair(con, "a@x.org", "d@x.org")
    assert "a@x.org" not in set(candidates.eligible_members(con)["email"])
    with pytest.raises(InvalidInput, match="paused until"):
        rounds.suggest_partners(con, "b@x.org")
    pairs.unpause_member(con, "b@x.org")
    assert "b@x.org" in set(candidates.eligible_members(con)["email"])


def test_confirm_refuses_ineligible_or_non_mutual_members(con):
    _community(
        con,
        [
            ["a@x.org", "Ann A", "Go", "Rust", "UTC", "5"],
            ["b@x.org", "Bo B", "Rust", "Go", "UTC", "5"],
            ["c@x.org", "Cy C", "Python", "SQL", "UTC", "5"],
        ],
    )
    importer.import_applications(con, make_csv(HEADER, [["n@x.org", "New N", "Rust", "Go", "", ""]]), filename="n.csv")
    with pytest.raises(InvalidInput, match="stage is 'applied'"):
        pairs.confirm_pair(con, "a@x.org", "n@x.org")
    with pytest.raises(InvalidInput, match="cannot teach each other"):
        pairs.confirm_pair(con, "a@x.org", "c@x.org")
    made = pairs.confirm_pair(con, "A@x.org", "b@x.org")
    assert made["state"] == "proposed" and made["a_teaches_b"] == ["Go"] and made["b_teaches_a"] == ["Rust"]


def test_hard_limits_rule_out_pairs_and_say_so(con):
    _community(
        con,
        [
            ["a@x.org", "Ann A", "Go", "Rust", "Asia/Tokyo", "5"],
            ["b@x.org", "Bo B", "Rust", "Go", "America/Chicago", "5"],
        ],
    )
    settings = score.Settings(
        limits={"max_timezone_gap_hours": 6, "max_experience_gap_years": None, "min_shared_hours": None}
    )
    result = rounds.suggest_round(con, settings=settings)
    assert result.pairs.empty
    assert "ruled out by the hard limits (at most 6 h apart)" in result.unmatched.iloc[0]["reason"]


def test_unknown_zone_neither_helps_nor_hurts(con):
    _community(
        con, [["a@x.org", "Ann A", "Go", "Rust", "somewhere nice", "5"], ["b@x.org", "Bo B", "Rust", "Go", "UTC", "3"]]
    )
    with_zone = rounds.suggest_partners(con, "a@x.org").iloc[0]["score"]
    no_zone_weight = score.Settings({**score.DEFAULT_WEIGHTS, "timezone": 0})
    assert with_zone == rounds.suggest_partners(con, "a@x.org", settings=no_zone_weight).iloc[0]["score"]


def test_daylight_saving_is_taken_from_real_zones():
    assert timezones.offsets_apart("Europe/Berlin", "America/New_York", datetime(2027, 3, 20, 12)) == 5
    assert timezones.offsets_apart("Europe/Berlin", "America/New_York", datetime(2027, 4, 20, 12)) == 6
    assert [timezones.to_zone(t) for t in ("CET", "UTC+2", "new york", "India (IST)", "+05:30", "moon")] == [
        "CET",
        "Etc/GMT-2",
        "America/New_York",
        "Asia/Kolkata",
        "Asia/Kolkata",
        None,
    ]


def test_waiting_longer_and_left_behind_come_first(con):
    _community(
        con,
        [
            ["a@x.org", "Ann A", "Go", "Rust", "UTC", "5"],
            ["b@x.org", "Bo B", "Rust", "Go", "UTC", "5"],
            ["c@x.org", "Cy C", "Rust", "Go", "UTC", "5"],
        ],
    )
    con.execute(
        "UPDATE status_history SET changed_at = changed_at - INTERVAL 50 DAY WHERE applicant_id = "
        "(SELECT id FROM applicants WHERE email = 'c@x.org')"
    )
    assert rounds.suggest_partners(con, "a@x.org").iloc[0]["b_email"] == "c@x.org"
    con.execute("UPDATE applicants SET requeued_at = now() WHERE email = 'b@x.org'")
    assert rounds.suggest_partners(con, "a@x.org").iloc[0]["b_email"] == "b@x.org"


SKILLS = ["Go", "Rust", "Python", "SQL", "Kafka", "Haskell", "React", "Java", "Scala", "Elixir", "C#", "Kubernetes"]
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Asia/Kolkata", ""]


def _random_community(con, size, seed):
    rng = random.Random(seed)
    weights = [1 / (i + 1) for i in range(len(SKILLS))]
    rows = []
    for n in range(size):
        offers = set(rng.choices(SKILLS, weights, k=rng.randint(1, 3)))
        wants = set(rng.choices(SKILLS, weights, k=rng.randint(1, 3))) - offers or {rng.choice(SKILLS)}
        rows.append(
            [
                f"m{n}@x.org",
                f"Member {n}",
                ", ".join(sorted(offers)),
                ", ".join(sorted(wants)),
                rng.choice(ZONES),
                str(rng.randint(1, 15)),
            ]
        )
    _community(con, rows)
    for n in rng.sample(range(size), size // 20):
        pairs.pause_member(con, f"m{n}@x.org", date.today() + timedelta(days=30))
    for _ in range(size // 10):
        x, y = rng.sample(range(size), 2)
        pairs.mark_never_pair(con, f"m{x}@x.org", f"m{y}@x.org")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_round_invariants_on_random_communities(con, seed):
    _random_community(con, 150, seed)
    first = rounds.suggest_round(con)
    pairs.confirm_pair(con, first.pairs.iloc[0]["a_email"], first.pairs.iloc[0]["b_email"])
    result = rounds.suggest_round(con)
    people = list(result.pairs["a_email"]) + list(result.pairs["b_email"])
    assert len(people) == len(set(people))
    paused = set(
        con.execute("SELECT a.email FROM member_pauses p JOIN applicants a ON a.id = p.applicant_id").df()["email"]
    )
    paired = set(
        con.execute("SELECT a.email FROM open_pair_members o JOIN applicants a ON a.id = o.applicant_id").df()["email"]
    )
    never = {
        frozenset(r)
        for r in con.execute(
            "SELECT x.email, y.email FROM never_pair n JOIN applicants x ON x.id = n.low_id "
            "JOIN applicants y ON y.id = n.high_id"
        ).fetchall()
    }
    assert not (set(people) & (paused | paired))
    assert all(frozenset((p.a_email, p.b_email)) not in never for p in result.pairs.itertuples())
    assert all(len(p.a_teaches_b) and len(p.b_teaches_a) for p in result.pairs.itertuples())
    eligible = set(candidates.eligible_members(con)["email"])
    assert set(people) | set(result.unmatched["email"]) == eligible


@pytest.mark.parametrize("seed", [4, 5])
def test_round_is_optimal_against_networkx(con, seed):
    _random_community(con, 300, seed)
    pool = candidates.eligible_members(con)
    scored = score.score_pairs(candidates.candidate_pairs(con, pool), pool, score.load_settings(con))
    graph = nx.Graph()
    graph.add_weighted_edges_from((int(r.a), int(r.b), int(round(r.score * 1000))) for r in scored.itertuples())
    best = sum(graph[u][v]["weight"] for u, v in nx.max_weight_matching(graph))
    ours = solve.max_weight_pairs(scored, most_people=False)  # the score-first setting; see test_round_cardinality
    assert sum(int(round(s * 1000)) for s in ours["score"]) == best


def test_same_data_and_weights_give_the_same_round(con):
    _random_community(con, 200, 9)
    one, two = rounds.suggest_round(con), rounds.suggest_round(con)
    assert one.pairs[["a_email", "b_email", "score"]].equals(two.pairs[["a_email", "b_email", "score"]])
    assert one.unmatched.equals(two.unmatched)


def test_concurrent_confirms_never_put_a_member_in_two_pairings(db_file):
    con = startup.open_database(db_file)
    _community(
        con,
        [
            ["a@x.org", "Ann A", "Go", "Rust", "UTC", "5"],
            ["b@x.org", "Bo B", "Rust", "Go", "UTC", "5"],
            ["c@x.org", "Cy C", "Go", "Rust", "UTC", "5"],
        ],
    )
    for _attempt in range(5):
        barrier, outcomes = threading.Barrier(2), []

        def confirm(other, barrier=barrier, outcomes=outcomes):
            cursor = con.cursor()
            barrier.wait()
            try:
                outcomes.append(("ok", pairs.confirm_pair(cursor, "b@x.org", other)["id"]))
            except InvalidInput as exc:
                outcomes.append(("refused", str(exc)))

        threads = [threading.Thread(target=confirm, args=(o,)) for o in ("a@x.org", "c@x.org")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
        assert (
            con.execute(
                "SELECT count(*) FROM open_pair_members WHERE applicant_id = "
                "(SELECT id FROM applicants WHERE email = 'b@x.org')"
            ).fetchone()[0]
            == 1
        )
        assert con.execute("SELECT count(*) FROM pairings").fetchone()[0] == 1
        con.execute("DELETE FROM open_pair_members; DELETE FROM pairings")


def test_confirming_several_pairs_is_all_or_nothing(con):
    _community(
        con,
        [
            ["a@x.org", "Ann A", "Go", "Rust", "UTC", "5"],
            ["b@x.org", "Bo B", "Rust", "Go", "UTC", "5"],
            ["c@x.org", "Cy C", "Rust", "Go", "UTC", "5"],
            ["d@x.org", "Di D", "Go", "Rust", "UTC", "5"],
        ],
    )
    with pytest.raises(InvalidInput, match="already in an open pairing"):
        pairs.confirm_pairs(con, [("a@x.org", "b@x.org"), ("a@x.org", "c@x.org")])
    assert con.execute("SELECT count(*) FROM pairings").fetchone()[0] == 0
    made = pairs.confirm_pairs(con, [("a@x.org", "b@x.org"), ("c@x.org", "d@x.org")])
    assert [m["state"] for m in made] == ["proposed", "proposed"]


@pytest.mark.parametrize("seed", [6, 7])
def test_large_pool_method_is_valid_and_near_the_exact_optimum(con, seed):
    _random_community(con, 300, seed)
    pool = candidates.eligible_members(con)
    scored = score.score_pairs(candidates.candidate_pairs(con, pool), pool, score.load_settings(con))
    fast, exact = solve.large_pool_pairs(scored), solve.max_weight_pairs(scored)
    people = list(fast["a"]) + list(fast["b"])
    assert len(people) == len(set(people))
    exact_total = (exact["score"] * 1000).round().sum() / 1000
    assert solve.double_cover_bound(scored) >= exact_total - 1e-6
    assert fast["score"].sum() >= 0.98 * exact["score"].sum()


def test_readme_shows_the_score_table_as_declared():
    readme = "\n".join(line.strip() for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines())
    assert score.markdown_table() in readme


def test_every_component_is_weighted_reasoned_and_limited_from_the_table(con):
    _community(
        con,
        [
            ["a@x.org", "Ann Lee", "Go", "Rust", "UTC", "5"],
            ["b@x.org", "Bo Chen", "Rust", "Go", "Asia/Tokyo", "6"],
        ],
    )
    assert set(score.DEFAULT_WEIGHTS) == {c.name for c in score.COMPONENTS}
    assert set(score.DEFAULT_LIMITS) == {limit.key for c in score.COMPONENTS for limit in c.limits} | {
        limit.key for limit in score.ROUND_LIMITS
    }
    best = rounds.suggest_partners(con, "a@x.org").iloc[0]
    known = {c.name for c in score.COMPONENTS if best[c.name] == best[c.name]}  # NaN: nobody gave that
    assert known == {"reciprocity", "experience", "timezone", "waiting"}
    assert all(0 <= best[c] <= 1 for c in known)
    assert best["reasons"][2:] == ["both 5-6 years", "9 h apart (5 h of shared daytime)", "Ann waited 0 days"]
    gap = score.Settings(limits={**score.DEFAULT_LIMITS, "max_timezone_gap_hours": 2})
    assert rounds.suggest_partners(con, "a@x.org", settings=gap).empty
