"""What confirming a round does, said before and after: the pairs kept, the introductions it drafts, and how
many accepted members stay unpaired and why.

Decided where the issue is silent: "accepted members not paired" counts every accepted member without an
open pairing once the chosen pairs are confirmed: those the round left out (with the round's own causes),
those whose pair the moderator unticked, and those paused (who are not in the round at all).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from lib.matching import why_not
from lib.storage import db


def plan(pairs: pd.DataFrame, chosen: list[str]) -> dict:
    """Counts for the confirmation: pairs and introductions to make, members whose pair is left out."""
    keys = pairs["a_email"] + "|" + pairs["b_email"]
    return {"pairs": len(chosen), "introductions": len(chosen), "unticked_members": 2 * int((~keys.isin(chosen)).sum())}


def not_paired(con: duckdb.DuckDBPyConnection, unmatched: pd.DataFrame, unticked_members: int) -> list[tuple[str, int]]:
    """(why, how many) for the accepted members who stay unpaired after this confirm, largest first."""
    causes = list(why_not.cause_counts(unmatched))
    if unticked_members:
        causes.append(("had their suggested pair left out by you", unticked_members))
    paused = con.execute(
        "SELECT count(*) FROM applicants WHERE status = 'accepted' AND id NOT IN "
        "(SELECT applicant_id FROM open_pair_members) AND id IN "
        "(SELECT applicant_id FROM member_pauses WHERE until > CAST(? AS DATE))",
        [db.now()],
    ).fetchone()[0]
    if paused:
        causes.append(("on a pause", paused))
    return sorted(causes, key=lambda item: -item[1])


def sentence(confirmed: int, causes: list[tuple[str, int]]) -> str:
    """'Confirmed 5 pairs; their introductions are drafted in the Outbox. 3 accepted members are not paired:
    2 wanted only skills ..., 1 on a pause.'"""
    said = f"Confirmed {_count(confirmed, 'pair')}; their introductions are drafted in the Outbox."
    total = sum(n for _, n in causes)
    if not total:
        return said + " Every accepted member waiting is now paired."
    why = ", ".join(f"{n:,} {cause}" for cause, n in causes)
    verb = "is" if total == 1 else "are"
    return f"{said} {_count(total, 'accepted member')} {verb} not paired: {why}."


def _count(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"
