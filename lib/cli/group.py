"""The Google group: `group import FILE [--json]`, `group diff [--json]`, `group digest`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lib.cli.common import MODERATOR, command
from lib.group import digest, reconcile, roster
from lib.storage import db


def register(sub: argparse._SubParsersAction) -> None:
    """Add group (import, diff, digest)."""
    p = command(sub, "group", None, about="the Google group: import its member list, compare, draft the digest")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    one = command(
        actions, "import", _import, about="replace the stored member list with a Google Groups or Workspace export"
    )
    one.add_argument("file", type=Path, metavar="FILE", help="the exported member list (CSV)")
    one.add_argument("--json", action="store_true", help='print {"members": n, "warnings": [...]}')
    one = command(actions, "diff", _diff, about="who to add to the group, who to remove, and who is unknown")
    one.add_argument(
        "--json", action="store_true", help='print {"to_add", "to_remove", "unknown", "exported_at"} (lower-case)'
    )
    command(actions, "digest", _digest, about="draft this week's digest to the group's address (setting group_address)")


def _import(con, args) -> int:
    result = roster.import_roster(con, args.file.read_bytes(), filename=args.file.name, moderator=MODERATOR)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        for warning in result.warnings:
            print(f"Warning: {warning}", file=sys.stderr)
        dated = f"exported {result.exported_at:%Y-%m-%d}" if result.exported_from == "file name" else "dated today"
        print(f"Stored {result.members} group members ({result.source}, {dated}).")
    return 0


def _diff(con, args) -> int:
    found = reconcile.diff(con)
    if args.json:
        print(json.dumps(found.as_json(), ensure_ascii=False))
        return 0
    age = roster.age_words(found.exported_at, found.exported_from, today=db.now().date())
    print(f"Member list {age}.")
    for title, frame in (("To add", found.to_add), ("To remove", found.to_remove), ("Unknown", found.unknown)):
        print(f"{title} ({len(frame)}): {reconcile.paste_list(frame['email']) or '-'}")
    return 0


def _digest(con, args) -> int:
    made = digest.draft_digest(con, moderator=MODERATOR)
    print(f"Drafted the digest as message {made}; read and send it on the Outbox page or with `send {made}`.")
    return 0
