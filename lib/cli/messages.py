"""The outbox from the command line: list messages, send them, discard drafts, write a note, store a reply.

Published (scripts rely on it exactly):
- `outbox [--status draft|sent|failed|discarded] --json`: a list of {id, kind, to, subject, body, status,
  created_at, sent_at, error, pair_id, message_id};
- `send (--all | ID ...) [--json]`: {"sent", "failed", "left"}; exit 0 when nothing failed, 2 when something
  failed (a sentence on stderr per kind of failure) or no mail account is configured (one sentence);
- `discard ID ...`.
"""

from __future__ import annotations

import argparse
import json
import sys

from lib import config
from lib.cli.common import MODERATOR, command, fail
from lib.messages import drafts, mail, outbox


def register(sub: argparse._SubParsersAction) -> None:
    """Add outbox, send, discard, note and farewell-reply."""
    p = command(sub, "outbox", _outbox, about="list the messages in the outbox (drafts first)")
    p.add_argument("--status", choices=outbox.STATUSES, help="only messages with this status")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = command(sub, "send", _send, about="send drafts (and failed messages) through the configured mail account")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every draft and failed message")
    which.add_argument(
        "ids", nargs="*", type=int, default=[], metavar="ID", help="the numbers of the messages to send (see `outbox`)"
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = command(sub, "discard", _discard, about="discard unsent messages (they stay listed as discarded)")
    p.add_argument("ids", nargs="+", type=int, metavar="ID", help="the numbers of the messages (see `outbox`)")

    p = command(sub, "note", _note, about="draft a free note to one member or several (one copy each)")
    p.add_argument("emails", nargs="+", metavar="EMAIL", help="the members' email addresses")
    p.add_argument("--subject", required=True, help="the subject line ($first and $name become each member's names)")
    p.add_argument("--body", required=True, help="the text; $first and $name become each member's names")

    p = command(sub, "farewell-reply", _reply, about="store a member's reply to a farewell as the ending's feedback")
    p.add_argument("message_id", type=int, metavar="ID", help="the farewell message's number (see `outbox`)")
    p.add_argument("reply", help="the member's reply, as they wrote it")


def record(row: dict) -> dict:
    """One message in the published JSON shape."""
    return {
        "id": int(row["id"]),
        "kind": row["kind"],
        "to": list(row["to"]),
        "subject": row["subject"],
        "body": row["body"],
        "status": row["status"],
        "created_at": _iso(row["created_at"]),
        "sent_at": _iso(row["sent_at"]),
        "error": _text(row["error"]),
        "pair_id": None if _missing(row["pair_id"]) else int(row["pair_id"]),
        "message_id": _text(row["message_id"]),
    }


def _outbox(con, args) -> int:
    rows = [record(r) for r in outbox.listing(con, status=args.status).to_dict("records")]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for r in rows:
        print(f"{r['id']:>5} {r['status']:<9} {r['kind']:<12} {', '.join(r['to'])}: {r['subject']}")
        if r["error"]:
            print(f"      {r['error']}")
    if not rows and args.status:
        print(f"No message has the status '{args.status}'.")
    elif not rows:
        print(
            "The outbox is empty. Messages are drafted here when you confirm pairs, accept or decline applicants, "
            "record endings or write a note (`mentoring note`)."
        )
    return 0


def _send(con, args) -> int:
    if not args.all and not args.ids:
        return fail("Name the messages to send by their numbers, or use --all.")
    settings = config.load()
    try:
        account = mail.account(settings.smtp, settings.mail_from)
    except mail.NotConfigured as exc:
        return fail(str(exc))
    done = outbox.send(con, None if args.all else args.ids, account, moderator=MODERATOR)
    if args.json:
        print(json.dumps(done.as_json()))
    else:
        print(done.summary())
    for sentence, count in done.problems.items():
        print(f"{count} message{'s' * (count != 1)} not sent: {sentence}", file=sys.stderr)
    return 2 if done.failed else 0


def _discard(con, args) -> int:
    changed = outbox.discard(con, args.ids, moderator=MODERATOR)
    print(f"Discarded {changed} message{'s' * (changed != 1)}.")
    return 0


def _note(con, args) -> int:
    made = drafts.note(con, args.emails, args.subject, args.body, moderator=MODERATOR)
    print(f"Drafted {len(made)} note{'s' * (len(made) != 1)} in the outbox: {', '.join(map(str, made))}.")
    return 0


def _reply(con, args) -> int:
    ending_id = outbox.record_reply(con, args.message_id, args.reply, moderator=MODERATOR)
    print(f"Stored as the feedback of ending {ending_id}.")
    return 0


def _missing(value) -> bool:
    try:
        return value is None or value != value  # None or NaN
    except (TypeError, ValueError):
        return False


def _iso(value) -> str | None:
    return None if _missing(value) or str(value) == "NaT" else value.isoformat(sep=" ", timespec="seconds")


def _text(value) -> str | None:
    return None if _missing(value) else str(value)
