"""Pairs: listing pairings, moving them on, endings and withdrawals, and the drop-out report."""

from __future__ import annotations

import argparse
import json

from lib.cli.common import MODERATOR, command, date_arg, iso_day, optional
from lib.insight import analytics
from lib.insight.checkins import report as checkin_numbers
from lib.pair_life import attention, lifecycle, pace, pairs

# --left-service names who left the service with the ending: member a, member b or both.
LEFT_SERVICE = {"a": ["a"], "b": ["b"], "both": ["a", "b"], None: []}


def register(sub: argparse._SubParsersAction) -> None:
    """Add pairs, advance, end-pair, withdraw, cadence, snooze, attention and report."""
    p = command(sub, "pairs", _pairs, about="list pairings")
    p.add_argument("--state", choices=lifecycle.STATES, help="only pairings in this state")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = command(sub, "advance", _advance, about="move a pairing to trial or active")
    p.add_argument("pairing_id", type=int, metavar="PAIR_ID", help="the pairing's number (see `pairs`)")
    p.add_argument(
        "--to",
        required=True,
        choices=["trial", "active"],
        help="trial: the first session is agreed; active: the trial went well",
    )

    p = command(sub, "end-pair", _end_pair, about="record a drop-out or ending")
    p.add_argument("pairing_id", type=int, metavar="PAIR_ID", help="the pairing's number (see `pairs`)")
    p.add_argument(
        "--by",
        required=True,
        choices=lifecycle.ENDED_BY,
        help="who ended it: member a, member b, both, or the moderator",
    )
    p.add_argument(
        "--reason", required=True, help="one of the configured ending reasons (any case), e.g. 'time commitment'"
    )
    p.add_argument("--feedback", help="what the member said, in their words (optional)")
    p.add_argument("--date", type=date_arg, help="YYYY-MM-DD (default today)")
    p.add_argument(
        "--left-service", choices=["a", "b", "both"], help="who also leaves the community (they are marked withdrawn)"
    )

    p = command(sub, "withdraw", _withdraw, about="a member leaves the service without being in a pair")
    p.add_argument("email", help="the member's email address")
    p.add_argument(
        "--reason", required=True, help="one of the configured ending reasons (any case), e.g. 'time commitment'"
    )
    p.add_argument("--feedback", help="what the member said, in their words (optional)")

    p = command(sub, "cadence", _cadence, about="meet every week (1) or every two weeks (2)")
    p.add_argument("pairing_id", type=int, metavar="PAIR_ID", help="the pairing's number (see `pairs`)")
    p.add_argument("--every", required=True, type=int, choices=pace.CADENCES, help="meet every N weeks")

    p = command(sub, "snooze", _snooze, about="leave an open pair alone until a date instead of ending it")
    p.add_argument("pairing_id", type=int, metavar="PAIR_ID", help="the pairing's number (see `pairs`)")
    p.add_argument("--until", required=True, type=date_arg, help="YYYY-MM-DD")
    p.add_argument("--note", help="why, for the other moderators (optional)")

    p = command(sub, "attention", _attention, about="what needs the moderator (the home page's list)")
    p.add_argument("--as-of", type=date_arg, help="YYYY-MM-DD (default today)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = command(sub, "report", _report, about="reports: dropouts, checkins")
    p.add_argument("what", choices=["dropouts", "checkins"], help="dropouts, or checkins (answers per month)")
    p.add_argument("--from", dest="start", type=date_arg, help="YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=date_arg, help="YYYY-MM-DD")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")


def _pairs(con, args) -> int:
    records = [_pairing_json(r) for r in pairs.list_pairings(con, state=args.state).itertuples()]
    if args.json:
        print(json.dumps(records, ensure_ascii=False))
    else:
        for r in records:
            print(f"{r['id']:>5} {r['state']:<9} {r['a']} + {r['b']} since {r['started']}")
        if not records and args.state:
            print(f"No pairing is {args.state} now.")
        elif not records:
            print(
                "No pairings yet. Suggest a round with `mentoring suggest --round`, then confirm each pair with "
                "`mentoring confirm EMAIL_A EMAIL_B`."
            )
    return 0


def _pairing_json(r) -> dict:
    return {
        "id": int(r.id),
        "a": r.a,
        "b": r.b,
        "state": r.state,
        "started": iso_day(r.started_on),
        "ended": iso_day(r.ended_on),
        "ended_by": optional(r.ended_by),
        "reason": optional(r.reason),
        "feedback": optional(r.feedback),
        "cadence_weeks": int(r.cadence_weeks),
        "snoozed_until": iso_day(r.snoozed_until),
    }


def _cadence(con, args) -> int:
    pace.set_cadence(con, args.pairing_id, args.every, moderator=MODERATOR)
    print(f"Pairing {args.pairing_id} now meets {'every week' if args.every == 1 else 'every two weeks'}.")
    return 0


def _snooze(con, args) -> int:
    pace.snooze(con, args.pairing_id, args.until, note=args.note, moderator=MODERATOR)
    print(f"Pairing {args.pairing_id} is snoozed until {args.until:%d %b %Y}.")
    return 0


def _attention(con, args) -> int:
    found = attention.items(con, as_of=args.as_of)
    if args.json:
        print(json.dumps(found, ensure_ascii=False))
    else:
        print("\n".join(item["reason"] for item in found) or "Nothing needs attention.")
    return 0


def _advance(con, args) -> int:
    lifecycle.advance(con, args.pairing_id, args.to, moderator=MODERATOR)
    print(f"Pairing {args.pairing_id} is now {args.to}.")
    return 0


def _end_pair(con, args) -> int:
    lifecycle.end_pairing(
        con,
        args.pairing_id,
        by=args.by,
        reason=args.reason,
        feedback=args.feedback,
        on=args.date,
        left_service=LEFT_SERVICE[args.left_service],
        moderator=MODERATOR,
    )
    print(f"Pairing {args.pairing_id} ended ({args.reason}).")
    return 0


def _withdraw(con, args) -> int:
    lifecycle.withdraw(con, args.email, reason=args.reason, feedback=args.feedback, moderator=MODERATOR)
    print(f"{args.email} has withdrawn from the service.")
    return 0


def _report(con, args) -> int:
    if args.what == "checkins":
        return checkin_report(con, args)
    report = analytics.dropout_report(con, start=args.start, end=args.end)
    if args.json:
        print(json.dumps(report))
        return 0
    median = "no median yet" if report["median_weeks"] is None else f"median {report['median_weeks']:.1f} weeks"
    print(f"{report['pairs']} pairs, {report['ended']} ended, {report['active']} active; {median}.")
    if not report["pairs"]:
        print("Nothing to report until pairs are confirmed (`mentoring suggest --round`, then `mentoring confirm`).")
    for r in report["reasons"]:
        print(f"  {r['reason']:<32} {r['count']:>5}  {r['share']:.0%}")
    return 0


def checkin_report(con, args) -> int:
    """`report checkins`: per month sent, answered, met and mean rating, then drop-outs after each kind of answer."""
    report = checkin_numbers(con)
    if args.json:
        print(json.dumps(report))
        return 0
    for r in report["periods"]:
        rating = "-" if r["rating"] is None else f"{r['rating']:.1f}"
        print(f"{r['period']}  sent {r['sent']:>4}  answered {r['answered']:>4}  met {r['met']:>4}  rating {rating}")
    for r in report["dropouts"]:
        share = "-" if r["share"] is None else f"{r['share']:.0%}"
        print(f"after {r['answer']:<8} {r['checkins']:>5} check-ins, {share} ended within 8 weeks")
    return 0
