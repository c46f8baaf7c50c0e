"""Backups: automatic snapshots before risky changes, and backup / restore of the whole database.

A backup is a folder written by DuckDB's EXPORT DATABASE (schema.sql, load.sql and one Parquet file
per table) plus `mentoring-backup.json` naming the schema version and time. Automatic snapshots
(before every import, skill merge and schema upgrade) go to `<database>.snapshots/` beside the
database file; the newest KEEP_SNAPSHOTS are kept.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

import duckdb

from lib.errors import InvalidInput, MentoringError
from lib.storage import db

MARKER = "mentoring-backup.json"
KEEP_SNAPSHOTS = 10


def snapshot_folder(db_file: Path) -> Path:
    """Where automatic snapshots of this database live."""
    return db_file.with_name(db_file.name + ".snapshots")


def backup(con: duckdb.DuckDBPyConnection, folder: Path, *, reason: str = "backup") -> Path:
    """Write the whole database to a new (or empty) folder that `restore` can read back."""
    folder = Path(folder).resolve()
    if folder.exists() and any(folder.iterdir()):
        raise InvalidInput(f"{folder} is not empty; choose a new folder for the backup.")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        con.execute(f"EXPORT DATABASE '{_quoted(folder)}' (FORMAT parquet)")
    except duckdb.Error as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise MentoringError(f"The backup could not be written to {folder}: {exc}") from exc
    marker = {
        "schema_version": db.schema_version(con),
        "taken_at": datetime.now().isoformat(timespec="seconds"),
        "reason": reason,
    }
    (folder / MARKER).write_text(json.dumps(marker), encoding="utf-8")
    return folder


def snapshot(con: duckdb.DuckDBPyConnection, db_file: Path, reason: str) -> Path:
    """An automatic snapshot before a risky change; only the newest KEEP_SNAPSHOTS are kept."""
    root = snapshot_folder(Path(db_file))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    made = backup(con, root / f"{stamp}-{reason}", reason=reason)
    for old in sorted(p for p in root.iterdir() if (p / MARKER).exists())[:-KEEP_SNAPSHOTS]:
        shutil.rmtree(old, ignore_errors=True)
    return made


def snapshot_before(con: duckdb.DuckDBPyConnection, reason: str) -> Path | None:
    """Snapshot the database behind this connection (nothing for an in-memory one)."""
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    if not row or not row[0][0]:
        return None
    return snapshot(con, Path(row[0][0]), reason)


def snapshots(db_file: Path) -> list[dict]:
    """The automatic snapshots of a database, newest first."""
    root = snapshot_folder(Path(db_file))
    if not root.exists():
        return []
    found = []
    for folder in sorted(root.iterdir(), reverse=True):
        if (folder / MARKER).exists():
            found.append({"folder": str(folder), **json.loads((folder / MARKER).read_text(encoding="utf-8"))})
    return found


def restore(db_file: Path, folder: Path) -> Path:
    """Replace the database file with a backup; the current state is snapshotted first. Returns that snapshot.

    The dashboard must be stopped (it holds the file); the restored database is upgraded to this release.
    """
    folder, db_file = Path(folder).resolve(), Path(db_file)
    if not (folder / MARKER).exists() or not (folder / "schema.sql").exists():
        raise InvalidInput(f"{folder} is not a backup made by this dashboard (no {MARKER} in it); nothing was changed.")
    staging = db_file.with_name(db_file.name + ".restoring")
    staging.unlink(missing_ok=True)
    try:
        fresh = duckdb.connect(str(staging))
        try:
            fresh.execute(f"IMPORT DATABASE '{_quoted(folder)}'")
        finally:
            fresh.close()
        upgraded = db.connect(staging)
        try:
            db.migrate(upgraded)
        finally:
            upgraded.close()
    except duckdb.Error as exc:
        staging.unlink(missing_ok=True)
        raise MentoringError(f"The backup in {folder} could not be read: {exc}; nothing was changed.") from exc
    current = db.connect(db_file)
    try:
        kept = snapshot(current, db_file, "before-restore")
    finally:
        current.close()
    os.replace(staging, db_file)
    return kept


def backup_zip(con: duckdb.DuckDBPyConnection) -> bytes:
    """The whole database as a zip of a backup folder, to download."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = backup(con, Path(tmp) / "backup")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(folder.iterdir()):
                archive.write(file, file.name)
        return buffer.getvalue()


def restore_zip(db_file: Path, data: bytes) -> Path:
    """Restore from a zip made by backup_zip (the database file must not be open)."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
                if any("/" in n or "\\" in n or n.startswith(".") for n in names):
                    raise InvalidInput("This zip has folders in it; it is not a backup made by this dashboard.")
                archive.extractall(tmp)
        except zipfile.BadZipFile as exc:
            raise InvalidInput("This file is not a zip made by this dashboard's backup; nothing was changed.") from exc
        return restore(db_file, Path(tmp))


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
