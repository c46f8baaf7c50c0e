"""Who is leaving: the open pairing of a member the moderator names in a few letters.

A drop-out usually arrives as a mail ("sorry, new job, I have to stop"), so the moderator knows the member,
not the pairing's number. `find` turns what they typed (an email, a whole name or part of one; case and
accents do not matter: "zoe" finds "Zoë") into the one open pairing that member is in and which side they
are, or refuses with a sentence that says what to type instead. Decisions:
- an email must be whole and wins over names;
- a whole name that fits exactly one member wins over the names it is part of ("Ann Lee" over "Ann Leeson");
- several members, or one member in two open pairings, is refused with the pairings listed (up to five):
  recording the wrong pair's ending is worse than typing a few more letters.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from lib.errors import InvalidInput

SHOWN = 5  # how many candidates a refusal lists

# Each running pairing twice, once from each side; what was typed is folded the way names are (lower case,
# no accents) in the same query.
_OPEN_SIDES = """
    WITH sides AS (
        SELECT p.id, s.side, CASE s.side WHEN 'a' THEN p.a_id ELSE p.b_id END AS member,
               CASE s.side WHEN 'a' THEN p.b_id ELSE p.a_id END AS other
        FROM pairings p, (VALUES ('a'), ('b')) s(side) WHERE p.state <> 'ended'
    ), named AS (
        SELECT s.id, s.side, m.name, m.email, o.name AS partner,
               strip_accents(lower(trim(regexp_replace(m.name, '\\s+', ' ', 'g')))) AS key
        FROM sides s JOIN applicants m ON m.id = s.member JOIN applicants o ON o.id = s.other
    ), typed AS (SELECT lower($typed) AS text, strip_accents(lower($typed)) AS needle)
    SELECT id, side, name, email, partner, key = needle AS whole FROM named, typed
    WHERE CASE WHEN contains(text, '@') THEN lower(email) = text ELSE contains(key, needle) END
    ORDER BY whole DESC, name, id
"""


@dataclass(frozen=True)
class Leaving:
    """One member of one open pairing: the pairing, their side ('a' or 'b'), their name and their partner's."""

    pairing_id: int
    side: str
    name: str
    partner: str


def find(con: duckdb.DuckDBPyConnection, typed: str | None) -> Leaving:
    """The open pairing of the member named by `typed` (see the module's rules); InvalidInput otherwise."""
    text = " ".join((typed or "").split())
    if not text:
        raise InvalidInput("Type the name or email of the member who is leaving.")
    rows = con.execute(_OPEN_SIDES, {"typed": text}).fetchall()
    whole = [r for r in rows if r[5]]
    if len(whole) == 1:
        rows = whole
    if not rows:
        raise InvalidInput(
            f"Nobody in a running pair matches '{text}'. Check the spelling or paste their email; a member "
            "who is not in a pair leaves under 'A member leaves without being in a pair'."
        )
    if len(rows) > 1:
        listed = "; ".join(f"{r[2]} (pair #{r[0]} with {r[4]})" for r in rows[:SHOWN])
        more = f" and {len(rows) - SHOWN} more" if len(rows) > SHOWN else ""
        raise InvalidInput(
            f"{len(rows)} running pairs match '{text}': {listed}{more}. Type more of the name or the whole "
            "email, or open the pair in the table below and record it there."
        )
    pairing_id, side, name, _email, partner, _whole = rows[0]
    return Leaving(int(pairing_id), side, name, partner)
