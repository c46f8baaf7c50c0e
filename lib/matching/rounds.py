"""A whole round (disjoint pairs over everyone eligible), the best partners for one member, and the
readable description of suggested pairs."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from lib.matching import candidates, score, solve, why_not, wording
from lib.members.directory import member_by_email
from lib.storage import db

EXACT_LIMIT = 3000  # above this many eligible members the round comes from solve.large_pool_pairs
# Above EXACT_LIMIT each member keeps their best PRUNE_KEEP partners by the score computed in the database
# (candidates.pruned_pairs); chosen by measurement (README, "Very large pools"): at 20,000 members 80 keeps 99.97%
# of the upper bound, 40 only 99.79%.
PRUNE_KEEP = 80
AUTO_ROUND_LIMIT = 1000  # the Matching page computes a round by itself up to this many waiting members
PAIR_COLUMNS = ["a", "b", "a_email", "b_email", "a_name", "b_name", "score", "a_teaches_b", "b_teaches_a", "reasons"]
PAIR_COLUMNS += ["shared_hours", "cadence_weeks"]  # hours a week both are free (NaN unknown); proposed pace


@dataclass
class Round:
    """A suggested round: disjoint pairs, the members left out with reasons, and how it was found."""

    pairs: pd.DataFrame
    unmatched: pd.DataFrame
    method: str
    candidates: int

    def summary(self) -> str:
        """'3 pairs, 2 members left out: 1 listed nothing to learn, 1 had every possible partner ...'."""
        said = f"{_count(len(self.pairs), 'pair')}, {_count(len(self.unmatched), 'member')} left out"
        causes = why_not.cause_counts(self.unmatched)
        return said + (": " + ", ".join(f"{n:,} {cause}" for cause, n in causes) if causes else "") + "."

    def advice(self) -> str:
        """What the moderator can do when the round suggests no pairs."""
        if not self.unmatched.empty:
            return "No pairs to suggest: accept more members on the Applicants page, or see who is left out below."
        return (
            "Nobody is waiting for a partner: accept members on the Applicants page (new people arrive through Import)."
        )


def suggest_round(con: duckdb.DuckDBPyConnection, *, settings: score.Settings | None = None) -> Round:
    """Disjoint pairs over everyone eligible: as many people paired as possible, then the best total
    score (or less, per score.SCORE_GIVEN_UP), and why the rest are left out."""
    settings = settings or score.load_settings(con)
    pool = candidates.eligible_members(con)
    given_up = settings.limits.get(score.SCORE_GIVEN_UP.key)
    if len(pool) <= EXACT_LIMIT:
        raw = candidates.candidate_pairs(con, pool)
        scored = score.score_pairs(raw, pool, settings)
        chosen, goal = _best_round(scored, len(pool), given_up)
        method, considered = f"exact matching ({goal})", len(scored)
    else:
        pruned = candidates.pruned_pairs(con, pool, PRUNE_KEEP, settings)  # scored in the database
        chosen, goal = _best_round(pruned, len(pool), given_up)
        considered = len(pruned)
        raw, scored, chosen = _pair_the_rest(con, pool, pruned, chosen, settings, most_people=given_up != 0)
        chosen = rescored(chosen, pool, settings)
        method = (
            f"large-pool matching ({len(pool):,} members, {goal}): each member's best {PRUNE_KEEP} partners by the "
            "score computed in the database, relaxed matching on the bipartite double cover, rounded, then exact "
            "matching of the members left over with all their candidates"
        )
    pairs = describe_pairs(con, chosen, pool)
    matched = set(chosen["a"]) | set(chosen["b"])
    unmatched = why_not.why_unmatched(con, pool, raw, scored, matched, settings)
    return Round(pairs, unmatched, method, considered)


def _pair_the_rest(
    con: duckdb.DuckDBPyConnection,
    pool: pd.DataFrame,
    pruned: pd.DataFrame,
    chosen: pd.DataFrame,
    settings: score.Settings,
    *,
    most_people: bool,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """After a pruned large round: every candidate pair of the members left out (raw and scored, which is all
    why_not needs about them), and the round with more of them paired: those who can pair with each other,
    then (most_people) augmenting paths over the pruned pairs plus all of theirs, since pruning can cut the
    one edge a member left out needed."""
    left = pool.index[~pool.index.isin(pd.concat([chosen["a"], chosen["b"]]))].tolist()
    raw = candidates.pairs_touching(con, pool, left)
    scored = score.score_pairs(raw, pool, settings)
    among = scored[scored["a"].isin(left) & scored["b"].isin(left)]
    if len(left) <= EXACT_LIMIT and not among.empty:
        chosen = pd.concat([chosen, solve.max_weight_pairs(among, most_people=most_people)])
    if most_people and not scored.empty:
        # the paths need only who, with whom and the score: no copy of the pruned pairs' other columns
        light = ["a", "b", "score"]
        edges = pd.concat([pruned[light], scored[light]]).drop_duplicates(["a", "b"])
        paired = solve.augmented(edges, chosen[light])
        if len(paired) > len(chosen):
            found = paired["a"].to_numpy() * 2**32 + paired["b"].to_numpy()
            rows = [
                part[np.isin(part["a"].to_numpy() * 2**32 + part["b"].to_numpy(), found)] for part in (pruned, scored)
            ]
            chosen = pd.concat(rows).drop_duplicates(["a", "b"])
    return raw, scored, chosen.sort_values(["score", "a"], ascending=[False, True]).reset_index(drop=True)


def rescored(chosen: pd.DataFrame, pool: pd.DataFrame, settings: score.Settings) -> pd.DataFrame:
    """The pairs a large round chose, scored by score_pairs (exact, with every component the reasons read),
    best first."""
    exact = score.score_pairs(chosen[["a", "b", "n_ab", "n_ba"]], pool, settings)
    return exact.sort_values(["score", "a"], ascending=[False, True]).reset_index(drop=True)


def suggest_partners(
    con: duckdb.DuckDBPyConnection, email: str, *, limit: int = 10, settings: score.Settings | None = None
) -> pd.DataFrame:
    """The best partners for one member, ranked, with score components and reasons."""
    settings = settings or score.load_settings(con)
    member = int(member_by_email(con, email)["id"])
    ids = candidates.eligible_ids(con)
    if not ids["id"].eq(member).any():  # not matchable now: the error says why
        candidates.require_eligible(con, candidates.eligible_members(con, only=[member]), email)
    raw = candidates.candidate_pairs(con, ids, member=member)
    pool = candidates.eligible_members(con, only=[member, *raw["b"].tolist()])  # only the rows this needs
    scored = score.score_pairs(raw, pool, settings)
    best = scored.sort_values(["score", "b"], ascending=[False, True]).head(limit)
    return describe_pairs(con, best, pool)


def describe_pairs(con: duckdb.DuckDBPyConnection, pairs: pd.DataFrame, pool: pd.DataFrame) -> pd.DataFrame:
    """Pairs with names, emails, the skills each way, reasons a person can read and the score's components."""
    columns = PAIR_COLUMNS + [component.name for component in score.COMPONENTS]
    if pairs.empty:
        return pd.DataFrame(columns=columns)
    skills = _skills_each_way(con, pairs[["a", "b"]])
    out = pairs.merge(skills, on=["a", "b"], how="left")
    out["a_email"], out["b_email"] = pool.loc[out["a"], "email"].to_numpy(), pool.loc[out["b"], "email"].to_numpy()
    out["a_name"], out["b_name"] = pool.loc[out["a"], "name"].to_numpy(), pool.loc[out["b"], "name"].to_numpy()
    out["score"] = out["score"].round(1)
    people = pool.loc[pd.unique(out[["a", "b"]].to_numpy().ravel())].to_dict("index")
    out["reasons"] = [score.reasons(row, people) for row in out.itertuples()]
    return out[columns]


def waits_for_request(waiting: int) -> bool:
    """Whether the page should wait for the moderator to ask before computing a round this large."""
    return waiting > AUTO_ROUND_LIMIT


def pair_choices(pairs: pd.DataFrame) -> dict[str, str]:
    """'a_email|b_email' -> 'A + B (score)' for every suggested pair, in the round's order."""
    return {f"{p.a_email}|{p.b_email}": f"{p.a_name} + {p.b_name} ({p.score:.0f})" for p in pairs.itertuples()}


def chosen_pairs(choices: list[str]) -> list[tuple[str, str]]:
    """The (a_email, b_email) pairs behind choices made from pair_choices."""
    return [tuple(choice.split("|", 1)) for choice in choices]


def pair_of_choice(pairs: pd.DataFrame, choice: str) -> pd.Series:
    """The suggested pair behind one choice made from pair_choices."""
    return pairs[(pairs["a_email"] + "|" + pairs["b_email"]) == choice].iloc[0]


def _best_round(scored: pd.DataFrame, members: int, given_up: float | None) -> tuple[pd.DataFrame, str]:
    # given_up: how much of the best total score (%) pairing more people may cost (None: any amount)
    solver = solve.max_weight_pairs if members <= EXACT_LIMIT else solve.large_pool_pairs
    if given_up is not None and given_up <= 0:
        return solver(scored, most_people=False), "the best total score, however many are left out"
    most = solver(scored, most_people=True)
    goal = "as many people paired as possible, then the best total score"
    if given_up is None or given_up >= 100:
        return most, goal
    best = solver(scored, most_people=False)
    if len(best) >= len(most):
        return most, goal
    top = best["score"].sum()
    cost = 100 * (1 - most["score"].sum() / top) if top > 0 else 0.0
    if cost <= given_up:
        return (
            most,
            f"{goal}: {cost:.1f}% of the best total score given up, at most {wording.number(given_up)}% allowed",
        )
    more = 2 * (len(most) - len(best))
    return best, (
        f"the best total score: pairing {more} more people would give up {cost:.1f}% of it, "
        f"more than the {wording.number(given_up)}% allowed"
    )


def _count(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _skills_each_way(con: duckdb.DuckDBPyConnection, pairs: pd.DataFrame) -> pd.DataFrame:
    db.register(con, "_pairs", pairs.reset_index(drop=True))
    try:
        return con.execute(
            """
            WITH people AS (SELECT a AS m FROM _pairs UNION SELECT b FROM _pairs),
                 o AS (SELECT DISTINCT applicant_id AS m, skill_id AS k FROM applicant_skills
                       WHERE kind = 'offer' AND applicant_id IN (SELECT m FROM people)),
                 w AS (SELECT DISTINCT applicant_id AS m, skill_id AS k FROM applicant_skills
                       WHERE kind = 'want' AND applicant_id IN (SELECT m FROM people)),
                 ab AS (SELECT p.a, p.b, list(DISTINCT k.name ORDER BY k.name) AS a_teaches_b FROM _pairs p
                        JOIN o ON o.m = p.a JOIN w ON w.m = p.b AND w.k = o.k JOIN skills k ON k.id = o.k GROUP BY ALL),
                 ba AS (SELECT p.a, p.b, list(DISTINCT k.name ORDER BY k.name) AS b_teaches_a FROM _pairs p
                        JOIN o ON o.m = p.b JOIN w ON w.m = p.a AND w.k = o.k JOIN skills k ON k.id = o.k GROUP BY ALL)
            SELECT p.a, p.b, coalesce(ab.a_teaches_b, []) AS a_teaches_b, coalesce(ba.b_teaches_a, []) AS b_teaches_a
            FROM _pairs p LEFT JOIN ab USING (a, b) LEFT JOIN ba USING (a, b)
            """
        ).df()
    finally:
        db.unregister(con, "_pairs")
