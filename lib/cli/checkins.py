"""Check-ins: the current check-in of each open pair, drafting the due ones, importing and recording answers."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lib.cli.common import MODERATOR, command, date_arg, iso_day
from lib.pair_life import checkin_answers, checkins


def register(sub: argparse._SubParsersAction) -> None:
    """Add `checkins` with its actions: (list), draft, import, record."""
    p = command(sub, "checkins", _list, about="check-ins: list the current ones, draft the due ones, record answers")
    p.add_argument("--as-of", type=date_arg, help="list as of this day, YYYY-MM-DD (default today)")
    p.add_argument("--json", action="store_true", help="print JSON: [{pair_id, kind, due_on, status}]")
    actions = p.add_subparsers(dest="action", metavar="{draft,import,record}")

    d = actions.add_parser("draft", help="draft every due check-in into the outbox (one message per member)")
    d.set_defaults(run=_draft)

    i = actions.add_parser("import", help="import the check-in form's CSV export of answers")
    i.add_argument("file", type=Path, metavar="FILE", help="the form's CSV export")
    i.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help=f"which column holds a field (remembered for files with the same header); fields: "
        f"{', '.join(checkin_answers.FIELDS)}",
    )
    i.add_argument("--json", action="store_true", help="print {recorded, unknown, skipped, warnings}")
    i.set_defaults(run=_import)

    r = actions.add_parser("record", help="record one member's answer by hand (from an email reply)")
    r.add_argument("pairing_id", type=int, metavar="PAIR_ID", help="the pair's number")
    r.add_argument("email", metavar="EMAIL", help="the member who answered")
    r.add_argument("--met", required=True, choices=["yes", "no"], help="did they meet since the last check-in")
    r.add_argument("--rating", required=True, type=int, choices=range(1, 6), metavar="1-5", help="how it goes, 1-5")
    r.add_argument("--time-problem", choices=checkins.TIME_PROBLEM, help="is finding time a problem")
    r.add_argument("--note", help="anything else they said")
    r.set_defaults(run=_record)


def _list(con, args) -> int:
    found = checkins.current(con, as_of=args.as_of)
    records = [
        {"pair_id": int(r.pair_id), "kind": r.kind, "due_on": iso_day(r.due_on), "status": r.status}
        for r in found.itertuples()
    ]
    if args.json:
        print(json.dumps(records))
    else:
        for r, row in zip(records, found.itertuples()):
            print(f"pair {r['pair_id']:>5}  {r['kind']:<5}  due {r['due_on']}  {r['status']:<8}  {row.a} + {row.b}")
        if not records:
            print("No open pair has a check-in yet.")
    return 0


def _draft(con, args) -> int:
    made = checkins.draft_due(con, moderator=MODERATOR)
    pairs = len(made) // 2
    print(f"Drafted {len(made)} check-in message{'s' * (len(made) != 1)} ({pairs} pair{'s' * (pairs != 1)}).")
    return 0


def _import(con, args) -> int:
    data = args.file.read_bytes()
    result = checkin_answers.import_answers(con, data, filename=args.file.name, choices=args.map, moderator=MODERATOR)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        for warning in result.warnings:
            print(f"Warning: {warning}", file=sys.stderr)
        print(result.summary())
    return 0


def _record(con, args) -> int:
    checkins.record(
        con,
        args.pairing_id,
        args.email,
        met=args.met == "yes",
        rating=args.rating,
        time_problem=args.time_problem,
        note=args.note,
        source="command line",
        moderator=MODERATOR,
    )
    print(f"Recorded {args.email.strip().lower()}'s answer for pair {args.pairing_id}.")
    return 0
