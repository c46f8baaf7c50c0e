"""The data itself: backups and restoring them, CSV exports, and a member's right to a copy or erasure."""

from __future__ import annotations

import argparse
from pathlib import Path

from lib.cli.common import MODERATOR, command, database_path
from lib.privacy import erasure, privacy
from lib.storage import backup


def register(sub: argparse._SubParsersAction) -> None:
    """Add backup, restore, export, erase and export-member."""
    p = command(sub, "backup", _backup, about="write the whole database to a new folder")
    p.add_argument("folder", type=Path, metavar="DIR", help="the backup folder")

    about = "replace the database with a backup (snapshots the current state first)"
    p = command(sub, "restore", _restore, about=about, database=False)
    p.add_argument("folder", type=Path, metavar="DIR", help="the backup folder")

    p = command(sub, "export", _export, about="write a formula-safe CSV of applicants, pairs or feedback")
    p.add_argument("what", choices=["applicants", "pairs", "feedback"], help="which table to export")
    p.add_argument("file", type=Path, metavar="FILE", help="the file to write")

    p = command(sub, "erase", _erase, about="erase one member's personal data everywhere")
    p.add_argument("email", help="the member's email address")

    p = command(sub, "export-member", _export_member, about="write everything held about one member as JSON")
    p.add_argument("email", help="the member's email address")
    p.add_argument("file", type=Path, metavar="FILE", help="the file to write")


def _backup(con, args) -> int:
    folder = backup.backup(con, args.folder)
    print(f"Backed up to {folder}.")
    return 0


def _restore(args) -> int:
    # Restoring replaces the file, so it must not be open: it runs without a connection.
    path = database_path(args)
    kept = backup.restore(path, args.folder)
    print(f"Restored {path} from {args.folder.resolve()}; the state before is kept in {kept}.")
    return 0


def _export(con, args) -> int:
    rows = privacy.write_export(con, args.what, args.file)
    print(f"Wrote {rows} rows to {args.file}.")
    return 0


def _erase(con, args) -> int:
    # The file is rewritten after the erasure, so this command's connection is closed first.
    con.close()
    erased = erasure.erase_everywhere(database_path(args), args.email, moderator=MODERATOR)
    print(
        f"Erased the personal data of applicant {erased.applicant_id}; the database file and its snapshots "
        "were rewritten without it. Backups you downloaded earlier still hold it: delete them."
    )
    return 0


def _export_member(con, args) -> int:
    privacy.write_member_export(con, args.email, args.file)
    print(f"Wrote everything held about {args.email} to {args.file}.")
    return 0
