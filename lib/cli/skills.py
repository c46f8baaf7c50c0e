"""Skills: the vocabulary with offered and wanted counts, and merging two spellings of one skill."""

from __future__ import annotations

import argparse
import json

from lib.cli.common import MODERATOR, command
from lib.insight import coverage
from lib.intake import skills


def register(sub: argparse._SubParsersAction) -> None:
    """Add skills and merge-skill."""
    p = command(sub, "skills", _skills, about="canonical skills with offered/wanted counts over accepted members")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = command(sub, "merge-skill", _merge_skill, about="merge skill FROM into skill INTO (names or aliases)")
    p.add_argument("source", metavar="FROM", help="the skill to merge away (a name or an alias)")
    p.add_argument("target", metavar="INTO", help="the skill it becomes part of (a name or an alias)")


def _skills(con, args) -> int:
    table = coverage.skill_summary(con)
    if args.json:
        records = [
            {"skill": r.skill, "offered": int(r.offered), "wanted": int(r.wanted), "aliases": list(r.aliases)}
            for r in table.itertuples()
        ]
        print(json.dumps(records, ensure_ascii=False))
    else:
        for r in table.itertuples():
            print(f"{r.skill:<40} offered {r.offered:>4}  wanted {r.wanted:>4}")
    return 0


def _merge_skill(con, args) -> int:
    merge_id = skills.merge_skills(con, args.source, args.target, moderator=MODERATOR)
    print(f"Merged '{args.source}' into '{args.target}' (merge {merge_id}; undo it on the Skills page).")
    return 0
