"""Opening the database for the dashboard and the command line: the one start-up step above all concerns.

The storage layer only opens and migrates the file; the tasks that need several concerns run here, in
this order: a snapshot before upgrading an older file, the migrations, the skill vocabulary seed, and
retention of declined applicants (whose erasure then rewrites the file, see lib.members.erasure).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from lib.intake import skills
from lib.privacy import erasure, privacy
from lib.storage import backup, db


def open_database(path: str | Path | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database file, and unless read-only, upgrade it and run the start-up tasks."""
    con = db.connect(path, read_only=read_only)
    if read_only:
        return con
    current = db.schema_version(con)
    if 0 < current < db.latest_version():
        backup.snapshot_before(con, f"before-upgrade-from-v{current}")
    db.migrate(con)
    skills.ensure_vocabulary(con)
    erased: list[erasure.Erased] = []
    if privacy.apply_retention(con, done=erased):
        # Erased rows must not linger in freed pages: rewrite the file (and its snapshots), then reopen.
        path = db.file_of(con)
        con.close()
        erasure.forget_bytes(path, erased)
        con = db.connect(path)
    return con
