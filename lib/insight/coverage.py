"""Skill coverage: who offers and who wants each canonical skill, gaps, surplus, exchanges, duplicates.

Counts are distinct members, over the members in the chosen screening stages (accepted by default).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice

import duckdb
import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from lib.intake import skills
from lib.members.stages import check_stages

DEFAULT_STAGES = ("accepted",)
MAX_DUPLICATE_SKILLS = 2000

_MEMBER_SKILLS = """
    SELECT DISTINCT s.applicant_id, s.kind, s.skill_id
    FROM applicant_skills s JOIN applicants a ON a.id = s.applicant_id
    WHERE list_contains($stages, a.status)
"""


def coverage(con: duckdb.DuckDBPyConnection, *, stages: Sequence[str] = DEFAULT_STAGES) -> pd.DataFrame:
    """Per skill: members offering, wanting, and unmet demand (wanted - offered), most unmet first."""
    return con.execute(
        f"""
        WITH m AS ({_MEMBER_SKILLS})
        SELECT k.id AS skill_id, k.name AS skill, coalesce(k.category, 'members'' own') AS category,
               count(*) FILTER (WHERE m.kind = 'offer') AS offered,
               count(*) FILTER (WHERE m.kind = 'want') AS wanted,
               count(*) FILTER (WHERE m.kind = 'want') - count(*) FILTER (WHERE m.kind = 'offer') AS unmet
        FROM m JOIN skills k ON k.id = m.skill_id
        GROUP BY ALL
        ORDER BY unmet DESC, wanted DESC, skill
        """,
        {"stages": check_stages(stages)},
    ).df()


def gaps(con: duckdb.DuckDBPyConnection, *, stages: Sequence[str] = DEFAULT_STAGES) -> pd.DataFrame:
    """Skills someone wants and nobody offers, with the people waiting for each: the recruiting list."""
    return _one_sided(con, stages, have="want", missing="offer")


def surplus(con: duckdb.DuckDBPyConnection, *, stages: Sequence[str] = DEFAULT_STAGES) -> pd.DataFrame:
    """Skills someone offers and nobody wants, with the people offering each."""
    return _one_sided(con, stages, have="offer", missing="want")


def skill_members(
    con: duckdb.DuckDBPyConnection, skill_id: int, *, stages: Sequence[str] = DEFAULT_STAGES
) -> pd.DataFrame:
    """The members offering or wanting one skill, with the words they used."""
    return con.execute(
        """
        SELECT CASE s.kind WHEN 'offer' THEN 'offers' ELSE 'wants' END AS side, a.name, a.email, a.status,
               string_agg(DISTINCT s.raw, ', ') AS their_words
        FROM applicant_skills s JOIN applicants a ON a.id = s.applicant_id
        WHERE s.skill_id = $skill AND list_contains($stages, a.status)
        GROUP BY ALL ORDER BY side, a.name
        """,
        {"skill": skill_id, "stages": check_stages(stages)},
    ).df()


def exchanges(con: duckdb.DuckDBPyConnection, *, stages: Sequence[str] = DEFAULT_STAGES, top: int = 15) -> pd.DataFrame:
    """How many members offer X and want Y, over the `top` most offered and most wanted skills."""
    return con.execute(
        f"""
        WITH m AS ({_MEMBER_SKILLS}),
        top_offered AS (SELECT skill_id FROM m WHERE kind = 'offer' GROUP BY skill_id ORDER BY count(*) DESC, skill_id LIMIT $top),
        top_wanted AS (SELECT skill_id FROM m WHERE kind = 'want' GROUP BY skill_id ORDER BY count(*) DESC, skill_id LIMIT $top)
        SELECT ko.name AS offers, kw.name AS wants, count(DISTINCT o.applicant_id) AS members
        FROM m o JOIN m w ON o.applicant_id = w.applicant_id AND o.kind = 'offer' AND w.kind = 'want'
        JOIN skills ko ON ko.id = o.skill_id JOIN skills kw ON kw.id = w.skill_id
        WHERE o.skill_id IN (SELECT skill_id FROM top_offered) AND w.skill_id IN (SELECT skill_id FROM top_wanted)
          AND o.skill_id <> w.skill_id
        GROUP BY ALL ORDER BY members DESC, offers, wants
        """,
        {"stages": check_stages(stages), "top": top},
    ).df()


def skill_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every live skill with offered/wanted counts over accepted members and all its aliases."""
    return con.execute(
        """
        WITH m AS (
            SELECT DISTINCT s.applicant_id, s.kind, s.skill_id FROM applicant_skills s
            JOIN applicants a ON a.id = s.applicant_id WHERE a.status = 'accepted'
        ), counts AS (
            SELECT skill_id, count(*) FILTER (WHERE kind = 'offer') AS offered,
                   count(*) FILTER (WHERE kind = 'want') AS wanted FROM m GROUP BY skill_id
        ), names AS (
            SELECT skill_id, list(alias ORDER BY alias) AS aliases FROM skill_aliases GROUP BY skill_id
        )
        SELECT k.name AS skill, coalesce(c.offered, 0) AS offered, coalesce(c.wanted, 0) AS wanted,
               coalesce(n.aliases, []) AS aliases
        FROM skills k LEFT JOIN counts c ON c.skill_id = k.id LEFT JOIN names n ON n.skill_id = k.id
        WHERE k.merged_into IS NULL
          AND (k.source = 'vocabulary' OR k.id IN (SELECT skill_id FROM applicant_skills))
        ORDER BY offered + wanted DESC, skill
        """
    ).df()


def likely_duplicates(
    con: duckdb.DuckDBPyConnection,
    *,
    threshold: float = skills.DUPLICATE_THRESHOLD,
    limit: int = MAX_DUPLICATE_SKILLS,
    proposals: int = 200,
) -> pd.DataFrame:
    """Pairs of skills in use whose names look alike (at least one a member's own), to merge in one click.

    Compares the `limit` most used members' own skills with every skill in use (rapidfuzz cdist), keeps
    the pairs that are one spelling or one name plus a word (skills.look_alike: never "CS" and "CSS")
    and returns the `proposals` most alike.
    """
    used = con.execute(
        """
        SELECT k.id, k.name, k.source, count(DISTINCT s.applicant_id) AS members
        FROM skills k JOIN applicant_skills s ON s.skill_id = k.id
        WHERE k.merged_into IS NULL GROUP BY ALL ORDER BY members DESC, k.id
        """
    ).df()
    own = used[used["source"] == "member"].head(limit).reset_index(drop=True)
    columns = ["merge", "into", "score", "merge_members", "into_members", "merge_id", "into_id"]
    if own.empty or len(used) < 2:
        return pd.DataFrame(columns=columns)
    keys = [skills.fold(n) or n.lower() for n in used["name"]]
    own_keys = [skills.fold(n) or n.lower() for n in own["name"]]
    scores = process.cdist(own_keys, keys, scorer=fuzz.ratio, score_cutoff=threshold, dtype=np.uint8, workers=-1)
    rows, cols = np.nonzero(scores)
    ids_a, ids_b = own["id"].to_numpy()[rows], used["id"].to_numpy()[cols]
    pairs = pd.DataFrame(
        {
            "r": rows,
            "c": cols,
            "score": scores[rows, cols],
            "lo": np.minimum(ids_a, ids_b),
            "hi": np.maximum(ids_a, ids_b),
        }
    )
    pairs = pairs[pairs["lo"] != pairs["hi"]].drop_duplicates(["lo", "hi"])
    best = pairs.sort_values(["score", "lo", "hi"], ascending=[False, True, True])
    own_names, used_names = own["name"].tolist(), used["name"].tolist()
    alike = (i for i, r, c in zip(best.index, best["r"], best["c"]) if skills.look_alike(own_names[r], used_names[c]))
    best = best.loc[list(islice(alike, proposals))]
    found = [_proposal(own.iloc[r], used.iloc[c], score) for r, c, score in zip(best["r"], best["c"], best["score"])]
    frame = pd.DataFrame(found, columns=columns)
    return frame.sort_values(["score", "into_members"], ascending=False, ignore_index=True)


def _proposal(a: pd.Series, b: pd.Series, score: float) -> tuple:
    # Keep the curated skill, else the one more members use, else the older one.
    small, big = sorted([a, b], key=lambda x: (x["source"] == "vocabulary", x["members"], -x["id"]))
    return (
        small["name"],
        big["name"],
        round(float(score)),
        int(small["members"]),
        int(big["members"]),
        int(small["id"]),
        int(big["id"]),
    )


def _one_sided(con, stages, *, have: str, missing: str) -> pd.DataFrame:
    return con.execute(
        f"""
        WITH m AS ({_MEMBER_SKILLS}),
        lacking AS (
            SELECT skill_id FROM m GROUP BY skill_id
            HAVING count(*) FILTER (WHERE kind = $missing) = 0
        )
        SELECT k.name AS skill, count(DISTINCT a.id) AS people,
               string_agg(DISTINCT a.name, ', ' ORDER BY a.name) AS who
        FROM m JOIN lacking USING (skill_id) JOIN skills k ON k.id = m.skill_id JOIN applicants a ON a.id = m.applicant_id
        WHERE m.kind = $have
        GROUP BY ALL ORDER BY people DESC, skill
        """,
        {"stages": check_stages(stages), "have": have, "missing": missing},
    ).df()
