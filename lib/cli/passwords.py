"""Passwords: printing a moderator password's hash for secrets.toml or the environment."""

from __future__ import annotations

import argparse
import getpass
import sys

from lib import auth
from lib.cli.common import command, fail


def register(sub: argparse._SubParsersAction) -> None:
    """Add hash-password."""
    command(sub, "hash-password", _hash_password, about="print a password hash for secrets.toml", database=False)


def _hash_password(args) -> int:
    password = getpass.getpass("New moderator password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    try:
        print(auth.hash_password(password))
    except ValueError as exc:
        return fail(str(exc))
    return 0
