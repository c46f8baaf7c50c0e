"""The one DuckDB file: where it lives, opening it, creating and upgrading its schema."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from lib import config
from lib.errors import ConflictError, DatabaseBusy, MentoringError

DEFAULT_DB = config.DEFAULT_DB  # the notebook reads it here
_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def db_path() -> Path:
    """The database path, as lib.config reads it: $MENTORING_DB, else data/mentoring.duckdb."""
    return config.load({}).db_path  # the path is not a secrets.toml key, so the file need not be read


def connect(path: str | Path | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database file as it is; lib.startup.open_database also upgrades and prepares it."""
    path = Path(path) if path else db_path()
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    _check_path(path)
    try:
        con = duckdb.connect(str(path), read_only=read_only, config=_CONFIG)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseBusy(
                f"The database {path} is open in another program (most likely the running "
                "dashboard); stop it or do this from the dashboard instead."
            ) from exc
        raise MentoringError(f"Cannot open the database {path}: {exc}") from exc
    except duckdb.Error as exc:
        raise MentoringError(f"Cannot open the database {path}: {exc}") from exc
    _lock_down(con)
    return con


def migrations() -> list[tuple[int, str]]:
    """All shipped schema migrations as (version, SQL), oldest first."""
    folder = resources.files("lib.storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(found)


def latest_version() -> int:
    """The schema version this release creates."""
    return migrations()[-1][0]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of an open database (0 for an empty file)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection, *, upto: int | None = None) -> list[int]:
    """Apply every migration newer than the file's version (up to `upto`), each in its own transaction."""
    current = schema_version(con)
    applied = []
    for version, sql in migrations():
        if version <= current or (upto is not None and version > upto):
            continue
        with transaction(con):
            if version == 1:
                con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
            con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?)", [version, now()])
        applied.append(version)
    return applied


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The database's own tables, in the order they were created."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT temporary ORDER BY table_oid"
    ).fetchall()
    return [name for (name,) in rows]


def file_of(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file behind a connection (None for an in-memory database)."""
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return Path(row[0][0]) if row and row[0][0] else None


def sequence_values(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Each sequence's last handed-out value (None-free: unused sequences are left out)."""
    rows = con.execute(
        "SELECT sequence_name, last_value FROM duckdb_sequences() WHERE last_value IS NOT NULL"
    ).fetchall()
    return dict(rows)


def advance_sequences(con: duckdb.DuckDBPyConnection, *, at_least: dict[str, int] | None = None) -> None:
    """Move every id sequence past the largest id its column holds (and past `at_least[name]`)."""
    rows = con.execute(
        "SELECT table_name, column_name, column_default FROM information_schema.columns "
        "WHERE table_schema = 'main' AND column_default LIKE 'nextval(%'"
    ).fetchall()
    handed_out = sequence_values(con)
    for table, column, default in rows:
        sequence = re.fullmatch(r"nextval\('([a-z_]+)'\)", default)
        if not sequence or table not in table_names(con):
            continue
        top = con.execute(f'SELECT coalesce(max("{column}"), 0) FROM "{table}"').fetchone()[0]
        top = max(top, (at_least or {}).get(sequence.group(1), 0))
        # setval, not nextval in a loop: a restored id of 2**40 must not take hours
        if top > handed_out.get(sequence.group(1), 0):
            con.execute("SELECT setval(?, ?)", [sequence.group(1), top]).fetchall()
            handed_out[sequence.group(1)] = top


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All statements inside land together or not at all."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException as exc:
        _rollback(con)
        if isinstance(exc, (duckdb.TransactionException, duckdb.ConstraintException)):
            raise ConflictError(
                "Another change touched the same records at the same moment, so nothing of this one was "
                "written; refresh and try again."
            ) from exc
        raise


def _check_path(path: Path) -> None:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise MentoringError(
            f"The database path {str(path)!r} is not valid UTF-8 text; choose a path of ordinary characters."
        ) from exc


def _lock_down(con: duckdb.DuckDBPyConnection) -> None:
    # The product reads and writes files through Python only (backups are written and read by pyarrow),
    # so DuckDB itself needs no file but the database: no COPY, read_csv, ATTACH, INSTALL or SET after this.
    # Order matters: the temp directory joins the allowed list, so it is emptied first.
    # A second connection to the same file in this process shares the first one's (locked) settings.
    if con.execute("SELECT current_setting('lock_configuration')").fetchone()[0]:
        return
    con.execute("SET temp_directory = ''")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    # A failed COMMIT has already ended the transaction; there is nothing left to roll back then.
    try:
        con.execute("ROLLBACK")
    except duckdb.TransactionException:
        pass


def now(*, precise: bool = False) -> datetime:
    """The current local time (to the second unless precise); tests replace it to freeze the clock."""
    current = datetime.now()
    return current if precise else current.replace(microsecond=0)


def audit(con: duckdb.DuckDBPyConnection, action: str, details: dict[str, Any], *, moderator: str = "local") -> None:
    """Append one row to the audit log (call inside the change's transaction)."""
    con.execute(
        "INSERT INTO audit_log (happened_at, moderator, action, details) VALUES (?, ?, ?, ?)",
        [now(), moderator, action, json.dumps(details, default=str)],
    )


def register(con: duckdb.DuckDBPyConnection, name: str, frame) -> None:
    """Register a DataFrame as a view (DuckDB 2.0 refuses while a fetchone() result is unfinished)."""
    con.execute("SELECT 1").fetchall()
    con.register(name, frame)


def unregister(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a registered DataFrame view."""
    con.execute("SELECT 1").fetchall()
    con.unregister(name)


def get_setting(con: duckdb.DuckDBPyConnection, key: str, default: Any = None) -> Any:
    """A stored setting, decoded from JSON, or the default."""
    row = con.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else default


def set_setting(con: duckdb.DuckDBPyConnection, key: str, value: Any) -> None:
    """Store a setting as JSON (insert or replace)."""
    con.execute(
        "INSERT INTO settings VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, json.dumps(value)],
    )
