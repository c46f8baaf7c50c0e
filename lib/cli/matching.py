"""Matching: suggesting partners or a whole round, confirming a pair, and who is kept out of suggestions."""

from __future__ import annotations

import argparse
import json

from lib.cli.common import MODERATOR, command, date_arg
from lib.matching import rounds
from lib.pair_life import pairs


def register(sub: argparse._SubParsersAction) -> None:
    """Add suggest, confirm, pause and never-pair."""
    p = command(sub, "suggest", _suggest, about="suggest partners for one member, or a whole round")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--member", metavar="EMAIL", help="the best partners for this member")
    which.add_argument("--round", action="store_true", help="a whole round: the best set of pairs for everyone waiting")
    p.add_argument("--limit", type=int, default=10, help="how many partners to list for --member (default 10)")
    p.add_argument("--json", action="store_true", help="print JSON instead of sentences")

    p = command(sub, "confirm", _confirm, about="confirm a pair (state 'proposed')")
    p.add_argument("email_a", help="one member's email address")
    p.add_argument("email_b", help="the other member's email address")
    p.add_argument("--json", action="store_true", help="print JSON instead of sentences")

    p = command(sub, "pause", _pause, about="keep a member out of suggestions until a date")
    p.add_argument("email", help="the member's email address")
    p.add_argument("--until", required=True, type=date_arg, help="YYYY-MM-DD")
    p.add_argument("--note", help="why, for the other moderators (optional)")

    p = command(sub, "never-pair", _never_pair, about="never suggest two members to each other")
    p.add_argument("email_a", help="one member's email address")
    p.add_argument("email_b", help="the other member's email address")


def _suggest(con, args) -> int:
    if args.round:
        found = rounds.suggest_round(con)
        out = _round_json(found)
        lines = [f"{p['score']:5.1f}  {p['a']} + {p['b']}: {'; '.join(p['reasons'])}" for p in out["pairs"]]
        lines += [f"  --   {u['email']}: {u['reason']}" for u in out["unmatched"]]
        lines.append(f"{found.method.capitalize()} over {found.candidates:,} candidate pairs: {found.summary()}")
        if not out["pairs"] and not out["unmatched"]:
            lines.append(
                "Nobody is waiting for a partner. Accept applicants first "
                "(`mentoring set-status --to accepted EMAIL...`), then run the round again."
            )
    else:
        out = _partners_json(rounds.suggest_partners(con, args.member, limit=args.limit))
        lines = [f"{p['score']:5.1f}  {p['partner']}: {'; '.join(p['reasons'])}" for p in out]
        if not out:
            lines.append(
                f"No partner can be suggested for {args.member} now: nobody else waiting both teaches them something "
                "and learns something from them. `mentoring suggest --round` lists why each member is left out."
            )
    print(json.dumps(out, ensure_ascii=False) if args.json else "\n".join(lines))
    return 0


def _round_json(found: rounds.Round) -> dict:
    return {
        "pairs": [
            {
                "a": p.a_email,
                "b": p.b_email,
                "a_teaches_b": list(p.a_teaches_b),
                "b_teaches_a": list(p.b_teaches_a),
                "score": float(p.score),
                "reasons": list(p.reasons),
                "shared_hours": _hours(p.shared_hours),
            }
            for p in found.pairs.itertuples()
        ],
        "unmatched": [{"email": u.email, "reason": u.reason, "cause": u.cause} for u in found.unmatched.itertuples()],
    }


def _partners_json(found) -> list[dict]:
    return [
        {
            "partner": p.b_email,
            "score": float(p.score),
            "a_teaches_b": list(p.a_teaches_b),
            "b_teaches_a": list(p.b_teaches_a),
            "reasons": list(p.reasons),
            "shared_hours": _hours(p.shared_hours),
        }
        for p in found.itertuples()
    ]


def _hours(value) -> float | None:
    """Hours a week both are free, rounded to a tenth; None (null) when either member gave no free times."""
    return None if value is None or value != value else round(float(value), 1)


def _confirm(con, args) -> int:
    made = pairs.confirm_pair(con, args.email_a, args.email_b, moderator=MODERATOR)
    if args.json:
        print(json.dumps({k: made[k] for k in ("id", "a", "b", "state", "score", "a_teaches_b", "b_teaches_a")}))
    else:
        print(f"Pairing {made['id']}: {made['a_name']} and {made['b_name']} (proposed).")
    return 0


def _pause(con, args) -> int:
    pairs.pause_member(con, args.email, args.until, note=args.note, moderator=MODERATOR)
    print(f"Paused {args.email} until {args.until:%d %b %Y}.")
    return 0


def _never_pair(con, args) -> int:
    pairs.mark_never_pair(con, args.email_a, args.email_b, moderator=MODERATOR)
    print(f"{args.email_a} and {args.email_b} will never be suggested to each other.")
    return 0
