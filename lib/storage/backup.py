"""Backups: automatic snapshots before risky changes, and backup / restore of the whole database.

A backup is a folder holding one Parquet file per table (`<table>.parquet`) and `mentoring-backup.json`
naming the schema version and time. Backups made by earlier releases (DuckDB's EXPORT DATABASE) have
the same Parquet files plus `schema.sql` and `load.sql`; those two are never read.

A backup is data, never code: restore builds a new database with this release's own migrations (up to
the backup's schema version), loads only the Parquet files of the tables the project knows, after
checking each file's columns and types, then upgrades the result. Anything else is refused with one
sentence and the current database is left as it was. Every file is read by pyarrow in Python, so the
DuckDB connections never need access to any file but the database itself (see db.connect).

Automatic snapshots (before every import, skill merge, erasure and schema upgrade) go to
`<database>.snapshots/` beside the database file; the newest KEEP_SNAPSHOTS are kept. A snapshot is
written under a `.partial-` name and renamed when complete, so one killed half-way is pruned later.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import stat
import tempfile
import threading
import zipfile
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from lib.errors import InvalidInput, MentoringError
from lib.storage import db

MARKER = "mentoring-backup.json"
KEEP_SNAPSHOTS = 10
MAX_BACKUP_BYTES = 100 * 1024 * 1024  # uncompressed; a 20,000-member community is a few MB
MAX_BACKUP_FILES = 64
IGNORED_FILES = {"schema.sql", "load.sql"}  # written by older releases' EXPORT DATABASE; never read
_PARTIAL = ".partial-"
_WRITING: set[Path] = set()
_WRITING_LOCK = threading.Lock()


def snapshot_folder(db_file: Path) -> Path:
    """Where automatic snapshots of this database live."""
    db_file = Path(db_file).resolve()
    return db_file.with_name(db_file.name + ".snapshots")


def backup(con: duckdb.DuckDBPyConnection, folder: Path, *, reason: str = "backup") -> Path:
    """Write the whole database to a new (or empty) folder that `restore` can read back."""
    folder = Path(folder).resolve()
    if folder.exists() and any(folder.iterdir()):
        raise InvalidInput(f"{folder} is not empty; choose a new folder for the backup.")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for table in db.table_names(con):
            pq.write_table(con.sql(f'SELECT * FROM "{table}"').to_arrow_table(), folder / f"{table}.parquet")
        marker = {
            "schema_version": db.schema_version(con),
            "taken_at": datetime.now().isoformat(timespec="seconds"),
            "reason": reason,
            "format": "parquet-tables",
        }
        (folder / MARKER).write_text(json.dumps(marker), encoding="utf-8")
    except (duckdb.Error, pa.ArrowException, OSError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise MentoringError(
            f"The backup could not be written to {folder} ({exc}); check the disk and try again."
        ) from exc
    return folder


def snapshot(con: duckdb.DuckDBPyConnection, db_file: Path, reason: str) -> Path:
    """An automatic snapshot before a risky change; only the newest KEEP_SNAPSHOTS are kept."""
    root = snapshot_folder(Path(db_file))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    partial = root / f"{_PARTIAL}{stamp}-{reason}"
    with _WRITING_LOCK:
        _WRITING.add(partial)
    try:
        backup(con, partial, reason=reason)
        made = root / f"{stamp}-{reason}"
        os.replace(partial, made)
    finally:
        with _WRITING_LOCK:
            _WRITING.discard(partial)
    prune_snapshots(db_file)
    return made


def prune_snapshots(db_file: Path) -> None:
    """Remove half-written snapshots and all but the newest KEEP_SNAPSHOTS complete ones."""
    root = snapshot_folder(Path(db_file))
    if not root.exists():
        return
    complete = []
    with _WRITING_LOCK:
        writing = set(_WRITING)  # snapshots other threads of this process are writing right now
    for folder in sorted(root.iterdir()):
        if folder in writing:
            continue
        if folder.name.startswith(_PARTIAL) or not (folder / MARKER).exists():
            shutil.rmtree(folder, ignore_errors=True)
        else:
            complete.append(folder)
    for old in complete[:-KEEP_SNAPSHOTS]:
        shutil.rmtree(old, ignore_errors=True)


def snapshot_before(con: duckdb.DuckDBPyConnection, reason: str) -> Path | None:
    """Snapshot the database behind this connection (nothing for an in-memory one)."""
    path = db.file_of(con)
    return snapshot(con, path, reason) if path else None


def snapshots(db_file: Path) -> list[dict]:
    """The automatic snapshots of a database, newest first."""
    root = snapshot_folder(Path(db_file))
    if not root.exists():
        return []
    found = []
    for folder in sorted(root.iterdir(), reverse=True):
        if not folder.name.startswith(_PARTIAL) and (folder / MARKER).exists():
            found.append({"folder": str(folder), **json.loads((folder / MARKER).read_text(encoding="utf-8"))})
    return found


def restore(db_file: Path, folder: Path) -> Path:
    """Replace the database file with a backup; the current state is snapshotted first. Returns that snapshot.

    The dashboard must be stopped (it holds the file); the restored database is upgraded to this release.
    """
    folder, db_file = Path(folder).resolve(), Path(db_file)
    version, files = _check_folder(folder)
    staging = db_file.with_name(db_file.name + ".restoring")
    _remove_file(staging)
    try:
        build_from_tables(staging, version, files, source=str(folder))
        current = db.connect(db_file)
        try:
            db.migrate(current)
            kept = snapshot(current, db_file, "before-restore")
        finally:
            current.close()
        _remove_file(db_file.with_name(db_file.name + ".wal"))
        os.replace(staging, db_file)
    finally:
        _remove_file(staging)
    return kept


def build_from_tables(target: Path, version: int, files: dict[str, Path], *, source: str) -> None:
    """Create `target` with this release's migrations up to `version`, load the tables' Parquet files, upgrade."""

    def rows_of(table: str, want: pa.Schema) -> pa.Table | None:
        return _read_checked(table, files[table], want, source) if table in files else None

    def check(expected: set[str]) -> None:
        _check_tables(set(files), expected, source)

    _build(target, version, rows_of, check=check, source=source)


def rewrite_database(db_file: Path) -> None:
    """Copy every table of the (closed) file into a fresh file and swap it in, so freed pages keep nothing."""
    db_file = Path(db_file)
    staging = db_file.with_name(db_file.name + ".rewriting")
    _remove_file(staging)
    try:
        source = db.connect(db_file)
        try:
            tables = {t: source.sql(f'SELECT * FROM "{t}"').to_arrow_table() for t in db.table_names(source)}
            version, sequences = db.schema_version(source), db.sequence_values(source)
        finally:
            source.close()
        _build(staging, version, lambda table, want: tables.get(table), source=str(db_file), sequences=sequences)
        _remove_file(db_file.with_name(db_file.name + ".wal"))
        os.replace(staging, db_file)
    finally:
        _remove_file(staging)


def rewrite_snapshots(db_file: Path, change) -> None:
    """Apply `change(con)` to every automatic snapshot and write it anew; a snapshot that fails is deleted."""
    for shot in snapshots(db_file):
        folder = Path(shot["folder"])
        scratch = folder.with_name(f"{_PARTIAL}rewrite-{folder.name}.duckdb")
        fresh = folder.with_name(f"{_PARTIAL}{folder.name}")
        try:
            version, files = _check_folder(folder)
            build_from_tables(scratch, version, files, source=str(folder))
            con = db.connect(scratch)
            try:
                with db.transaction(con):
                    change(con)
                backup(con, fresh, reason=shot.get("reason", "snapshot"))
            finally:
                con.close()
            (fresh / MARKER).write_text(json.dumps({**shot, "folder": None} | {"rewritten": True}), encoding="utf-8")
            shutil.rmtree(folder)
            os.replace(fresh, folder)
        except (MentoringError, duckdb.Error, OSError, pa.ArrowException):
            shutil.rmtree(folder, ignore_errors=True)  # better no snapshot than one that keeps erased data
        finally:
            _remove_file(scratch)
            shutil.rmtree(fresh, ignore_errors=True)


def _build(target: Path, version: int, rows_of, *, source: str, check=None, sequences: dict | None = None) -> None:
    con = db.connect(target)
    try:
        db.migrate(con, upto=version)
        expected = db.table_names(con)
        if check:
            check(set(expected))
        with db.transaction(con):
            for table in expected:
                want = con.sql(f'SELECT * FROM "{table}" LIMIT 0').to_arrow_table().schema
                rows = rows_of(table, want)
                if rows is not None:
                    _insert(con, table, rows, want, source)
            if db.schema_version(con) != version:
                raise InvalidInput(f"The backup in {source} contradicts its own schema version; nothing was changed.")
            db.advance_sequences(con, at_least=sequences or {})
        db.migrate(con)
        con.execute("CHECKPOINT")
    except duckdb.Error as exc:
        raise MentoringError(f"The data in {source} could not be loaded ({exc}); nothing was changed.") from exc
    finally:
        con.close()


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
                _extract_checked(archive, Path(tmp))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
            raise InvalidInput("This file is not a zip made by this dashboard's backup; nothing was changed.") from exc
        return restore(db_file, Path(tmp))


def _check_folder(folder: Path) -> tuple[int, dict[str, Path]]:
    """The backup's schema version and its tables' Parquet files, or a refusal in one sentence."""
    not_ours = f"{folder} is not a backup made by this dashboard"
    if not folder.is_dir() or not _plain_file(folder / MARKER):
        raise InvalidInput(f"{not_ours} (no {MARKER} in it); nothing was changed.")
    entries = sorted(folder.iterdir())
    if len(entries) > MAX_BACKUP_FILES:
        raise InvalidInput(
            f"{not_ours}: it holds {len(entries)} files (at most {MAX_BACKUP_FILES}); nothing was changed."
        )
    files, total = {}, 0
    for entry in entries:
        if not _plain_file(entry):
            raise InvalidInput(f"{not_ours}: '{entry.name}' is not a plain file; nothing was changed.")
        total += entry.stat().st_size
        if entry.name.endswith(".parquet"):
            files[entry.name[: -len(".parquet")]] = entry
        elif entry.name not in IGNORED_FILES | {MARKER}:
            raise InvalidInput(f"{not_ours}: it holds an unexpected file '{entry.name}'; nothing was changed.")
    if total > MAX_BACKUP_BYTES:
        raise InvalidInput(
            f"{not_ours}: it holds {total / 2**20:.0f} MB (at most {MAX_BACKUP_BYTES // 2**20} MB); nothing was changed."
        )
    return _marker_version(folder / MARKER, not_ours), files


def _marker_version(marker: Path, not_ours: str) -> int:
    try:
        version = json.loads(marker.read_text(encoding="utf-8")).get("schema_version")
    except (ValueError, UnicodeDecodeError, AttributeError, RecursionError) as exc:
        raise InvalidInput(f"{not_ours}: {MARKER} cannot be read; nothing was changed.") from exc
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput(f"{not_ours}: {MARKER} names no schema version; nothing was changed.")
    if version > db.latest_version():
        raise InvalidInput(
            f"This backup comes from a newer release (schema version {version}; this one knows up to "
            f"{db.latest_version()}); upgrade the dashboard first. Nothing was changed."
        )
    return version


def _check_tables(found: set[str], expected: set[str], source: str) -> None:
    unknown, missing = sorted(found - expected), sorted(expected - found - {"schema_version"})
    if unknown:
        raise InvalidInput(
            f"The backup in {source} holds tables this dashboard does not know ({', '.join(unknown)}); nothing was changed."
        )
    if missing:  # schema_version may be absent: the new file then keeps its own record of migrations
        raise InvalidInput(f"The backup in {source} lacks the tables {', '.join(missing)}; nothing was changed.")


def _read_checked(table: str, file: Path, want: pa.Schema, source: str) -> pa.Table:
    try:
        data = pq.read_table(file)
    except (pa.ArrowException, OSError) as exc:
        raise InvalidInput(
            f"The backup in {source}: {file.name} is not a readable Parquet file; nothing was changed."
        ) from exc
    if sorted(data.column_names) != sorted(want.names):
        raise InvalidInput(
            f"The backup in {source}: table {table} has the columns {', '.join(data.column_names)}, "
            f"expected {', '.join(want.names)}; nothing was changed."
        )
    return _cast(data.select(want.names), want, table, source)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table, want: pa.Schema, source: str) -> None:
    db.register(con, "_restore_rows", rows)
    try:
        names = ", ".join(f'"{n}"' for n in want.names)
        con.execute(f'DELETE FROM "{table}"')  # rows the migrations seeded; the loaded rows replace them
        con.execute(f'INSERT INTO "{table}" ({names}) SELECT {names} FROM _restore_rows')
    except duckdb.ConstraintException as exc:
        # No unregister here: the aborted transaction refuses it, and that error would hide this sentence.
        raise InvalidInput(
            f"The backup in {source}: the rows of table {table} break its rules ({exc}); nothing was changed."
        ) from exc
    db.unregister(con, "_restore_rows")


def _cast(data: pa.Table, want: pa.Schema, table: str, source: str) -> pa.Table:
    columns = []
    for field in want:
        column = data.column(field.name)
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        if isinstance(column.type, pa.BaseExtensionType):  # EXPORT DATABASE writes JSON as arrow.json text
            column = column.cast(column.type.storage_type)
        if _kind(column.type) not in (_kind(field.type), "null", *_WIDENS_TO.get(_kind(field.type), ())):
            raise InvalidInput(
                f"The backup in {source}: column {table}.{field.name} holds {column.type}, expected "
                f"{field.type}; nothing was changed."
            )
        try:
            columns.append(column.cast(field.type, safe=True))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise InvalidInput(
                f"The backup in {source}: column {table}.{field.name} holds {column.type}, expected "
                f"{field.type}; nothing was changed."
            ) from exc
    return pa.Table.from_arrays(columns, schema=want)


# Values are only widened, never reinterpreted: '12' is no id, 1.0 is no id, 'Monday' is no timestamp.
_WIDENS_TO = {"float": ("integer",)}


def _kind(kind: pa.DataType) -> str:
    for name, test in (
        ("integer", pa.types.is_integer),
        ("float", pa.types.is_floating),
        ("text", lambda t: pa.types.is_string(t) or pa.types.is_large_string(t)),
        ("timestamp", pa.types.is_timestamp),
        ("date", pa.types.is_date),
        ("bool", pa.types.is_boolean),
        ("null", pa.types.is_null),
    ):
        if test(kind):
            return name
    return str(kind)


def _extract_checked(archive: zipfile.ZipFile, into: Path) -> None:
    """Extract a backup zip: plain files in one folder, within the size and count limits."""
    members = [m for m in archive.infolist() if not m.is_dir()]
    names = [m.filename for m in members]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise InvalidInput(
            f"This zip holds '{twice[0]}' twice; it is not a backup of this dashboard. Nothing was changed."
        )
    if len(members) > MAX_BACKUP_FILES:
        raise InvalidInput(
            f"This zip holds {len(members)} files (a backup has at most {MAX_BACKUP_FILES}); nothing was changed."
        )
    if sum(m.file_size for m in members) > MAX_BACKUP_BYTES:
        raise InvalidInput(
            f"This zip unpacks to more than {MAX_BACKUP_BYTES // 2**20} MB; it is not a backup of this dashboard. Nothing was changed."
        )
    for member in members:
        name = member.filename
        if "/" in name or "\\" in name or name.startswith(".") or not re.fullmatch(r"[\w.-]+", name):
            raise InvalidInput(
                f"This zip holds '{name}', which is not a plain file of one folder; nothing was changed."
            )
        if stat.S_ISLNK(member.external_attr >> 16):
            raise InvalidInput(
                f"This zip holds a link ('{name}'); a backup holds plain files only. Nothing was changed."
            )
        _copy_limited(archive, member, into / name)


def _copy_limited(archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path) -> None:
    # The sizes in a zip's directory can lie; count what really comes out.
    left = member.file_size
    with archive.open(member) as source, open(target, "xb") as out:
        while chunk := source.read(1 << 20):
            left -= len(chunk)
            if left < 0:
                raise InvalidInput("This zip unpacks to more than it declares; nothing was changed.")
            out.write(chunk)


def _plain_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def _remove_file(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
