"""What every command group shares: declaring a command, the moderator name, value formats, failing."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd

from lib import config

# The name the audit log records for changes made from the command line.
MODERATOR = "cli"


def command(
    sub: argparse._SubParsersAction, name: str, run: Callable | None, *, about: str | None, database: bool = True
) -> argparse.ArgumentParser:
    """Add one sub-command; `run(con, args)` does it, or `run(args)` when it opens no database itself."""
    parser = sub.add_parser(name, help=about)
    parser.set_defaults(run=run, database=database)
    return parser


def database_path(args: argparse.Namespace) -> Path:
    """The database this command works on: --db, else the configured one (see lib/config.py)."""
    return args.db or config.load().db_path


def date_arg(text: str) -> date:
    """A YYYY-MM-DD argument as a date (argparse reports the sentence on failure)."""
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2027-03-01") from exc


def optional(value):
    """None for a missing value (None, NaN, NaT), else the value: JSON has no NaN."""
    return None if value is None or pd.isna(value) else value


def iso_day(value) -> str | None:
    """A date or timestamp as YYYY-MM-DD (None when missing)."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def fail(sentence: str) -> int:
    """Say why on stderr; the exit code of a refused or failed command."""
    print(sentence, file=sys.stderr)
    return 2
