"""Command line: `python -m lib [--db PATH] COMMAND`, thin over the same lib functions as the pages.

One module per command group adds its sub-commands (`register`); this module assembles the parser from
them, in the order `--help` lists the commands, and runs the chosen one.

Exit codes: 0 done; 2 refused or failed, with one sentence on stderr and nothing written.
Keys of secrets.toml that change nothing (see lib/config.check) are reported on stderr first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from lib import config, startup
from lib.cli import checkins, data, group, matching, members, messages, pairs, passwords, settings, skills
from lib.cli.common import database_path, fail
from lib.errors import MentoringError

GROUPS = (members, skills, matching, pairs, checkins, messages, group, settings, data, passwords)


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        _report_ignored_settings()
        if not args.database:
            return args.run(args)
        con = startup.open_database(database_path(args))
        try:
            return args.run(con, args)
        finally:
            con.close()
    except MentoringError as exc:
        return fail(str(exc))
    except duckdb.Error as exc:
        return fail(f"The database refused the change and nothing was written: {exc}")
    except OSError as exc:
        return fail(f"Cannot read or write {exc.filename or 'a file'}: {exc.strerror}.")


def _report_ignored_settings() -> None:
    # A command given --db needs nothing from secrets.toml, so a broken file is reported, not fatal, here.
    try:
        found = config.check(config.read_secrets())
    except MentoringError as exc:
        found = [str(exc)]
    for sentence in found:
        print(f"Warning: {sentence}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: the --db option and every group's sub-commands."""
    # Installed as the `mentoring` command (pyproject.toml) or run as `python -m lib`: help names the one used.
    prog = "mentoring" if Path(sys.argv[0]).name == "mentoring" else "python -m lib"
    parser = argparse.ArgumentParser(prog=prog, description="Peer-mentoring moderator's tools.")
    parser.add_argument(
        "--db", type=Path, default=None, help=f"database file (default ${config.DB_ENV} or {config.DEFAULT_DB})"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for module in GROUPS:
        module.register(sub)
    return parser
