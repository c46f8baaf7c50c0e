"""A round pairs as many people as possible, then has the best score (issue 15 item 11)."""

import json
import random

import networkx as nx
import pandas as pd
import pytest

from lib.intake import importer
from lib.matching import rounds, score, solve
from tests.conftest import make_csv, run_cli

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone", "Years of experience"]
# a-b, b-c and c-d are the only mutual pairs; with experience alone, b-c scores 100 and a-b, c-d 10 each
PATH = [
    ["a@x.org", "Ann A", "Kafka", "Rust", "", "1"],
    ["b@x.org", "Bo B", "Rust, Go", "Kafka, Haskell", "", "10"],
    ["c@x.org", "Cy C", "Haskell, Elixir", "Go, Scala", "", "10"],
    ["d@x.org", "Di D", "Scala", "Elixir", "", "1"],
]
WEIGHTS = {"reciprocity": 0, "experience": 1, "timezone": 0, "waiting": 0}


def _edges(rows):
    return pd.DataFrame(rows, columns=["a", "b", "score"])


def _settings(given_up):
    return score.Settings(dict(WEIGHTS), {**score.DEFAULT_LIMITS, score.SCORE_GIVEN_UP.key: given_up})


def _pairs(found):
    return {frozenset(p) for p in zip(found["a"], found["b"])}


def _round_pairs(result):
    return {frozenset((p.a_email, p.b_email)) for p in result.pairs.itertuples()}


@pytest.mark.parametrize("solver", [solve.max_weight_pairs, solve.large_pool_pairs])
def test_a_path_pairs_everyone_by_default_and_the_heavy_middle_when_score_comes_first(solver):
    path = _edges([(1, 2, 1.0), (2, 3, 3.0), (3, 4, 1.0)])
    assert _pairs(solver(path)) == {frozenset({1, 2}), frozenset({3, 4})}
    assert _pairs(solver(path, most_people=False)) == {frozenset({2, 3})}


def _random_edges(rng, nodes, edges):
    seen = {}
    while len(seen) < edges:
        a, b = sorted(rng.sample(range(nodes), 2))
        seen[(a, b)] = rng.choice([rng.uniform(1, 100), rng.uniform(90, 100)])  # some heavy edges tempt
    return _edges([(a, b, round(s, 1)) for (a, b), s in seen.items()])


def _oracle(edges, *, maxcardinality):
    graph = nx.Graph()
    graph.add_weighted_edges_from((int(r.a), int(r.b), int(round(r.score * 1000))) for r in edges.itertuples())
    found = nx.max_weight_matching(graph, maxcardinality=maxcardinality)
    return len(found), sum(graph[u][v]["weight"] for u, v in found)


def _measured(found):
    return len(found), int(sum(int(round(s * 1000)) for s in found["score"]))


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_most_people_then_best_score_equals_networkx_on_random_graphs(seed):
    rng = random.Random(seed)
    edges = _random_edges(rng, rng.randint(200, 400), rng.randint(300, 700))  # sparse: max weight leaves people out
    ours = solve.max_weight_pairs(edges)
    assert _measured(ours) == _oracle(edges, maxcardinality=True)
    assert _measured(solve.max_weight_pairs(edges, most_people=False)) == _oracle(edges, maxcardinality=False)
    people = list(ours["a"]) + list(ours["b"])
    assert len(people) == len(set(people))


def test_the_default_pairs_more_people_than_score_first_on_some_random_graph():
    # the oracle test above would also pass if both modes always agreed; show they differ where it matters
    differs = 0
    for seed in range(10):
        edges = _random_edges(random.Random(seed), 300, 450)
        differs += len(solve.max_weight_pairs(edges)) > len(solve.max_weight_pairs(edges, most_people=False))
    assert differs >= 3


@pytest.mark.parametrize("seed", [5, 6])
def test_large_pool_method_nearly_matches_the_most_people(seed):
    edges = _random_edges(random.Random(seed), 400, 900)
    most, _ = _oracle(edges, maxcardinality=True)
    fast = solve.large_pool_pairs(edges)
    people = list(fast["a"]) + list(fast["b"])
    assert len(people) == len(set(people))
    assert len(fast) >= 0.98 * most and len(fast) >= len(solve.large_pool_pairs(edges, most_people=False))


def test_round_pairs_everyone_on_the_path_and_says_nobody_is_left_out(con):
    importer.import_applications(con, make_csv(HEADER, PATH), filename="p.csv", status="accepted")
    result = rounds.suggest_round(con, settings=_settings(None))
    assert _round_pairs(result) == {frozenset({"a@x.org", "b@x.org"}), frozenset({"c@x.org", "d@x.org"})}
    assert result.summary() == "2 pairs, 0 members left out."
    assert result.method == "exact matching (as many people paired as possible, then the best total score)"


def test_score_first_setting_restores_the_best_total_score_and_counts_who_is_left_out(con):
    importer.import_applications(con, make_csv(HEADER, PATH), filename="p.csv", status="accepted")
    result = rounds.suggest_round(con, settings=_settings(0.0))
    assert _round_pairs(result) == {frozenset({"b@x.org", "c@x.org"})}
    assert result.summary() == "1 pair, 2 members left out: 2 had every possible partner paired with someone else."
    assert result.unmatched.set_index("email").loc["a@x.org", "reason"] == (
        "Odd one out this round: the one possible partner for Ann is paired with someone else "
        "(their score together would be 10)."
    )


@pytest.mark.parametrize(("given_up", "pairs"), [(50.0, 1), (80.0, 2), (99.0, 2)])
def test_a_percentage_of_score_given_up_decides_between_the_two_rounds(con, given_up, pairs):
    # pairing everyone costs 80% of the best total score (20 instead of 100)
    importer.import_applications(con, make_csv(HEADER, PATH), filename="p.csv", status="accepted")
    result = rounds.suggest_round(con, settings=_settings(given_up))
    assert len(result.pairs) == pairs
    assert "80.0%" in result.method


def test_saved_settings_without_the_new_limit_pair_the_most_people(con):
    importer.import_applications(con, make_csv(HEADER, PATH), filename="p.csv", status="accepted")
    score.save_settings(con, score.Settings(dict(WEIGHTS), {"max_timezone_gap_hours": None}))
    assert score.load_settings(con).limits[score.SCORE_GIVEN_UP.key] is None
    assert len(rounds.suggest_round(con).pairs) == 2


def test_command_line_round_ends_with_the_summary_and_each_left_out_members_cause(db_file, con):
    importer.import_applications(con, make_csv(HEADER, PATH[:3]), filename="p.csv", status="accepted")
    con.close()
    text = run_cli(db_file, "suggest", "--round").stdout.splitlines()
    assert text[-1].startswith("Exact matching (as many people paired as possible, then the best total score)")
    assert text[-1].endswith(": 1 pair, 1 member left out: 1 had every possible partner paired with someone else.")
    whole = json.loads(run_cli(db_file, "suggest", "--round", "--json").stdout)
    assert set(whole) == {"pairs", "unmatched"}
    assert [u["cause"] for u in whole["unmatched"]] == ["had every possible partner paired with someone else"]
