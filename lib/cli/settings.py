"""Settings: `settings get KEY`, `settings set KEY VALUE` and `settings list` for the documented keys."""

from __future__ import annotations

import argparse
import json
import sys

from lib.cli.common import MODERATOR, command
from lib.messages import settings


def register(sub: argparse._SubParsersAction) -> None:
    """Add settings (get, set, list)."""
    keys = ", ".join(settings.KNOWN)
    p = command(sub, "settings", None, about=f"read or change a community setting ({keys})")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    one = command(actions, "get", _get, about="print a setting's value (its default while none is set)")
    one.add_argument("key", metavar="KEY", help=f"one of {keys}")
    one = command(actions, "set", _set, about="change a setting (an empty VALUE restores the default)")
    one.add_argument("key", metavar="KEY", help=f"one of {keys}")
    one.add_argument("value", metavar="VALUE", help="the new value")
    one = command(actions, "list", _list, about="every setting with its value and what it does")
    one.add_argument("--json", action="store_true", help="as a JSON object")


def _show(value) -> str:
    if isinstance(value, list):  # a list setting reads as it is typed: comma-separated
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _get(con, args) -> int:
    shown = _show(settings.get(con, args.key))
    print(shown)
    if not shown:  # stdout stays the (empty) value for scripts; the person reading gets the next step
        print(f"{args.key} is not set; set it with `mentoring settings set {args.key} VALUE`.", file=sys.stderr)
    return 0


def _set(con, args) -> int:
    value = settings.set_value(con, args.key, args.value, moderator=MODERATOR)
    print(f"{args.key} is now {_show(value) or '(not set)'}.")
    return 0


def _list(con, args) -> int:
    values = {key: settings.get(con, key) for key in settings.KNOWN}
    if args.json:
        print(json.dumps(values, ensure_ascii=False))
        return 0
    for key, entry in settings.KNOWN.items():
        print(f"{key} = {_show(values[key]) or '(not set)'}\n    {entry.about}")
    return 0
